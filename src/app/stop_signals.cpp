// See stop_signals.hpp.
#include "stop_signals.hpp"

#include <csignal>

namespace subnetsim::app {

namespace {
std::atomic<bool> g_stop{false};
extern "C" void request_stop(int) { g_stop.store(true); }
}  // namespace

const std::atomic<bool>& install_stop_handlers() {
  g_stop.store(false);
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  return g_stop;
}

}  // namespace subnetsim::app
