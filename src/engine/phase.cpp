#include "subnetsim/engine/event_queue.hpp"

namespace subnetsim::engine {

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::kScript: return "script";
    case Phase::kDecide: return "decide";
    case Phase::kApply: return "apply";
    case Phase::kEmit: return "emit";
    case Phase::kEpoch: return "epoch";
    case Phase::kRecord: return "record";
  }
  return "?";
}

}  // namespace subnetsim::engine
