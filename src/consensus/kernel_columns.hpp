// Internal to the float kernel: the fused per-column loops of pass B (clipping, trust, rank,
// W̃, bonds EMA, dividends). Each function works on one contiguous column of V rows.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

namespace subnetsim::consensus::columns {

using Eigen::Index;

// How W̃ relates to W and W̄ (spec §3.7); each mode is its own instantiation of the loops.
enum class Clip { kNone, kBeta1, kBeta0, kMix };  // kNone: legacy era, W̄ = W̃ = W

// The column loops use Eigen's packet primitives (two doubles with SSE2, four with AVX), with
// a scalar tail. Every sum is accumulated in a fixed order (lane-wise, then predux), so results
// are deterministic without -ffast-math; they differ from a sequential sum only by rounding.
namespace ei = Eigen::internal;
using Packet = ei::packet_traits<double>::type;
constexpr Index kLanes = ei::packet_traits<double>::size;

// AVX2 (four lanes) forms of the element-wise column loops, chosen at run time on CPUs that
// have it when the build itself targets only SSE2 (the portable build). The same IEEE
// operations in the same order as the SSE2 loops, with Eigen's argument order for min and max
// (pmin(a, b) is minpd(b, a)) and no FMA: the same bits, lane for lane. Only loops without a
// sum across lanes (whose order would change) get one; each returns where the caller's SSE2
// loop continues.
#if defined(__GNUC__) && defined(__x86_64__) && defined(__SSE2__) && !defined(__AVX__)
#define SUBNETSIM_AVX2_DISPATCH 1
#define SUBNETSIM_TARGET_AVX2 __attribute__((target("avx2")))
namespace avx2 {

inline bool available() {
  static const bool ok = __builtin_cpu_supports("avx2");
  return ok;
}

SUBNETSIM_TARGET_AVX2 inline __m256d pmin(__m256d a, __m256d b) { return _mm256_min_pd(b, a); }
SUBNETSIM_TARGET_AVX2 inline __m256d pmax(__m256d a, __m256d b) { return _mm256_max_pd(b, a); }

// psum over whole blocks of four, in the SSE2 lane layout (see clip_blocks).
SUBNETSIM_TARGET_AVX2 inline Index psum_blocks(const double* x, Index n, __m128d* acc) {
  __m256d s = _mm256_setzero_pd();
  Index i = 0;
  for (; i + 4 <= n; i += 4) s = _mm256_add_pd(s, _mm256_loadu_pd(x + i));
  acc[0] = _mm256_castpd256_pd128(s);
  acc[1] = _mm256_extractf128_pd(s, 1);
  return i;
}

// out = x * s, element-wise (row-normalising a column of W).
SUBNETSIM_TARGET_AVX2 inline Index mul_blocks(const double* x, const double* s, double* out,
                                              Index n) {
  Index i = 0;
  for (; i + 4 <= n; i += 4)
    _mm256_storeu_pd(out + i, _mm256_mul_pd(_mm256_loadu_pd(x + i), _mm256_loadu_pd(s + i)));
  return i;
}

// acc += x, element-wise.
SUBNETSIM_TARGET_AVX2 inline Index add_blocks(double* acc, const double* x, Index n) {
  Index i = 0;
  for (; i + 4 <= n; i += 4)
    _mm256_storeu_pd(acc + i, _mm256_add_pd(_mm256_loadu_pd(acc + i), _mm256_loadu_pd(x + i)));
  return i;
}

// clip_column's loop over whole blocks of four. The sums stay in the SSE2 lane layout: lane l
// of a four-lane sum is lane l % 2 of the SSE2 accumulator l / 2, so adding the halves and
// then the lanes afterwards gives the SSE2 loop's bits.
template <Clip mode>
SUBNETSIM_TARGET_AVX2 Index clip_blocks(const double* w, double c, double beta, const double* a,
                                        double* vt, double* wt, Index n, __m128d* r, __m128d* at,
                                        __m128d* t) {
  const __m256d pc = _mm256_set1_pd(c), pb = _mm256_set1_pd(beta);
  __m256d R = _mm256_setzero_pd(), AT = R, T = R;
  Index i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d wi = _mm256_loadu_pd(w + i), ai = _mm256_loadu_pd(a + i);
    const __m256d bar = mode == Clip::kNone ? wi : pmin(wi, pc);
    const __m256d tilde =
        mode == Clip::kBeta0
            ? wi
            : (mode == Clip::kMix ? _mm256_add_pd(wi, _mm256_mul_pd(pb, _mm256_sub_pd(bar, wi)))
                                  : bar);
    _mm256_storeu_pd(vt + i, _mm256_add_pd(_mm256_loadu_pd(vt + i), bar));
    _mm256_storeu_pd(wt + i, tilde);
    R = _mm256_add_pd(R, _mm256_mul_pd(ai, bar));
    AT = _mm256_add_pd(AT, _mm256_mul_pd(ai, tilde));
    T = _mm256_add_pd(T, tilde);
  }
  r[0] = _mm256_castpd256_pd128(R);
  r[1] = _mm256_extractf128_pd(R, 1);
  at[0] = _mm256_castpd256_pd128(AT);
  at[1] = _mm256_extractf128_pd(AT, 1);
  t[0] = _mm256_castpd256_pd128(T);
  t[1] = _mm256_extractf128_pd(T, 1);
  return i;
}

// classic_column's EMA loop; m = the largest EMA of the entries done (an exact max).
template <bool kDelta>
SUBNETSIM_TARGET_AVX2 Index classic_ema(const double* a, const double* wt, const double* b,
                                        double c_delta, double c_bond, double inv_delta, double inc,
                                        double* out, double* delta, double* d, Index n, double& m) {
  const __m256d pcd = _mm256_set1_pd(c_delta), pcb = _mm256_set1_pd(c_bond);
  const __m256d pid = _mm256_set1_pd(inv_delta), pinc = _mm256_set1_pd(inc);
  __m256d mx = _mm256_setzero_pd();
  Index i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d di = _mm256_mul_pd(_mm256_loadu_pd(a + i), _mm256_loadu_pd(wt + i));
    const __m256d e =
        _mm256_add_pd(_mm256_mul_pd(pcd, di), _mm256_mul_pd(pcb, _mm256_loadu_pd(b + i)));
    if (kDelta) _mm256_storeu_pd(delta + i, _mm256_mul_pd(di, pid));
    _mm256_storeu_pd(out + i, e);
    _mm256_storeu_pd(d + i, _mm256_add_pd(_mm256_loadu_pd(d + i), _mm256_mul_pd(pinc, e)));
    mx = pmax(mx, e);
  }
  const __m128d h = _mm_max_pd(_mm256_castpd256_pd128(mx), _mm256_extractf128_pd(mx, 1));
  m = std::max(_mm_cvtsd_f64(h), _mm_cvtsd_f64(_mm_unpackhi_pd(h, h)));
  return i;
}

