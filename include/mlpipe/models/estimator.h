// The Estimator / Model interface shared by every model family.
//
// An Estimator fits a Model from a DenseMatrix (NaN = missing), labels and
// optional weights. A Model predicts, explains one row and saves itself as
// bytes that LoadModel (family_table.h) turns back into an identical Model.
//
// Labels: for kBinary and kMulticlass, class indices 0..k-1 stored as floats
// (the caller keeps the class names; for kBinary index 1 is the positive
// class); for kRegression, the target values.
//
// Determinism: the same data, hyperparameters and seed give byte-identical
// saved models whatever `nthread` is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/models/hyperparams.h"
#include "mlpipe/table/matrix.h"
#include "mlpipe/table/task.h"

namespace mlpipe::models {

// The task of a target, and the one rule that infers it (mlpipe/table/task.h).
using table::ParseTask;
using table::Task;
using table::TaskName;

// Training or validation examples. Not owning: the referenced data must
// outlive the call that receives the Dataset.
struct Dataset {
  const table::DenseMatrix* features = nullptr;  // rows x cols, NaN = missing
  std::span<const float> labels;                 // rows values
  std::span<const float> weights;                // empty: every weight is 1; else rows values > 0
};

struct FitOptions {
  Task task = Task::kBinary;
  int num_classes = 2;                  // kBinary: 2; kMulticlass: k >= 3; ignored for kRegression
  HyperParams params;                   // absent names take the family's defaults
  uint64_t seed = 0;                    // every random choice derives from it
  int nthread = 1;                      // training threads (>= 1); never changes the result
  const Dataset* validation = nullptr;  // optional; enables early stopping where supported
  // The model will only predict batches and then be discarded (a
  // cross-validation fold): a family may skip what saving, explaining and
  // fast single-row scoring need (the tree families keep XGBoost's booster and
  // predict with it instead of compiling the trees). Save() then fails.
  // Predictions are the same either way.
  bool for_scoring = false;
};

// Predictions for a batch of rows.
struct Predictions {
  Task task = Task::kBinary;
  size_t rows = 0;
  size_t num_classes = 0;             // 0 for regression
  std::vector<double> probabilities;  // classification: rows x num_classes, row-major
  std::vector<int32_t> labels;        // classification: argmax class index per row
  std::vector<double> values;         // regression: one value per row
};

// Per-feature contributions to the margin of one row. For every output o:
// bias[o] + sum_f contributions[o * num_features + f] == margin[o] (up to
// float rounding). Outputs: 1 for kBinary (the positive class' log-odds) and
// kRegression, k for kMulticlass (each class' margin).
struct Explanation {
  size_t num_outputs = 1;
  size_t num_features = 0;
  std::vector<std::string> feature_names;
  std::vector<double> contributions;  // num_outputs x num_features
  std::vector<double> bias;           // num_outputs
};

// A fitted model. Thread safety: every const method may be called
// concurrently.
class Model {
 public:
  virtual ~Model() = default;

  // The family name, e.g. "gbdt"; also the "name" of the saved form.
  virtual std::string_view name() const = 0;
  virtual Task task() const = 0;
  // 0 for regression.
  virtual size_t num_classes() const = 0;
  // The feature names the model was trained with (order = columns).
  virtual const std::vector<std::string>& feature_names() const = 0;
  // Outputs per row of PredictMargin: 1, or k for multiclass.
  size_t num_outputs() const { return task() == Task::kMulticlass ? num_classes() : 1; }

  // REQUIRES: x.cols == feature_names().size() (an error otherwise). Linear
  // models reject NaN with an error naming the feature and row.
  virtual Result<Predictions> Predict(const table::DenseMatrix& x) const = 0;
  // One row of feature_names().size() floats (NaN = missing) into `out`:
  // num_classes() probabilities (classification) or the value (regression),
  // the same doubles as Predict() of a matrix holding that row. Thread safe;
  // the tree and linear families allocate nothing here (the default builds a
  // one-row matrix). Linear models refuse NaN as Predict() does (row 0).
  virtual Status PredictRow(const float* features, double* out) const;
  // Raw scores before the link: rows x num_outputs().
  virtual Result<std::vector<double>> PredictMargin(const table::DenseMatrix& x) const = 0;
  // Contributions for row `row` of `x`: SHAP values for trees, coefficient x
  // value for linear models.
  virtual Result<Explanation> Explain(const table::DenseMatrix& x, size_t row) const = 0;

  // The saved form: JSON {"name", "format_version", "task", "num_classes",
  // "feature_names", "params", "model": {...}} where "model" is XGBoost's own
  // JSON model for tree families and the coefficients for linear ones.
  virtual Result<std::string> Save() const = 0;
};

// Fits models of one family. Stateless; thread safe.
class Estimator {
 public:
  virtual ~Estimator() = default;
  virtual std::string_view name() const = 0;
  // Validates the task (supported by the family), the data (shapes, labels in
  // 0..k-1, positive weights, no NaN for linear models) and the
  // hyperparameters, then fits.
  virtual Result<std::unique_ptr<Model>> Fit(const Dataset& train,
                                             const FitOptions& options) const = 0;
  // Rebuilds a model from the parsed saved form (see Model::Save).
  virtual Result<std::unique_ptr<Model>> Load(const core::Json& saved) const = 0;
};

}  // namespace mlpipe::models
