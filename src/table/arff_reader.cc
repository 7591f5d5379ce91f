#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "csv_scan.h"
#include "mlpipe/core/message.h"
#include "mlpipe/table/arff.h"
#include "mlpipe/table/table.h"
#include "value_parse.h"

namespace mlpipe::table {
namespace {

enum class ArffType { kInteger, kReal, kString, kNominal };

struct Attribute {
  std::string name;
  ArffType type = ArffType::kReal;
  std::vector<std::string> nominal;  // declared values, in order
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Reads one value at `*pos` of `s`: quoted with ' or " (backslash escapes the
// next byte) or bare up to a byte in `stops`. Leading spaces are skipped.
bool ReadToken(std::string_view s, size_t* pos, std::string_view stops, std::string* out,
               bool* quoted, std::string* error) {
  size_t i = *pos;
  while (i < s.size() && IsSpace(s[i])) ++i;
  out->clear();
  *quoted = i < s.size() && (s[i] == '\'' || s[i] == '"');
  if (*quoted) {
    char q = s[i++];
    while (i < s.size() && s[i] != q) {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      out->push_back(s[i++]);
    }
    if (i >= s.size()) {
      *error = "unterminated quoted value";
      return false;
    }
    *pos = i + 1;
    return true;
  }
  size_t b = i;
  while (i < s.size() && stops.find(s[i]) == std::string_view::npos) ++i;
  size_t e = i;
  while (e > b && IsSpace(s[e - 1])) --e;
  out->assign(s.substr(b, e - b));
  *pos = i;
  return true;
}

// Splits a comma-separated list of values (a data row or a nominal list).
bool SplitValues(std::string_view s, std::vector<std::string>* values, std::vector<uint8_t>* quoted,
                 std::string* error) {
  values->clear();
  quoted->clear();
  size_t pos = 0;
  while (true) {
    std::string v;
    bool q = false;
    if (!ReadToken(s, &pos, ",", &v, &q, error)) return false;
    values->push_back(std::move(v));
    quoted->push_back(q);
    while (pos < s.size() && IsSpace(s[pos])) ++pos;
    if (pos >= s.size()) return true;
    if (s[pos] != ',') {
      *error = fmt::format("unexpected '{}' after a value", s[pos]);
      return false;
    }
    ++pos;
  }
}

Result<Attribute> ParseAttribute(std::string_view rest, const std::string& where) {
  Attribute a;
  size_t pos = 0;
  bool quoted = false;
  std::string error;
  if (!ReadToken(rest, &pos, " \t{", &a.name, &quoted, &error))
    return InvalidArgumentError(fmt::format("{}: {}", where, error));
  if (a.name.empty()) return InvalidArgumentError(where + ": attribute without a name");
  std::string_view type = rest.substr(pos);
  while (!type.empty() && IsSpace(type.front())) type.remove_prefix(1);
  while (!type.empty() && IsSpace(type.back())) type.remove_suffix(1);
  if (!type.empty() && type.front() == '{') {
    if (type.back() != '}')
      return InvalidArgumentError(where + ": nominal values without a closing '}'");
    std::vector<uint8_t> q;
    if (!SplitValues(type.substr(1, type.size() - 2), &a.nominal, &q, &error))
      return InvalidArgumentError(fmt::format("{}: {}", where, error));
    a.type = ArffType::kNominal;
    return a;
  }
  std::string word = Lower(type.substr(0, type.find_first_of(" \t")));
  if (word == "integer") {
    a.type = ArffType::kInteger;
  } else if (word == "numeric" || word == "real") {
    a.type = ArffType::kReal;
  } else if (word == "string" || word == "date") {
    a.type = ArffType::kString;
  } else {
    return InvalidArgumentError(fmt::format(
        "{}: unknown attribute type '{}' (valid: numeric, real, integer, string, date, {{...}})",
        where, type));
  }
  return a;
}

Result<Column> BuildArffColumn(const Attribute& a, const std::vector<std::string>& values,
                               const std::vector<uint8_t>& valid, const std::vector<size_t>& lines,
                               std::string_view source) {
  if (a.type == ArffType::kNominal) {
    std::unordered_map<std::string_view, int32_t> index;
    for (size_t i = 0; i < a.nominal.size(); ++i)
      index.emplace(a.nominal[i], static_cast<int32_t>(i));
    std::vector<int32_t> codes(values.size(), -1);
    for (size_t r = 0; r < values.size(); ++r) {
      if (!valid[r]) continue;
      auto it = index.find(values[r]);
      if (it == index.end())
        return InvalidArgumentError(
            fmt::format("{}:{}: column '{}': '{}' is not one of the declared values", source,
                        lines[r], core::ClipForMessage(a.name), core::ClipForMessage(values[r])));
      codes[r] = it->second;
    }
    return Column::Categorical(a.name, std::move(codes), a.nominal, valid);
  }
  DataType type = a.type == ArffType::kInteger ? DataType::kInt64
                  : a.type == ArffType::kReal  ? DataType::kFloat64
                                               : DataType::kString;
  Column col;
  size_t bad = 0;
  if (!internal::BuildColumnFromText(a.name, values, valid, type, false, 0, &col, &bad))
    return InvalidArgumentError(fmt::format("{}:{}: column '{}': '{}' is not a valid {}", source,
                                            lines[bad], core::ClipForMessage(a.name),
                                            core::ClipForMessage(values[bad]), DataTypeName(type)));
  return col;
}

Result<Table> ReadArffImpl(std::string_view text, std::string_view source) {
  size_t bad = internal::FindInvalidUtf8(text, 0, text.size());
  if (bad != std::string_view::npos)
    return InvalidArgumentError(
        fmt::format("{}: invalid UTF-8 at byte offset {} (line {})", source, bad,
                    1 + std::count(text.begin(), text.begin() + bad, '\n')));
  std::vector<Attribute> attrs;
  std::unordered_set<std::string> attr_names;
  bool in_data = false;
  std::vector<std::vector<std::string>> values;
  std::vector<std::vector<uint8_t>> valid;
  std::vector<size_t> lines;  // per data row
  std::vector<std::string> row;
  std::vector<uint8_t> quoted;
  std::string error;
  size_t line_no = 0;
  for (size_t start = 0; start < text.size();) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    start = nl + 1;
    ++line_no;
    while (!line.empty() && IsSpace(line.front())) line.remove_prefix(1);
    while (!line.empty() && IsSpace(line.back())) line.remove_suffix(1);
    if (line.empty() || line.front() == '%') continue;
    std::string where = fmt::format("{}:{}", source, line_no);
    if (!in_data) {
      if (line.front() != '@')
        return InvalidArgumentError(where + ": expected @relation, @attribute or @data");
      size_t sp = std::min(line.find_first_of(" \t"), line.size());
      std::string keyword = Lower(line.substr(0, sp));
      std::string_view rest = line.substr(sp);
      if (keyword == "@relation") continue;
      if (keyword == "@attribute") {
        MLPIPE_ASSIGN_OR_RETURN(Attribute a, ParseAttribute(rest, where));
        MLPIPE_RETURN_IF_ERROR(CheckColumnName(where, attrs.size(), a.name));
        if (!attr_names.insert(a.name).second)
          return InvalidArgumentError(fmt::format("{}: attribute '{}' declared twice", where,
                                                  core::ClipForMessage(a.name)));
        attrs.push_back(std::move(a));
        continue;
      }
      if (keyword == "@data") {
        if (attrs.empty()) return InvalidArgumentError(where + ": @data before any @attribute");
        in_data = true;
        values.resize(attrs.size());
        valid.resize(attrs.size());
        continue;
      }
      return InvalidArgumentError(fmt::format("{}: unknown declaration '{}'", where, keyword));
    }
    if (line.front() == '{')
      return InvalidArgumentError(where + ": sparse ARFF rows are not supported");
    if (!SplitValues(line, &row, &quoted, &error))
      return InvalidArgumentError(fmt::format("{}: {}", where, error));
    if (row.size() != attrs.size())
      return InvalidArgumentError(
          fmt::format("{}: expected {} values, found {}", where, attrs.size(), row.size()));
    for (size_t c = 0; c < row.size(); ++c) {
      bool missing = !quoted[c] && row[c] == "?";
      valid[c].push_back(!missing);
      values[c].push_back(missing ? std::string() : std::move(row[c]));
    }
    lines.push_back(line_no);
  }
  if (!in_data) {
    if (attrs.empty() && line_no == 0)
      return InvalidArgumentError(fmt::format("{}: the file is empty", source));
    return InvalidArgumentError(fmt::format("{}: no @data section", source));
  }
  Table table;
  for (size_t c = 0; c < attrs.size(); ++c) {
    MLPIPE_ASSIGN_OR_RETURN(Column col,
                            BuildArffColumn(attrs[c], values[c], valid[c], lines, source));
    MLPIPE_RETURN_IF_ERROR(table.AddColumn(std::move(col)));
  }
  return table;
}

}  // namespace

Result<Table> ReadArffString(std::string_view text, std::string_view source) {
  try {
    return ReadArffImpl(text, source);
  } catch (const std::exception& e) {
    return InternalError(fmt::format("{}: reading failed: {}", source, e.what()));
  }
}

Result<Table> ReadArff(core::Env* env, const std::string& path) {
  MLPIPE_ASSIGN_OR_RETURN(auto region, env->MapFile(path));
  return ReadArffString(region->view(), path);
}

}  // namespace mlpipe::table