// classic_column's upscale: out = out >= m ? 1 : out * inv.
SUBNETSIM_TARGET_AVX2 inline Index classic_upscale(double* out, double m, double inv, Index n) {
  const __m256d pm = _mm256_set1_pd(m), pinv = _mm256_set1_pd(inv), one = _mm256_set1_pd(1.0);
  Index k = 0;
  for (; k + 4 <= n; k += 4) {
    const __m256d o = _mm256_loadu_pd(out + k);
    _mm256_storeu_pd(
        out + k, _mm256_blendv_pd(_mm256_mul_pd(o, pinv), one, _mm256_cmp_pd(pm, o, _CMP_LE_OQ)));
  }
  return k;
}

// yuma3_fixed_column's loop.
SUBNETSIM_TARGET_AVX2 inline Index yuma3_fixed(const double* wt, const double* b, double ema,
                                               double scale, double* out, double* d, Index n) {
  const __m256d pe = _mm256_set1_pd(ema), pk = _mm256_set1_pd(1.0 - ema);
  const __m256d ps = _mm256_set1_pd(scale);
  Index i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d e = _mm256_add_pd(_mm256_mul_pd(pe, _mm256_loadu_pd(wt + i)),
                                    _mm256_mul_pd(pk, _mm256_loadu_pd(b + i)));
    _mm256_storeu_pd(out + i, e);
    _mm256_storeu_pd(d + i, _mm256_add_pd(_mm256_loadu_pd(d + i), _mm256_mul_pd(ps, e)));
  }
  return i;
}

}  // namespace avx2
#endif

// Two accumulators: an addition's latency, not the loop, would bound a single one.
inline double psum(const double* x, Index n) {
  Packet acc0 = ei::pset1<Packet>(0.0), acc1 = acc0;
  Index i = 0;
#if defined(SUBNETSIM_AVX2_DISPATCH)
  if (avx2::available()) {
    __m128d acc[2];
    i = avx2::psum_blocks(x, n, acc);
    acc0 = acc[0];
    acc1 = acc[1];
  }
#endif
  for (; i + 2 * kLanes <= n; i += 2 * kLanes) {
    acc0 = ei::padd(acc0, ei::ploadu<Packet>(x + i));
    acc1 = ei::padd(acc1, ei::ploadu<Packet>(x + i + kLanes));
  }
  if (i + kLanes <= n) {
    acc0 = ei::padd(acc0, ei::ploadu<Packet>(x + i));
    i += kLanes;
  }
  double s = ei::predux(ei::padd(acc0, acc1));
  for (; i < n; ++i) s += x[i];
  return s;
}

