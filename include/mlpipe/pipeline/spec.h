// The project spec, `mlpipe.yaml` (docs/spec.md): plain structs for every
// section, the loader that checks them, the check of a spec against its data
// and the writer that `mlpipe init` uses.
//
// Errors are reported all at once, one per line, each as
// `PATH:LINE:COLUMN: message` with 1-based line and column, so that a user
// fixes a spec in one pass. Structs keep the position (Mark) of every column
// reference so that checks against the data can name the spec line too.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/table/table.h"

namespace mlpipe::pipeline {

// A 1-based position in the spec file; 0 when the value was defaulted.
struct Mark {
  int line = 0;
  int column = 0;
};

// A column named by the spec, with where it was named.
struct ColumnRef {
  std::string name;
  Mark mark;
};

struct DataSource {
  std::string name;    // how other sections refer to it; default: "data"
  std::string path;    // as written: relative to the spec's folder (or absolute)
  std::string format;  // "csv", "arff", "jsonl" or "" (by extension)
  Mark mark;
  Mark path_mark;  // where `path` is written
};

// A column computed from another before anything else runs: each value of
// `from` is replaced by map[value]; values not in the map become
// `default_value` (missing when it is empty).
struct DerivedColumn {
  std::string name;
  ColumnRef from;
  std::map<std::string, std::string> map;
  std::string default_value;
  Mark mark;
};

struct TargetSpec {
  ColumnRef column;
  std::string positive;  // binary only; "" = the minority class
  Mark positive_mark;
  std::string task;  // "binary", "multiclass", "regression" or "" (inferred from the data)
  Mark task_mark;
};

enum class PiiHandling { kDrop, kPseudonymise, kGeneralise };
// "drop", "pseudonymise", "generalise".
std::string_view PiiHandlingName(PiiHandling h);

struct PiiColumn {
  ColumnRef column;
  PiiHandling handling = PiiHandling::kDrop;
  std::vector<double> bands;               // generalise, numeric: ascending band edges
  int prefix = 0;                          // generalise, text: keep this many leading characters
  std::string key_env = "MLPIPE_PII_KEY";  // pseudonymise: env variable holding the HMAC key
};

struct ColumnRoles {
  std::vector<ColumnRef> id;
  std::vector<ColumnRef> protected_columns;  // key `protected`
  std::vector<PiiColumn> pii;
  std::vector<ColumnRef> ignore;
  // Every other column (the target excluded) is a feature.
};

// `metric op value`, e.g. roc_auc >= 0.75.
struct Constraint {
  std::string metric;
  std::string op;  // ">=", ">", "<=", "<"
  double value = 0;
  std::vector<ColumnRef> columns;  // fairness only; empty: every protected column
  Mark mark;
  bool Holds(double x) const;
};

struct Kpis {
  std::string primary;    // "" = the task's default (roc_auc, accuracy, rmse)
  std::string direction;  // "maximize" / "minimize"; "" = the metric's own
  Mark primary_mark;
  std::vector<Constraint> constraints;
  std::vector<Constraint> fairness;
  std::optional<double> latency_budget_ms;  // p99 per single prediction
};

// A search-space override: a numeric [min, max] or a list of choices.
struct ParamRange {
  std::string name;
  bool numeric = false;
  double min = 0, max = 0;
  std::vector<std::string> choices;
  Mark mark;
};

struct ModelSpec {
  std::string family;
  std::vector<ParamRange> search;  // overrides of the family table's search ranges
  Mark mark;
};

struct SearchOptions {
  std::string strategy = "random";  // random, grid, halving
  int trials = 20;                  // random: trials; halving: first-rung configurations
  int cv = 5;                       // cross-validation folds
  // "grid", "random:N" or "halving:N": what eval::ParseSearchSpec takes.
  std::string ToSearchSpec() const;
};

struct SplitOptions {
  double test_size = 0.2;
  bool stratify = true;  // by class (classification only)
};

struct ProxyPolicy {
  double threshold =
      0.5;  // association with a protected column at or above which a feature is a proxy
  std::vector<std::string> methods = {"cramers_v", "correlation_ratio", "pearson", "spearman"};
  bool refuse = false;  // true: a proxy stops the run; false: it is reported
};

struct Approval {
  std::string role;
  int count = 1;
  Mark mark;
};

struct Gates {
  bool kpis = true;            // every kpis.constraints entry must hold on the test part
  bool fairness = true;        // every kpis.fairness entry must hold
  bool latency = true;         // the latency budget must hold (when one is set)
  double champion_margin = 0;  // the primary metric must beat the champion's by this much
};

struct Governance {
  ProxyPolicy proxy;
  std::vector<Approval> approvals;
  Gates gates;
};

struct ProjectSpec {
  std::string path;  // the file it was read from ("" when built in code)
  std::string name;
  Mark name_mark;
  std::string objective;
  std::vector<DataSource> sources;  // the first one is the training data
  std::vector<DerivedColumn> derived;
  TargetSpec target;
  ColumnRoles columns;
  Kpis kpis;
  bool interpretability_required = false;
  // The feature pipeline spec (FeaturePipeline::FromJson); null = "auto"
  // (features::InferDefaultPipeline).
  core::Json features;
  Mark features_mark;
  std::vector<ModelSpec> models;  // empty: logreg, gbdt, rf (ridge, gbdt, rf for regression)
  SearchOptions search;
  SplitOptions split;
  uint64_t seed = 0;
  Governance governance;
  std::string register_model;  // registered model name; "" = `name`
  Mark register_mark;

