// numbers_in_name: the sweep's numbered file names read without std::regex.
#include "../../../src/sweep/numbered_name.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using subnetsim::sweep::numbers_in_name;

TEST_CASE("a numbered name gives its digit runs as written", "[sweep]") {
  const std::vector<std::string_view> shard{"index.shard-", "-of-", ".csv"};
  REQUIRE(numbers_in_name("index.shard-3-of-12.csv", shard));
  CHECK(*numbers_in_name("index.shard-3-of-12.csv", shard) == std::vector<std::string>{"3", "12"});
  CHECK(*numbers_in_name("index.shard-007-of-99999999999999999999999.csv", shard) ==
        std::vector<std::string>{"007", "99999999999999999999999"});
  CHECK(*numbers_in_name(".shards-of-8.lock", {".shards-of-", ".lock"}) ==
        std::vector<std::string>{"8"});
}

TEST_CASE("a name of another form gives nothing", "[sweep]") {
  const std::vector<std::string_view> shard{"index.shard-", "-of-", ".csv"};
  for (const char* name :
       {"index.csv", "index.shard--of-2.csv", "index.shard-1-of-.csv", "index.shard-1-of-2.csv.tmp",
        "xindex.shard-1-of-2.csv", "index.shard-1-of-2csv", "index.shard-a-of-2.csv",
        "index.shard-1-of-2-of-3.csv", "index.shard-1", ""}) {
    INFO(name);
    CHECK_FALSE(numbers_in_name(name, shard));
  }
  CHECK_FALSE(numbers_in_name(".shards-of-8.lockx", {".shards-of-", ".lock"}));
  CHECK_FALSE(numbers_in_name(".shards-of-.lock", {".shards-of-", ".lock"}));
}