// out = x * s and acc += x, element-wise (row sums and row-normalised columns of W).
inline void mul_column(const double* x, const double* s, double* out, Index n) {
  Index i = 0;
#if defined(SUBNETSIM_AVX2_DISPATCH)
  if (avx2::available()) i = avx2::mul_blocks(x, s, out, n);
#endif
  for (; i + kLanes <= n; i += kLanes)
    ei::pstoreu(out + i, ei::pmul(ei::ploadu<Packet>(x + i), ei::ploadu<Packet>(s + i)));
  for (; i < n; ++i) out[i] = x[i] * s[i];
}

inline void add_column(double* acc, const double* x, Index n) {
  Index i = 0;
#if defined(SUBNETSIM_AVX2_DISPATCH)
  if (avx2::available()) i = avx2::add_blocks(acc, x, n);
#endif
  for (; i + kLanes <= n; i += kLanes)
    ei::pstoreu(acc + i, ei::padd(ei::ploadu<Packet>(acc + i), ei::ploadu<Packet>(x + i)));
  for (; i < n; ++i) acc[i] += x[i];
}

struct ClipSums {
  double rank = 0.0;     // R_j = Σ A_i W̄_ij
  double a_tilde = 0.0;  // Σ A_i W̃_ij
  double tilde = 0.0;    // Σ W̃_ij
};

// W̄ and W̃ of one entry (spec §3.6-3.7) for a packet or a scalar.
template <Clip mode, typename T, typename Min, typename Fma>
void clip_entry(const T& wi, const T& c, const T& beta, T& bar, T& tilde, Min min, Fma mix) {
  bar = mode == Clip::kNone ? wi : min(wi, c);
  tilde = mode == Clip::kBeta0 ? wi : (mode == Clip::kMix ? mix(wi, beta, bar) : bar);
}

// Clipping, interpolation and trust for one column: writes W̃ into wt, adds W̄ to vt.
template <Clip mode>
inline ClipSums clip_column(const double* w, double c, double beta, const double* a, double* vt,
                            double* wt, Index n, bool allow_avx2 = true) {
  const Packet pc = ei::pset1<Packet>(c), pb = ei::pset1<Packet>(beta);
  Packet r[2] = {ei::pset1<Packet>(0.0), ei::pset1<Packet>(0.0)}, at[2] = {r[0], r[0]},
         t[2] = {r[0], r[0]};
  auto pmin = [](const Packet& x, const Packet& y) { return ei::pmin(x, y); };
  auto pmix = [](const Packet& x, const Packet& b, const Packet& y) {
    return ei::padd(x, ei::pmul(b, ei::psub(y, x)));
  };
  auto step = [&](Index i, int l) {
    const Packet wi = ei::ploadu<Packet>(w + i), ai = ei::ploadu<Packet>(a + i);
    Packet bar, tilde;
    clip_entry<mode>(wi, pc, pb, bar, tilde, pmin, pmix);
    ei::pstoreu(vt + i, ei::padd(ei::ploadu<Packet>(vt + i), bar));
    ei::pstoreu(wt + i, tilde);
    r[l] = ei::padd(r[l], ei::pmul(ai, bar));
    at[l] = ei::padd(at[l], ei::pmul(ai, tilde));
    t[l] = ei::padd(t[l], tilde);
  };
  Index i = 0;
#if defined(SUBNETSIM_AVX2_DISPATCH)
  if (allow_avx2 && avx2::available())
    i = avx2::clip_blocks<mode>(w, c, beta, a, vt, wt, n, r, at, t);
#else
  (void)allow_avx2;
#endif
  for (; i + 2 * kLanes <= n; i += 2 * kLanes) {
    step(i, 0);
    step(i + kLanes, 1);
  }
  if (i + kLanes <= n) {
    step(i, 0);
    i += kLanes;
  }
  r[0] = ei::padd(r[0], r[1]);
  at[0] = ei::padd(at[0], at[1]);
  t[0] = ei::padd(t[0], t[1]);
  ClipSums s{ei::predux(r[0]), ei::predux(at[0]), ei::predux(t[0])};
  auto smin = [](double x, double y) { return std::min(x, y); };
  auto smix = [](double x, double b, double y) { return x + b * (y - x); };
  for (; i < n; ++i) {
    double bar, tilde;
    clip_entry<mode>(w[i], c, beta, bar, tilde, smin, smix);
    vt[i] += bar;
    wt[i] = tilde;
    s.rank += a[i] * bar;
    s.a_tilde += a[i] * tilde;
    s.tilde += tilde;
  }
  return s;
}

