// Internal to the runner: each step's summary as a typed record. A step
// builds its record and stores ToJson(); whoever reads it back (a later step,
// the run record, a cached manifest) goes through FromJson, whose errors name
// the key at fault ("leaderboard[1].cv.roc_auc.mean: expected a number or
// null, found string"). Unknown keys are ignored (the runner adds "_run_id").
//
// ToJson writes exactly the JSON the step always wrote: these summaries end up
// in step files (comparison.json, gates.json, ...) that reproduce compares
// byte for byte. A number that may be undefined is std::optional<double>:
// null when absent; a NaN computed in this process stays NaN (it prints as
// null all the same).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"

namespace mlpipe::pipeline::internal {

using MaybeNumber = std::optional<double>;

// ------------------------------------------------------------------ ingest --

struct PiiRecord {
  std::string column;
  std::string handling;
  std::vector<double> bands;
  int64_t prefix = 0;
  std::string key_env;

  core::Json ToJson() const;
  static Result<PiiRecord> FromJson(const core::Json& j, std::string_view path = "");
};

struct IngestSummary {
  static constexpr char kStep[] = "ingest";
  std::string dataset_ref;  // "NAME@V"
  std::string dataset;
  int64_t version = 0;
  int64_t rows = 0;
  std::string sha256;
  bool existed = false;
  std::optional<std::string> source;  // absent when the data came from a recorded version
  bool protected_pii = false;
  std::vector<PiiRecord> pii;

  core::Json ToJson() const;
  static Result<IngestSummary> FromJson(const core::Json& j, std::string_view path = "");
};

// ---------------------------------------------------------------- validate --

struct AnomalyRecord {
  std::string severity;
  std::string column;
  std::string message;

  core::Json ToJson() const;
  static Result<AnomalyRecord> FromJson(const core::Json& j, std::string_view path = "");
};

struct ValidateSummary {
  static constexpr char kStep[] = "validate";
  bool passed = false;
  std::optional<std::string> reference;  // null for a first version
  int64_t errors = 0;
  int64_t warnings = 0;
  std::string detail;
  std::optional<std::vector<AnomalyRecord>> anomalies;  // absent for a first version

  core::Json ToJson() const;
  static Result<ValidateSummary> FromJson(const core::Json& j, std::string_view path = "");
};

// ----------------------------------------------------------------- profile --

struct ProfileWarningRecord {
  std::string severity;
  std::string rule;
  std::string column;
  std::string message;

  core::Json ToJson() const;
  static Result<ProfileWarningRecord> FromJson(const core::Json& j, std::string_view path = "");
};

struct ProfileSummary {
  static constexpr char kStep[] = "profile";
  int64_t rows = 0;
  int64_t columns = 0;
  std::vector<ProfileWarningRecord> warnings;

  core::Json ToJson() const;
  static Result<ProfileSummary> FromJson(const core::Json& j, std::string_view path = "");
};

// -------------------------------------------------------------- governance --

struct ProtectedUseRecord {
  std::string protected_column;  // key "protected"
  std::string feature;
  std::string how;
  bool overridden = false;
  std::string reason;

  core::Json ToJson() const;
  static Result<ProtectedUseRecord> FromJson(const core::Json& j, std::string_view path = "");
};

struct ProxyRecord {
  std::string feature;
  std::string protected_column;  // key "protected"
  std::string method;
  MaybeNumber value;
  int64_t rows = 0;
  bool flagged = false;

  core::Json ToJson() const;
  static Result<ProxyRecord> FromJson(const core::Json& j, std::string_view path = "");
};

struct GovernanceSummary {
  static constexpr char kStep[] = "governance";
  std::vector<std::string> protected_columns;  // key "protected"
  std::vector<ProtectedUseRecord> protected_uses;
  std::vector<ProxyRecord> proxies;  // the flagged ones (governance.json has all)
  double proxy_threshold = 0;
  bool proxy_refuse = false;
  std::vector<PiiRecord> pii;

  core::Json ToJson() const;
  static Result<GovernanceSummary> FromJson(const core::Json& j, std::string_view path = "");
};

// ------------------------------------------------------------------- split --

struct SplitSummary {
  static constexpr char kStep[] = "split";
  std::string task;
  int64_t train_rows = 0;
  int64_t test_rows = 0;
  bool stratified = false;

  core::Json ToJson() const;
  static Result<SplitSummary> FromJson(const core::Json& j, std::string_view path = "");
};

// ---------------------------------------------------------------- features --

struct FeaturesSummary {
  static constexpr char kStep[] = "features";
  std::vector<std::string> columns;
  std::map<std::string, std::vector<std::string>> families;  // family -> transform names

  core::Json ToJson() const;
  static Result<FeaturesSummary> FromJson(const core::Json& j, std::string_view path = "");
};

// ------------------------------------------------------------------- train --

// A metric with its bootstrap interval. In the train step's leaderboard
// (eval::Train's entries) and the evaluate step's KPIs.
struct EstimateRecord {
  MaybeNumber value;
  MaybeNumber ci_low;
  MaybeNumber ci_high;
  double confidence = 0;

