// SqlRow's lenient conversions: results from SQLite and PostgreSQL arrive as
// whatever type the column's value has, and callers read them as the type the
// record needs.
#include <charconv>
#include <cstdlib>
#include <string>
#include <variant>

#include "sql.h"

namespace mlpipe::store {

int64_t SqlRow::Int(size_t i) const {
  const SqlValue& v = values[i];
  if (const auto* p = std::get_if<int64_t>(&v)) return *p;
  if (const auto* p = std::get_if<double>(&v)) return static_cast<int64_t>(*p);
  if (const auto* p = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    auto [ptr, ec] = std::from_chars(p->data(), p->data() + p->size(), out);
    if (ec == std::errc() && ptr == p->data() + p->size()) return out;
    return static_cast<int64_t>(std::strtod(p->c_str(), nullptr));
  }
  return 0;
}

double SqlRow::Double(size_t i) const {
  const SqlValue& v = values[i];
  if (const auto* p = std::get_if<double>(&v)) return *p;
  if (const auto* p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  if (const auto* p = std::get_if<std::string>(&v)) return std::strtod(p->c_str(), nullptr);
  return 0;
}

std::string SqlRow::Text(size_t i) const {
  const SqlValue& v = values[i];
  if (const auto* p = std::get_if<std::string>(&v)) return *p;
  if (const auto* p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (const auto* p = std::get_if<double>(&v)) {
    char buf[32];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), *p);
    return std::string(buf, ptr);
  }
  return "";
}

}  // namespace mlpipe::store
