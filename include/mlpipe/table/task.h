// The learning task of a target column: the one rule that `data profile`,
// `train`, `init` and `run` share, and the check of a task the user states.
//
// Inference (InferTask), present values only:
//   - bool, text and categorical columns are classification;
//   - a numeric column with a non-integer value is regression (as
//     scikit-learn's type_of_target calls such a column "continuous");
//   - an integer-valued numeric column (1, 2.0, ...) is classification when it
//     has at most kMaxInferredClasses (10) distinct values, else regression
//     (counts, ages, scores: a count from 0 to 17 is regression);
//   - classification is binary with 2 distinct values, multiclass with more.
// A task stated by the user (--task, target.task) wins over inference when it
// is feasible (CheckTask).
#pragma once

#include <string_view>

#include "mlpipe/core/status.h"
#include "mlpipe/table/column.h"

namespace mlpipe::table {

enum class Task { kBinary, kMulticlass, kRegression };

// "binary", "multiclass", "regression".
std::string_view TaskName(Task task);
// InvalidArgument naming the valid tasks (with "did you mean") for another name.
Result<Task> ParseTask(std::string_view name);

// Integer-valued numeric targets with more distinct values than this are regression.
inline constexpr size_t kMaxInferredClasses = 10;

// The task of `column` by the rule above. InvalidArgument when the column has
// no present value.
Result<Task> InferTask(const Column& column);

// Whether `column` can be a target of `task`, with a message naming the
// column and what is wrong: binary needs exactly 2 distinct values,
// multiclass at least 3, regression a numeric (not bool) column.
Status CheckTask(const Column& column, Task task);

// `stated` ("" = infer) parsed and checked, else the inferred task.
Result<Task> ResolveTask(const Column& column, std::string_view stated);

}  // namespace mlpipe::table
