#include <stdexcept>

#include "subnetsim/config/agents.hpp"

namespace subnetsim::config {

namespace {
template <std::size_t I = 0>
AgentParams make_at(std::size_t index) {
  if constexpr (I < std::variant_size_v<AgentParams>) {
    if (index == I) return AgentParams(std::in_place_index<I>);
    return make_at<I + 1>(index);
  } else {
    throw std::out_of_range("make_default_params: no agent type at this index");
  }
}
}  // namespace

AgentParams make_default_params(std::size_t index) { return make_at(index); }

}  // namespace subnetsim::config
