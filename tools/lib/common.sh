# Shared by tools/run, tools/test and the benchmarks: install missing Debian packages, then
# configure and build a tree incrementally. Sourced, not executed.

SUBNETSIM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Debian packages the build and tests need. clang is for the fuzzer and sanitizer builds.
SUBNETSIM_PACKAGES=(cmake ninja-build g++ clang libclang-rt-14-dev libboost-dev
  libboost-program-options-dev libeigen3-dev libspdlog-dev nlohmann-json3-dev catch2
  libbenchmark-dev python3 libopenmpi-dev openmpi-bin)

# Installs whatever of SUBNETSIM_PACKAGES (plus any extra arguments) is missing. Prints what it
# installs; prints nothing and touches nothing when all is there.
subnetsim_install_deps() {
  local missing=() pkg
  for pkg in "${SUBNETSIM_PACKAGES[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "subnetsim: installing missing Debian packages: ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq >&2 || { echo "subnetsim: apt-get update failed" >&2; return 1; }
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
    { echo "subnetsim: could not install: ${missing[*]}" >&2; return 1; }
}

# subnetsim_build DIR [--target TARGET] [cmake -D options...]: configure (first time or when
# options change) and build DIR incrementally with Ninja: everything, or only TARGET.
subnetsim_build() {
  local dir=$1; shift
  local target=()
  if [ "${1:-}" = --target ]; then target=(--target "$2"); shift 2; fi
  local stamp="$dir/.subnetsim-configure-args" args="$*"
  if [ ! -f "$dir/build.ninja" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$args" ]; then
    cmake -S "$SUBNETSIM_ROOT" -B "$dir" -G Ninja "$@" >/dev/null || return 1
    echo "$args" > "$stamp"
  fi
  # Progress lines are dropped; warnings and errors are shown. The build's own status decides.
  local status=0
  cmake --build "$dir" "${target[@]}" -- -j"${SUBNETSIM_JOBS:-$(nproc)}" 2>&1 |
    { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; } || status=$?
  [ "$status" -eq 0 ] && status=${PIPESTATUS[0]:-0}
  if [ "$status" -ne 0 ]; then
    echo "subnetsim: the build in $dir failed" >&2
    return "$status"
  fi
}

# Backs the heap with transparent huge pages where the kernel offers them on request (THP
# "madvise" mode, Debian's default): glibc 2.35+ reads GLIBC_TUNABLES=glibc.malloc.hugetlb=1 and
# advises the kernel so for what malloc takes from it. A network of 128 subnets goes through
# its ~74 MB of state every 360 blocks, far more than the TLB covers with 4 kB pages: measured
# 2% faster over network-year's year on one thread, 4% over 36,000 blocks. Results do not
# depend on it. SUBNETSIM_HUGEPAGES=0, or a hugetlb tunable of your own,
# leaves GLIBC_TUNABLES as it is. Older glibc ignores the tunable.
subnetsim_use_huge_pages() {
  [ "${SUBNETSIM_HUGEPAGES:-1}" = 0 ] && return 0
  case ":${GLIBC_TUNABLES:-}:" in *:glibc.malloc.hugetlb=*) return 0 ;; esac
  export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.hugetlb=1"
}
