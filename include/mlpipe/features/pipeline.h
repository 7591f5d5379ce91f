// FeaturePipeline: an ordered list of transforms, fitted once on training data
// and applied identically at training and at serving time.
//
// Life cycle:
//   auto p = FeaturePipeline::FromJson(spec);      // unfitted spec
//   auto train_out = p->FitTransform(train, &y);   // fits every step in order
//   auto m = p->ToMatrix(test);                    // Transform + numeric matrix
//   core::Json saved = p->ToJson();                // fitted state
//   auto q = FeaturePipeline::FromJson(saved);     // q transforms exactly as p
//
// Spec JSON: either a list of transform specs, or an object
//   {"name": "feature_pipeline", "format_version": 1, "seed": 7,
//    "transforms": [{"name": "impute", "columns": ["age"], "strategy": "median"}, ...]}
// Each transform spec is documented by its entry in TransformTable().
//
// Columns: FitTransform records the input columns the pipeline was fitted on
// (name and type) and its output columns. Transform() of new data needs those
// input columns (extra columns are ignored; a missing one or one of another
// type is an error naming it), and returns exactly the recorded output
// columns in the recorded order.
//
// Determinism: the output is a pure function of the spec, the seed and the
// data; no transform uses threads whose scheduling could change a result.
//
// Thread safety: a fitted pipeline is immutable; Transform() and ToMatrix()
// may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/features/transform.h"
#include "mlpipe/table/matrix.h"
#include "mlpipe/table/table.h"

namespace mlpipe::features {

// A column name and type, as recorded at fit time.
struct ColumnSpec {
  std::string name;
  table::DataType type = table::DataType::kFloat64;
};

class FeaturePipeline {
 public:
  FeaturePipeline() = default;
  FeaturePipeline(FeaturePipeline&&) = default;
  FeaturePipeline& operator=(FeaturePipeline&&) = default;

  // Parses an unfitted spec or a fitted pipeline written by ToJson(). A fitted
  // pipeline has "fitted": true and every transform holds its state.
  static Result<FeaturePipeline> FromJson(const core::Json& j);
  // The spec (unfitted) or the full fitted state.
  core::Json ToJson() const;

  // Appends an unfitted transform. REQUIRES: !fitted().
  void Add(std::unique_ptr<features::Transform> transform);
  void set_seed(uint64_t seed) { seed_ = seed; }
  uint64_t seed() const { return seed_; }
  bool fitted() const { return fitted_; }
  size_t size() const { return transforms_.size(); }
  const features::Transform& transform(size_t i) const { return *transforms_[i]; }

  // Fits every transform in order on `train` and returns the transformed
  // training table. `target` (optional) is row-aligned with `train`; when
  // `train` holds a column of the target's name, that column is not a feature
  // and is dropped first. Target encoding returns out-of-fold encodings for
  // the training rows (seeded by seed()). A pipeline may be fitted once:
  // FailedPrecondition when already fitted.
  Result<table::Table> FitTransform(const table::Table& train, const table::Column* target);
  // Transforms new data. FailedPrecondition when not fitted.
  Result<table::Table> Transform(const table::Table& data) const;
  // Transform(data) as a row-major float matrix with the output column names:
  // bool, int64 and float64 become float, missing becomes NaN. A categorical or
  // string column left unencoded is an error naming it and suggesting an encoder.
  Result<table::DenseMatrix> ToMatrix(const table::Table& data) const;
  // The matrix of an already transformed table (e.g. FitTransform's result).
  static Result<table::DenseMatrix> TableToMatrix(const table::Table& transformed);

  const std::vector<ColumnSpec>& input_columns() const { return inputs_; }
  const std::vector<ColumnSpec>& output_columns() const { return outputs_; }

  static constexpr int kFormatVersion = 1;

 private:
  Status CheckInputs(const table::Table& data) const;

  std::vector<std::unique_ptr<features::Transform>> transforms_;
  uint64_t seed_ = 0;
  bool fitted_ = false;
  std::string target_name_;  // dropped from inputs when present
  std::vector<ColumnSpec> inputs_;
  std::vector<ColumnSpec> outputs_;
};

}  // namespace mlpipe::features
