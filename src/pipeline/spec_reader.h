// Private helpers of the spec parser: typed reads of yaml-cpp nodes that
// record an error (with the node's 1-based line and column) instead of
// throwing, and the closest-name suggestion used for unknown keys and names.
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/suggest.h"
#include "mlpipe/pipeline/spec.h"

namespace mlpipe::pipeline::internal {

// " (did you mean 'x'?)" for the closest of `valid` when it is close enough,
// else "" (the one rule of every command, mlpipe/core/suggest.h).
using core::DidYouMean;
// The shortest text that reads back as `x`; integers without an exponent.
std::string FormatNumber(double x);
// "a, b, c".
std::string JoinNames(const std::vector<std::string>& names);

class SpecReader {
 public:
  explicit SpecReader(std::vector<SpecError>* errors) : errors_(errors) {}

  static Mark MarkOf(const YAML::Node& n);
  void Error(Mark mark, std::string message);
  void Error(const YAML::Node& n, std::string message) { Error(MarkOf(n), std::move(message)); }

  // Visits the entries of map `n` (the section named `section`), calling
  // `f(key, value)` for the known keys. Unknown and repeated keys are errors
  // (an unknown one with a suggestion); a node that is not a map is an error.
  // Returns false when `n` is not a map.
  using KeyFn = std::function<void(const std::string& key, const YAML::Node& value)>;
  bool ForEachKey(const YAML::Node& n, std::string_view section,
                  const std::vector<std::string>& keys, const KeyFn& f);
  // Records "missing required key" at `map` unless `map[key]` exists.
  void Require(const YAML::Node& map, std::string_view section, std::string_view key);

  // Typed scalars: false (and an error naming `what`) on a wrong type.
  bool String(const YAML::Node& n, std::string_view what, std::string* out);
  bool Int(const YAML::Node& n, std::string_view what, int64_t* out);
  bool Double(const YAML::Node& n, std::string_view what, double* out);
  bool Bool(const YAML::Node& n, std::string_view what, bool* out);
  // A sequence of strings (a single string is NOT accepted).
  bool StringList(const YAML::Node& n, std::string_view what, std::vector<std::string>* out);
  bool ColumnList(const YAML::Node& n, std::string_view what, std::vector<ColumnRef>* out);
  // True when `n` is a sequence; records an error naming `what` otherwise.
  bool Sequence(const YAML::Node& n, std::string_view what);

  // The node as JSON: plain scalars become numbers, booleans or null where
  // they read as such, quoted scalars stay strings.
  static core::Json ToJson(const YAML::Node& n);

 private:
  std::vector<SpecError>* errors_;
};

// Applies `--set KEY=VALUE` settings to a loaded spec (spec_settings.cc):
// dotted keys, sections created as needed, values parsed as YAML.
// InvalidArgument naming the setting.
Status ApplySettings(YAML::Node& root, const std::vector<std::string>& settings);

}  // namespace mlpipe::pipeline::internal
