// Row kernels: the per-row form of a fitted transform, and the compiler that
// assembles them into a RowProgram (row_program.h).
//
// A row being transformed is an array of RowCells, one per column that ever
// exists while the pipeline runs ("slots"). At compile time a RowCompiler
// binds column names to slots, exactly as a Frame binds names to columns; each
// transform resolves the slots it reads and defines the slots it writes once,
// so that running a row does no name lookup, no allocation and no copy of a
// column. A kernel gives, for one row, the values that the transform's
// columnar Apply() gives for that row: the same operations in the same order
// on the same doubles.
//
// Thread safety: a compiled kernel is immutable; Run() may be called
// concurrently on different cell arrays.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/table/column.h"

namespace mlpipe::features {

// One value of one column of a row. Which fields hold the value follows the
// slot's type (known at compile time): bool and float64 in `num` (bool as 0 or
// 1); int64 in `i64` and, converted, in `num`; categorical and string in
// `text`, a view of the caller's input or of the program's own storage. When
// `valid` is false the value is missing and the other fields are unspecified.
struct RowCell {
  bool valid = false;
  double num = 0;
  int64_t i64 = 0;
  std::string_view text;
};

class RowKernel {
 public:
  virtual ~RowKernel() = default;
  // Reads and writes `cells` (indexed by slot). `row` only numbers the row in
  // error messages, as the columnar Apply() numbers it.
  virtual Status Run(RowCell* cells, size_t row) const = 0;
};

class RowCompiler {
 public:
  struct Slot {
    uint32_t index = 0;
    table::DataType type = table::DataType::kFloat64;
  };

  // The slot currently bound to `name`; NotFound naming `transform` and the
  // column (as Frame::Get) when there is none.
  Result<Slot> Get(std::string_view transform, std::string_view name) const;
  // A new slot for the column `name` of `type`, bound to the name (replacing
  // any earlier binding, as Frame::Replace or an insertion would).
  Slot Define(std::string_view name, table::DataType type);
  // Unbinds the names; unknown names are ignored (Frame::Remove).
  void Remove(const std::vector<std::string>& names);
  // Keeps exactly `names` bound (Frame::Select); NotFound names the missing one.
  Status Select(std::string_view transform, const std::vector<std::string>& names);

  size_t num_slots() const { return types_.size(); }
  table::DataType type(uint32_t slot) const { return types_[slot]; }

 private:
  std::vector<std::pair<std::string, uint32_t>> bound_;  // name -> slot, few dozen entries
  std::vector<table::DataType> types_;                   // per slot
};

}  // namespace mlpipe::features
