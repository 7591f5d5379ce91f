// Private: the checks of a parsed spec that span sections (column roles,
// metrics against the metric table and the task, families and their search
// spaces, the feature pipeline). They need no data.
#pragma once

#include <vector>

#include "mlpipe/pipeline/spec.h"

namespace mlpipe::pipeline::internal {

// Appends every problem of `spec` to `errors`. May fill in nothing: defaults
// are resolved by the consumers (docs/spec.md).
void CheckSpec(ProjectSpec* spec, std::vector<SpecError>* errors);

// Whether `metric` suits `task` ("binary", "multiclass", "regression"); the
// error text (listing those that do) when it does not.
bool MetricFitsTask(const std::string& metric, const std::string& task, bool fairness,
                    std::string* error);

}  // namespace mlpipe::pipeline::internal
