// placeholder
namespace subnetsim::config {}
