// Transform: one fitted step of a feature pipeline, and the table of all of them.
//
// Every transform is created empty by its factory, configured from a JSON
// spec (its parameters), fitted on training data only, and then applied
// identically to any table with the columns it was fitted on. Its ToJson()
// holds "name", "format_version", the parameters and, once fitted, "state";
// FromJson() of that JSON gives a transform that applies identically.
//
// Column rules shared by all transforms:
// - A parameter "columns" lists the input columns. Where it may be omitted,
//   the transform takes every column of its default types at fit time, and the
//   resolved list is saved in the state.
// - A column that does not exist, or has a type the transform does not
//   accept, is an InvalidArgument/NotFound error naming the transform, the
//   column and the column's actual type, and suggesting what to do.
// - Missing values (column validity) stay missing unless the transform exists
//   to fill them (impute) or says otherwise in its description.
// - Unknown parameter keys are errors that list the valid keys.
//
// Thread safety: a fitted transform is immutable; Apply() is const and may be
// called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/features/frame.h"
#include "mlpipe/features/row_kernel.h"
#include "mlpipe/table/column.h"

namespace mlpipe::features {

// What a transform may see while fitting, besides the training columns.
struct FitContext {
  // The target, row-aligned with the frame; nullptr when there is none.
  // Only supervised transforms (target_encode) read it.
  const table::Column* target = nullptr;
  // Seed for every random choice (fold assignment of target encoding).
  uint64_t seed = 0;
};

class Transform {
 public:
  virtual ~Transform() = default;

  // The table name, e.g. "one_hot".
  virtual std::string_view name() const = 0;
  bool fitted() const { return fitted_; }

  // Reads the parameters of `spec` and, when it holds "state", the fitted
  // state. `spec["name"]` must equal name() when present; `context` prefixes
  // errors (e.g. "transforms[2]").
  Status FromJson(const core::Json& spec, std::string_view context);
  // {"name", "format_version", parameters..., "state" (only when fitted)}.
  core::Json ToJson() const;

  // Fits on `frame` (training rows) and transforms it in place. Transforms
  // whose training output differs from Apply() of the same rows (target_encode:
  // out-of-fold encodings) say so.
  Status FitApply(Frame& frame, const FitContext& ctx);
  // Transforms `frame` in place. FailedPrecondition when not fitted.
  Status Apply(Frame& frame) const;

  // The columns this transform reads: its fitted column list (state
  // "columns" or "inputs") when fitted, else its configured "columns"; for an
  // expression, the variables of the expression (known before fitting).
  // Empty when the list is resolved at fit time and not fitted yet. select
  // and drop report the columns they keep or remove. Governance uses it to
  // trace which source columns reach the features.
  virtual std::vector<std::string> InputColumns() const;

  // The per-row form of this fitted transform (row_kernel.h): reads and binds
  // slots in `compiler` as Apply() reads and edits a frame, and returns the
  // kernel that gives one row's values as Apply() gives them. Transforms
  // without a row kernel (target_encode) return FailedPrecondition saying so;
  // a pipeline holding one is scored by the columnar path. REQUIRES: fitted().
  virtual Result<std::unique_ptr<RowKernel>> CompileRow(RowCompiler& compiler) const;

  static constexpr int kFormatVersion = 1;

 protected:
  // The parameter keys accepted in a spec (besides name, format_version, state).
  virtual std::vector<std::string_view> ParamKeys() const = 0;
  virtual Status LoadParams(const core::Json& spec, const std::string& context) = 0;
  virtual core::Json ParamsJson() const = 0;
  virtual Status LoadState(const core::Json& state, const std::string& context) = 0;
  virtual core::Json StateJson() const = 0;
  // Fits the state on `frame`. The default FitApply calls Fit then DoApply.
  virtual Status Fit(const Frame& frame, const FitContext& ctx) = 0;
  virtual Status DoApply(Frame& frame) const = 0;
  // Override when the training rows must be transformed differently.
  virtual Status DoFitApply(Frame& frame, const FitContext& ctx);

 private:
  bool fitted_ = false;
};

// One entry of the transform table.
struct TransformInfo {
  std::string_view name;
  std::string_view description;
  std::unique_ptr<Transform> (*factory)();
};

// Every transform, in one explicit table (documentation order).
const std::vector<TransformInfo>& TransformTable();

// A new empty transform; InvalidArgument listing the valid names when unknown.
Result<std::unique_ptr<Transform>> CreateTransform(std::string_view name);

// CreateTransform(spec["name"]) then FromJson(spec).
Result<std::unique_ptr<Transform>> TransformFromJson(const core::Json& spec,
                                                     std::string_view context);

}  // namespace mlpipe::features
