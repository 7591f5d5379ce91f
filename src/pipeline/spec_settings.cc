// `mlpipe run --set KEY=VALUE`: dotted keys set in the spec's YAML before it is read.
#include <yaml-cpp/yaml.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "spec_reader.h"

namespace mlpipe::pipeline::internal {

Status ApplySettings(YAML::Node& root, const std::vector<std::string>& settings) {
  if (!root.IsMap()) return InvalidArgumentError("--set: the spec's top level is not a mapping");
  for (const auto& s : settings) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidArgumentError(
          fmt::format("--set {}: expected KEY=VALUE, e.g. search.trials=5", s));
    }
    const std::string key = s.substr(0, eq);
    YAML::Node value;
    try {
      value = YAML::Load(s.substr(eq + 1));
    } catch (const YAML::Exception& e) {
      return InvalidArgumentError(fmt::format("--set {}: the value is not YAML: {}", s, e.what()));
    }
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
      const size_t dot = key.find('.', start);
      parts.push_back(key.substr(start, dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    YAML::Node node = root;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      if (parts[i].empty()) return InvalidArgumentError(fmt::format("--set {}: empty key part", s));
      YAML::Node child = node[parts[i]];
      if (!child.IsDefined() || child.IsNull() || child.IsScalar()) {
        if (child.IsDefined() && child.IsScalar()) {
          return InvalidArgumentError(
              fmt::format("--set {}: '{}' is a value, not a section", s,
                          fmt::join(parts.begin(), parts.begin() + i + 1, ".")));
        }
        node[parts[i]] = YAML::Node(YAML::NodeType::Map);
        child = node[parts[i]];
      } else if (!child.IsMap()) {
        return InvalidArgumentError(
            fmt::format("--set {}: '{}' is a list, not a section", s, parts[i]));
      }
      node.reset(child);
    }
    node[parts.back()] = value;
  }
  return Status::OK();
}

}  // namespace mlpipe::pipeline::internal