// Classic bonds for one column: colnorm(ema colnorm(Δ) + (1-ema) colnorm(B)) with Δ = A ⊙ W̃.
// The two inner column sums are 1 or 0, so the outer one is known without another pass.
// Writes the EMA (column max-upscaled) to out and colnorm(Δ) to delta, adds inc * EMAn to d.
// Without kDelta (the caller does not record ΔB) `delta` is not written.
template <bool kDelta>
inline void classic_column(const double* a, const double* wt, const double* b, double s_delta,
                           double ema, double inc, double* out, double* delta, double* d, Index n,
                           bool allow_avx2 = true) {
  const double s_bond = psum(b, n);
  double c_delta = s_delta > 0.0 ? ema / s_delta : 0.0;
  double c_bond = s_bond > 0.0 ? (1.0 - ema) / s_bond : 0.0;
  const double outer = (s_delta > 0.0 ? ema : 0.0) + (s_bond > 0.0 ? 1.0 - ema : 0.0);
  if (outer > 0.0) {
    c_delta /= outer;
    c_bond /= outer;
  }
  const double inv_delta = s_delta > 0.0 ? 1.0 / s_delta : 0.0;
  const Packet pcd = ei::pset1<Packet>(c_delta), pcb = ei::pset1<Packet>(c_bond);
  const Packet pid = ei::pset1<Packet>(inv_delta), pinc = ei::pset1<Packet>(inc);
  Packet mx = ei::pset1<Packet>(0.0);
  Index i = 0;
#if defined(SUBNETSIM_AVX2_DISPATCH)
  const bool wide = allow_avx2 && avx2::available();
  if (wide) {
    double m4 = 0.0;
    i = avx2::classic_ema<kDelta>(a, wt, b, c_delta, c_bond, inv_delta, inc, out, delta, d, n, m4);
    mx = ei::pset1<Packet>(m4);
  }
#else
  (void)allow_avx2;
#endif
  for (; i + kLanes <= n; i += kLanes) {
    const Packet di = ei::pmul(ei::ploadu<Packet>(a + i), ei::ploadu<Packet>(wt + i));
    const Packet e = ei::padd(ei::pmul(pcd, di), ei::pmul(pcb, ei::ploadu<Packet>(b + i)));
    if (kDelta) ei::pstoreu(delta + i, ei::pmul(di, pid));
    ei::pstoreu(out + i, e);
    ei::pstoreu(d + i, ei::padd(ei::ploadu<Packet>(d + i), ei::pmul(pinc, e)));
    mx = ei::pmax(mx, e);
  }
  double m = ei::predux_max(mx);
  for (; i < n; ++i) {
    const double di = a[i] * wt[i];
    const double e = c_delta * di + c_bond * b[i];
    if (kDelta) delta[i] = di * inv_delta;
    out[i] = e;
    d[i] += inc * e;
    m = std::max(m, e);
  }
  if (m <= 0.0) return;
  // x / max by a reciprocal, but the max itself must come out exactly 1 (stored 65535).
  const double inv = 1.0 / m;
  const Packet pm = ei::pset1<Packet>(m), pinv = ei::pset1<Packet>(inv);
  const Packet one = ei::pset1<Packet>(1.0);
  Index k = 0;
#if defined(SUBNETSIM_AVX2_DISPATCH)
  if (wide) k = avx2::classic_upscale(out, m, inv, n);
#endif
  for (; k + kLanes <= n; k += kLanes) {
    const Packet o = ei::ploadu<Packet>(out + k);
    ei::pstoreu(out + k, ei::pselect(ei::pcmp_le(pm, o), one, ei::pmul(o, pinv)));
  }
  for (; k < n; ++k) out[k] = out[k] >= m ? 1.0 : out[k] * inv;
}

