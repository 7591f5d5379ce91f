// Predictor: the one scoring path (CLI predict, server, C API, exporters).
// Built from a ModelBundle; holds the fitted feature pipeline and the model.
//
// Input: a table holding the bundle's input columns (schema.json); extra
// columns are ignored. A missing column is InvalidArgument naming it. A
// column read with another type than the schema's is converted when every
// value converts exactly (int64 -> float64, text -> number, number -> text,
// categorical <-> string, ...); otherwise InvalidArgument naming the column
// and the 0-based row. Unknown categories are left to the pipeline's policy.
//
// Output per row: classification — the class code (binary: positive when the
// positive-class probability exceeds the bundle's threshold; multiclass: the
// most probable class) and the probability of every class; regression — the
// value.
//
// Thread safety: every const method may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mlpipe/bundle/bundle.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/features/pipeline.h"
#include "mlpipe/models/estimator.h"
#include "mlpipe/table/table.h"

namespace mlpipe::bundle {

struct Scores {
  models::Task task = models::Task::kBinary;
  size_t rows = 0;
  size_t num_classes = 0;             // 0 for regression
  std::vector<int32_t> labels;        // classification: class code per row
  std::vector<double> probabilities;  // classification: rows x num_classes
  std::vector<double> values;         // regression
};

// The outcome of re-predicting the golden rows.
struct GoldenReport {
  size_t rows = 0;
  size_t mismatches = 0;
  double max_relative_error = 0;
  // The first mismatch: "golden row 3 (test row 117): prob_good expected 0.81…, got 0.79…".
  std::string first_problem;
  bool ok() const { return mismatches == 0; }
};

class Predictor {
 public:
  // Builds the pipeline and model from `bundle`; DataLoss naming the part when
  // one does not load.
  static Result<std::unique_ptr<Predictor>> Create(ModelBundle bundle);
  static Result<std::unique_ptr<Predictor>> FromFile(core::Env* env, const std::string& path);

  const ModelBundle& bundle() const { return bundle_; }
  const models::Model& model() const { return *model_; }

  // `input` with exactly the schema's columns, in schema order and types.
  Result<table::Table> Conform(const table::Table& input) const;
  Result<Scores> Predict(const table::Table& input) const;
  // One row as a JSON object {column: value}; null = missing, an absent
  // column is InvalidArgument naming it (other keys are ignored).
  Result<Scores> PredictRow(const core::Json& row) const;

  // The contributions of the model's features (the pipeline's outputs) to
  // row `row` of `input`: SHAP values for trees, coefficient x value for
  // linear models; per output, bias + the sum of contributions is the margin
  // (before the link). OutOfRange when `row` is past the input.
  Result<models::Explanation> Explain(const table::Table& input, size_t row) const;
  // Explain of one row given as PredictRow takes it.
  Result<models::Explanation> ExplainRow(const core::Json& row) const;

  // Re-predicts the golden rows; values agree when within `rel_tol`
  // relative (absolute below 1) and labels are equal.
  Result<GoldenReport> VerifyGolden(double rel_tol = 1e-12) const;

  // The output column names of a prediction CSV after "row": binary
  // predicted, score, prob_<class>...; multiclass predicted, prob_<class>...;
  // regression prediction.
  std::vector<std::string> OutputColumns() const;

 private:
  Predictor() = default;
  Result<table::Table> RowTable(const core::Json& row) const;
  ModelBundle bundle_;
  features::FeaturePipeline pipeline_;
  std::unique_ptr<models::Model> model_;
};

// Rows as JSON (golden.json's "rows": one list per row in `schema` order;
// numbers, strings, booleans, null = missing, "nan"/"inf"/"-inf" for those
// float64 values) into a table of the schema's types. `context` names the source.
Result<table::Table> TableFromJsonRows(const profile::Schema& schema, const core::Json& rows,
                                       std::string_view context);
// The inverse: one JSON list per row (row-major) of `table`, whose columns are `schema`'s.
core::Json TableToJsonRows(const table::Table& table);

}  // namespace mlpipe::bundle
