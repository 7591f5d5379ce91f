// Checks of a parsed spec that span sections: names, column roles, metrics
// (against eval's metric table and, when stated, the task), model families
// and their search-space overrides (against the family table), and the
// feature pipeline (FeaturePipeline::FromJson).
#include "spec_check.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <regex>
#include <set>

#include "mlpipe/eval/cv.h"
#include "mlpipe/eval/metric_table.h"
#include "mlpipe/features/pipeline.h"
#include "mlpipe/models/family_table.h"
#include "spec_reader.h"

namespace mlpipe::pipeline::internal {
namespace {

using internal::DidYouMean;
using internal::JoinNames;

class Checker {
 public:
  Checker(ProjectSpec* spec, std::vector<SpecError>* errors) : s_(*spec), errors_(errors) {}

  void Run() {
    Names();
    Roles();
    Metrics();
    Families();
    Features();
  }

 private:
  void Error(Mark m, std::string msg) { errors_->push_back({m, std::move(msg)}); }

  void Names() {
    static const std::regex kName("[A-Za-z0-9][A-Za-z0-9._-]*");
    if (!s_.name.empty() && !std::regex_match(s_.name, kName)) {
      Error(s_.name_mark, "name: '" + s_.name +
                              "' is not a valid name (letters, digits, '.', '_', '-'; starting "
                              "with a letter or digit)");
    }
    if (!s_.register_model.empty() && !std::regex_match(s_.register_model, kName)) {
      Error(s_.register_mark, "register.model: '" + s_.register_model +
                                  "' is not a valid name (letters, digits, '.', '_', '-')");
    }
    std::set<std::string> sources;
    for (const auto& src : s_.sources) {
      if (!sources.insert(src.name).second) {
        Error(src.mark, "data.sources: the name '" + src.name + "' is used twice");
      }
    }
    std::set<std::string> derived;
    for (const auto& d : s_.derived) {
      if (!d.name.empty() && !derived.insert(d.name).second) {
        Error(d.mark, "data.derived: the column '" + d.name + "' is derived twice");
      }
    }
    for (const auto& a : s_.governance.approvals) {
      if (a.role.empty()) Error(a.mark, "governance.approvals[].role: must not be empty");
    }
  }

  // A column has at most one role, and the target has none.
  void Roles() {
    std::map<std::string, std::pair<std::string, Mark>> role_of;
    auto add = [&](const ColumnRef& ref, const std::string& role) {
      if (ref.name.empty()) return;
      if (ref.name == s_.target.column.name) {
        Error(ref.mark, "columns." + role + ": '" + ref.name + "' is the target column");
        return;
      }
      auto [it, inserted] = role_of.emplace(ref.name, std::make_pair(role, ref.mark));
      if (!inserted) {
        Error(ref.mark, "columns." + role + ": '" + ref.name + "' is already listed under " +
                            it->second.first + " (line " + std::to_string(it->second.second.line) +
                            ")");
      }
    };
    for (const auto& r : s_.columns.id) add(r, "id");
    for (const auto& r : s_.columns.protected_columns) add(r, "protected");
    for (const auto& p : s_.columns.pii) add(p.column, "pii");
    for (const auto& r : s_.columns.ignore) add(r, "ignore");

    std::set<std::string> protected_names;
    for (const auto& r : s_.columns.protected_columns) protected_names.insert(r.name);
    for (const auto& c : s_.kpis.fairness) {
      if (protected_names.empty()) {
        Error(c.mark, "kpis.fairness: '" + c.metric +
                          "' needs a protected column, and columns.protected is empty");
      }
      for (const auto& col : c.columns) {
        if (!protected_names.count(col.name)) {
          Error(col.mark, "kpis.fairness[].columns: '" + col.name +
                              "' is not listed under columns.protected");
        }
      }
    }
  }

  void Metrics() {
    const std::string& task = s_.target.task;
    if (!s_.kpis.primary.empty()) {
      std::string err;
      if (!MetricFitsTask(s_.kpis.primary, task, false, &err)) {
        Error(s_.kpis.primary_mark, "kpis.primary: " + err);
      } else if (!s_.kpis.direction.empty()) {
        const eval::MetricDef* def = *eval::FindMetric(s_.kpis.primary);
        std::string own = def->higher_is_better ? "maximize" : "minimize";
        if (own != s_.kpis.direction) {
          Error(s_.kpis.primary_mark, "kpis.primary: '" + s_.kpis.primary + "' is to " + own +
                                          ", not to " + s_.kpis.direction);
        }
      }
    }
    for (const auto& c : s_.kpis.constraints) {
      std::string err;
      if (!MetricFitsTask(c.metric, task, false, &err)) Error(c.mark, "kpis.constraints: " + err);
    }
    for (const auto& c : s_.kpis.fairness) {
      std::string err;
      if (!MetricFitsTask(c.metric, task, true, &err)) Error(c.mark, "kpis.fairness: " + err);
    }
  }

