// Bringing input columns to the bundle schema's types, and the JSON row form
// of golden examples and single-row requests (predictor.h).
#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "conform.h"
#include "mlpipe/bundle/predictor.h"

namespace mlpipe::bundle {
namespace {

using table::Column;
using table::DataType;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool ParseDouble(std::string_view s, double* out) {
  s = Trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  if (ec == std::errc::result_out_of_range) {
    *out = (s.front() == '-' ? -1 : 1) * std::numeric_limits<double>::infinity();
    return p == s.data() + s.size();
  }
  return ec == std::errc() && p == s.data() + s.size();
}

bool ParseInt(std::string_view s, int64_t* out) {
  s = Trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

bool ParseBool(std::string_view s, uint8_t* out) {
  s = Trim(s);
  if (s == "true" || s == "TRUE" || s == "True") return *out = 1, true;
  if (s == "false" || s == "FALSE" || s == "False") return *out = 0, true;
  return false;
}

bool DoubleToInt(double d, int64_t* out) {
  if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.2e18) return false;
  *out = static_cast<int64_t>(d);
  return true;
}

// One value of the target column type, read from any source. The source is
// either a column position or a JSON value; `text` is set for text sources.
struct Cell {
  bool valid = false;
  bool is_text = false;
  bool is_bool = false;
  std::string_view text;
  double number = 0;
  int64_t integer = 0;
  bool is_integer = false;
};

Status BadValue(std::string_view context, const std::string& column, size_t row,
                const std::string& shown, DataType type) {
  return InvalidArgumentError(fmt::format("{}: column '{}' row {}: {} is not a valid {}", context,
                                          column, row, shown, table::DataTypeName(type)));
}

// Builds a column of `type` from `n` cells given by `cell(i)`.
template <typename CellFn>
Result<Column> Build(const std::string& name, DataType type, size_t n, CellFn cell,
                     std::string_view context) {
  std::vector<uint8_t> valid(n, 1);
  std::vector<double> f;
  std::vector<int64_t> ints;
  std::vector<uint8_t> bools;
  std::vector<std::string> texts;
  switch (type) {
    case DataType::kFloat64:
      f.resize(n);
      break;
    case DataType::kInt64:
      ints.resize(n);
      break;
    case DataType::kBool:
      bools.resize(n);
      break;
    default:
      texts.resize(n);
      break;
  }
  for (size_t i = 0; i < n; ++i) {
    const Cell c = cell(i);
    if (!c.valid) {
      valid[i] = 0;
      continue;
    }
    const std::string shown = c.is_text      ? "'" + std::string(c.text) + "'"
                              : c.is_integer ? std::to_string(c.integer)
                                             : fmt::format("{}", c.number);
    bool ok = true;
    switch (type) {
      case DataType::kFloat64:
        if (c.is_text) {
          ok = ParseDouble(c.text, &f[i]);
        } else {
          f[i] = c.is_integer ? static_cast<double>(c.integer) : c.number;
        }
        break;
      case DataType::kInt64:
        if (c.is_text) {
          ok = ParseInt(c.text, &ints[i]);
        } else if (c.is_integer) {
          ints[i] = c.integer;
        } else {
          ok = DoubleToInt(c.number, &ints[i]);
        }
        break;
      case DataType::kBool:
        if (c.is_text) {
          ok = ParseBool(c.text, &bools[i]);
        } else {
          const double v = c.is_integer ? static_cast<double>(c.integer) : c.number;
          ok = v == 0 || v == 1;
          bools[i] = v == 1;
        }
        break;
      default:
        if (c.is_text) {
          texts[i] = std::string(c.text);
        } else if (c.is_bool) {
          texts[i] = c.integer ? "true" : "false";
        } else if (c.is_integer) {
          texts[i] = std::to_string(c.integer);
        } else {
          texts[i] = Column::Float64("", {c.number}).ToStringAt(0);
        }
        break;
    }
    if (!ok) return BadValue(context, name, i, shown, type);
  }
  switch (type) {
    case DataType::kFloat64:
      return Column::Float64(name, std::move(f), std::move(valid));
    case DataType::kInt64:
      return Column::Int64(name, std::move(ints), std::move(valid));
    case DataType::kBool:
      return Column::Bool(name, std::move(bools), std::move(valid));
    case DataType::kCategorical:
      return Column::CategoricalFromStrings(name, texts, std::move(valid));
    case DataType::kString:
      return Column::String(name, std::move(texts), std::move(valid));
  }
  return InternalError("unknown data type");
}

}  // namespace

Result<Column> ConvertColumn(const Column& c, DataType type, std::string_view context) {
  if (c.type() == type) return c;
  const bool text = c.type() == DataType::kCategorical || c.type() == DataType::kString;
  return Build(
      c.name(), type, c.size(),
      [&](size_t i) {
        Cell cell;
        if (!c.IsValid(i)) return cell;
        cell.valid = true;
        if (text) {
          cell.is_text = true;
          cell.text = c.TextAt(i);
        } else if (c.type() == DataType::kInt64) {
          cell.is_integer = true;
          cell.integer = c.int64s()[i];
        } else if (c.type() == DataType::kBool) {
          cell.is_integer = cell.is_bool = true;
          cell.integer = c.bools()[i];
        } else {
          cell.number = c.float64s()[i];
        }
        return cell;
      },
      context);
}

Status ConvertRowValue(const RowValue& value, DataType type, const std::string& column,
                       std::string_view context, features::RowCell* cell, std::string* store) {
  Cell c;
  if (std::holds_alternative<std::monostate>(value)) {
    cell->valid = false;
    return Status::OK();
  }
  c.valid = true;
  if (const bool* b = std::get_if<bool>(&value)) {
    c.is_bool = c.is_integer = true;
    c.integer = *b ? 1 : 0;
  } else if (const int64_t* i = std::get_if<int64_t>(&value)) {
    c.is_integer = true;
    c.integer = *i;
  } else if (const double* d = std::get_if<double>(&value)) {
    c.number = *d;
  } else {
    c.is_text = true;
    c.text = std::get<std::string_view>(value);
  }
  cell->valid = true;
  bool ok = true;
  switch (type) {
    case DataType::kFloat64:
      if (c.is_text) {
        ok = ParseDouble(c.text, &cell->num);
      } else {
        cell->num = c.is_integer ? static_cast<double>(c.integer) : c.number;
      }
      break;
    case DataType::kInt64:
      if (c.is_text) {
        ok = ParseInt(c.text, &cell->i64);
      } else if (c.is_integer) {
        cell->i64 = c.integer;
      } else {
        ok = DoubleToInt(c.number, &cell->i64);
      }
      cell->num = static_cast<double>(cell->i64);
      break;
    case DataType::kBool: {
      uint8_t b = 0;
      if (c.is_text) {
        ok = ParseBool(c.text, &b);
      } else {
        const double v = c.is_integer ? static_cast<double>(c.integer) : c.number;
        ok = v == 0 || v == 1;
        b = v == 1;
      }
      cell->num = b ? 1.0 : 0.0;
      break;
    }
    default:
      if (c.is_text) {
        cell->text = c.text;
      } else {
        if (c.is_bool) {
          *store = c.integer ? "true" : "false";
        } else if (c.is_integer) {
          *store = std::to_string(c.integer);
        } else {
          *store = Column::Float64("", {c.number}).ToStringAt(0);
        }
        cell->text = *store;
      }
      break;
  }
  if (!ok) {
    const std::string shown = c.is_text      ? "'" + std::string(c.text) + "'"
                              : c.is_integer ? std::to_string(c.integer)
                                             : fmt::format("{}", c.number);
    return BadValue(context, column, 0, shown, type);
  }
  return Status::OK();
}

Result<table::Table> TableFromJsonRows(const profile::Schema& schema, const core::Json& rows,
                                       std::string_view context) {
  if (!rows.is_array()) return InvalidArgumentError(std::string(context) + ": expected a list");
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!rows[r].is_array() || rows[r].size() != schema.columns.size()) {
      return InvalidArgumentError(fmt::format("{}: row {}: expected a list of {} values", context,
                                              r, schema.columns.size()));
    }
  }
  table::Table out;
  for (size_t k = 0; k < schema.columns.size(); ++k) {
    const auto& col = schema.columns[k];
    std::vector<std::string> keep(rows.size());  // owns text views
    for (size_t r = 0; r < rows.size(); ++r) {
      if (rows[r][k].is_string()) keep[r] = rows[r][k].get<std::string>();
    }
    Status bad = Status::OK();
    auto cell = [&](size_t r) {
      Cell c;
      const core::Json& v = rows[r][k];
      if (v.is_null()) return c;
      c.valid = true;
      if (v.is_string()) {
        c.is_text = true;
        c.text = keep[r];
        if (col.type == DataType::kFloat64) {
          // The non-finite floats golden.json spells as text.
          if (keep[r] == "nan") c = Cell{true, false, false, {}, std::nan(""), 0, false};
          if (keep[r] == "inf" || keep[r] == "-inf") {
            c = Cell{true, false, false, {}, (keep[r][0] == '-' ? -1 : 1) * HUGE_VAL, 0, false};
          }
        }
      } else if (v.is_boolean()) {
        c.is_bool = c.is_integer = true;
        c.integer = v.get<bool>() ? 1 : 0;
      } else if (v.is_number_integer()) {
        c.is_integer = true;
        c.integer = v.get<int64_t>();
      } else if (v.is_number()) {
        c.number = v.get<double>();
      } else {
        c.is_text = true;
        keep[r] = v.dump();
        c.text = keep[r];
      }
      return c;
    };
    MLPIPE_ASSIGN_OR_RETURN(Column column, Build(col.name, col.type, rows.size(), cell, context));
    MLPIPE_RETURN_IF_ERROR(out.AddColumn(std::move(column)));
  }
  return out;
}

core::Json TableToJsonRows(const table::Table& t) {
  core::Json rows = core::Json::array();
  for (size_t r = 0; r < t.num_rows(); ++r) {
    core::Json row = core::Json::array();
    for (const Column& c : t.columns()) {
      if (!c.IsValid(r)) {
        row.push_back(nullptr);
        continue;
      }
      switch (c.type()) {
        case DataType::kBool:
          row.push_back(c.bools()[r] != 0);
          break;
        case DataType::kInt64:
          row.push_back(c.int64s()[r]);
          break;
        case DataType::kFloat64: {
          const double v = c.float64s()[r];
          if (std::isfinite(v)) {
            row.push_back(v);
          } else {
            row.push_back(std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf"));
          }
          break;
        }
        default:
          row.push_back(std::string(c.TextAt(r)));
          break;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace mlpipe::bundle
