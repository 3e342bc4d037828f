// core::json_text: nlohmann_json's parse and dump behind functions compiled once; the same
// values, key orders, exceptions and text as nlohmann_json's own calls.
#include "subnetsim/core/json_text.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

using namespace subnetsim::core;

TEST_CASE("parse_json and parse_ordered_json read one value, the ordered one in file order",
          "[core][json]") {
  const std::string text = R"({"b": 1, "a": [true, null, 2.5]})";
  const nlohmann::json plain = parse_json(text);
  CHECK(plain.begin().key() == "a");  // sorted keys
  CHECK(plain["a"][2].get<double>() == 2.5);
  const nlohmann::ordered_json ordered = parse_ordered_json(text);
  CHECK(ordered.begin().key() == "b");  // as written
  CHECK(dump_json(ordered) == R"({"b":1,"a":[true,null,2.5]})");
  CHECK(dump_json(plain, 2) == "{\n  \"a\": [\n    true,\n    null,\n    2.5\n  ],\n  \"b\": 1\n}");
  std::istringstream in(text);
  CHECK(parse_ordered_json(in) == ordered);
}

TEST_CASE("text that is not one JSON value throws, or gives a discarded value", "[core][json]") {
  for (const std::string& bad : {std::string("{\"a\": 1"), std::string(), std::string("1 2")}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_json(bad), nlohmann::json::parse_error);
    CHECK(parse_json_or_discarded(bad).is_discarded());
    CHECK(parse_ordered_json_or_discarded(bad).is_discarded());
    CHECK_FALSE(is_json(bad));
    std::istringstream in(bad);
    CHECK(parse_json_or_discarded(in).is_discarded());
  }
  // nlohmann_json's reader stops at a NUL byte, from a string as from a stream: what follows
  // is never read (hence core::nul_byte_problem before every parse of a file).
  const std::string glued("{}\0junk", 7);
  CHECK(parse_json(glued) == nlohmann::json::object());
  std::istringstream glued_in(glued);
  CHECK(parse_json(glued_in) == nlohmann::json::object());
  CHECK(is_json("[1, {\"x\": \"y\"}]"));
  CHECK_FALSE(parse_json_or_discarded("3").is_discarded());
  try {
    (void)parse_json("{\"a\": }");
    FAIL("no exception");
  } catch (const nlohmann::json::parse_error& e) {
    CHECK(std::string(e.what()).find("line 1, column 7") != std::string::npos);
  }
}
