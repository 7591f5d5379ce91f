#include "mlpipe/table/column.h"

#include <cassert>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>

namespace mlpipe::table {
namespace {

std::vector<uint8_t> FullValidity(std::vector<uint8_t> valid, size_t n) {
  if (valid.empty()) valid.assign(n, 1);
  assert(valid.size() == n);
  return valid;
}

// Shortest text that reads back to the same double.
std::string FormatDouble(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, r.ptr);
}

}  // namespace

std::string_view DataTypeName(DataType type) {
  switch (type) {
    case DataType::kBool:
      return "bool";
    case DataType::kInt64:
      return "int64";
    case DataType::kFloat64:
      return "float64";
    case DataType::kCategorical:
      return "categorical";
    case DataType::kString:
      return "string";
  }
  return "unknown";
}

Result<DataType> ParseDataType(std::string_view name) {
  for (DataType t : {DataType::kBool, DataType::kInt64, DataType::kFloat64, DataType::kCategorical,
                     DataType::kString}) {
    if (DataTypeName(t) == name) return t;
  }
  return InvalidArgumentError(
      fmt::format("unknown type '{}' (valid: bool, int64, float64, categorical, string)", name));
}

bool IsNumeric(DataType type) {
  return type == DataType::kBool || type == DataType::kInt64 || type == DataType::kFloat64;
}

void Column::CountNulls() {
  size_t valid = 0;
  for (uint8_t v : valid_) valid += v != 0;
  null_count_ = valid_.size() - valid;
}

Column Column::Bool(std::string name, std::vector<uint8_t> values, std::vector<uint8_t> valid) {
  Column c;
  c.name_ = std::move(name);
  c.type_ = DataType::kBool;
  c.valid_ = FullValidity(std::move(valid), values.size());
  c.bools_ = std::move(values);
  c.CountNulls();
  return c;
}

Column Column::Int64(std::string name, std::vector<int64_t> values, std::vector<uint8_t> valid) {
  Column c;
  c.name_ = std::move(name);
  c.type_ = DataType::kInt64;
  c.valid_ = FullValidity(std::move(valid), values.size());
  c.int64s_ = std::move(values);
  c.CountNulls();
  return c;
}

Column Column::Float64(std::string name, std::vector<double> values, std::vector<uint8_t> valid) {
  Column c;
  c.name_ = std::move(name);
  c.type_ = DataType::kFloat64;
  c.valid_ = FullValidity(std::move(valid), values.size());
  c.float64s_ = std::move(values);
  c.CountNulls();
  return c;
}

Column Column::Categorical(std::string name, std::vector<int32_t> codes,
                           std::vector<std::string> categories, std::vector<uint8_t> valid) {
  Column c;
  c.name_ = std::move(name);
  c.type_ = DataType::kCategorical;
  c.valid_ = FullValidity(std::move(valid), codes.size());
  c.codes_ = std::move(codes);
  c.categories_ = std::move(categories);
  c.CountNulls();
  return c;
}

Column Column::String(std::string name, std::vector<std::string> values,
                      std::vector<uint8_t> valid) {
  Column c;
  c.name_ = std::move(name);
  c.type_ = DataType::kString;
  c.valid_ = FullValidity(std::move(valid), values.size());
  c.strings_ = std::move(values);
  c.CountNulls();
  return c;
}

Column Column::CategoricalFromStrings(std::string name, const std::vector<std::string>& values,
                                      std::vector<uint8_t> valid) {
  valid = FullValidity(std::move(valid), values.size());
  std::unordered_map<std::string_view, int32_t> index;
  std::vector<std::string> categories;
  std::vector<int32_t> codes(values.size(), -1);
  for (size_t i = 0; i < values.size(); ++i) {
    if (!valid[i]) continue;
    auto [it, inserted] = index.emplace(values[i], static_cast<int32_t>(categories.size()));
    if (inserted) categories.push_back(values[i]);
    codes[i] = it->second;
  }
  return Categorical(std::move(name), std::move(codes), std::move(categories), std::move(valid));
}

double Column::NumericAt(size_t row) const {
  switch (type_) {
    case DataType::kBool:
      return bools_[row] ? 1.0 : 0.0;
    case DataType::kInt64:
      return static_cast<double>(int64s_[row]);
    case DataType::kFloat64:
      return float64s_[row];
    default:
      assert(false && "NumericAt on a non-numeric column");
      return 0;
  }
}

std::string_view Column::TextAt(size_t row) const {
  if (type_ == DataType::kCategorical) return categories_[codes_[row]];
  assert(type_ == DataType::kString);
  return strings_[row];
}

std::string Column::ToStringAt(size_t row) const {
  if (!IsValid(row)) return "";
  switch (type_) {
    case DataType::kBool:
      return bools_[row] ? "true" : "false";
    case DataType::kInt64:
      return std::to_string(int64s_[row]);
    case DataType::kFloat64:
      return FormatDouble(float64s_[row]);
    case DataType::kCategorical:
    case DataType::kString:
      return std::string(TextAt(row));
  }
  return "";
}

Column Column::Take(const std::vector<size_t>& rows) const {
  Column c;
  c.name_ = name_;
  c.type_ = type_;
  c.categories_ = categories_;
  c.valid_.resize(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) c.valid_[i] = valid_[rows[i]];
  auto take = [&rows](const auto& src, auto& dst) {
    dst.resize(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) dst[i] = src[rows[i]];
  };
  switch (type_) {
    case DataType::kBool:
      take(bools_, c.bools_);
      break;
    case DataType::kInt64:
      take(int64s_, c.int64s_);
      break;
    case DataType::kFloat64:
      take(float64s_, c.float64s_);
      break;
    case DataType::kCategorical:
      take(codes_, c.codes_);
      break;
    case DataType::kString:
      take(strings_, c.strings_);
      break;
  }
  c.CountNulls();
  return c;
}

bool Column::Equals(const Column& other) const {
  if (name_ != other.name_ || type_ != other.type_ || valid_ != other.valid_) return false;
  for (size_t i = 0; i < size(); ++i) {
    if (!IsValid(i)) continue;
    switch (type_) {
      case DataType::kBool:
        if (bools_[i] != other.bools_[i]) return false;
        break;
      case DataType::kInt64:
        if (int64s_[i] != other.int64s_[i]) return false;
        break;
      case DataType::kFloat64:
        if (!(float64s_[i] == other.float64s_[i] ||
              (std::isnan(float64s_[i]) && std::isnan(other.float64s_[i]))))
          return false;
        break;
      case DataType::kCategorical:
      case DataType::kString:
        if (TextAt(i) != other.TextAt(i)) return false;
        break;
    }
  }
  return true;
}

}  // namespace mlpipe::table
