// Hyperparameters of a model family: their specification (type, default,
// range, scale, choices) and the validated values a fit receives.
//
// A family lists its hyperparameters once, in the family table; search spaces,
// `--help` listings and validation all read that list.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"

namespace mlpipe::models {

enum class ParamType { kInt, kFloat, kCategorical };

// "int", "float", "categorical".
std::string_view ParamTypeName(ParamType type);

// One hyperparameter of a family.
struct HyperParamSpec {
  std::string name;
  ParamType type = ParamType::kFloat;
  std::string description;
  double default_number = 0;         // kInt / kFloat: the default
  double min = 0;                    // kInt / kFloat: inclusive lower bound
  double max = 0;                    // kInt / kFloat: inclusive upper bound
  bool log_scale = false;            // search samples log-uniformly in [min, max]
  std::vector<std::string> choices;  // kCategorical: the allowed values
  std::string default_choice;        // kCategorical: the default
  // kInt / kFloat: the range a hyperparameter search draws from, inside
  // [min, max] (which is what a fit accepts). Both 0: search all of [min, max].
  double search_min = 0;
  double search_max = 0;
};

// A value as given by a caller: a number (int or float) or a string. Strings
// are also accepted for numbers ("0.1") so that `--set max_depth=4` works.
using ParamValue = std::variant<double, std::string>;

// Values given by a caller, by name. Absent names take their defaults.
using HyperParams = std::map<std::string, ParamValue>;

// The values a fit uses: every hyperparameter of the family, each checked
// against its spec. Immutable; cheap to copy.
class ResolvedParams {
 public:
  // The value of hyperparameter `name`. InvalidArgument naming the family
  // when it has no hyperparameter of that name (listing the valid ones, so a
  // misspelt name in a family's code fails its first fit instead of reading
  // 0 or "") or when the hyperparameter is of another type. Number accepts
  // kInt and kFloat alike.
  Result<int64_t> Int(std::string_view name) const;
  Result<double> Float(std::string_view name) const;
  Result<double> Number(std::string_view name) const;
  Result<std::string> Choice(std::string_view name) const;

  // {"name": value, ...} with numbers as numbers, choices as strings.
  core::Json ToJson() const;

 private:
  friend Result<ResolvedParams> ResolveParams(std::string_view family,
                                              const std::vector<HyperParamSpec>& specs,
                                              const HyperParams& given);
  // The type of `name`, or the error naming the valid names.
  Result<ParamType> TypeOf(std::string_view name) const;
  Status WrongType(std::string_view name, ParamType type, std::string_view wanted) const;

  std::string family_;
  std::vector<std::string> names_;  // in the family's order
  std::map<std::string, ParamType, std::less<>> types_;
  std::map<std::string, double, std::less<>> numbers_;
  std::map<std::string, std::string, std::less<>> choices_;
};

// Checks `given` against `specs` and fills in defaults. Errors name the family
// and the hyperparameter: unknown names list the valid ones; numbers outside
// [min, max], non-integers for kInt and unknown choices say what is allowed.
Result<ResolvedParams> ResolveParams(std::string_view family,
                                     const std::vector<HyperParamSpec>& specs,
                                     const HyperParams& given);

// Reads {"name": number | string, ...} into HyperParams.
Result<HyperParams> HyperParamsFromJson(const core::Json& j, std::string_view context);

}  // namespace mlpipe::models