// Yuma 3 with a fixed alpha: EMA = ema W̃ + (1-ema) B, stored as is; d += inc * colnorm(EMA).
inline void yuma3_fixed_column(const double* wt, const double* b, double s_tilde, double ema,
                               double inc, double* out, double* d, Index n,
                               bool allow_avx2 = true) {
  const double s_ema = ema * s_tilde + (1.0 - ema) * psum(b, n);
  const double scale = s_ema > 0.0 ? inc / s_ema : 0.0;
  const Packet pe = ei::pset1<Packet>(ema), pk = ei::pset1<Packet>(1.0 - ema);
  const Packet ps = ei::pset1<Packet>(scale);
  Index i = 0;
#if defined(SUBNETSIM_AVX2_DISPATCH)
  if (allow_avx2 && avx2::available()) i = avx2::yuma3_fixed(wt, b, ema, scale, out, d, n);
#else
  (void)allow_avx2;
#endif
  for (; i + kLanes <= n; i += kLanes) {
    const Packet e =
        ei::padd(ei::pmul(pe, ei::ploadu<Packet>(wt + i)), ei::pmul(pk, ei::ploadu<Packet>(b + i)));
    ei::pstoreu(out + i, e);
    ei::pstoreu(d + i, ei::padd(ei::ploadu<Packet>(d + i), ei::pmul(ps, e)));
  }
  for (; i < n; ++i) {
    const double e = ema * wt[i] + (1.0 - ema) * b[i];
    out[i] = e;
    d[i] += scale * e;
  }
}

// e^x for x in [-20, 20] (the clamp of exp_safe): n = round(x / ln 2), r = x - n ln 2 with ln 2
// split in two (Cody-Waite) so n ln2_hi is exact, degree-12 Taylor polynomial for e^r
// (|r| <= ln 2 / 2, truncation < 2e-16), then 2^n added to the exponent bits. Max relative error
// about 3e-16 over the range, no division and no emulated floor: 1.5x Eigen's SSE2 pexp in
// isolation, about 5% of a liquid-alpha epoch.
#if defined(__SSE2__)
inline constexpr double kExpInvFact[13] = {
    1.0,        1.0,         1.0 / 2,      1.0 / 6,       1.0 / 24,       1.0 / 120,      1.0 / 720,
    1.0 / 5040, 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600};

inline __m128d exp_clamped(__m128d x) {
  const __m128d shifter = _mm_set1_pd(6755399441055744.0);  // 1.5 * 2^52: round to integer
  const __m128d t = _mm_add_pd(_mm_mul_pd(x, _mm_set1_pd(1.4426950408889634074)), shifter);
  const __m128d n = _mm_sub_pd(t, shifter);
  __m128d r = _mm_sub_pd(x, _mm_mul_pd(n, _mm_set1_pd(6.93145751953125e-1)));
  r = _mm_sub_pd(r, _mm_mul_pd(n, _mm_set1_pd(1.42860682030941723212e-6)));

  __m128d p = _mm_set1_pd(kExpInvFact[12]);
  for (int k = 11; k >= 0; --k) p = _mm_add_pd(_mm_mul_pd(p, r), _mm_set1_pd(kExpInvFact[k]));
  const __m128i two_n =
      _mm_slli_epi64(_mm_sub_epi64(_mm_castpd_si128(t), _mm_castpd_si128(shifter)), 52);
  return _mm_castsi128_pd(_mm_add_epi64(_mm_castpd_si128(p), two_n));
}
#endif

// Other packets (wider with -march=native, or not x86) use Eigen's own; overload resolution
// prefers the exact non-template match for SSE2's two lanes.
template <typename P>
P exp_packet(const P& x) {
  return ei::pexp(x);
}
#if defined(__SSE2__)
inline __m128d exp_packet(__m128d x) { return exp_clamped(x); }
#endif

