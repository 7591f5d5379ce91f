#include "column_util.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "mlpipe/core/thread_pool.h"

namespace mlpipe::features::internal {

using table::Column;
using table::DataType;

uint32_t TypeBit(DataType type) {
  switch (type) {
    case DataType::kBool:
      return kBoolBit;
    case DataType::kInt64:
      return kInt64Bit;
    case DataType::kFloat64:
      return kFloat64Bit;
    case DataType::kCategorical:
      return kCategoricalBit;
    case DataType::kString:
      return kStringBit;
  }
  return 0;
}

std::string TypeListText(uint32_t types) {
  std::vector<std::string> names;
  for (DataType t : {DataType::kBool, DataType::kInt64, DataType::kFloat64, DataType::kCategorical,
                     DataType::kString}) {
    if (types & TypeBit(t)) names.emplace_back(table::DataTypeName(t));
  }
  if (names.empty()) return "no";
  if (names.size() == 1) return names[0];
  std::string out;
  for (size_t i = 0; i + 1 < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + " or " + names.back();
}

Result<const Column*> RequireColumn(const Frame& frame, std::string_view transform,
                                    std::string_view name, uint32_t accepted,
                                    std::string_view hint) {
  MLPIPE_ASSIGN_OR_RETURN(const Column* c, frame.Get(transform, name));
  if ((TypeBit(c->type()) & accepted) == 0) {
    return InvalidArgumentError(fmt::format("{}: column '{}' is {}; {} accepts {} columns{}",
                                            transform, name, table::DataTypeName(c->type()),
                                            transform, TypeListText(accepted),
                                            hint.empty() ? "" : fmt::format(" ({})", hint)));
  }
  return c;
}

Result<std::vector<std::string>> ResolveColumns(
    const Frame& frame, std::string_view transform,
    const std::optional<std::vector<std::string>>& requested, uint32_t accepted, uint32_t defaults,
    std::string_view hint) {
  std::vector<std::string> out;
  if (requested) {
    for (const auto& name : *requested) {
      MLPIPE_RETURN_IF_ERROR(RequireColumn(frame, transform, name, accepted, hint).status());
      if (std::find(out.begin(), out.end(), name) != out.end()) {
        return InvalidArgumentError(
            fmt::format("{}: column '{}' is listed twice in columns", transform, name));
      }
      out.push_back(name);
    }
    return out;
  }
  for (const auto& c : frame.columns()) {
    if (TypeBit(c.type()) & defaults) out.push_back(c.name());
  }
  return out;
}

namespace {
template <typename F>
void ForEachNumeric(const Column& c, F&& f) {
  const auto& valid = c.validity();
  const size_t n = c.size();
  switch (c.type()) {
    case DataType::kBool: {
      const auto& v = c.bools();
      for (size_t i = 0; i < n; ++i) f(i, valid[i] != 0, v[i] ? 1.0 : 0.0);
      break;
    }
    case DataType::kInt64: {
      const auto& v = c.int64s();
      for (size_t i = 0; i < n; ++i) f(i, valid[i] != 0, static_cast<double>(v[i]));
      break;
    }
    case DataType::kFloat64: {
      const auto& v = c.float64s();
      for (size_t i = 0; i < n; ++i) f(i, valid[i] != 0, v[i]);
      break;
    }
    default:
      break;
  }
}
}  // namespace

std::vector<double> ValuesOrZero(const Column& column) {
  std::vector<double> out(column.size(), 0.0);
  ForEachNumeric(column, [&](size_t i, bool ok, double x) { out[i] = ok ? x : 0.0; });
  return out;
}

std::vector<double> PresentValues(const Column& column) {
  std::vector<double> out;
  out.reserve(column.size() - column.null_count());
  ForEachNumeric(column, [&](size_t, bool ok, double x) {
    if (ok) out.push_back(x);
  });
  return out;
}

std::string_view TextOf(const Column& column, size_t row, char (&buf)[32]) {
  switch (column.type()) {
    case DataType::kBool:
      return column.bools()[row] ? "true" : "false";
    case DataType::kInt64: {
      auto r = std::to_chars(buf, buf + sizeof(buf), column.int64s()[row]);
      return std::string_view(buf, static_cast<size_t>(r.ptr - buf));
    }
    case DataType::kFloat64: {
      const double v = column.float64s()[row];
      if (std::isnan(v)) return "nan";
      if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
      auto r = std::to_chars(buf, buf + sizeof(buf), v);
      return std::string_view(buf, static_cast<size_t>(r.ptr - buf));
    }
    case DataType::kCategorical:
    case DataType::kString:
      return column.TextAt(row);
  }
  return {};
}

Vocabulary::Vocabulary(std::vector<std::string> values) : values_(std::move(values)) {
  index_.reserve(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) index_.emplace(values_[i], static_cast<int32_t>(i));
}

int32_t Vocabulary::Find(std::string_view text) const {
  auto it = index_.find(text);
  return it == index_.end() ? -1 : it->second;
}

std::vector<int32_t> MapToVocabulary(const Column& column, const Vocabulary& vocab) {
  const size_t n = column.size();
  const auto& valid = column.validity();
  std::vector<int32_t> out(n, kMissingCode);
  auto find = [&](std::string_view t) {
    int32_t k = vocab.Find(t);
    return k < 0 ? kUnknownCode : k;
  };
  if (column.type() == DataType::kCategorical) {
    std::vector<int32_t> per_category(column.categories().size());
    for (size_t k = 0; k < per_category.size(); ++k) per_category[k] = find(column.categories()[k]);
    const auto& codes = column.codes();
    for (size_t i = 0; i < n; ++i) {
      if (valid[i]) out[i] = per_category[static_cast<size_t>(codes[i])];
    }
    return out;
  }
  if (column.type() == DataType::kBool) {
    const int32_t f = find("false"), t = find("true");
    const auto& v = column.bools();
    for (size_t i = 0; i < n; ++i) {
      if (valid[i]) out[i] = v[i] ? t : f;
    }
    return out;
  }
  char buf[32];
  for (size_t i = 0; i < n; ++i) {
    if (valid[i]) out[i] = find(TextOf(column, i, buf));
  }
  return out;
}

std::vector<std::pair<std::string, int64_t>> CountValues(const Column& column) {
  std::map<std::string, int64_t, std::less<>> counts;
  const auto& valid = column.validity();
  if (column.type() == DataType::kCategorical) {
    std::vector<int64_t> per_code(column.categories().size(), 0);
    const auto& codes = column.codes();
    for (size_t i = 0; i < column.size(); ++i) {
      if (valid[i]) ++per_code[static_cast<size_t>(codes[i])];
    }
    for (size_t k = 0; k < per_code.size(); ++k) {
      if (per_code[k] > 0) counts[column.categories()[k]] += per_code[k];
    }
  } else {
    std::unordered_map<std::string_view, int64_t> tmp;
    char buf[32];
    const bool text = column.type() == DataType::kString;
    for (size_t i = 0; i < column.size(); ++i) {
      if (!valid[i]) continue;
      if (text) {
        ++tmp[column.strings()[i]];
      } else {
        std::string_view t = TextOf(column, i, buf);
        auto it = counts.find(t);
        if (it == counts.end()) {
          counts.emplace(std::string(t), 1);
        } else {
          ++it->second;
        }
      }
    }
    for (const auto& [k, v] : tmp) counts[std::string(k)] += v;
  }
  return {counts.begin(), counts.end()};
}

Status ParallelColumns(size_t n, const std::function<Status(size_t)>& fn) {
  std::vector<Status> status(n);
  if (n <= 1) {
    for (size_t k = 0; k < n; ++k) status[k] = fn(k);
  } else {
    core::ThreadPool::Shared().ParallelFor(
        n,
        [&](size_t begin, size_t end) {
          for (size_t k = begin; k < end; ++k) status[k] = fn(k);
        },
        n);
  }
  for (auto& s : status) MLPIPE_RETURN_IF_ERROR(s);
  return Status::OK();
}

Result<std::optional<std::vector<std::string>>> OptionalStrings(const core::Json& j,
                                                                std::string_view key,
                                                                const std::string& context) {
  if (!j.contains(std::string(key))) return std::optional<std::vector<std::string>>();
  MLPIPE_ASSIGN_OR_RETURN(auto v, RequiredStrings(j, key, context));
  return std::optional<std::vector<std::string>>(std::move(v));
}

Result<std::vector<std::string>> RequiredStrings(const core::Json& j, std::string_view key,
                                                 const std::string& context) {
  const std::string where = context + "." + std::string(key);
  auto it = j.find(std::string(key));
  if (it == j.end()) return InvalidArgumentError(where + ": missing required key");
  if (!it->is_array()) return InvalidArgumentError(where + ": expected a list of column names");
  std::vector<std::string> out;
  for (size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) {
      return InvalidArgumentError(
          fmt::format("{}[{}]: expected a string, found {}", where, i, (*it)[i].type_name()));
    }
    out.push_back((*it)[i].get<std::string>());
  }
  return out;
}

Result<std::string> Choice(const core::Json& j, std::string_view key, const std::string& context,
                           std::string fallback, const std::vector<std::string_view>& choices) {
  MLPIPE_ASSIGN_OR_RETURN(std::string v, core::GetFieldOr<std::string>(j, key, context, fallback));
  if (std::find(choices.begin(), choices.end(), v) == choices.end()) {
    return InvalidArgumentError(fmt::format("{}.{}: unknown value '{}' (valid: {})", context, key,
                                            v, fmt::join(choices, ", ")));
  }
  return v;
}

core::Json NumJson(double v) { return std::isnan(v) ? core::Json(nullptr) : core::Json(v); }

Result<double> NumFromJson(const core::Json& j, const std::string& where) {
  if (j.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!j.is_number()) return InvalidArgumentError(where + ": expected a number");
  return j.get<double>();
}

Result<std::vector<double>> NumsFromJson(const core::Json& j, const std::string& where) {
  if (!j.is_array()) return InvalidArgumentError(where + ": expected a list of numbers");
  std::vector<double> out;
  for (size_t i = 0; i < j.size(); ++i) {
    MLPIPE_ASSIGN_OR_RETURN(double v, NumFromJson(j[i], fmt::format("{}[{}]", where, i)));
    out.push_back(v);
  }
  return out;
}

}  // namespace mlpipe::features::internal
