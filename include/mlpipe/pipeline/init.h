// `mlpipe init`: profiles a data file and writes a runnable project spec
// (DIR/mlpipe.yaml) with sensible defaults, the role of each column guessed
// and the guesses marked "# check: ..." for the user to confirm (docs/spec.md).
#pragma once

#include <string>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"
#include "mlpipe/pipeline/spec.h"
#include "mlpipe/table/table.h"

namespace mlpipe::pipeline {

struct InitOptions {
  std::string dir;       // the project folder (created when missing)
  std::string data;      // the data file; referenced from the spec by a path relative to `dir`
  std::string target;    // the target column (required)
  std::string positive;  // positive class of a binary target; "" = the minority class
  bool force = false;    // overwrite an existing DIR/mlpipe.yaml
  std::string task;      // "binary", "multiclass", "regression"; "" = inferred (table/task.h)
};

// One guessed role.
struct RoleGuess {
  std::string column;
  // "id", "protected", "pii", "ignore"; or "feature" for a column kept as a
  // feature with a note (a postal code: a quasi-identifier, not dropped).
  std::string role;
  std::string reason;  // the comment written beside it; names the attribute of a protected one
  // "protected" only: the attribute the column stands for ("sex" for a
  // `female` indicator, "age" for `ApplicantAge`); "" otherwise.
  std::string attribute;
};

struct InitResult {
  std::string spec_path;  // DIR/mlpipe.yaml
  ProjectSpec spec;       // as written
  std::string yaml;       // the file's text
  std::vector<RoleGuess> guesses;
};

// Guesses the role of each column of `data` but the target: identifiers
// (unique per row, named like an id or text), personal data (by name or by
// values that look like e-mail addresses or phone numbers; a postal code is
// a location kept as a feature, "feature" with a note), protected
// attributes (named after one: sex, gender, age, race, ... — a numeric age
// only when its values are whole or half years within 0-120, and not a
// yes/no/? answer to a longer phrase naming one; or a yes/no
// column named after one group of one: female, is_male, senior_citizen,
// race_white, foreigner, ...) and constant columns (ignored). In column
// order. Distinct counts come from profile::ProfileTable.
Result<std::vector<RoleGuess>> GuessRoles(const table::Table& data, const std::string& target);

// The spec `mlpipe init` writes for `data` (read from options.data), without
// writing it. Errors: the target is unknown (columns listed) or cannot be
// encoded, or `positive` is not a class of it.
Result<ProjectSpec> InferSpec(const table::Table& data, const InitOptions& options,
                              std::vector<RoleGuess>* guesses);

// Reads the data, infers the spec and writes DIR/mlpipe.yaml atomically.
// AlreadyExists when the file exists and !options.force (checked before the
// data is read). The written file loads with LoadSpec and passes
// ValidateSpecAgainstData (Internal otherwise).
Result<InitResult> InitProject(core::Env* env, const InitOptions& options);

}  // namespace mlpipe::pipeline
