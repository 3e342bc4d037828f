#include "subnetsim/core/normal.hpp"

#include <algorithm>
#include <bit>

namespace subnetsim::core {
namespace {

// exp, log and sqrt from +, -, *, / alone, so that the tables (evaluated by the compiler) and
// the slow path give the same bits everywhere. Accurate to about one ulp on their domains.

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^20 (fdlibm's constants).
constexpr double kLn2Hi = 0x1.62e42feep-1;
constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;
constexpr double kInvLn2 = 0x1.71547652b82fep+0;
constexpr double kSqrt2 = 0x1.6a09e667f3bcdp+0;

// 1/j! for j = 0..13, rounded once each.
constexpr auto kInvFactorial = [] {
  struct {
    double c[14];
  } t{};
  double factorial = 1;
  for (int j = 0; j < 14; ++j) {
    if (j > 0) factorial *= j;  // exact: 13! < 2^53
    t.c[j] = 1.0 / factorial;
  }
  return t;
}();

// e^x for |x| < 700: x = k ln 2 + r with |r| <= ln 2 / 2, e^r by its Taylor series to degree 13
// (the rest is below 2^-57), times 2^k built from its bits.
constexpr double exp_series(double x) {
  const double t = x * kInvLn2;
  const int k = static_cast<int>(t < 0 ? t - 0.5 : t + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  double p = kInvFactorial.c[13];
  for (int j = 12; j >= 0; --j) p = p * r + kInvFactorial.c[j];
  return p * std::bit_cast<double>(static_cast<std::uint64_t>(k + 1023) << 52);
}

// ln a for a normal positive double: a = m 2^e with m in (sqrt(1/2), sqrt(2)], then
// ln m = 2 atanh(s) with s = (m - 1) / (m + 1), |s| < 0.172, by its series to s^23.
constexpr double log_series(double a) {
  const auto bits = std::bit_cast<std::uint64_t>(a);
  int e = static_cast<int>(bits >> 52) - 1023;
  double m = std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
  if (m > kSqrt2) {
    m *= 0.5;
    ++e;
  }
  const double s = (m - 1) / (m + 1);
  const double s2 = s * s;
  double p = 1.0 / 23;
  for (int j = 21; j >= 1; j -= 2) p = p * s2 + 1.0 / j;
  return e * kLn2Hi + (e * kLn2Lo + 2 * s * p);
}

// sqrt a for a normal positive double (compile time only): a first guess from the halved
// exponent, then Newton's iteration, a fixed number of times.
constexpr double sqrt_newton(double a) {
  double y = std::bit_cast<double>((std::bit_cast<std::uint64_t>(a) >> 1) + 0x1ff8000000000000ULL);
  for (int j = 0; j < 6; ++j) y = 0.5 * (y + a / y);
  return y;
}

// Marsaglia and Tsang's constants for 256 layers: R, the start of the tail, and V, the area of
// each layer (the base layer's includes the tail), for the unnormalised f(x) = exp(-x^2/2).
constexpr double kR = 3.6541528853610088;
constexpr double kV = 0.00492867323399;

// The layers (see detail::ZigguratTables) and, for the wedge of layer k >= 1 (the part right
// of x[k+1]), bounds that settle most points without an exp: between the layer's corners on
// the curve, f(x) - chord(x) lies within [below[k], above[k]], where
// chord(x) = f[k] + (x[k] - x) * slope[k].
struct Layers {
  double x[257];  // right edge of layer k; x[256] = 0
  double f[257];  // f(x[k]), the bottom of layer k >= 1; f[256], the top of layer 255
  double slope[256];
  double below[256];
  double above[256];
};

constexpr Layers make_layers() {
  Layers t{};
  t.x[1] = kR;
  t.f[1] = exp_series(-0.5 * kR * kR);
  t.x[0] = kV / t.f[1];
  // Each layer has area V: its top is its bottom plus V / its width.
  for (int k = 1; k < 256; ++k) {
    t.f[k + 1] = t.f[k] + kV / t.x[k];
    if (k + 1 < 256) t.x[k + 1] = sqrt_newton(-2 * log_series(t.f[k + 1]));
  }
  t.x[256] = 0;
  // Between two points of a curve with |f''| <= M over [a, b], the curve strays from the chord
  // by at most M (b - a)^2 / 8: above it where f is concave (f'' = (x^2 - 1) f < 0, x < 1),
  // below it where convex. |f''| falls on [0, 1], rises to its peak at sqrt(3), then falls, so
  // M is its value at an end or at sqrt(3). The table's f at the corners may differ from the
  // curve's (f[256] = 1 + 2.3e-11 > f(0)), and that difference widens the bounds, as does a
  // margin for rounding, so that the bounds settle a point only where the exp test would
  // settle it the same way: they save time and change no draw.
  constexpr double kSqrt3 = 0x1.bb67ae8584caap+0;
  constexpr auto magnitude = [](double v) { return v < 0 ? -v : v; };
  for (int k = 1; k < 256; ++k) {
    const double a = t.x[k + 1], b = t.x[k];
    t.slope[k] = (t.f[k + 1] - t.f[k]) / (b - a);
    const double fa = exp_series(-0.5 * a * a), fb = exp_series(-0.5 * b * b);
    double m = std::max(magnitude(a * a - 1) * fa, magnitude(b * b - 1) * fb);
    if (a <= kSqrt3 && kSqrt3 <= b) m = 2 * exp_series(-1.5);
    const double stray = m * (b - a) * (b - a) / 8;
    const double slack = std::max(magnitude(t.f[k + 1] - fa), magnitude(t.f[k] - fb)) + 1e-14;
    t.below[k] = (a >= 1 ? -stray : 0) - slack;
    t.above[k] = (b <= 1 ? stray : 0) + slack;
  }
  return t;
}

constexpr Layers kLayers = make_layers();

// The recurrence must close the ziggurat: the top of the last layer reaches the peak f(0) = 1
// (a shade over it with these constants: points above 1 are rejected, so the draws stay exact),
// and the edges fall from the pseudo-width of the base to 0.
static_assert(kLayers.f[256] >= 1 && kLayers.f[256] < 1 + 1e-9);
static_assert(kLayers.x[0] > 3.9107579595 && kLayers.x[0] < 3.9107579596);
static_assert(kLayers.x[255] > 0.2152418959 && kLayers.x[255] < 0.2152418960);
static_assert([] {
  for (int k = 0; k < 256; ++k)
    if (!(kLayers.x[k + 1] < kLayers.x[k]) || !(kLayers.f[k + 1] > kLayers.f[k])) return false;
  return true;
}());

constexpr detail::ZigguratTables make_fast_tables(const Layers& layers) {
  detail::ZigguratTables t{};
  for (int i = 0; i < 512; ++i) {
    const int k = i & 255;
    const double w = layers.x[k] * 0x1p-53;
    t.w[i] = i & 256 ? -w : w;
    // The j with j * w (rounded) below x[k+1] are those below some n, rounding being monotonic.
    const double bound = layers.x[k + 1];
    auto n = static_cast<std::uint64_t>(bound / w);
    while (n > 0 && static_cast<double>(n - 1) * w >= bound) --n;
    while (static_cast<double>(n) * w < bound) ++n;
    t.inner[i] = n;
  }
  return t;
}

// x with the sign bit flipped when bit 8 of r is set.
double with_sign(double x, std::uint64_t r) {
  return std::bit_cast<double>(std::bit_cast<std::uint64_t>(x) ^ ((r & 0x100U) << 55));
}

// A 53-bit uniform: in [0, 1), and in (0, 1] (for a logarithm).
double uniform_co(std::uint64_t r) { return static_cast<double>(r >> 11) * 0x1p-53; }
double uniform_oc(std::uint64_t r) { return static_cast<double>((r >> 11) + 1) * 0x1p-53; }

// Marsaglia's (1964) method for the tail: the excess over R of a draw conditioned on x > R.
double tail_excess(Rng& rng) {
  for (;;) {
    const double a = -log_series(uniform_oc(rng())) / kR;
    const double b = -log_series(uniform_oc(rng()));
    if (b + b >= a * a) return a;
  }
}

}  // namespace

namespace detail {

constexpr ZigguratTables kZiggurat = make_fast_tables(kLayers);

double standard_normal_slow(Rng& rng, std::uint64_t r) {
  const Layers& t = kLayers;
  for (;;) {
    if (double out; fast_path(r, out)) return out;
    const std::size_t k = r & 0xffU;
    const double x = static_cast<double>(r >> 11) * kZiggurat.w[k];
    if (k == 0) return with_sign(kR + tail_excess(rng), r);
    // The wedge of layer k: a uniform height y in the layer, kept when under the curve. Below
    // the chord's lower bound it is, above its upper bound it is not, and in between (~7% of
    // wedge points) exp decides. A rejected point starts the draw over.
    const double y = t.f[k] + uniform_co(rng()) * (t.f[k + 1] - t.f[k]);
    const double chord = t.f[k] + (t.x[k] - x) * t.slope[k];
    if (y < chord + t.below[k] || (y < chord + t.above[k] && y < exp_series(-0.5 * x * x)))
      return with_sign(x, r);
    r = rng();
  }
}

}  // namespace detail

// standard_normal in a loop, with the engine's state in a local the compiler keeps in registers:
// were the slow path handed `local` itself, its address would escape and the state would make
// a round trip through memory every draw (1.9 instead of 1.6 ns a draw; 6.7 ns with
// -march=native, where GCC merges the four stores of the state into one vector store that the
// next draw's loads cannot forward from).
void standard_normals(Rng& rng, double* out, std::size_t n) {
  Rng local = rng;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint64_t r = local();
    if (detail::fast_path(r, out[k])) [[likely]]
      continue;
    Rng spill = local;
    out[k] = detail::standard_normal_slow(spill, r);
    local = spill;
  }
  rng = local;
}

}  // namespace subnetsim::core
