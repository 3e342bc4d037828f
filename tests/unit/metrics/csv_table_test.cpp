#include "subnetsim/metrics/csv_table.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <limits>

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

TEST_CASE("csv table: blank lines (an editor's trailing newline) are no rows") {
  // They made compare and report refuse a file: "expected 2 fields as in the header, found 1".
  const auto r = parse_csv("a,b\n1,2\n\n3,4\n\n", "t.csv");
  REQUIRE(r.ok());
  REQUIRE(r.table->rows.size() == 2);
  CHECK(r.table->rows[1] == std::vector<std::string>{"3", "4"});
  // A quoted empty field is a field, and a row of one column may be empty.
  const auto ragged = parse_csv("a,b\n\"\"\n", "t.csv");
  CHECK(ragged.error == "t.csv:2: expected 2 fields as in the header, found 1");
  const auto one = parse_csv("a\n\n1\n", "t.csv");
  REQUIRE(one.ok());
  CHECK(one.table->rows.size() == 2);
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
  // What %.9g writes, subnormals included; not blanks, hexadecimal or a trailing word.
  CHECK(CsvTable::number("1e-310") == 1e-310);
  CHECK(CsvTable::number("-inf") == -std::numeric_limits<double>::infinity());
  CHECK_FALSE(CsvTable::number(" 1"));
  CHECK_FALSE(CsvTable::number("0x10"));
  CHECK_FALSE(CsvTable::number("1e400"));
}

TEST_CASE("csv table: a run's files hold numbers or nothing in their number columns") {
  const auto text = parse_csv("block,price_usd\n100,1.5\nabc,2\n", "runs/x/globals.csv");
  REQUIRE_FALSE(text.ok());
  CHECK(text.error == "runs/x/globals.csv:3: column \"block\": expected a number, found \"abc\"");
  // Empty fields are missing values (NaN, an event without a uid); text columns hold anything.
  const char* kEvents = "block,netuid,kind,agent,uid,rule,measured,threshold,amount_tao,destination,detail\n"
                        "5,1,vote,v/0,,r,,,0.000000000,,\"two\nlines\"\n";
  REQUIRE(parse_csv(kEvents, "events.csv").ok());
  // The line is the row's first, after a field that spans two.
  const auto late = parse_csv(std::string(kEvents) + "6,1,vote,v/0,x,r,,,0.000000000,,\n", "events.csv");
  REQUIRE_FALSE(late.ok());
  CHECK(late.error == "events.csv:4: column \"uid\": expected a number, found \"x\"");
  CHECK_FALSE(parse_csv("block,netuid,epoch,group,uids\n1,1,1,g,many\n", "classes.csv").ok());
  CHECK_FALSE(parse_csv("block,netuid,epoch,uid,agent,stake_tao\n1,1,1,0,a/0,lots\n", "epochs.csv").ok());
  // Files that are not a run's own are not checked.
  CHECK(parse_csv("block,price_usd\nabc,2\n", "agents.csv").ok());
}

TEST_CASE("csv table: only the columns asked for are kept, every field still checked") {
  // Expectations read a long run's classes.csv for three columns: the whole table in memory
  // took ten times the file (369 MB for 38 MB).
  const std::vector<std::string> keep = {"block", "group", "stake_tao", "absent"};
  const auto r =
      parse_csv("block,netuid,epoch,group,uids,stake_tao\n12,1,1,v,3,100.5\n24,1,2,\"a,b\",1,7.0\n",
                "classes.csv", &keep);
  REQUIRE(r.ok());
  CHECK(r.file_header ==
        std::vector<std::string>{"block", "netuid", "epoch", "group", "uids", "stake_tao"});
  CHECK(r.table->header == std::vector<std::string>{"block", "group", "stake_tao"});
  REQUIRE(r.table->rows.size() == 2);
  CHECK(r.table->rows[1] == std::vector<std::string>{"24", "a,b", "7.0"});
  // A column not kept is checked all the same: text in a number column is refused.
  const auto bad =
      parse_csv("block,netuid,epoch,group,uids,stake_tao\n12,x,1,v,3,1.0\n", "classes.csv", &keep);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error == "classes.csv:2: column \"netuid\": expected a number, found \"x\"");
  // None of the columns there: an empty table, not a header taken from the first row.
  const std::vector<std::string> none = {"absent"};
  const auto empty = parse_csv("a,b\n1,2\n3,4\n", "t.csv", &none);
  REQUIRE(empty.ok());
  CHECK(empty.table->header.empty());
  CHECK(empty.table->rows.size() == 2);
}

TEST_CASE("csv table: a file is read a block at a time, with the same table as its whole text") {
  // A file of several 1 MiB blocks whose quoted fields, doubled quotes, CRLF line ends and
  // newlines inside quotes fall on every offset modulo the row length, so some straddle a
  // block boundary; it ends with a closing quote and no newline (the quote closes the field).
  std::string text = "id,note\r\n";
  const std::string note = "\"say \"\"hi\"\", then\nmore\"";
  for (std::size_t k = 0; text.size() < (3u << 20) + 17; ++k)
    text += std::to_string(k) + "," + note + (k % 2 == 0 ? "\n" : "\r\n");
  text += "last,\"end\"\"\"";
  const std::string path = "csv_blocks_test.csv";
  {
    std::ofstream f(path, std::ios::binary);
    f << text;
  }
  const auto whole = parse_csv(text, path);
  const auto read = subnetsim::metrics::read_csv_file(path);
  std::remove(path.c_str());
  REQUIRE(whole.ok());
  REQUIRE(read.ok());
  CHECK(read.table->header == whole.table->header);
  CHECK(read.table->rows == whole.table->rows);
  CHECK(read.table->rows.size() > 60'000);
  CHECK(read.table->rows.front()[1] == "say \"hi\", then\nmore");
  CHECK(read.table->rows.back() == std::vector<std::string>{"last", "end\""});
}
