// The instruction-set forms of a hot loop that has several (chosen at run time by the CPU, the
// build itself targeting only SSE2): a name for each, so that a test can run every form this
// CPU has and compare them. Every form of a loop gives the same bits; only the time differs.
#pragma once

namespace subnetsim::core {

enum class SimdForm {
  kBaseline,  // what the build targets (SSE2 on x86-64), or plain C++
  kAvx2,      // four doubles a vector
  kAvx512,    // eight doubles a vector (AVX-512F and the extensions the loop names)
};

// A form's name, for test messages: "baseline", "AVX2", "AVX-512".
const char* simd_form_name(SimdForm form);

}  // namespace subnetsim::core
