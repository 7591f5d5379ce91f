// Internal helpers shared by the transforms: column lookup with errors that
// name the transform, the column and its type; typed value access; category
// vocabularies; parameter parsing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/features/frame.h"
#include "mlpipe/table/column.h"

namespace mlpipe::features::internal {

// Bit sets of column types.
inline constexpr uint32_t kBoolBit = 1, kInt64Bit = 2, kFloat64Bit = 4, kCategoricalBit = 8,
                          kStringBit = 16;
inline constexpr uint32_t kNumericTypes = kBoolBit | kInt64Bit | kFloat64Bit;
inline constexpr uint32_t kTextTypes = kCategoricalBit | kStringBit;
inline constexpr uint32_t kAnyType = kNumericTypes | kTextTypes;
uint32_t TypeBit(table::DataType type);
// "bool, int64 or float64".
std::string TypeListText(uint32_t types);

// The column `name` of `frame`, checked to have one of `accepted` types.
// Errors: "scale: column 'purpose' is categorical; scale accepts bool, int64 or
// float64 columns (encode it first, e.g. one_hot)" — `hint` is the parenthesis.
Result<const table::Column*> RequireColumn(const Frame& frame, std::string_view transform,
                                           std::string_view name, uint32_t accepted,
                                           std::string_view hint);

// `requested` when given (each checked with RequireColumn), otherwise every
// column of the frame whose type is in `defaults`, in frame order.
Result<std::vector<std::string>> ResolveColumns(
    const Frame& frame, std::string_view transform,
    const std::optional<std::vector<std::string>>& requested, uint32_t accepted, uint32_t defaults,
    std::string_view hint);

// A numeric column as doubles; missing slots hold 0.
std::vector<double> ValuesOrZero(const table::Column& column);
// The present values of a numeric column, in row order.
std::vector<double> PresentValues(const table::Column& column);

// Text of any column's value at `row` as the CSV writer writes it; ints and
// bools are formatted into `buf` (no allocation). REQUIRES: IsValid(row).
std::string_view TextOf(const table::Column& column, size_t row, char (&buf)[32]);

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// A fitted list of category texts with O(1) lookup.
class Vocabulary {
 public:
  Vocabulary() = default;
  explicit Vocabulary(std::vector<std::string> values);
  const std::vector<std::string>& values() const { return values_; }
  size_t size() const { return values_.size(); }
  // The index of `text`, or -1.
  int32_t Find(std::string_view text) const;

 private:
  std::vector<std::string> values_;
  std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>> index_;
};

inline constexpr int32_t kMissingCode = -1;
inline constexpr int32_t kUnknownCode = -2;
// Per row: the vocabulary index, kMissingCode or kUnknownCode. Categorical
// columns are mapped once per category, not per row.
std::vector<int32_t> MapToVocabulary(const table::Column& column, const Vocabulary& vocab);

// Each distinct present text with its count, sorted by text (bytewise).
std::vector<std::pair<std::string, int64_t>> CountValues(const table::Column& column);

// Runs fn(k) for k in [0, n) on the shared thread pool; each k writes only
// its own outputs, so results never depend on the thread count. Returns the
// first failing Status in k order.
Status ParallelColumns(size_t n, const std::function<Status(size_t)>& fn);

// Parameter parsing.
Result<std::optional<std::vector<std::string>>> OptionalStrings(const core::Json& j,
                                                                std::string_view key,
                                                                const std::string& context);
Result<std::vector<std::string>> RequiredStrings(const core::Json& j, std::string_view key,
                                                 const std::string& context);
// j[key] (or `fallback` when absent) checked to be one of `choices`.
Result<std::string> Choice(const core::Json& j, std::string_view key, const std::string& context,
                           std::string fallback, const std::vector<std::string_view>& choices);
// Doubles in JSON: finite numbers; NaN is written as null and read back.
core::Json NumJson(double v);
Result<double> NumFromJson(const core::Json& j, const std::string& where);
Result<std::vector<double>> NumsFromJson(const core::Json& j, const std::string& where);

}  // namespace mlpipe::features::internal
