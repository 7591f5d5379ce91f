#include <limits>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/message.h"
#include "mlpipe/table/jsonl.h"
#include "mlpipe/table/table.h"
#include "value_parse.h"

namespace mlpipe::table {
namespace {

using OrderedJson = nlohmann::ordered_json;

// The values of one column as text, with what JSON kinds were seen.
struct JsonColumn {
  std::string name;
  std::vector<std::string> texts;
  std::vector<uint8_t> valid;
  bool has_bool = false, has_int = false, has_float = false, has_text = false;

  void Add(const OrderedJson& v) {
    if (v.is_null()) {
      texts.emplace_back();
      valid.push_back(0);
      return;
    }
    valid.push_back(1);
    if (v.is_string()) {
      has_text = true;
      texts.push_back(v.get<std::string>());
      return;
    }
    if (v.is_boolean()) {
      has_bool = true;
    } else if (v.is_number_unsigned() &&
               v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      has_float = true;
    } else if (v.is_number_integer()) {
      has_int = true;
    } else if (v.is_number_float()) {
      has_float = true;
    } else {
      has_text = true;  // object or array
    }
    texts.push_back(v.dump());
  }

  DataType Inferred() const {
    if (has_text || (has_bool && (has_int || has_float))) return DataType::kString;
    if (has_bool) return DataType::kBool;
    if (has_float) return DataType::kFloat64;
    if (has_int) return DataType::kInt64;
    return DataType::kFloat64;
  }
};

Result<Table> ReadJsonlImpl(std::string_view text, std::string_view source,
                            const CsvReadOptions& options) {
  std::vector<JsonColumn> columns;
  std::unordered_map<std::string, size_t> index;
  std::vector<size_t> lines;  // per row
  size_t line_no = 0;
  for (size_t start = 0; start < text.size();) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    start = nl + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (size_t deep = core::FindJsonTooDeep(line); deep != std::string_view::npos)
      return InvalidArgumentError(fmt::format("{}:{}:{}: JSON nested deeper than {} levels", source,
                                              line_no, deep + 1, core::kMaxJsonDepth));
    OrderedJson obj;
    try {
      obj = OrderedJson::parse(line);
    } catch (const nlohmann::json::exception& e) {
      return InvalidArgumentError(
          fmt::format("{}:{}: invalid JSON: {}", source, line_no, e.what()));
    }
    if (!obj.is_object())
      return InvalidArgumentError(
          fmt::format("{}:{}: expected a JSON object, found {}", source, line_no, obj.type_name()));
    size_t row = lines.size();
    for (const auto& [key, value] : obj.items()) {
      auto [it, inserted] = index.emplace(key, columns.size());
      if (inserted) {
        MLPIPE_RETURN_IF_ERROR(
            CheckColumnName(fmt::format("{}:{}", source, line_no), columns.size(), key));
        columns.emplace_back();
        columns.back().name = key;
      }
      JsonColumn& c = columns[it->second];
      c.texts.resize(row);
      c.valid.resize(row, 0);
      c.Add(value);
    }
    lines.push_back(line_no);
    for (auto& c : columns) {
      c.texts.resize(row + 1);
      c.valid.resize(row + 1, 0);
    }
  }
  if (lines.empty()) return InvalidArgumentError(fmt::format("{}: the file is empty", source));
  for (const auto& [name, type] : options.types) {
    if (index.count(name) == 0)
      return InvalidArgumentError(fmt::format("{}: explicit type for unknown column '{}'", source,
                                              core::ClipForMessage(name)));
  }
  Table table;
  for (auto& c : columns) {
    auto explicit_type = options.types.find(c.name);
    bool is_explicit = explicit_type != options.types.end();
    DataType type = is_explicit ? explicit_type->second : c.Inferred();
    Column col;
    size_t bad = 0;
    if (!internal::BuildColumnFromText(c.name, c.texts, c.valid, type,
                                       !is_explicit && type == DataType::kString,
                                       options.max_categories, &col, &bad))
      return InvalidArgumentError(fmt::format(
          "{}:{}: column '{}': '{}' is not a valid {}", source, lines[bad],
          core::ClipForMessage(c.name), core::ClipForMessage(c.texts[bad]), DataTypeName(type)));
    MLPIPE_RETURN_IF_ERROR(table.AddColumn(std::move(col)));
  }
  return table;
}

}  // namespace

Result<Table> ReadJsonlString(std::string_view text, std::string_view source,
                              const CsvReadOptions& options) {
  try {
    return ReadJsonlImpl(text, source, options);
  } catch (const std::exception& e) {
    return InternalError(fmt::format("{}: reading failed: {}", source, e.what()));
  }
}

Result<Table> ReadJsonl(core::Env* env, const std::string& path, const CsvReadOptions& options) {
  MLPIPE_ASSIGN_OR_RETURN(auto region, env->MapFile(path));
  return ReadJsonlString(region->view(), path, options);
}

}  // namespace mlpipe::table
