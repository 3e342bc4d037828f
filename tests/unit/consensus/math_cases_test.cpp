// Every `math_cases` entry of the public conformance file, against the exact backend's helpers.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

// The column median is internal to the exact backend; it is tested here through its own header.
#include "../../../src/consensus/exact_steps.hpp"
#include "public_conformance.hpp"
#include "subnetsim/consensus/fixed_point.hpp"
#include "subnetsim/core/json_text.hpp"

namespace fx = subnetsim::consensus::fixed;
using fx::Raw;

namespace {

const nlohmann::json& math_case(const std::string& id) {
  return subnetsim::testing::public_case("math_cases", id);
}

std::vector<Raw> fixed_f32(const nlohmann::json& values) {
  std::vector<Raw> out;
  for (const auto& v : values) out.push_back(fx::from_f32(v.get<float>()));
  return out;
}

}  // namespace

TEST_CASE("math.test_math_weighted_median", "[consensus][math_cases]") {
  std::vector<std::size_t> buf;
  for (const auto& c : math_case("math.test_math_weighted_median").at("cases")) {
    std::vector<Raw> stake = fixed_f32(c.at("stake_f32"));
    const std::vector<Raw> score = fixed_f32(c.at("score_f32"));
    if (c.at("stake_normalized_first").get<bool>()) fx::normalize(stake);
    const Raw minority = fx::sat_sub(fx::kOne, fx::from_f32(c.at("majority_f32").get<float>()));
    std::vector<std::size_t> idx(stake.size());
    for (std::size_t k = 0; k < idx.size(); ++k) idx[k] = k;
    const Raw got = fx::weighted_median(stake, score, idx, minority, 0, fx::sum(stake), buf);
    INFO(subnetsim::core::dump_json(c));
    CHECK(got == c.at("expected_raw_i32f32").get<Raw>());
  }
}

TEST_CASE("math.test_math_weighted_median_col(_sparse)", "[consensus][math_cases]") {
  using subnetsim::consensus::detail::SparseFx;
  subnetsim::consensus::detail::Workspace ws;
  for (const auto& c : math_case("math.test_math_weighted_median_col(_sparse)").at("cases")) {
    const std::vector<Raw> stake = fixed_f32(c.at("stake_f32"));
    const std::vector<Raw> w = fixed_f32(c.at("weights_f32_4x3_rowmajor"));
    const std::size_t rows = stake.size(), cols = w.size() / rows;
    SparseFx W;
    W.clear();
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t j = 0; j < cols; ++j)
        if (w[i * cols + j] != 0) W.push(static_cast<std::uint16_t>(j), w[i * cols + j]);
      W.end_row();
    }
    const Raw majority = fx::from_f32(c.at("kappa_majority_f32").get<float>());
    subnetsim::consensus::detail::weighted_median_col_sparse(stake, W, cols, majority, ws);
    const std::vector<Raw> expected = fixed_f32(c.at("expected_consensus_f32"));
    INFO(subnetsim::core::dump_json(c));
    CHECK(ws.C == expected);
  }
}

TEST_CASE("math.test_math_sigmoid_safe: exp bit patterns", "[consensus][math_cases]") {
  for (const auto& c : math_case("math.test_math_sigmoid_safe").at("cases")) {
    const Raw rho = c.at("rho_raw").get<Raw>(), kappa = c.at("kappa_raw").get<Raw>();
    const auto& inputs = c.at("input_raw_i32f32");
    const auto& expected = c.at("expected_raw_i32f32");
    for (std::size_t k = 0; k < inputs.size(); ++k) {
      INFO("rho " << rho << " kappa " << kappa << " input " << inputs[k]);
      CHECK(fx::sigmoid_safe(inputs[k].get<Raw>(), rho, kappa) == expected[k].get<Raw>());
    }
  }
}

TEST_CASE("math.test_vec_max_upscale_to_u16", "[consensus][math_cases]") {
  for (const auto& c : math_case("math.test_vec_max_upscale_to_u16").at("cases")) {
    const auto expected = c.at("expected_u16").get<std::vector<std::uint16_t>>();
    std::vector<std::uint16_t> got(expected.size());
    if (c.contains("input_f32")) {
      fx::max_upscale_to_u16(fixed_f32(c.at("input_f32")), got);
    } else {
      fx::u16_max_upscale_to_u16(c.at("input_u16").get<std::vector<std::uint16_t>>(), got);
    }
    INFO(subnetsim::core::dump_json(c));
    CHECK(got == expected);
  }
}

TEST_CASE("math.test_math_mat_ema_alpha", "[consensus][math_cases]") {
  for (const auto& c : math_case("math.test_math_mat_ema_alpha").at("cases")) {
    const std::vector<Raw> old = fixed_f32(c.at("old_f32_4x3"));
    const std::vector<Raw> fresh = fixed_f32(c.at("new_f32_4x3"));
    const Raw a = fx::from_f32(c.at("alpha_all").get<float>());
    const auto& expected = c.at("expected_f32_4x3");
    for (std::size_t k = 0; k < old.size(); ++k) {
      INFO(subnetsim::core::dump_json(c) << " entry " << k);
      CHECK(fx::to_f64(fx::ema_alpha_entry(old[k], fresh[k], a)) ==
            Approx(expected[k].get<double>()).margin(1e-4 + 1e-8));
    }
  }
}
