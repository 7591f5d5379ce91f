// The protected-attribute check: walks the feature pipeline's transforms and
// follows each protected source column to the features it reaches.
#include "mlpipe/governance/protected_check.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace mlpipe::governance {
namespace {

// How one protected source reaches a column.
struct Source {
  bool direct = true;
  std::string derivation;  // set when !direct
};

// Column name -> protected source -> how. Columns without protected sources
// are kept too (with an empty map) so that select/drop see every column.
using Lineage = std::map<std::string, std::map<std::string, Source>>;

std::string JsonString(const core::Json& j, const char* key, const std::string& fallback) {
  if (j.is_object() && j.contains(key) && j[key].is_string()) return j[key].get<std::string>();
  return fallback;
}

std::vector<std::string> JsonStrings(const core::Json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.is_object() || !j.contains(key) || !j[key].is_array()) return out;
  for (const auto& v : j[key]) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

// The protected sources of `inputs`, all marked as derived through `derivation`.
std::map<std::string, Source> Merge(const Lineage& live, const std::vector<std::string>& inputs,
                                    const std::string& derivation) {
  std::map<std::string, Source> out;
  for (const auto& in : inputs) {
    auto it = live.find(in);
    if (it == live.end()) continue;
    for (const auto& [p, src] : it->second) out[p] = Source{false, derivation};
  }
  return out;
}

void Step(const features::Transform& t, Lineage& live) {
  const std::string name(t.name());
  const std::vector<std::string> inputs = t.InputColumns();
  const core::Json j = t.ToJson();
  if (name == "drop") {
    for (const auto& c : inputs) live.erase(c);
  } else if (name == "select") {
    const std::set<std::string> keep(inputs.begin(), inputs.end());
    std::erase_if(live, [&](const auto& kv) { return !keep.contains(kv.first); });
  } else if (name == "variance_threshold" || name == "correlation_filter") {
    // Fitted filters record what they dropped; unfitted ones may drop
    // anything, so nothing is assumed removed.
    if (j.contains("state")) {
      for (const auto& c : JsonStrings(j["state"], "dropped")) live.erase(c);
    }
  } else if (name == "expression") {
    const std::string output = JsonString(j, "output", "");
    const std::string expr = JsonString(j, "expression", "");
    live[output] = Merge(live, inputs, expr);
  } else if (name == "pca") {
    std::vector<std::string> from = inputs;
    if (from.empty()) {  // unfitted, columns resolved at fit time: any live column
      for (const auto& [c, sources] : live) from.push_back(c);
    }
    const std::string prefix = JsonString(j, "prefix", "pc");
    auto merged = Merge(live, from, fmt::format("PCA of {}", fmt::join(from, ", ")));
    if (!inputs.empty()) {
      for (const auto& c : inputs) live.erase(c);
    }
    live[prefix + "*"] = std::move(merged);
  }
  // Every other transform rewrites its columns in place (or into columns
  // named after them, as one_hot does): their sources are unchanged.
}

}  // namespace

std::string ProtectedUse::How() const {
  if (direct) return "directly as a feature";
  return fmt::format("through derived feature '{}' = {}", feature, derivation);
}

std::string ProtectedUse::Message() const {
  std::string m =
      fmt::format("protected column '{}' is used as a feature ({}); ", protected_column, How());
  m.append(
      fmt::format("remove it or run with --override protected:{} --reason TEXT", protected_column));
  return m;
}

std::vector<ProtectedUse> ProtectedCheckResult::Violations() const {
  std::vector<ProtectedUse> out;
  for (const auto& u : uses) {
    if (!u.overridden) out.push_back(u);
  }
  return out;
}

Status ProtectedCheckResult::ToStatus() const {
  std::string msg;
  for (const auto& u : Violations()) {
    if (!msg.empty()) msg.push_back('\n');
    msg.append(u.Message());
  }
  if (msg.empty()) return Status::OK();
  return FailedPreconditionError(msg);
}

Result<ProtectedCheckResult> CheckProtectedFeatures(
    const features::FeaturePipeline* pipeline, const std::vector<std::string>& feature_columns,
    const std::vector<std::string>& protected_columns,
    const std::vector<ProtectedOverride>& overrides) {
  const std::set<std::string> prot(protected_columns.begin(), protected_columns.end());
  std::map<std::string, std::string> reason_of;
  for (const auto& o : overrides) {
    if (!prot.contains(o.column)) {
      return InvalidArgumentError(
          fmt::format("--override protected:{}: '{}' is not a protected column (protected: {})",
                      o.column, o.column, fmt::join(protected_columns, ", ")));
    }
    if (o.reason.empty()) {
      return InvalidArgumentError(fmt::format(
          "--override protected:{} needs --reason TEXT (it is written to the audit log)",
          o.column));
    }
    reason_of[o.column] = o.reason;
  }

  Lineage live;
  for (const auto& c : feature_columns) {
    auto& sources = live[c];
    if (prot.contains(c)) sources[c] = Source{};
  }
  if (pipeline != nullptr) {
    for (size_t i = 0; i < pipeline->size(); ++i) Step(pipeline->transform(i), live);
  }

  ProtectedCheckResult result;
  for (const auto& [feature, sources] : live) {
    for (const auto& [p, src] : sources) {
      ProtectedUse u;
      u.protected_column = p;
      u.feature = feature;
      u.direct = src.direct && feature == p;
      u.derivation = src.derivation;
      auto it = reason_of.find(p);
      if (it != reason_of.end()) {
        u.overridden = true;
        u.override_reason = it->second;
      }
      result.uses.push_back(std::move(u));
    }
  }
  std::sort(result.uses.begin(), result.uses.end(), [](const auto& a, const auto& b) {
    return std::tie(a.protected_column, a.feature) < std::tie(b.protected_column, b.feature);
  });
  return result;
}

}  // namespace mlpipe::governance
