#include <catch2/catch.hpp>

#include "subnetsim/metrics/csv_table.hpp"

using subnetsim::metrics::CsvTable;
using subnetsim::metrics::parse_csv;

TEST_CASE("csv table: header, rows and quoted fields with commas, quotes and newlines") {
  const auto r = parse_csv("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\r\n", "t.csv");
  REQUIRE(r.ok());
  const CsvTable& t = *r.table;
  CHECK(t.header == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0][1] == "x, y");
  CHECK(t.rows[0][2] == "say \"hi\"");
  CHECK(t.rows[1][1] == "two\nlines");
  CHECK(t.rows[1][2].empty());
  CHECK(t.column("c") == 2u);
  CHECK_FALSE(t.column("d"));
}

TEST_CASE("csv table: a last line without newline is a row") {
  const auto r = parse_csv("a,b\n1,2", "t.csv");
  REQUIRE(r.ok());
  CHECK(r.table->rows.size() == 1);
}

TEST_CASE("csv table: ragged rows and unclosed quotes are refused with the line") {
  const auto ragged = parse_csv("a,b\n1,2\n3\n", "t.csv");
  REQUIRE_FALSE(ragged.ok());
  CHECK(ragged.error == "t.csv:3: expected 2 fields as in the header, found 1");
  const auto open = parse_csv("a,b\n1,\"2\n", "t.csv");
  REQUIRE_FALSE(open.ok());
  CHECK(open.error == "t.csv:2: a quoted field is not closed");
  CHECK_FALSE(parse_csv("", "e.csv").ok());
}

TEST_CASE("csv table: numbers") {
  CHECK(CsvTable::number("1.5") == 1.5);
  CHECK(CsvTable::number("12.000000001") == Approx(12.000000001));
  CHECK_FALSE(CsvTable::number(""));
  CHECK_FALSE(CsvTable::number("1.5x"));
  CHECK_FALSE(CsvTable::number("abc"));
}