// Four exps at once, the same operations on each as exp_packet.
template <typename P>
void exp_packet4(const P* x, P* e) {
  for (int q = 0; q < 4; ++q) e[q] = exp_packet(x[q]);
}
#if defined(__SSE2__)
// exp_clamped on four packets, step by step interleaved (bit for bit the same per packet): one
// exp is a chain of ~30 dependent operations, and a single chain at a time leaves the
// out-of-order window waiting on latency.
inline void exp_packet4(const __m128d* x, __m128d* e) {
  const __m128d shifter = _mm_set1_pd(6755399441055744.0);
  const __m128d log2e = _mm_set1_pd(1.4426950408889634074);
  const __m128d ln2_hi = _mm_set1_pd(6.93145751953125e-1);
  const __m128d ln2_lo = _mm_set1_pd(1.42860682030941723212e-6);
  __m128d t[4], r[4], p[4];
  for (int q = 0; q < 4; ++q) {
    t[q] = _mm_add_pd(_mm_mul_pd(x[q], log2e), shifter);
    const __m128d nq = _mm_sub_pd(t[q], shifter);
    r[q] = _mm_sub_pd(_mm_sub_pd(x[q], _mm_mul_pd(nq, ln2_hi)), _mm_mul_pd(nq, ln2_lo));
    p[q] = _mm_set1_pd(kExpInvFact[12]);
  }
  for (int k = 11; k >= 0; --k) {
    const __m128d f = _mm_set1_pd(kExpInvFact[k]);
    for (int q = 0; q < 4; ++q) p[q] = _mm_add_pd(_mm_mul_pd(p[q], r[q]), f);
    // Keeps the compiler from running one chain to the end before the next.
    __asm__("" : "+x"(p[0]), "+x"(p[1]), "+x"(p[2]), "+x"(p[3]));
  }
  const __m128i s = _mm_castpd_si128(shifter);
  for (int q = 0; q < 4; ++q)
    e[q] = _mm_castsi128_pd(_mm_add_epi64(
        _mm_castpd_si128(p[q]), _mm_slli_epi64(_mm_sub_epi64(_mm_castpd_si128(t[q]), s), 52)));
}
#endif

// Yuma 3 liquid alpha for one column (spec §3.9): a_i = alpha_sigmoid(c, wa_i, ba_i) from the
// values the chain's peek merge reads, EMA_i = min((1 - a_i) b_i + max(a_i W̃_i, 0), 1) into
// out for the entries the chain emits (`emit`, from W̃, W and the presence of W), else 0.
// Masking in the same vector store keeps the caller's column sum from reloading scalar stores.
// Which EMA entries the chain emits (spec §3.9 sparse-only quirk); the others are stored as 0.
enum class Emit {
  kTildePositive,     // W̃ rebuilt dense (0 < beta < 1): entries with W̃ > 0
  kPresent,           // W̃ a copy of W or W̄: the stored entries of W
  kPresentUnclipped,  // beta = 1 and C = 0: stored entries of W except W > C (clipping deleted)
};

// All-ones lanes where the byte is non-zero.
template <typename P>
P byte_mask(const std::uint8_t* p) {
  double lanes[kLanes];
  for (Index l = 0; l < kLanes; ++l) {
    const std::uint64_t bits = p[l] != 0 ? ~std::uint64_t{0} : 0;
    std::memcpy(&lanes[l], &bits, sizeof(double));
  }
  return ei::ploadu<P>(lanes);
}
#if defined(__SSE2__)
template <>
inline __m128d byte_mask<__m128d>(const std::uint8_t* p) {
  return _mm_castsi128_pd(
      _mm_set_epi64x(-static_cast<long long>(p[1] != 0), -static_cast<long long>(p[0] != 0)));
}
#endif

template <Emit emit>
inline Packet emit_mask(const double* wt, const double* w, const std::uint8_t* present, Index i) {
  const Packet zero = ei::pset1<Packet>(0.0);
  if (emit == Emit::kTildePositive) return ei::pcmp_lt(zero, ei::ploadu<Packet>(wt + i));
  const Packet pres = byte_mask<Packet>(present + i);
  if (emit == Emit::kPresent) return pres;
  return ei::pandnot(pres, ei::pcmp_lt(zero, ei::ploadu<Packet>(w + i)));
}

template <Emit emit>
inline bool emits(const double* wt, const double* w, const std::uint8_t* present, Index i) {
  if (emit == Emit::kTildePositive) return wt[i] > 0.0;
  if (emit == Emit::kPresent) return present[i] != 0;
  return present[i] != 0 && !(w[i] > 0.0);
}

