#include "subnetsim/core/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <string>

namespace subnetsim::core {

void init_logging() {
  static bool done = false;
  if (done) return;
  done = true;
  auto logger = spdlog::stderr_color_mt("subnetsim");
  logger->set_pattern("[%l] %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::warn);
}

bool set_log_level(std::string_view name) {
  const std::string s(name);
  const auto level = spdlog::level::from_str(s);
  // from_str maps unknown names to "off"; accept "off" only when asked for explicitly.
  if (level == spdlog::level::off && s != "off") return false;
  spdlog::set_level(level);
  return true;
}

bool warnings_shown() { return spdlog::get_level() <= spdlog::level::warn; }

}  // namespace subnetsim::core
