// Placeholder: the chain-side epoch driver lands here.
namespace subnetsim::chain {}