// The liquid-alpha column with AVX2 (see the AVX2 notes above).
#if defined(SUBNETSIM_AVX2_DISPATCH)
namespace avx2 {

// exp_clamped on four packets of four lanes, interleaved as exp_packet4.
SUBNETSIM_TARGET_AVX2 inline void exp4(const __m256d* x, __m256d* e, int count) {
  const __m256d shifter = _mm256_set1_pd(6755399441055744.0);
  const __m256d log2e = _mm256_set1_pd(1.4426950408889634074);
  const __m256d ln2_hi = _mm256_set1_pd(6.93145751953125e-1);
  const __m256d ln2_lo = _mm256_set1_pd(1.42860682030941723212e-6);
  __m256d t[4], r[4], p[4];
  for (int q = 0; q < 4; ++q) {
    if (q >= count) {
      t[q] = r[q] = p[q] = _mm256_setzero_pd();
      continue;
    }
    t[q] = _mm256_add_pd(_mm256_mul_pd(x[q], log2e), shifter);
    const __m256d nq = _mm256_sub_pd(t[q], shifter);
    r[q] = _mm256_sub_pd(_mm256_sub_pd(x[q], _mm256_mul_pd(nq, ln2_hi)), _mm256_mul_pd(nq, ln2_lo));
    p[q] = _mm256_set1_pd(kExpInvFact[12]);
  }
  for (int k = 11; k >= 0; --k) {
    const __m256d f = _mm256_set1_pd(kExpInvFact[k]);
    for (int q = 0; q < 4; ++q) p[q] = _mm256_add_pd(_mm256_mul_pd(p[q], r[q]), f);
    __asm__("" : "+x"(p[0]), "+x"(p[1]), "+x"(p[2]), "+x"(p[3]));
  }
  const __m256i s = _mm256_castpd_si256(shifter);
  for (int q = 0; q < count; ++q)
    e[q] = _mm256_castsi256_pd(
        _mm256_add_epi64(_mm256_castpd_si256(p[q]),
                         _mm256_slli_epi64(_mm256_sub_epi64(_mm256_castpd_si256(t[q]), s), 52)));
}

struct LiquidConstants {
  __m256d c, slope, lo, hi, span, zero, one, half, lim_lo, lim_hi;
};

SUBNETSIM_TARGET_AVX2 inline __m256d exponent(const LiquidConstants& k, const double* wa,
                                              const double* ba, Index i) {
  const __m256d wk = _mm256_loadu_pd(wa + i), bb = _mm256_loadu_pd(ba + i);
  const __m256d buy = pmin(pmax(_mm256_sub_pd(wk, k.c), k.zero), k.one);
  const __m256d sell = pmin(pmax(_mm256_sub_pd(bb, wk), k.zero), k.one);
  const __m256d diff = _mm256_blendv_pd(sell, buy, _mm256_cmp_pd(bb, wk, _CMP_LE_OQ));
  return pmin(pmax(_mm256_mul_pd(k.slope, _mm256_sub_pd(diff, k.half)), k.lim_lo), k.lim_hi);
}

template <Emit emit>
SUBNETSIM_TARGET_AVX2 inline __m256d emit_mask(const double* wt, const double* w,
                                               const std::uint8_t* present, Index i) {
  const __m256d zero = _mm256_setzero_pd();
  if (emit == Emit::kTildePositive) return _mm256_cmp_pd(zero, _mm256_loadu_pd(wt + i), _CMP_LT_OQ);
  const std::uint8_t* p = present + i;
  const __m256d pres = _mm256_castsi256_pd(
      _mm256_set_epi64x(-static_cast<long long>(p[3] != 0), -static_cast<long long>(p[2] != 0),
                        -static_cast<long long>(p[1] != 0), -static_cast<long long>(p[0] != 0)));
  if (emit == Emit::kPresent) return pres;
  return _mm256_andnot_pd(_mm256_cmp_pd(zero, _mm256_loadu_pd(w + i), _CMP_LT_OQ), pres);
}

template <Emit emit>
SUBNETSIM_TARGET_AVX2 inline void finish(const LiquidConstants& k, const double* wt,
                                         const double* b, const double* w,
                                         const std::uint8_t* present, double* out, Index i,
                                         __m256d e) {
  const __m256d sig = _mm256_div_pd(k.span, _mm256_add_pd(k.one, e));
  const __m256d a = pmin(pmax(_mm256_add_pd(k.lo, sig), k.lo), k.hi);
  const __m256d keep = _mm256_mul_pd(_mm256_sub_pd(k.one, a), _mm256_loadu_pd(b + i));
  const __m256d buy_in = pmax(_mm256_mul_pd(a, _mm256_loadu_pd(wt + i)), k.zero);
  _mm256_storeu_pd(out + i, _mm256_and_pd(pmin(_mm256_add_pd(keep, buy_in), k.one),
                                          emit_mask<emit>(wt, w, present, i)));
}

// Entries [0, returned) of the column, a multiple of four; the caller does the rest.
template <Emit emit>
SUBNETSIM_TARGET_AVX2 Index liquid_column(const double* wt, const double* b, const double* wa,
                                          const double* ba, double c, double slope, double lo,
                                          double hi, const double* w, const std::uint8_t* present,
                                          double* out, Index n) {
  LiquidConstants k;
  k.c = _mm256_set1_pd(c);
  k.slope = _mm256_set1_pd(slope);
  k.lo = _mm256_set1_pd(lo);
  k.hi = _mm256_set1_pd(hi);
  k.span = _mm256_set1_pd(hi - lo);
  k.zero = _mm256_setzero_pd();
  k.one = _mm256_set1_pd(1.0);
  k.half = _mm256_set1_pd(0.5);
  k.lim_lo = _mm256_set1_pd(-20.0);
  k.lim_hi = _mm256_set1_pd(20.0);
  Index i = 0;
  while (i + 4 <= n) {
    const int count = static_cast<int>(std::min<Index>(4, (n - i) / 4));
    __m256d x[4], e[4];
    for (int q = 0; q < count; ++q) x[q] = exponent(k, wa, ba, i + 4 * q);
    exp4(x, e, count);
    for (int q = 0; q < count; ++q) finish<emit>(k, wt, b, w, present, out, i + 4 * q, e[q]);
    i += 4 * count;
  }
  return i;
}

#undef SUBNETSIM_TARGET_AVX2
}  // namespace avx2
#endif

