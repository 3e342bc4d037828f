// libFuzzer entry point for the scenario loader: any bytes must give either a scenario or
// diagnostics, never a crash, a hang, a leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "subnetsim/scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = subnetsim::scenario::load_scenario_text(text, "fuzz-input.json");
  // A result is either a scenario or at least one diagnostic, never both or neither.
  if (result.ok() == !result.diagnostics.empty()) __builtin_trap();
  return 0;
}
