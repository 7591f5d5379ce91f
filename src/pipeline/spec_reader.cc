// Typed, error-collecting reads of yaml-cpp nodes for the spec parser. yaml-cpp
// marks are 0-based; every mark leaves here 1-based.
#include "spec_reader.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <set>

namespace mlpipe::pipeline::internal {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "a map", "a list", "a value" for messages about the node actually found.
std::string KindName(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "'" + n.Scalar() + "'";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "an undefined value";
  }
}

bool ParseInt(const std::string& s, int64_t* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *out = v;
  return true;
}

bool ParseDouble(const std::string& s, double* out) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (*end != '\0' || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

bool ParseBool(const std::string& s, bool* out) {
  std::string l = Lower(s);
  if (l == "true" || l == "yes" || l == "on") {
    *out = true;
    return true;
  }
  if (l == "false" || l == "no" || l == "off") {
    *out = false;
    return true;
  }
  return false;
}

}  // namespace

std::string FormatNumber(double x) {
  if (x == static_cast<double>(static_cast<int64_t>(x)) && std::fabs(x) < 1e15) {
    return std::to_string(static_cast<int64_t>(x));
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), x);
  return std::string(buf, res.ptr);
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

Mark SpecReader::MarkOf(const YAML::Node& n) {
  YAML::Mark m = n.Mark();
  if (m.is_null()) return {};
  return {m.line + 1, m.column + 1};
}

void SpecReader::Error(Mark mark, std::string message) {
  errors_->push_back({mark, std::move(message)});
}

bool SpecReader::ForEachKey(const YAML::Node& n, std::string_view section,
                            const std::vector<std::string>& keys, const KeyFn& f) {
  if (!n.IsMap()) {
    std::string msg = std::string(section);
    msg.append(": expected a map with keys ").append(JoinNames(keys)).append(", found ");
    msg.append(KindName(n));
    Error(n, std::move(msg));
    return false;
  }
  std::set<std::string> seen;
  for (auto it = n.begin(); it != n.end(); ++it) {
    YAML::Node key = it->first;
    if (!key.IsScalar()) {
      Error(key, std::string(section) + ": a key must be a plain name");
      continue;
    }
    const std::string& k = key.Scalar();
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
      std::string msg = std::string(section);
      msg.append(": unknown key '").append(k).append("'").append(DidYouMean(k, keys));
      msg.append("; valid keys: ").append(JoinNames(keys));
      Error(key, std::move(msg));
      continue;
    }
    if (!seen.insert(k).second) {
      Error(key, std::string(section) + ": key '" + k + "' is given twice");
      continue;
    }
    f(k, it->second);
  }
  return true;
}

void SpecReader::Require(const YAML::Node& map, std::string_view section, std::string_view key) {
  if (!map.IsMap() || map[std::string(key)]) return;
  std::string msg = std::string(section);
  msg.append(": missing required key '").append(key).append("'");
  Error(map, std::move(msg));
}

bool SpecReader::String(const YAML::Node& n, std::string_view what, std::string* out) {
  if (!n.IsScalar()) {
    Error(n, std::string(what) + ": expected a string, found " + KindName(n));
    return false;
  }
  *out = n.Scalar();
  return true;
}

bool SpecReader::Int(const YAML::Node& n, std::string_view what, int64_t* out) {
  if (!n.IsScalar() || !ParseInt(n.Scalar(), out)) {
    Error(n, std::string(what) + ": expected an integer, found " + KindName(n));
    return false;
  }
  return true;
}

bool SpecReader::Double(const YAML::Node& n, std::string_view what, double* out) {
  if (!n.IsScalar() || !ParseDouble(n.Scalar(), out)) {
    Error(n, std::string(what) + ": expected a number, found " + KindName(n));
    return false;
  }
  return true;
}

bool SpecReader::Bool(const YAML::Node& n, std::string_view what, bool* out) {
  if (!n.IsScalar() || !ParseBool(n.Scalar(), out)) {
    Error(n, std::string(what) + ": expected true or false, found " + KindName(n));
    return false;
  }
  return true;
}

bool SpecReader::Sequence(const YAML::Node& n, std::string_view what) {
  if (n.IsSequence()) return true;
  Error(n, std::string(what) + ": expected a list, found " + KindName(n));
  return false;
}

bool SpecReader::StringList(const YAML::Node& n, std::string_view what,
                            std::vector<std::string>* out) {
  if (!Sequence(n, what)) return false;
  bool ok = true;
  for (const auto& item : n) {
    std::string s;
    if (String(item, what, &s)) {
      out->push_back(s);
    } else {
      ok = false;
    }
  }
  return ok;
}

bool SpecReader::ColumnList(const YAML::Node& n, std::string_view what,
                            std::vector<ColumnRef>* out) {
  if (!Sequence(n, what)) return false;
  bool ok = true;
  for (const auto& item : n) {
    ColumnRef ref;
    if (String(item, what, &ref.name)) {
      ref.mark = MarkOf(item);
      out->push_back(ref);
    } else {
      ok = false;
    }
  }
  return ok;
}

core::Json SpecReader::ToJson(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      core::Json j = core::Json::object();
      for (auto it = n.begin(); it != n.end(); ++it) j[it->first.Scalar()] = ToJson(it->second);
      return j;
    }
    case YAML::NodeType::Sequence: {
      core::Json j = core::Json::array();
      for (const auto& item : n) j.push_back(ToJson(item));
      return j;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      if (n.Tag() == "!") return s;  // quoted
      int64_t i = 0;
      double d = 0;
      bool b = false;
      if (ParseInt(s, &i)) return i;
      if (ParseDouble(s, &d)) return d;
      if (s == "true" || s == "false") return ParseBool(s, &b) && b;
      if (s == "null" || s == "~") return nullptr;
      return s;
    }
    default:
      return nullptr;
  }
}

}  // namespace mlpipe::pipeline::internal
