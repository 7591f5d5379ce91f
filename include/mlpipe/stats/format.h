// The one text of an estimate with its confidence interval, shared by the
// terminal output, the gate evidence and the model card.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mlpipe::stats {

// "0.7712 [0.7301, 0.8090]": the estimate with four decimals and, when both
// ends are given, the interval (an end that is NaN reads "n/a"); only the
// estimate when an end is missing; `undefined` when the estimate is missing
// or NaN.
std::string FormatEstimate(std::optional<double> estimate, std::optional<double> low,
                           std::optional<double> high, std::string_view undefined = "n/a");

}  // namespace mlpipe::stats
