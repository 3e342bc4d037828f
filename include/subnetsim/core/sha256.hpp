// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits: the fingerprint of a
// resolved scenario in manifest.json, so two runs can be told to come from the same input.
#pragma once

#include <string>
#include <string_view>

namespace subnetsim::core {

std::string sha256_hex(std::string_view data);

}  // namespace subnetsim::core
