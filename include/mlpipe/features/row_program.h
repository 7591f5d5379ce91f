// RowProgram: a fitted FeaturePipeline compiled for one row at a time.
//
// Compile() resolves, once, every column the pipeline's transforms read and
// write to a slot of a flat cell array and every vocabulary the encoders look
// categories up in; Run() then takes one row's input cells to the model's
// feature vector with no allocation (transforms that evaluate an expression
// borrow a parser from a small pool). The features equal, bit for bit, the
// row of FeaturePipeline::ToMatrix() for the same input (float cast last, as
// ToMatrix does); the tests check it for every transform with a row kernel.
//
// Not every transform has a row kernel: target_encode has none (its state is
// changing shape). Compile() then returns FailedPrecondition naming the
// transform,
// and callers (the bundle's Predictor) use the columnar path for that
// pipeline. Compile() also refuses, with the columnar path's own message,
// pipelines that the columnar path would refuse for every row (e.g. an
// output column left unencoded).
//
// Thread safety: a compiled program is immutable; Run() may be called
// concurrently, each caller with its own cells.
#pragma once

#include <memory>
#include <vector>

#include "mlpipe/features/pipeline.h"
#include "mlpipe/features/row_kernel.h"

namespace mlpipe::features {

class RowProgram {
 public:
  RowProgram() = default;
  RowProgram(RowProgram&&) = default;
  RowProgram& operator=(RowProgram&&) = default;

  // REQUIRES: pipeline.fitted().
  static Result<RowProgram> Compile(const FeaturePipeline& pipeline);

  // Cells 0 .. inputs().size() - 1 are the pipeline's input columns in
  // input_columns() order, typed as recorded there.
  const std::vector<ColumnSpec>& inputs() const { return inputs_; }
  // The size of the cell array Run() needs.
  size_t num_slots() const { return num_slots_; }
  // The number of features Run() writes (the pipeline's output columns).
  size_t num_features() const { return output_slots_.size(); }

  // REQUIRES: `cells` has num_slots() cells, the first inputs().size() set;
  // `features` has room for num_features() floats (NaN = missing). The other
  // cells are scratch. `row` numbers the row in error messages.
  Status Run(RowCell* cells, float* features, size_t row = 0) const;

 private:
  std::vector<ColumnSpec> inputs_;
  std::vector<std::shared_ptr<const RowKernel>> kernels_;
  std::vector<uint32_t> output_slots_;
  std::vector<table::DataType> output_types_;
  size_t num_slots_ = 0;
};

}  // namespace mlpipe::features
