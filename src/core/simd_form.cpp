// simd_form_name (see simd_form.hpp).
#include "subnetsim/core/simd_form.hpp"

namespace subnetsim::core {

const char* simd_form_name(SimdForm form) {
  switch (form) {
    case SimdForm::kBaseline:
      return "baseline";
    case SimdForm::kAvx2:
      return "AVX2";
    case SimdForm::kAvx512:
      return "AVX-512";
  }
  return "?";
}

}  // namespace subnetsim::core
