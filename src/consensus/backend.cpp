#include "float_backend.hpp"
#include "subnetsim/consensus/epoch.hpp"

namespace subnetsim::consensus {

// Defined in exact_backend.cpp (make_float_backend: float_backend.hpp).
std::unique_ptr<EpochBackend> make_exact_backend();

namespace {
struct VariantName {
  Variant variant;
  const char* name;
};
constexpr VariantName kVariantNames[] = {
    {Variant::kClassic, "classic"},
    {Variant::kYuma3, "yuma3"},
    {Variant::kYuma3Liquid, "yuma3_liquid"},
    {Variant::kClassicLiquidV1, "classic_liquid_v1"},
    {Variant::kLegacySigmoid, "legacy_sigmoid"},
};
}  // namespace

std::optional<Variant> variant_from_name(std::string_view name) {
  for (const auto& v : kVariantNames)
    if (name == v.name) return v.variant;
  return std::nullopt;
}

const char* variant_name(Variant v) {
  for (const auto& e : kVariantNames)
    if (e.variant == v) return e.name;
  return "?";
}

std::optional<BackendKind> backend_from_name(std::string_view name) {
  if (name == "float") return BackendKind::kFloat;
  if (name == "exact") return BackendKind::kExact;
  return std::nullopt;
}

std::unique_ptr<EpochBackend> make_backend(BackendKind kind) {
  return kind == BackendKind::kExact ? make_exact_backend() : make_float_backend();
}

}  // namespace subnetsim::consensus
