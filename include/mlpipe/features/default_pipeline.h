// InferDefaultPipeline: a sensible unfitted pipeline for a table, used by
// `mlpipe train` when the user gives no feature spec.
//
// Per column (the target excluded), in table order:
//   numeric with missing values   impute median, with a missing indicator
//   bool with missing values      impute most_frequent, with a missing indicator
//   text with missing values      impute most_frequent, with a missing indicator
//   (with options.impute_all, numeric and bool columns are imputed even when
//   the given rows have no missing value: rows scored later may; the
//   indicator is added only where the fitting rows had missing values, and a
//   column with no present value in the fitting rows is filled with 0)
//   text, <= max_one_hot distinct one_hot (handle_unknown "other", rare pooled)
//   text, more distinct values    target_encode when a target is given,
//                                 otherwise hash (n_hash_buckets)
//   numeric, when options.scale   scale standard (after imputation)
// Bool columns are otherwise left as they are (already 0/1). Constant columns
// are left to the model.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mlpipe/core/status.h"
#include "mlpipe/features/pipeline.h"
#include "mlpipe/table/table.h"

namespace mlpipe::features {

struct DefaultPipelineOptions {
  bool scale = false;            // standard-scale numeric columns (linear models want it)
  bool impute_all = false;       // impute every numeric and bool column (linear models need it)
  size_t max_one_hot = 15;       // one-hot a text column with at most this many categories
  size_t min_frequency = 5;      // one-hot categories seen fewer times are pooled into "other"
  size_t n_hash_buckets = 32;    // buckets of the hashing encoder (no target)
  double target_smoothing = 10;  // smoothing of the target encoder
  uint64_t seed = 0;             // the pipeline's seed
  Status Validate() const;
};

// `target` may be nullptr; when `train` holds a column of the target's name it
// is not treated as a feature.
Result<FeaturePipeline> InferDefaultPipeline(const table::Table& train, const table::Column* target,
                                             const DefaultPipelineOptions& options = {});

}  // namespace mlpipe::features
