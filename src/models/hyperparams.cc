#include "mlpipe/models/hyperparams.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

namespace mlpipe::models {

std::string_view ParamTypeName(ParamType type) {
  switch (type) {
    case ParamType::kInt:
      return "int";
    case ParamType::kFloat:
      return "float";
    case ParamType::kCategorical:
      return "categorical";
  }
  return "?";
}

Result<ParamType> ResolvedParams::TypeOf(std::string_view name) const {
  auto it = types_.find(name);
  if (it == types_.end()) {
    std::string valid;
    for (const auto& n : names_) valid += (valid.empty() ? "" : ", ") + n;
    return InvalidArgumentError(family_ + ": unknown hyperparameter '" + std::string(name) +
                                "'; valid: " + (valid.empty() ? "(none)" : valid));
  }
  return it->second;
}

Status ResolvedParams::WrongType(std::string_view name, ParamType type,
                                 std::string_view wanted) const {
  return InvalidArgumentError(family_ + "." + std::string(name) + ": is " +
                              std::string(ParamTypeName(type)) + ", read as " +
                              std::string(wanted));
}

Result<int64_t> ResolvedParams::Int(std::string_view name) const {
  MLPIPE_ASSIGN_OR_RETURN(ParamType type, TypeOf(name));
  if (type != ParamType::kInt) return WrongType(name, type, "int");
  return static_cast<int64_t>(numbers_.find(name)->second);
}

Result<double> ResolvedParams::Float(std::string_view name) const {
  MLPIPE_ASSIGN_OR_RETURN(ParamType type, TypeOf(name));
  if (type != ParamType::kFloat) return WrongType(name, type, "float");
  return numbers_.find(name)->second;
}

Result<double> ResolvedParams::Number(std::string_view name) const {
  MLPIPE_ASSIGN_OR_RETURN(ParamType type, TypeOf(name));
  if (type == ParamType::kCategorical) return WrongType(name, type, "a number");
  return numbers_.find(name)->second;
}

Result<std::string> ResolvedParams::Choice(std::string_view name) const {
  MLPIPE_ASSIGN_OR_RETURN(ParamType type, TypeOf(name));
  if (type != ParamType::kCategorical) return WrongType(name, type, "categorical");
  return choices_.find(name)->second;
}

core::Json ResolvedParams::ToJson() const {
  core::Json j = core::Json::object();
  for (const auto& [k, v] : numbers_) j[k] = v;
  for (const auto& [k, v] : choices_) j[k] = v;
  return j;
}

namespace {

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string FormatNumber(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// The number in `value`, parsing a string if need be.
Result<double> AsNumber(const std::string& where, const ParamValue& value) {
  if (const double* d = std::get_if<double>(&value)) return *d;
  const std::string& s = std::get<std::string>(value);
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size()) {
    return InvalidArgumentError(where + ": expected a number, found \"" + s + "\"");
  }
  return d;
}

}  // namespace

Result<ResolvedParams> ResolveParams(std::string_view family,
                                     const std::vector<HyperParamSpec>& specs,
                                     const HyperParams& given) {
  std::vector<std::string> valid;
  for (const auto& s : specs) valid.push_back(s.name);
  for (const auto& [name, value] : given) {
    bool known = false;
    for (const auto& s : specs) known = known || s.name == name;
    if (!known) {
      return InvalidArgumentError(std::string(family) + ": unknown hyperparameter '" + name +
                                  "'; valid: " + (valid.empty() ? "(none)" : Join(valid)));
    }
  }
  ResolvedParams out;
  out.family_ = std::string(family);
  for (const auto& s : specs) {
    out.names_.push_back(s.name);
    out.types_[s.name] = s.type;
  }
  for (const auto& s : specs) {
    const std::string where = std::string(family) + "." + s.name;
    auto it = given.find(s.name);
    if (s.type == ParamType::kCategorical) {
      std::string v = s.default_choice;
      if (it != given.end()) {
        if (!std::holds_alternative<std::string>(it->second)) {
          return InvalidArgumentError(where + ": expected one of " + Join(s.choices) +
                                      ", found a number");
        }
        v = std::get<std::string>(it->second);
      }
      bool ok = false;
      for (const auto& c : s.choices) ok = ok || c == v;
      if (!ok) {
        return InvalidArgumentError(where + ": \"" + v + "\" is not one of " + Join(s.choices));
      }
      out.choices_[s.name] = v;
      continue;
    }
    double v = s.default_number;
    if (it != given.end()) {
      MLPIPE_ASSIGN_OR_RETURN(v, AsNumber(where, it->second));
    }
    if (!std::isfinite(v)) return InvalidArgumentError(where + ": must be finite");
    if (s.type == ParamType::kInt && v != std::floor(v)) {
      return InvalidArgumentError(where + ": expected an integer, found " + FormatNumber(v));
    }
    if (v < s.min || v > s.max) {
      return OutOfRangeError(where + ": " + FormatNumber(v) + " is outside [" +
                             FormatNumber(s.min) + ", " + FormatNumber(s.max) + "]");
    }
    out.numbers_[s.name] = v;
  }
  return out;
}

Result<HyperParams> HyperParamsFromJson(const core::Json& j, std::string_view context) {
  if (!j.is_object()) return InvalidArgumentError(std::string(context) + ": expected an object");
  HyperParams out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it->is_number()) {
      out[it.key()] = it->get<double>();
    } else if (it->is_string()) {
      out[it.key()] = it->get<std::string>();
    } else {
      return InvalidArgumentError(std::string(context) + "." + it.key() +
                                  ": expected a number or a string");
    }
  }
  return out;
}

}  // namespace mlpipe::models
