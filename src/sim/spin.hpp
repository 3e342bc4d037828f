// Polling helpers shared by the simulation's threads (ThreadPool): a waiting thread
// polls this many times, a few hundred microseconds, before it sleeps or yields, because the
// next piece of work usually comes sooner and waking a sleeping thread costs tens of them.
#pragma once

namespace subnetsim::sim {

inline constexpr int kSpinsBeforeSleep = 1 << 14;

// One polling step: tells the CPU this is a spin loop (saves power, frees the sibling thread).
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace subnetsim::sim
