// The spec against its data: derived columns, column references (each error
// names the spec line of the reference), the target's task and positive
// class, and the metrics and families that depend on the task.
#include <algorithm>
#include <set>

#include "mlpipe/eval/cv.h"
#include "mlpipe/models/family_table.h"
#include "mlpipe/pipeline/spec.h"
#include "mlpipe/table/task.h"
#include "spec_check.h"
#include "spec_reader.h"

namespace mlpipe::pipeline {
namespace {

using internal::DidYouMean;
using internal::JoinNames;

// The derived column `d` computed from `from`.
table::Column Derive(const DerivedColumn& d, const table::Column& from) {
  std::vector<std::string> values(from.size());
  std::vector<uint8_t> valid(from.size(), 0);
  for (size_t i = 0; i < from.size(); ++i) {
    if (!from.IsValid(i)) continue;
    auto it = d.map.find(from.ToStringAt(i));
    if (it != d.map.end()) {
      values[i] = it->second;
      valid[i] = 1;
    } else if (!d.default_value.empty()) {
      values[i] = d.default_value;
      valid[i] = 1;
    }
  }
  return table::Column::CategoricalFromStrings(d.name, values, valid);
}

// Derives every column it can; errors for the others.
table::Table DeriveAll(const ProjectSpec& spec, const table::Table& data,
                       std::vector<SpecError>* errors) {
  table::Table out = data;
  for (const auto& d : spec.derived) {
    if (out.FindColumn(d.name) != nullptr) {
      errors->push_back({d.mark, "data.derived: the column '" + d.name + "' already exists"});
      continue;
    }
    const table::Column* from = out.FindColumn(d.from.name);
    if (from == nullptr) {
      auto names = out.ColumnNames();
      errors->push_back({d.from.mark, "data.derived[].from: unknown column '" + d.from.name + "'" +
                                          DidYouMean(d.from.name, names) +
                                          "; columns: " + JoinNames(names)});
      continue;
    }
    Status st = out.AddColumn(Derive(d, *from));
    if (!st.ok()) errors->push_back({d.mark, "data.derived: " + st.message()});
  }
  return out;
}

}  // namespace

Result<table::Table> ApplyDerivedColumns(const ProjectSpec& spec, const table::Table& data) {
  std::vector<SpecError> errors;
  table::Table out = DeriveAll(spec, data, &errors);
  if (!errors.empty()) return InvalidArgumentError(FormatSpecErrors(spec.path, errors));
  return out;
}

Status ValidateSpecAgainstData(const ProjectSpec& spec, const table::Table& data) {
  std::vector<SpecError> errors;
  table::Table derived = DeriveAll(spec, data, &errors);
  std::vector<std::string> names = derived.ColumnNames();
  for (const auto& d : spec.derived) names.push_back(d.name);  // even when it failed
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<std::string> listed = derived.ColumnNames();

  auto check = [&](const ColumnRef& ref, const std::string& what) {
    if (ref.name.empty() || std::binary_search(names.begin(), names.end(), ref.name)) return true;
    errors.push_back({ref.mark, what + ": unknown column '" + ref.name + "'" +
                                    DidYouMean(ref.name, listed) +
                                    "; columns: " + JoinNames(listed)});
    return false;
  };
  bool target_known = check(spec.target.column, "target.column");
  for (const auto& r : spec.columns.id) check(r, "columns.id");
  for (const auto& r : spec.columns.protected_columns) check(r, "columns.protected");
  for (const auto& p : spec.columns.pii) check(p.column, "columns.pii");
  for (const auto& r : spec.columns.ignore) check(r, "columns.ignore");
  for (const auto& c : spec.kpis.fairness) {
    for (const auto& r : c.columns) check(r, "kpis.fairness[].columns");
  }
  for (const auto& p : spec.columns.pii) {
    const table::Column* col = derived.FindColumn(p.column.name);
    if (col != nullptr && !p.bands.empty() && !table::IsNumeric(col->type())) {
      errors.push_back({p.column.mark, "columns.pii: '" + p.column.name +
                                           "' is not numeric: generalise it with 'prefix', not "
                                           "'bands'"});
    }
  }

  const table::Column* target = derived.FindColumn(spec.target.column.name);
  Status task_fits = Status::OK();
  if (target_known && target != nullptr && !spec.target.task.empty()) {
    auto stated = table::ParseTask(spec.target.task);
    if (stated.ok()) task_fits = table::CheckTask(*target, *stated);
    if (!task_fits.ok()) {
      errors.push_back({spec.target.task_mark, "target.task: " + task_fits.message()});
    }
  }
  if (target_known && target != nullptr && task_fits.ok()) {
    auto encoded = eval::EncodeTarget(*target, "", spec.target.task);
    if (!encoded.ok()) {
      errors.push_back({spec.target.column.mark, "target.column: " + encoded.status().message()});
    } else {
      std::string task(models::TaskName(encoded->task));
      if (!spec.target.positive.empty()) {
        std::vector<std::string> classes = encoded->classes;
        std::sort(classes.begin(), classes.end());
        if (encoded->task == models::Task::kRegression) {
          errors.push_back({spec.target.positive_mark,
                            "target.positive: '" + spec.target.column.name +
                                "' is a regression target; a positive class applies to binary "
                                "targets only"});
        } else if (std::find(classes.begin(), classes.end(), spec.target.positive) ==
                   classes.end()) {
          errors.push_back({spec.target.positive_mark,
                            "target.positive: '" + spec.target.positive + "' is not a class of '" +
                                spec.target.column.name + "'; classes: " + JoinNames(classes)});
        }
      }
      if (spec.target.task.empty()) {  // the metric checks ParseSpec could not make
        std::string err;
        if (!spec.kpis.primary.empty() &&
            !internal::MetricFitsTask(spec.kpis.primary, task, false, &err)) {
          errors.push_back({spec.kpis.primary_mark, "kpis.primary: " + err});
        }
        for (const auto& c : spec.kpis.constraints) {
          if (!internal::MetricFitsTask(c.metric, task, false, &err)) {
            errors.push_back({c.mark, "kpis.constraints: " + err});
          }
        }
        for (const auto& c : spec.kpis.fairness) {
          if (!internal::MetricFitsTask(c.metric, task, true, &err)) {
            errors.push_back({c.mark, "kpis.fairness: " + err});
          }
        }
        for (const auto& m : spec.models) {
          auto family = models::FindModelFamily(m.family);
          if (family.ok() && !(*family)->Supports(encoded->task)) {
            errors.push_back(
                {m.mark, "models: '" + m.family + "' does not support a " + task + " target"});
          }
        }
      }
    }
  }
  if (errors.empty()) return Status();
  std::stable_sort(errors.begin(), errors.end(), [](const SpecError& a, const SpecError& b) {
    return std::tie(a.mark.line, a.mark.column) < std::tie(b.mark.line, b.mark.column);
  });
  return InvalidArgumentError(FormatSpecErrors(spec.path, errors));
}

}  // namespace mlpipe::pipeline
