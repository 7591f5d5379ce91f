// The protected-attribute check: a protected column (sex, age, ...) must not
// reach the model, neither directly as a feature nor through a derived
// feature (an expression reading it), unless an override with a reason is
// given. Run before training; the pipeline maps its spec onto the plain
// parameters here and appends its policy line to the error.
#pragma once

#include <string>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/features/pipeline.h"

namespace mlpipe::governance {

// `--override protected:COL --reason TEXT`.
struct ProtectedOverride {
  std::string column;
  std::string reason;  // required, non-empty
};

// One way a protected column reaches the features.
struct ProtectedUse {
  std::string protected_column;  // e.g. "sex"
  std::string feature;           // the feature column it reaches: "sex" or "sex_age"
  bool direct = true;            // feature == protected_column, possibly encoded
  std::string derivation;        // for a derived feature: "sex * age", or "PCA of a, sex"
  bool overridden = false;
  std::string override_reason;

  // "directly as a feature" or "through derived feature 'sex_age' = sex * age".
  std::string How() const;
  // "protected column 'sex' is used as a feature (HOW); remove it or run with
  // --override protected:sex --reason TEXT"
  std::string Message() const;
};

struct ProtectedCheckResult {
  std::vector<ProtectedUse> uses;  // sorted by protected column, then feature

  // The uses that are not overridden.
  std::vector<ProtectedUse> Violations() const;
  // OK without violations; otherwise FailedPrecondition whose message holds
  // one Message() per violation, separated by "\n".
  Status ToStatus() const;
};

// Traces which protected columns reach the features.
//
// `feature_columns` are the source columns handed to the feature pipeline
// (the table's columns minus target and ids). `pipeline` (may be null: no
// transforms) is an unfitted spec or a fitted pipeline; its transforms are
// walked in order using Transform::InputColumns(): drop/select and fitted
// filters remove columns, an expression adds a derived column carrying the
// sources of the columns it reads, PCA merges its inputs into its
// components, and every other transform (encoders, scalers, ...) keeps the
// sources of the column it rewrites.
//
// Errors: InvalidArgument for an override without a reason, or one naming a
// column that is not protected (the message lists the protected columns).
Result<ProtectedCheckResult> CheckProtectedFeatures(
    const features::FeaturePipeline* pipeline, const std::vector<std::string>& feature_columns,
    const std::vector<std::string>& protected_columns,
    const std::vector<ProtectedOverride>& overrides);

}  // namespace mlpipe::governance
