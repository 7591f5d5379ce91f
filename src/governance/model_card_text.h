// Text of a card's figures, shared by the Markdown and the HTML renderings.
#pragma once

#include <string>

#include "mlpipe/governance/model_card.h"

namespace mlpipe::governance::internal {

// "0.7812" or "0.7812 [0.7420, 0.8150]".
std::string MetricText(const CardMetric& m);
// "95% CI" label for the interval of `m`; "" without one.
std::string CiLabel(const CardMetric& m);

}  // namespace mlpipe::governance::internal
