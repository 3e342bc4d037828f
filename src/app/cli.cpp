#include "subnetsim/app/cli.hpp"

#include <cstdio>

namespace subnetsim::app {
int main(int, char**) {
  std::puts("subnetsim");
  return 0;
}
}  // namespace subnetsim::app
