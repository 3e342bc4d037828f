// The subnetsim command line: `subnetsim <command> [options]`. Returns a core::ExitCode.
#pragma once

namespace subnetsim::app {

int main(int argc, char** argv);

}  // namespace subnetsim::app
