#include "mlpipe/features/frame.h"

#include <algorithm>

#include <fmt/format.h>

#include "mlpipe/core/suggest.h"

namespace mlpipe::features {

Frame Frame::FromTable(const table::Table& table) {
  Frame f;
  f.columns_ = table.columns();
  f.num_rows_ = table.num_rows();
  return f;
}

Result<table::Table> Frame::ToTable() && {
  table::Table t;
  for (auto& c : columns_) MLPIPE_RETURN_IF_ERROR(t.AddColumn(std::move(c)));
  columns_.clear();
  return t;
}

std::vector<std::string> Frame::ColumnNames() const {
  std::vector<std::string> names;
  names.reserve(columns_.size());
  for (const auto& c : columns_) names.push_back(c.name());
  return names;
}

int Frame::Find(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name() == name) return static_cast<int>(i);
  }
  return -1;
}

Result<const table::Column*> Frame::Get(std::string_view transform, std::string_view name) const {
  int i = Find(name);
  if (i >= 0) return &columns_[static_cast<size_t>(i)];
  return NotFoundError(fmt::format("{}: no column named '{}'{} (columns: {})", transform, name,
                                   core::DidYouMean(name, ColumnNames()),
                                   fmt::join(ColumnNames(), ", ")));
}

Status Frame::Replace(size_t i, table::Column column) {
  int at = Find(column.name());
  if (at >= 0 && static_cast<size_t>(at) != i) {
    return InvalidArgumentError(fmt::format("duplicate column name '{}'", column.name()));
  }
  columns_[i] = std::move(column);
  return Status::OK();
}

Status Frame::Insert(size_t pos, table::Column column) {
  if (Find(column.name()) >= 0) {
    return InvalidArgumentError(fmt::format(
        "duplicate column name '{}' (rename the column or the transform's output)", column.name()));
  }
  if (columns_.empty()) {
    num_rows_ = column.size();
  } else if (column.size() != num_rows_) {
    return InternalError(fmt::format("column '{}' has {} rows, the frame has {}", column.name(),
                                     column.size(), num_rows_));
  }
  columns_.insert(columns_.begin() + static_cast<std::ptrdiff_t>(std::min(pos, columns_.size())),
                  std::move(column));
  return Status::OK();
}

void Frame::Remove(const std::vector<std::string>& names) {
  std::erase_if(columns_, [&](const table::Column& c) {
    return std::find(names.begin(), names.end(), c.name()) != names.end();
  });
}

Status Frame::Select(std::string_view transform, const std::vector<std::string>& names) {
  std::vector<table::Column> out;
  out.reserve(names.size());
  for (const auto& n : names) {
    int i = Find(n);
    if (i < 0) return Get(transform, n).status();
    out.push_back(std::move(columns_[static_cast<size_t>(i)]));
    columns_[static_cast<size_t>(i)].set_name("");  // moved-from: no longer findable by name
  }
  columns_ = std::move(out);
  return Status::OK();
}

}  // namespace mlpipe::features
