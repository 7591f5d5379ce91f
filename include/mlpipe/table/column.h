// Column: one typed column of a Table, with per-value validity.
//
// A missing value is recorded in the validity vector only: it is neither NaN
// nor "" (the storage slot holds 0, 0.0, false, code -1 or "" but is never read
// as data). Columns are immutable values once built; copying copies the data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"

namespace mlpipe::table {

enum class DataType { kBool, kInt64, kFloat64, kCategorical, kString };

// "bool", "int64", "float64", "categorical", "string".
std::string_view DataTypeName(DataType type);
// Parses one of the names above; the error lists the valid ones.
Result<DataType> ParseDataType(std::string_view name);
// True for bool, int64 and float64.
bool IsNumeric(DataType type);

class Column {
 public:
  Column() = default;

  // Factories. `valid` holds 1 for present and 0 for missing values; an empty
  // `valid` means every value is present. REQUIRES: sizes agree.
  static Column Bool(std::string name, std::vector<uint8_t> values,
                     std::vector<uint8_t> valid = {});
  static Column Int64(std::string name, std::vector<int64_t> values,
                      std::vector<uint8_t> valid = {});
  static Column Float64(std::string name, std::vector<double> values,
                        std::vector<uint8_t> valid = {});
  // `codes` index into `categories`; a missing value has code -1.
  static Column Categorical(std::string name, std::vector<int32_t> codes,
                            std::vector<std::string> categories, std::vector<uint8_t> valid = {});
  static Column String(std::string name, std::vector<std::string> values,
                       std::vector<uint8_t> valid = {});
  // Dictionary-encodes `values` with categories in order of first appearance.
  static Column CategoricalFromStrings(std::string name, const std::vector<std::string>& values,
                                       std::vector<uint8_t> valid = {});

  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  DataType type() const { return type_; }
  size_t size() const { return valid_.size(); }

  bool IsValid(size_t row) const { return valid_[row] != 0; }
  const std::vector<uint8_t>& validity() const { return valid_; }
  size_t null_count() const { return null_count_; }

  // Typed storage. Each REQUIRES the matching type().
  const std::vector<uint8_t>& bools() const { return bools_; }
  const std::vector<int64_t>& int64s() const { return int64s_; }
  const std::vector<double>& float64s() const { return float64s_; }
  const std::vector<int32_t>& codes() const { return codes_; }
  const std::vector<std::string>& categories() const { return categories_; }
  const std::vector<std::string>& strings() const { return strings_; }

  // The value of a numeric column (bool, int64, float64) as a double.
  // REQUIRES: IsNumeric(type()) and IsValid(row).
  double NumericAt(size_t row) const;
  // The text of a categorical or string column. REQUIRES: IsValid(row).
  std::string_view TextAt(size_t row) const;
  // Any value as text, as the CSV writer writes it; "" when missing.
  std::string ToStringAt(size_t row) const;

  // A column holding the given rows, in that order (rows may repeat).
  Column Take(const std::vector<size_t>& rows) const;

  // Same name, type, values and validity (categoricals compare by text).
  bool Equals(const Column& other) const;

 private:
  void CountNulls();

  std::string name_;
  DataType type_ = DataType::kFloat64;
  std::vector<uint8_t> valid_;
  size_t null_count_ = 0;
  std::vector<uint8_t> bools_;
  std::vector<int64_t> int64s_;
  std::vector<double> float64s_;
  std::vector<int32_t> codes_;
  std::vector<std::string> categories_;
  std::vector<std::string> strings_;
};

}  // namespace mlpipe::table