template <Emit emit>
inline void yuma3_liquid_column(const double* wt, const double* b, const double* wa,
                                const double* ba, double c, double slope, double lo, double hi,
                                const double* w, const std::uint8_t* present, double* out, Index n,
                                bool allow_avx2 = true) {
  const Packet pc = ei::pset1<Packet>(c), ps = ei::pset1<Packet>(slope);
  const Packet plo = ei::pset1<Packet>(lo), phi = ei::pset1<Packet>(hi);
  const Packet pspan = ei::pset1<Packet>(hi - lo), zero = ei::pset1<Packet>(0.0);
  const Packet one = ei::pset1<Packet>(1.0), half = ei::pset1<Packet>(0.5);
  const Packet lim_lo = ei::pset1<Packet>(-20.0), lim_hi = ei::pset1<Packet>(20.0);
  // The exponent of the sigmoid, then the EMA from e^x: two stages around the long exp chain.
  auto exponent = [&](Index k) {
    const Packet wk = ei::ploadu<Packet>(wa + k), bb = ei::ploadu<Packet>(ba + k);
    const Packet buy = ei::pmin(ei::pmax(ei::psub(wk, pc), zero), one);
    const Packet sell = ei::pmin(ei::pmax(ei::psub(bb, wk), zero), one);
    const Packet diff = ei::pselect(ei::pcmp_le(bb, wk), buy, sell);
    return ei::pmin(ei::pmax(ei::pmul(ps, ei::psub(diff, half)), lim_lo), lim_hi);
  };
  auto finish = [&](Index k, const Packet& e) {
    const Packet sig = ei::pdiv(pspan, ei::padd(one, e));
    const Packet a = ei::pmin(ei::pmax(ei::padd(plo, sig), plo), phi);
    const Packet keep = ei::pmul(ei::psub(one, a), ei::ploadu<Packet>(b + k));
    const Packet buy_in = ei::pmax(ei::pmul(a, ei::ploadu<Packet>(wt + k)), zero);
    ei::pstoreu(out + k, ei::pand(ei::pmin(ei::padd(keep, buy_in), one),
                                  emit_mask<emit>(wt, w, present, k)));
  };
  Index i = 0;
#if defined(SUBNETSIM_AVX2_DISPATCH)
  if (allow_avx2 && avx2::available())
    i = avx2::liquid_column<emit>(wt, b, wa, ba, c, slope, lo, hi, w, present, out, n);
#else
  (void)allow_avx2;
#endif
  // Four packets at a time with their exps interleaved.
  for (; i + 4 * kLanes <= n; i += 4 * kLanes) {
    Packet x[4], e[4];
    for (int q = 0; q < 4; ++q) x[q] = exponent(i + q * kLanes);
    exp_packet4(x, e);
    for (int q = 0; q < 4; ++q) finish(i + q * kLanes, e[q]);
  }
  for (; i + kLanes <= n; i += kLanes) finish(i, exp_packet(exponent(i)));
  for (; i < n; ++i) {
    const double diff = wa[i] >= ba[i] ? std::min(std::max(wa[i] - c, 0.0), 1.0)
                                       : std::min(std::max(ba[i] - wa[i], 0.0), 1.0);
    const double x = std::min(std::max(slope * (diff - 0.5), -20.0), 20.0);
    const double a = std::min(std::max(lo + (hi - lo) / (1.0 + std::exp(x)), lo), hi);
    out[i] = emits<emit>(wt, w, present, i)
                 ? std::min((1.0 - a) * b[i] + std::max(a * wt[i], 0.0), 1.0)
                 : 0.0;
  }
}

}  // namespace subnetsim::consensus::columns