  void Families() {
    std::vector<std::string> names, interpretable;
    for (const auto& f : models::ModelFamilies()) {
      names.push_back(f.name);
      if (f.interpretable) interpretable.push_back(f.name);
    }
    std::set<std::string> seen;
    for (const auto& m : s_.models) {
      if (m.family.empty()) continue;
      auto found = models::FindModelFamily(m.family);
      if (!found.ok()) {
        Error(m.mark, "models: unknown family '" + m.family + "'" + DidYouMean(m.family, names) +
                          "; valid families: " + JoinNames(names));
        continue;
      }
      const models::ModelFamily& family = **found;
      if (!seen.insert(m.family).second) {
        Error(m.mark, "models: family '" + m.family + "' is listed twice");
      }
      if (s_.interpretability_required && !family.interpretable) {
        Error(m.mark, "models: '" + m.family +
                          "' is not interpretable, and interpretability.required is true; "
                          "interpretable families: " +
                          JoinNames(interpretable));
      }
      if (!s_.target.task.empty()) {
        auto task = models::ParseTask(s_.target.task);
        if (task.ok() && !family.Supports(*task)) {
          Error(m.mark,
                "models: '" + m.family + "' does not support a " + s_.target.task + " target");
        }
      }
      for (const auto& p : m.search) Range(family, p);
    }
  }

  void Range(const models::ModelFamily& family, const ParamRange& p) {
    std::vector<std::string> names;
    const models::HyperParamSpec* spec = nullptr;
    for (const auto& h : family.hyperparameters) {
      names.push_back(h.name);
      if (h.name == p.name) spec = &h;
    }
    std::string what = "models[].search." + p.name;
    if (spec == nullptr) {
      Error(p.mark, "models[].search: '" + family.name + "' has no hyperparameter '" + p.name +
                        "'" + DidYouMean(p.name, names) + "; valid: " + JoinNames(names));
      return;
    }
    if (spec->type == models::ParamType::kCategorical) {
      if (p.numeric) {
        Error(p.mark, what + ": expected a list of choices from " + JoinNames(spec->choices));
        return;
      }
      for (const auto& c : p.choices) {
        if (std::find(spec->choices.begin(), spec->choices.end(), c) == spec->choices.end()) {
          Error(p.mark, what + ": unknown choice '" + c + "'; valid: " + JoinNames(spec->choices));
        }
      }
      return;
    }
    auto num = [](double x) { return FormatNumber(x); };
    std::string allowed = "[";
    allowed.append(num(spec->min)).append(", ").append(num(spec->max)).append("]");
    if (!p.numeric) {
      Error(p.mark, what + ": expected [min, max] within " + allowed);
      return;
    }
    if (p.min > p.max) {
      Error(p.mark, what + ": min " + num(p.min) + " is greater than max " + num(p.max));
    } else if (p.min < spec->min || p.max > spec->max) {
      std::string given = what;
      given.append(": [").append(num(p.min)).append(", ").append(num(p.max));
      Error(p.mark, given.append("] is outside ").append(allowed));
    } else if (spec->type == models::ParamType::kInt &&
               (p.min != static_cast<int64_t>(p.min) || p.max != static_cast<int64_t>(p.max))) {
      Error(p.mark, what + ": expected integer bounds");
    }
  }

  void Features() {
    if (s_.features.is_null()) return;
    auto pipeline = features::FeaturePipeline::FromJson(s_.features);
    if (!pipeline.ok()) Error(s_.features_mark, "features: " + pipeline.status().message());
  }

  ProjectSpec& s_;
  std::vector<SpecError>* errors_;
};

}  // namespace

bool MetricFitsTask(const std::string& metric, const std::string& task, bool fairness,
                    std::string* error) {
  auto def = eval::FindMetric(metric);
  if (!def.ok()) {
    std::vector<std::string> valid;
    for (const auto& m : eval::Metrics()) {
      if ((m.kind == eval::MetricKind::kFairness) == fairness) valid.emplace_back(m.name);
    }
    *error = "unknown metric '" + metric + "'" + DidYouMean(metric, valid) +
             "; valid metrics: " + JoinNames(valid);
    return false;
  }
  bool is_fairness = (*def)->kind == eval::MetricKind::kFairness;
  if (is_fairness != fairness) {
    *error = "'" + metric + "' is " +
             (is_fairness ? "a fairness metric: list it under "
                            "kpis.fairness"
                          : "not a fairness metric: list it under "
                            "kpis.constraints");
    return false;
  }
  if (task.empty()) return true;
  auto t = models::ParseTask(task);
  if (!t.ok()) return true;  // reported where the task is read
  if (fairness) {
    if (*t == models::Task::kBinary) return true;
    *error = "fairness metric '" + metric + "' needs a binary target; the task is " + task;
    return false;
  }
  std::vector<std::string> valid = eval::MetricsForTask(*t);
  if (std::find(valid.begin(), valid.end(), metric) != valid.end()) return true;
  *error = "metric '" + metric + "' does not fit a " + task +
           " target; metrics that do: " + JoinNames(valid);
  return false;
}

void CheckSpec(ProjectSpec* spec, std::vector<SpecError>* errors) { Checker(spec, errors).Run(); }

}  // namespace mlpipe::pipeline::internal
