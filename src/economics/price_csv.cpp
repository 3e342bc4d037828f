// "block,usd" CSV price paths, with errors that name the file and line (see the header).
#include "subnetsim/economics/price_csv.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>

#include "subnetsim/core/file_text.hpp"

namespace subnetsim::economics {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool parse_block(std::string_view s, std::uint64_t& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

bool parse_usd(std::string_view s, double& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);  // from_chars refuses a plus sign
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

std::string quoted(std::string_view s) {
  constexpr std::size_t kShown = 40;
  std::string q = "\"";
  q.append(s.substr(0, kShown));
  if (s.size() > kShown) q += "...";
  return q + "\"";
}

PricePathCsv failure(std::string_view file, std::size_t line, const std::string& what) {
  PricePathCsv r;
  r.error = std::string(file) + ":" + std::to_string(line) + ": " + what;
  return r;
}

PricePathCsv parse(std::string_view text, std::string_view file) {
  PricePathCsv result;
  // A UTF-8 byte order mark (spreadsheets write one) is not part of the header.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t line_no = 0;
  bool first_content = true;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view raw = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    const std::string_view line = trim(raw);
    if (line.empty()) continue;
    const std::size_t comma = line.find(',');
    if (comma == std::string_view::npos || line.find(',', comma + 1) != std::string_view::npos)
      return failure(file, line_no, "expected two fields \"block,usd\", got " + quoted(line));
    const std::string_view block_text = trim(line.substr(0, comma));
    const std::string_view usd_text = trim(line.substr(comma + 1));
    config::PricePoint p;
    if (first_content) {
      first_content = false;
      double ignored = 0;
      if (!parse_usd(block_text, ignored)) {
        // A header, which must name the columns in this order: a file written "usd,block"
        // would otherwise be read with its columns swapped.
        if (block_text == "block" && usd_text == "usd") continue;
        return failure(
            file, line_no,
            "expected the header \"block,usd\" or a first price point, got " + quoted(line));
      }
    }
    if (!parse_block(block_text, p.block))
      return failure(file, line_no, "block must be a whole number >= 0, got " + quoted(block_text));
    // The range of an inline path's usd (FORMAT.md), so that the file and the JSON agree.
    if (!parse_usd(usd_text, p.usd) || !std::isfinite(p.usd) || p.usd < 0 || p.usd > 1e9)
      return failure(file, line_no, "usd must be a number in [0, 1e+09], got " + quoted(usd_text));
    if (!result.points.empty() && p.block <= result.points.back().block)
      return failure(file, line_no,
                     "block must be greater than the previous line's (" +
                         std::to_string(result.points.back().block) + "), got " +
                         std::to_string(p.block));
    if (result.points.size() == kMaxPricePoints)
      return failure(file, line_no,
                     "more than " + std::to_string(kMaxPricePoints) +
                         " price points: resolved_scenario.json holds every one and must load "
                         "again; give a coarser path (it is linear between its points)");
    result.points.push_back(p);
  }
  if (result.points.empty()) {
    result.error = std::string(file) + ": no price points (expected lines \"block,usd\")";
  }
  return result;
}

}  // namespace

PricePathCsv parse_price_path_csv(std::string_view text, std::string_view display_name) {
  try {
    return parse(text, display_name);
  } catch (const std::exception& e) {  // only allocation can throw here
    PricePathCsv r;
    r.error = std::string(display_name) + ": " + e.what();
    return r;
  }
}

PricePathCsv read_price_path_csv(const std::string& path, std::string_view display_name) {
  const std::string_view name = display_name.empty() ? std::string_view(path) : display_name;
  auto problem = [&](const std::string& what) {
    PricePathCsv r;
    r.error = std::string(name) + ": " + what;
    return r;
  };
  try {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return problem("is a directory, expected a CSV file");
    // A regular file says its size: one too large is refused unread.
    const auto size = std::filesystem::is_regular_file(path, ec) ? std::filesystem::file_size(path, ec) : 0;
    if (!ec && size > kMaxPriceCsvBytes)
      return problem("file is too large (" + std::to_string(size) + " bytes, the limit is " +
                     std::to_string(kMaxPriceCsvBytes) + ")");
    // The limit again as it is read: a device or a pipe has no size to check first.
    std::string text;
    switch (core::read_file_text(path, text, kMaxPriceCsvBytes)) {
      case core::FileRead::kOk:
        return parse_price_path_csv(text, name);
      case core::FileRead::kCannotOpen:
        return problem("cannot open the price path file");
      case core::FileRead::kTooLarge:
        return problem("file is too large (more than the limit of " +
                       std::to_string(kMaxPriceCsvBytes) + " bytes)");
      case core::FileRead::kReadError:
        return problem("read error");
    }
    return problem("read error");
  } catch (const std::exception& e) {
    return problem(e.what());
  }
}

}  // namespace subnetsim::economics
