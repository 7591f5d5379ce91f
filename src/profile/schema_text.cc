// Schema::ToJsonText: the layout of the schema file a person edits.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "mlpipe/profile/schema.h"

namespace mlpipe::profile {
namespace {

// Indented JSON in which arrays of scalars (categories) stay on one line, or
// are filled across lines of at most kLineWidth characters when long: a schema
// of many categorical columns then still reads one column per screenful.
constexpr size_t kLineWidth = 100;

void WriteJson(const OrderedJson& v, size_t indent, size_t col, std::string& out) {
  std::string pad(indent, ' ');
  bool scalars = v.is_array() && std::none_of(v.begin(), v.end(), [](const OrderedJson& e) {
                   return e.is_structured();
                 });
  if (v.is_object() && !v.empty()) {
    out += "{\n";
    size_t i = 0;
    for (const auto& [key, value] : v.items()) {
      std::string head = fmt::format("{}  {}: ", pad, OrderedJson(key).dump());
      out += head;
      WriteJson(value, indent + 2, head.size(), out);
      out += ++i < v.size() ? ",\n" : "\n";
    }
    out.append(pad).append("}");
  } else if (v.is_array() && !v.empty() && !scalars) {
    out += "[\n";
    for (size_t i = 0; i < v.size(); ++i) {
      out.append(pad).append("  ");
      WriteJson(v[i], indent + 2, indent + 2, out);
      out += i + 1 < v.size() ? ",\n" : "\n";
    }
    out.append(pad).append("]");
  } else if (v.is_array() && !v.empty()) {
    std::vector<std::string> items;
    size_t total = col + 1;
    for (const OrderedJson& e : v) {
      items.push_back(e.dump());
      total += items.back().size() + 2;
    }
    if (total <= kLineWidth) {
      out += fmt::format("[{}]", fmt::join(items, ", "));
      return;
    }
    std::string inner = fmt::format("{}  ", pad);
    std::string line = inner;
    out += "[\n";
    for (size_t i = 0; i < items.size(); ++i) {
      std::string item = items[i];
      if (i + 1 < items.size()) item += ',';
      if (line.size() > inner.size() && line.size() + 1 + item.size() > kLineWidth) {
        out.append(line).append("\n");
        line = inner;
      }
      if (line.size() > inner.size()) line += " ";
      line += item;
    }
    out.append(line).append("\n").append(pad).append("]");
  } else {
    out += v.dump();
  }
}

}  // namespace

std::string Schema::ToJsonText() const {
  std::string out;
  WriteJson(ToJson(), 0, 0, out);
  return out + "\n";
}

}  // namespace mlpipe::profile