  // The keys value, ci_low, ci_high and confidence, added to `j`.
  void AddTo(core::Json& j) const;
  core::Json ToJson() const;
  static Result<EstimateRecord> FromJson(const core::Json& j, std::string_view path = "");
};

struct CvScoreRecord {
  MaybeNumber mean;
  MaybeNumber std;

  core::Json ToJson() const;
  static Result<CvScoreRecord> FromJson(const core::Json& j, std::string_view path = "");
};

struct LeaderFairnessRecord {
  MaybeNumber demographic_parity_ratio;
  MaybeNumber equalized_odds_difference;
  int64_t groups = 0;

  core::Json ToJson() const;
  static Result<LeaderFairnessRecord> FromJson(const core::Json& j, std::string_view path = "");
};

// One family's entry of the leaderboard, as eval::Train writes it less its
// wall times.
struct LeaderboardRecord {
  std::string family;
  core::Json params = core::Json::object();  // {"name": number | string}
  std::map<std::string, CvScoreRecord> cv;
  std::map<std::string, EstimateRecord> test;
  std::map<std::string, LeaderFairnessRecord> fairness;
  int64_t trials = 0;

  core::Json ToJson() const;
  static Result<LeaderboardRecord> FromJson(const core::Json& j, std::string_view path = "");
};

struct TrainSummary {
  static constexpr char kStep[] = "train";
  std::string best;
  std::vector<std::string> metrics;  // the primary one first
  std::vector<LeaderboardRecord> leaderboard;
  double fit_seconds = 0;
  int64_t bundle_bytes = 0;
  int64_t trials = 0;

  core::Json ToJson() const;
  static Result<TrainSummary> FromJson(const core::Json& j, std::string_view path = "");
};

// ---------------------------------------------------------------- evaluate --

struct KpiRecord {
  std::string metric;
  EstimateRecord estimate;
  std::vector<std::string> constraints;
  bool passed = true;

  core::Json ToJson() const;
  static Result<KpiRecord> FromJson(const core::Json& j, std::string_view path = "");
};

struct FairnessRecord {
  std::string metric;
  std::optional<EstimateRecord> estimate;  // absent when the metric failed (see error)
  std::string column;
  std::string constraint;
  bool passed = false;
  std::optional<std::string> error;

  core::Json ToJson() const;
  static Result<FairnessRecord> FromJson(const core::Json& j, std::string_view path = "");
};

struct GroupRecord {
  std::string group;
  int64_t count = 0;
  MaybeNumber selection_rate;
  MaybeNumber tpr;
  MaybeNumber fpr;
  bool four_fifths_flag = false;

  core::Json ToJson() const;
  static Result<GroupRecord> FromJson(const core::Json& j, std::string_view path = "");
};

struct LatencyRecord {
  int64_t rows = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double budget_ms = 0;
  bool passed = false;

  core::Json ToJson() const;
  static Result<LatencyRecord> FromJson(const core::Json& j, std::string_view path = "");
};

struct EvaluateSummary {
  static constexpr char kStep[] = "evaluate";
  std::vector<KpiRecord> kpis;
  std::vector<FairnessRecord> fairness;
  std::map<std::string, std::vector<GroupRecord>> groups;  // protected column -> groups
  int64_t test_rows = 0;
  std::optional<LatencyRecord> latency;

  core::Json ToJson() const;
  static Result<EvaluateSummary> FromJson(const core::Json& j, std::string_view path = "");
};

// ----------------------------------------------------------------- compare --

// The paired bootstrap against the champion, when both could score the rows.
struct ComparisonRecord {
  std::string metric;
  MaybeNumber champion_value;
  MaybeNumber challenger_value;
  MaybeNumber gain;
  MaybeNumber gain_ci_low;  // key "gain_ci": [low, high]
  MaybeNumber gain_ci_high;
  MaybeNumber p_value;
};

struct CompareSummary {
  static constexpr char kStep[] = "compare";
  std::optional<std::string> champion;  // "MODEL@V"; null when there is none
  bool passed = false;
  std::string evidence;
  double margin = 0;
  std::optional<ComparisonRecord> comparison;

  core::Json ToJson() const;
  static Result<CompareSummary> FromJson(const core::Json& j, std::string_view path = "");
};

// ---------------------------------------------------------------- register --

struct RegisterSummary {
  static constexpr char kStep[] = "register";
  std::string model;
  int64_t version = 0;
  bool reused = false;
  std::string model_ref;  // "MODEL@V"

  core::Json ToJson() const;
  static Result<RegisterSummary> FromJson(const core::Json& j, std::string_view path = "");
};

// ------------------------------------------------------------------- gates --

struct GateRecord {
  std::string name;
  bool passed = false;
  std::string evidence;

  core::Json ToJson() const;
  static Result<GateRecord> FromJson(const core::Json& j, std::string_view path = "");
};

struct GatesSummary {
  static constexpr char kStep[] = "gates";
  std::string model_ref;
  std::vector<GateRecord> gates;
  bool passed = false;
  bool passed_except_approvals = false;
  std::vector<std::string> failing;

  core::Json ToJson() const;
  static Result<GatesSummary> FromJson(const core::Json& j, std::string_view path = "");
};

// Whether `summary` reads as a record of type R; the error names the key.
template <typename R>
Status CheckSummary(const core::Json& summary) {
  return R::FromJson(summary).status();
}

}  // namespace mlpipe::pipeline::internal