  // The first source's path resolved against the spec's folder.
  std::string TrainingDataPath() const;
};

// One problem found in a spec.
struct SpecError {
  Mark mark;
  std::string message;
};

// Parses spec text; `path` names it in messages. Every problem goes to
// `errors` (in file order); the returned spec holds what could be read.
ProjectSpec ParseSpec(const std::string& text, const std::string& path,
                      std::vector<SpecError>* errors);

// ParseSpec with `--set KEY=VALUE` settings (dotted keys, YAML values, e.g.
// search.trials=5) applied to the YAML before it is read: values not set keep
// their positions in `text`. `effective` (may be null) receives the spec as
// run: `text` itself without settings, else the YAML re-emitted.
ProjectSpec ParseSpec(const std::string& text, const std::string& path,
                      const std::vector<std::string>& settings, std::vector<SpecError>* errors,
                      std::string* effective);

// "PATH:LINE:COLUMN: message" lines (PATH:0:0 is written as PATH).
std::string FormatSpecErrors(const std::string& path, const std::vector<SpecError>& errors);

// Reads and parses `path`. InvalidArgument whose message holds every error,
// one per line, as "PATH:LINE:COLUMN: message"; NotFound/IoError when the
// file cannot be read.
Result<ProjectSpec> LoadSpec(core::Env* env, const std::string& path);

// Adds the spec's derived columns to `data`. InvalidArgument naming the spec
// line for an unknown `from` column or a name that is taken.
Result<table::Table> ApplyDerivedColumns(const ProjectSpec& spec, const table::Table& data);

// Checks `spec` against its training data (before derived columns are
// applied): every column reference exists (the spec line of the reference is
// named, the columns that exist are listed), the positive class is a class of
// the target, the stated task matches the data, and every metric fits the
// task. All problems are reported, one per line.
Status ValidateSpecAgainstData(const ProjectSpec& spec, const table::Table& data);

// Comments `SpecToYaml` writes beside a column's role entry, by column name
// (e.g. "check: looks like a protected attribute").
using SpecComments = std::map<std::string, std::string>;

// The spec as YAML that ParseSpec reads back to an equal spec (marks aside).
// `comments` (may be null) annotates column entries; `header` (may be empty)
// is written first as comment lines.
std::string SpecToYaml(const ProjectSpec& spec, const SpecComments* comments = nullptr,
                       const std::string& header = "");

}  // namespace mlpipe::pipeline
