#include "subnetsim/app/cli.hpp"

int main(int argc, char** argv) { return subnetsim::app::main(argc, argv); }
