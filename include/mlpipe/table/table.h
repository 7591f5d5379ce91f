// Table: named, typed columns of equal length.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/table/column.h"

namespace mlpipe::table {

// Column names are at most this many bytes. Every reader refuses a longer
// one: a name is copied into every association pair, warning and report that
// mentions it, so a 15 MB name would cost gigabytes.
inline constexpr size_t kMaxColumnNameBytes = 4096;

// InvalidArgument "SOURCE: column N's name is B bytes long; ..." (N 1-based)
// when `name` is longer than kMaxColumnNameBytes; OK otherwise.
Status CheckColumnName(std::string_view source, size_t index, std::string_view name);

class Table {
 public:
  Table() = default;

  // Appends `column`. Fails when its name is taken or its length differs
  // from the table's (the first column sets the length).
  Status AddColumn(Column column);

  size_t num_rows() const { return num_rows_; }
  size_t num_columns() const { return columns_.size(); }
  const Column& column(size_t i) const { return columns_[i]; }
  const std::vector<Column>& columns() const { return columns_; }
  std::vector<std::string> ColumnNames() const;

  // -1 when there is no such column.
  int ColumnIndex(std::string_view name) const;
  // nullptr when there is no such column.
  const Column* FindColumn(std::string_view name) const;
  // NotFound naming the column and listing those that exist.
  Result<const Column*> GetColumn(std::string_view name) const;

  // A table with the given rows, in that order.
  Table Take(const std::vector<size_t>& rows) const;
  // A table with the named columns, in that order; NotFound for an unknown name.
  Result<Table> Select(const std::vector<std::string>& names) const;
  // This table without the named columns; unknown names are ignored.
  Table Drop(const std::vector<std::string>& names) const;

  bool Equals(const Table& other) const;

 private:
  std::vector<Column> columns_;
  std::unordered_map<std::string, size_t> index_;
  size_t num_rows_ = 0;
};

}  // namespace mlpipe::table
