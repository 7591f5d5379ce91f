// Building the model bundle of a finished training (eval::Train): the best
// model with its fitted pipeline, the schema and reference statistics of its
// input columns on the training rows, and golden examples from the test rows
// with the training-time predictions as their expected outputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "mlpipe/bundle/bundle.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/eval/train.h"
#include "mlpipe/table/table.h"

namespace mlpipe::bundle {

struct BundleInfo {
  // Binary targets: positive when P(positive) > threshold, in [0, 1).
  double threshold = 0.5;
  // Golden examples: the first min(golden_rows, test rows) test rows.
  size_t golden_rows = 32;
  // "mlpipe VERSION", recorded as created_by.
  std::string created_by = "mlpipe";
  // Recorded when non-zero (a bundle with it is no longer reproducible bytewise).
  int64_t created_us = 0;
  // Stored as lineage.json: run id, data version, spec hash, ... (an object).
  core::Json lineage = core::Json::object();

  Status Validate() const;
};

// Reference statistics of `data` (the input columns, training rows): per
// column its type, count, missing; numeric: mean, std, min, max, deciles and a
// 10-bin histogram of the finite values; text: the count of every category.
core::Json ReferenceStatistics(const table::Table& data);

// The bundle of `result.best()`; `data` is the table Train ran on.
// The bundle is checked before it is returned: its golden rows re-predict
// through a fresh Predictor (InternalError otherwise).
Result<ModelBundle> BuildBundle(const eval::TrainResult& result, const table::Table& data,
                                const BundleInfo& info);

}  // namespace mlpipe::bundle
