// Internal: helpers shared by the transforms' row kernels (row_kernel.h).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "column_util.h"
#include "mlpipe/features/row_kernel.h"

namespace mlpipe::features::internal {

// The slot of `name`, checked to have one of `accepted` types, with
// RequireColumn's messages.
Result<RowCompiler::Slot> RequireSlot(const RowCompiler& compiler, std::string_view transform,
                                      std::string_view name, uint32_t accepted,
                                      std::string_view hint);

// A kernel that does nothing per row (transforms that only rebind names).
std::unique_ptr<RowKernel> NoOpRowKernel();

// A present cell's text as TextOf() gives the same value in a column of
// `type`; ints and floats are formatted into `buf`.
std::string_view CellText(const RowCell& cell, table::DataType type, char (&buf)[32]);

// The row form of MapNumericColumns (numeric_map.h): for each k, a new float64
// slot named columns[k] holding f(k, x) of the present input value, missing
// staying missing (value 0). f(k, x&) -> bool ok; on false, error(k, row, x).
template <typename F, typename E>
Result<std::unique_ptr<RowKernel>> CompileNumericMap(RowCompiler& compiler,
                                                     std::string_view transform,
                                                     const std::vector<std::string>& columns, F f,
                                                     E error) {
  class Kernel final : public RowKernel {
   public:
    Kernel(F f, E e) : f_(std::move(f)), e_(std::move(e)) {}
    Status Run(RowCell* cells, size_t row) const override {
      for (size_t k = 0; k < in_.size(); ++k) {
        const RowCell& a = cells[in_[k]];
        RowCell& b = cells[out_[k]];
        double x = a.valid ? a.num : 0.0;
        if (a.valid && !f_(k, x)) return e_(k, row, x);
        b.valid = a.valid;
        b.num = x;
      }
      return Status::OK();
    }
    std::vector<uint32_t> in_, out_;

   private:
    F f_;
    E e_;
  };
  auto kernel = std::make_unique<Kernel>(std::move(f), std::move(error));
  for (const auto& c : columns) {
    MLPIPE_ASSIGN_OR_RETURN(RowCompiler::Slot s,
                            RequireSlot(compiler, transform, c, kNumericTypes, "encode it first"));
    kernel->in_.push_back(s.index);
  }
  for (const auto& c : columns) {
    kernel->out_.push_back(compiler.Define(c, table::DataType::kFloat64).index);
  }
  return std::unique_ptr<RowKernel>(std::move(kernel));
}

}  // namespace mlpipe::features::internal
