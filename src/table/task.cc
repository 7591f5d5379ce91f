#include "mlpipe/table/task.h"

#include <cmath>
#include <set>
#include <string>

#include <fmt/format.h>

#include "mlpipe/core/suggest.h"

namespace mlpipe::table {
namespace {

struct Distinct {
  size_t count = 0;                // distinct present values, counted up to `cap` + 1
  bool integral = true;            // numeric: every present value is an integer
  bool numeric = false;            // numeric and not bool
  std::vector<std::string> first;  // up to 4 distinct values, as text
};

// Distinct present values of `column`, counted up to cap + 1.
Distinct CountDistinct(const Column& column, size_t cap) {
  Distinct d;
  d.numeric = IsNumeric(column.type()) && column.type() != DataType::kBool;
  if (d.numeric) {
    std::set<double> seen;
    for (size_t i = 0; i < column.size(); ++i) {
      if (!column.IsValid(i)) continue;
      const double v = column.NumericAt(i);
      if (std::isnan(v)) continue;
      d.integral = d.integral && std::isfinite(v) && v == std::floor(v);
      if (seen.size() <= cap && seen.insert(v).second && d.first.size() < 4) {
        d.first.push_back(column.ToStringAt(i));
      }
    }
    d.count = seen.size();
  } else {
    std::set<std::string> seen;
    for (size_t i = 0; i < column.size() && seen.size() <= cap; ++i) {
      if (!column.IsValid(i)) continue;
      std::string s = column.ToStringAt(i);
      if (seen.insert(s).second && d.first.size() < 4) d.first.push_back(s);
    }
    d.count = seen.size();
  }
  return d;
}

std::string Examples(const Distinct& d) {
  std::string s;
  for (size_t i = 0; i < d.first.size() && i < 3; ++i) s += (i ? ", " : "") + d.first[i];
  if (d.count > 3) s += ", …";
  return s;
}

}  // namespace

std::string_view TaskName(Task task) {
  switch (task) {
    case Task::kBinary:
      return "binary";
    case Task::kMulticlass:
      return "multiclass";
    case Task::kRegression:
      return "regression";
  }
  return "?";
}

Result<Task> ParseTask(std::string_view name) {
  for (Task t : {Task::kBinary, Task::kMulticlass, Task::kRegression}) {
    if (TaskName(t) == name) return t;
  }
  return InvalidArgumentError("unknown task '" + std::string(name) + "'" +
                              core::DidYouMean(name, {"binary", "multiclass", "regression"}) +
                              "; valid: binary, multiclass, regression");
}

Result<Task> InferTask(const Column& column) {
  const Distinct d = CountDistinct(column, kMaxInferredClasses);
  if (d.count == 0) {
    return InvalidArgumentError("target '" + column.name() + "' has no present value");
  }
  if (d.numeric && (!d.integral || d.count > kMaxInferredClasses)) return Task::kRegression;
  return d.count <= 2 ? Task::kBinary : Task::kMulticlass;
}

Status CheckTask(const Column& column, Task task) {
  const std::string name = column.name();
  if (task == Task::kRegression) {
    const bool numeric = IsNumeric(column.type()) && column.type() != DataType::kBool;
    if (!numeric) {
      return InvalidArgumentError(fmt::format(
          "task regression: target '{}' is not numeric; regression needs numbers", name));
    }
    return Status::OK();
  }
  const Distinct d = CountDistinct(column, 2);
  if (task == Task::kBinary && d.count != 2) {
    return InvalidArgumentError(fmt::format(
        "task binary: target '{}' has {} distinct values ({}); binary needs exactly 2{}", name,
        d.count > 2 ? "more than 2" : std::to_string(d.count), Examples(d),
        d.count > 2 ? " (use multiclass or regression)" : ""));
  }
  if (task == Task::kMulticlass && d.count < 3) {
    return InvalidArgumentError(fmt::format(
        "task multiclass: target '{}' has {} distinct value{} ({}); multiclass needs at least "
        "3{}",
        name, d.count, d.count == 1 ? "" : "s", Examples(d), d.count == 2 ? " (use binary)" : ""));
  }
  return Status::OK();
}

Result<Task> ResolveTask(const Column& column, std::string_view stated) {
  if (stated.empty()) return InferTask(column);
  MLPIPE_ASSIGN_OR_RETURN(Task task, ParseTask(stated));
  MLPIPE_RETURN_IF_ERROR(CheckTask(column, task));
  return task;
}

}  // namespace mlpipe::table
