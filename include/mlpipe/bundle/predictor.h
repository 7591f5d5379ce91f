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
// Two scoring paths give the same numbers (tested bit for bit):
// - Rows one at a time (PredictRow, PredictRowValues, ExplainRow): at Create
//   the fitted pipeline is compiled into a features::RowProgram (column
//   positions and category vocabularies resolved once), which feeds the
//   model's single-row predictor (the compiled trees or the coefficients).
//   A pipeline holding a transform without a row kernel (target_encode) is
//   scored by the columnar path instead; row_path() says which, and
//   row_path_fallback() why.
// - Tables (Predict): rows are cut into chunks scored in parallel on a thread
//   pool, each chunk through the row program (or, on fallback, the columnar
//   pipeline); the output does not depend on the pool size. A failing row
//   makes the whole call fail with the single-threaded columnar path's error.
//
// Thread safety: every const method may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mlpipe/bundle/bundle.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/core/thread_pool.h"
#include "mlpipe/features/pipeline.h"
#include "mlpipe/features/row_program.h"
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

// One input value of a row: missing, a JSON-like scalar or a text (a view:
// the caller keeps the text alive for the call). Converted to the schema
// column's type by the rules of Conform (int64 from an integral double, a
// number from a text, a text from a number, ...).
using RowValue = std::variant<std::monostate, bool, int64_t, double, std::string_view>;

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
  // Scores every row on the shared thread pool (see the top of this file).
  Result<Scores> Predict(const table::Table& input) const;
  // The same on `pool`; nullptr scores on the calling thread alone.
  Result<Scores> Predict(const table::Table& input, core::ThreadPool* pool) const;
  // One row as a JSON object {column: value} holding every schema column
  // (null = missing; InvalidArgument naming an absent one); extra keys are
  // ignored.
  Result<Scores> PredictRow(const core::Json& row) const;

  // The row path without JSON: `row` holds one value per schema column, in
  // schema order (bundle().schema.columns). Writes num_outputs() doubles to
  // `out` (the probability of each class, or the value) and, for
  // classification, the class code to `*label` (binary: by the threshold).
  // With the row program and a tree or linear model this allocates nothing
  // once a thread has scored its first row. Errors name the column (or the
  // transform) and row 0, as PredictRow's do.
  Status PredictRowValues(std::span<const RowValue> row, std::span<double> out,
                          int32_t* label) const;
  // The same as Scores (one row).
  Result<Scores> PredictRowValues(std::span<const RowValue> row) const;
  // Outputs per row of PredictRowValues: the number of classes, or 1.
  size_t num_outputs() const;
  // True when rows go through the compiled row program; false when the
  // pipeline has a transform without a row kernel.
  bool row_path() const { return row_program_ != nullptr; }
  // Why the row program could not be compiled ("" when row_path()).
  const std::string& row_path_fallback() const { return row_fallback_; }

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
  // The model's features of one row through the row program. REQUIRES: row_path().
  Status RowFeatures(std::span<const RowValue> row, float* features) const;
  Status FinishRow(double* out, int32_t* label) const;
  Result<Scores> PredictColumnar(const table::Table& conformed) const;
  Status PredictChunkRows(const table::Table& conformed, size_t begin, size_t end, Scores* s) const;
  ModelBundle bundle_;
  features::FeaturePipeline pipeline_;
  std::unique_ptr<models::Model> model_;
  std::unique_ptr<features::RowProgram> row_program_;
  std::string row_fallback_;
  // Per schema column: its index among the row program's inputs, or -1.
  std::vector<int32_t> input_of_column_;
};

// Rows as JSON (golden.json's "rows": one list per row in `schema` order;
// numbers, strings, booleans, null = missing, "nan"/"inf"/"-inf" for those
// float64 values) into a table of the schema's types. `context` names the source.
Result<table::Table> TableFromJsonRows(const profile::Schema& schema, const core::Json& rows,
                                       std::string_view context);
// The inverse: one JSON list per row (row-major) of `table`, whose columns are `schema`'s.
core::Json TableToJsonRows(const table::Table& table);

}  // namespace mlpipe::bundle
