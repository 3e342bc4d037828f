#include "subnetsim/core/diagnostics.hpp"

#include <cstdio>

namespace subnetsim::core {
namespace {
// A pointer is printed with its control characters escaped as JSON writes them ("\n",
// "\u0001"): a key holding a newline would otherwise split its diagnostic over two lines.
void append_printable(std::string& out, const std::string& text) {
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7f) {
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    }
  }
}
}  // namespace

std::string Diagnostic::to_string() const {
  std::string out = file;
  out += ": ";
  if (!pointer.empty()) {
    append_printable(out, pointer);
    out += ": ";
  }
  out += message;
  return out;
}

void Diagnostics::add(std::string file, std::string pointer, std::string message) {
  items_.push_back({std::move(file), std::move(pointer), std::move(message)});
}

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

std::string Diagnostics::to_string() const {
  std::string out;
  for (const auto& d : items_) {
    out += d.to_string();
    out += '\n';
  }
  return out;
}

}  // namespace subnetsim::core
