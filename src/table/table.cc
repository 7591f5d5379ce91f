#include "mlpipe/table/table.h"

#include <fmt/format.h>

#include "mlpipe/core/message.h"
#include "mlpipe/core/suggest.h"

namespace mlpipe::table {

Status CheckColumnName(std::string_view source, size_t index, std::string_view name) {
  if (name.size() <= kMaxColumnNameBytes) return Status::OK();
  return InvalidArgumentError(fmt::format(
      "{}: column {}'s name is {} bytes long; names are limited to {} bytes (it starts '{}')",
      source, index + 1, name.size(), kMaxColumnNameBytes, core::ClipForMessage(name, 40)));
}

Status Table::AddColumn(Column column) {
  if (index_.count(column.name()) != 0)
    return InvalidArgumentError(
        fmt::format("duplicate column name '{}'", core::ClipForMessage(column.name())));
  if (!columns_.empty() && column.size() != num_rows_)
    return InvalidArgumentError(fmt::format("column '{}' has {} rows, the table has {}",
                                            column.name(), column.size(), num_rows_));
  num_rows_ = column.size();
  index_.emplace(column.name(), columns_.size());
  columns_.push_back(std::move(column));
  return Status::OK();
}

std::vector<std::string> Table::ColumnNames() const {
  std::vector<std::string> names;
  names.reserve(columns_.size());
  for (const auto& c : columns_) names.push_back(c.name());
  return names;
}

int Table::ColumnIndex(std::string_view name) const {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? -1 : static_cast<int>(it->second);
}

const Column* Table::FindColumn(std::string_view name) const {
  int i = ColumnIndex(name);
  return i < 0 ? nullptr : &columns_[i];
}

Result<const Column*> Table::GetColumn(std::string_view name) const {
  if (const Column* c = FindColumn(name)) return c;
  return NotFoundError(
      fmt::format("no column named '{}'{} (columns: {})", core::ClipForMessage(name),
                  core::DidYouMean(name, ColumnNames()),
                  core::ClipForMessage(fmt::format("{}", fmt::join(ColumnNames(), ", ")), 400)));
}

Table Table::Take(const std::vector<size_t>& rows) const {
  Table t;
  for (const auto& c : columns_) (void)t.AddColumn(c.Take(rows));
  if (columns_.empty()) t.num_rows_ = rows.size();
  return t;
}

Result<Table> Table::Select(const std::vector<std::string>& names) const {
  Table t;
  for (const auto& n : names) {
    MLPIPE_ASSIGN_OR_RETURN(const Column* c, GetColumn(n));
    MLPIPE_RETURN_IF_ERROR(t.AddColumn(*c));
  }
  return t;
}

Table Table::Drop(const std::vector<std::string>& names) const {
  Table t;
  for (const auto& c : columns_) {
    bool drop = false;
    for (const auto& n : names) drop |= n == c.name();
    if (!drop) (void)t.AddColumn(c);
  }
  if (t.columns_.empty()) t.num_rows_ = num_rows_;
  return t;
}

bool Table::Equals(const Table& other) const {
  if (num_rows_ != other.num_rows_ || columns_.size() != other.columns_.size()) return false;
  for (size_t i = 0; i < columns_.size(); ++i)
    if (!columns_[i].Equals(other.columns_[i])) return false;
  return true;
}

}  // namespace mlpipe::table
