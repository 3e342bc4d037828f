// placeholder
namespace subnetsim::scenario {}
