// Concentration of rewards and stake: pure functions over non-negative amounts (one per
// participant, zeros included: a participant who earned nothing counts).
//
//   gini       0 when all are equal, (n-1)/n when one holds everything; 0 for no total
//   top_share  share of the total held by the top ceil(fraction * n) participants (at least 1)
//   nakamoto   the fewest participants whose amounts add up to more than half the total; 0 for
//              no total
#pragma once

#include <cstddef>
#include <vector>

namespace subnetsim::metrics {

double gini(std::vector<double> amounts);
double top_share(std::vector<double> amounts, double fraction);
std::size_t nakamoto(std::vector<double> amounts);

}  // namespace subnetsim::metrics
