// Frame: the mutable working set of columns that transforms edit in place.
//
// A Table is an immutable value; a feature pipeline instead copies its input
// columns once into a Frame and lets each transform replace, insert and remove
// columns by move, so that a column no transform touches is never copied
// again. Lookups are by name (linear: frames hold tens to hundreds of columns).
// Not thread safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/table/table.h"

namespace mlpipe::features {

class Frame {
 public:
  Frame() = default;
  // Copies every column of `table`.
  static Frame FromTable(const table::Table& table);
  // Moves the columns into a Table (the frame is left empty).
  Result<table::Table> ToTable() &&;

  size_t num_rows() const { return num_rows_; }
  size_t num_columns() const { return columns_.size(); }
  const table::Column& column(size_t i) const { return columns_[i]; }
  const std::vector<table::Column>& columns() const { return columns_; }
  std::vector<std::string> ColumnNames() const;

  // -1 when there is no such column.
  int Find(std::string_view name) const;
  // The column named `name`, or NotFound naming `transform` and the column
  // and listing the columns that exist.
  Result<const table::Column*> Get(std::string_view transform, std::string_view name) const;

  // Replaces column `i` (its name may change). REQUIRES: i < num_columns(),
  // column.size() == num_rows(). Fails if the new name is taken by another column.
  Status Replace(size_t i, table::Column column);
  // Inserts `column` before position `pos` (num_columns() appends). Fails when
  // the name is taken or the length differs (the first column sets it).
  Status Insert(size_t pos, table::Column column);
  // Removes the named columns; unknown names are ignored.
  void Remove(const std::vector<std::string>& names);
  // Keeps exactly the named columns in that order; NotFound names the missing one.
  Status Select(std::string_view transform, const std::vector<std::string>& names);

 private:
  std::vector<table::Column> columns_;
  size_t num_rows_ = 0;
};

}  // namespace mlpipe::features
