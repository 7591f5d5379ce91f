// GateResult: the outcome of one release gate (a metric threshold, a fairness
// bound, a required approval), as the model card shows it. The gates
// themselves are evaluated elsewhere; this is only the plain record.
#pragma once

#include <string>

namespace mlpipe::governance {

struct GateResult {
  std::string name;      // e.g. "roc_auc >= 0.75"
  bool passed = false;   // true when the gate is satisfied
  std::string evidence;  // what was measured, e.g. "roc_auc = 0.781 [0.742, 0.815]"
};

}  // namespace mlpipe::governance
