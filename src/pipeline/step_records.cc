// The steps' summaries to and from JSON (step_records.h).
#include "step_records.h"

#include <concepts>
#include <utility>

#include <fmt/format.h>

namespace mlpipe::pipeline::internal {
namespace {

core::Json Num(const MaybeNumber& v) { return v ? core::Json(*v) : core::Json(); }

template <typename R>
concept Record = requires(const core::Json& j) {
  { R::FromJson(j, std::string_view()) } -> std::same_as<Result<R>>;
};

// Reads the fields of one JSON object. The first error is kept and names the
// key's path from the summary's root; later reads are no-ops.
class Reader {
 public:
  Reader(const core::Json& j, std::string_view path) : j_(j), path_(path) {
    if (!j.is_object()) Fail(std::string(path_), "expected an object", j);
  }

  // A required key.
  template <typename T>
  void Get(std::string_view key, T* out) {
    if (!status_.ok()) return;
    auto it = j_.find(std::string(key));
    if (it == j_.end()) {
      status_ = DataLossError(Path(key) + ": missing required key");
      return;
    }
    Convert(*it, Path(key), out);
  }

  // A key that may be absent.
  template <typename T>
  void Optional(std::string_view key, std::optional<T>* out) {
    out->reset();
    if (!status_.ok() || !j_.contains(std::string(key))) return;
    T v{};
    Get(key, &v);
    if (status_.ok()) *out = std::move(v);
  }

  template <typename T>
  Result<T> Done(T value) {
    if (!status_.ok()) return status_;
    return value;
  }

 private:
  std::string Path(std::string_view key) const {
    return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
  }

  void Fail(const std::string& path, std::string_view expected, const core::Json& found) {
    if (!status_.ok()) return;
    status_ = DataLossError(fmt::format("{}{}{}, found {}", path, path.empty() ? "" : ": ",
                                        expected, found.type_name()));
  }

  void Convert(const core::Json& j, const std::string& path, std::string* out) {
    if (!j.is_string()) return Fail(path, "expected a string", j);
    *out = j.get<std::string>();
  }
  void Convert(const core::Json& j, const std::string& path, bool* out) {
    if (!j.is_boolean()) return Fail(path, "expected true or false", j);
    *out = j.get<bool>();
  }
  void Convert(const core::Json& j, const std::string& path, int64_t* out) {
    if (!j.is_number_integer()) return Fail(path, "expected an integer", j);
    *out = j.get<int64_t>();
  }
  void Convert(const core::Json& j, const std::string& path, double* out) {
    if (!j.is_number()) return Fail(path, "expected a number", j);
    *out = j.get<double>();
  }
  void Convert(const core::Json& j, const std::string& path, MaybeNumber* out) {
    if (j.is_null()) {
      out->reset();
    } else if (j.is_number()) {
      *out = j.get<double>();
    } else {
      Fail(path, "expected a number or null", j);
    }
  }
  // A string that may be null.
  void Convert(const core::Json& j, const std::string& path, std::optional<std::string>* out) {
    if (j.is_null()) {
      out->reset();
    } else if (j.is_string()) {
      *out = j.get<std::string>();
    } else {
      Fail(path, "expected a string or null", j);
    }
  }
  void Convert(const core::Json& j, const std::string&, core::Json* out) { *out = j; }
  template <typename T>
  void Convert(const core::Json& j, const std::string& path, std::vector<T>* out) {
    if (!j.is_array()) return Fail(path, "expected an array", j);
    out->assign(j.size(), T{});
    for (size_t i = 0; i < j.size() && status_.ok(); ++i) {
      Convert(j[i], fmt::format("{}[{}]", path, i), &(*out)[i]);
    }
  }
  template <typename T>
  void Convert(const core::Json& j, const std::string& path, std::map<std::string, T>* out) {
    if (!j.is_object()) return Fail(path, "expected an object", j);
    out->clear();
    for (const auto& [k, v] : j.items()) {
      if (!status_.ok()) return;
      Convert(v, fmt::format("{}.{}", path, k), &(*out)[k]);
    }
  }
  template <Record R>
  void Convert(const core::Json& j, const std::string& path, R* out) {
    Result<R> r = R::FromJson(j, path);
    if (!r.ok()) {
      status_ = r.status();
      return;
    }
    *out = std::move(*r);
  }

  const core::Json& j_;
  std::string_view path_;
  Status status_;
};

template <typename R>
core::Json ArrayOf(const std::vector<R>& records) {
  core::Json j = core::Json::array();
  for (const auto& r : records) j.push_back(r.ToJson());
  return j;
}

template <typename R>
core::Json ObjectOf(const std::map<std::string, R>& records) {
  core::Json j = core::Json::object();
  for (const auto& [k, r] : records) j[k] = r.ToJson();
  return j;
}

}  // namespace

// ------------------------------------------------------------------ ingest --

core::Json PiiRecord::ToJson() const {
  return {{"column", column},
          {"handling", handling},
          {"bands", bands},
          {"prefix", prefix},
          {"key_env", key_env}};
}

Result<PiiRecord> PiiRecord::FromJson(const core::Json& j, std::string_view path) {
  PiiRecord p;
  Reader r(j, path);
  r.Get("column", &p.column);
  r.Get("handling", &p.handling);
  r.Get("bands", &p.bands);
  r.Get("prefix", &p.prefix);
  r.Get("key_env", &p.key_env);
  return r.Done(std::move(p));
}

core::Json IngestSummary::ToJson() const {
  core::Json j = {{"dataset_ref", dataset_ref}, {"dataset", dataset},
                  {"version", version},         {"rows", rows},
                  {"sha256", sha256},           {"existed", existed}};
  if (source) j["source"] = *source;
  j["protected_pii"] = protected_pii;
  j["pii"] = ArrayOf(pii);
  return j;
}

Result<IngestSummary> IngestSummary::FromJson(const core::Json& j, std::string_view path) {
  IngestSummary s;
  Reader r(j, path);
  r.Get("dataset_ref", &s.dataset_ref);
  r.Get("dataset", &s.dataset);
  r.Get("version", &s.version);
  r.Get("rows", &s.rows);
  r.Get("sha256", &s.sha256);
  r.Get("existed", &s.existed);
  r.Optional("source", &s.source);
  r.Get("protected_pii", &s.protected_pii);
  r.Get("pii", &s.pii);
  return r.Done(std::move(s));
}

// ---------------------------------------------------------------- validate --

core::Json AnomalyRecord::ToJson() const {
  return {{"severity", severity}, {"column", column}, {"message", message}};
}

Result<AnomalyRecord> AnomalyRecord::FromJson(const core::Json& j, std::string_view path) {
  AnomalyRecord a;
  Reader r(j, path);
  r.Get("severity", &a.severity);
  r.Get("column", &a.column);
  r.Get("message", &a.message);
  return r.Done(std::move(a));
}

core::Json ValidateSummary::ToJson() const {
  core::Json j = {{"passed", passed},
                  {"reference", reference ? core::Json(*reference) : core::Json()},
                  {"errors", errors},
                  {"warnings", warnings},
                  {"detail", detail}};
  if (anomalies) j["anomalies"] = ArrayOf(*anomalies);
  return j;
}

Result<ValidateSummary> ValidateSummary::FromJson(const core::Json& j, std::string_view path) {
  ValidateSummary s;
  Reader r(j, path);
  r.Get("passed", &s.passed);
  r.Get("reference", &s.reference);
  r.Get("errors", &s.errors);
  r.Get("warnings", &s.warnings);
  r.Get("detail", &s.detail);
  r.Optional("anomalies", &s.anomalies);
  return r.Done(std::move(s));
}

// ----------------------------------------------------------------- profile --

core::Json ProfileWarningRecord::ToJson() const {
  return {{"severity", severity}, {"rule", rule}, {"column", column}, {"message", message}};
}

Result<ProfileWarningRecord> ProfileWarningRecord::FromJson(const core::Json& j,
                                                            std::string_view path) {
  ProfileWarningRecord w;
  Reader r(j, path);
  r.Get("severity", &w.severity);
  r.Get("rule", &w.rule);
  r.Get("column", &w.column);
  r.Get("message", &w.message);
  return r.Done(std::move(w));
}

core::Json ProfileSummary::ToJson() const {
  return {{"rows", rows}, {"columns", columns}, {"warnings", ArrayOf(warnings)}};
}

Result<ProfileSummary> ProfileSummary::FromJson(const core::Json& j, std::string_view path) {
  ProfileSummary s;
  Reader r(j, path);
  r.Get("rows", &s.rows);
  r.Get("columns", &s.columns);
  r.Get("warnings", &s.warnings);
  return r.Done(std::move(s));
}

// -------------------------------------------------------------- governance --

core::Json ProtectedUseRecord::ToJson() const {
  return {{"protected", protected_column},
          {"feature", feature},
          {"how", how},
          {"overridden", overridden},
          {"reason", reason}};
}

Result<ProtectedUseRecord> ProtectedUseRecord::FromJson(const core::Json& j,
                                                        std::string_view path) {
  ProtectedUseRecord u;
  Reader r(j, path);
  r.Get("protected", &u.protected_column);
  r.Get("feature", &u.feature);
  r.Get("how", &u.how);
  r.Get("overridden", &u.overridden);
  r.Get("reason", &u.reason);
  return r.Done(std::move(u));
}

core::Json ProxyRecord::ToJson() const {
  return {{"feature", feature}, {"protected", protected_column},
          {"method", method},   {"value", Num(value)},
          {"rows", rows},       {"flagged", flagged}};
}

Result<ProxyRecord> ProxyRecord::FromJson(const core::Json& j, std::string_view path) {
  ProxyRecord p;
  Reader r(j, path);
  r.Get("feature", &p.feature);
  r.Get("protected", &p.protected_column);
  r.Get("method", &p.method);
  r.Get("value", &p.value);
  r.Get("rows", &p.rows);
  r.Get("flagged", &p.flagged);
  return r.Done(std::move(p));
}

core::Json GovernanceSummary::ToJson() const {
  return {{"protected", protected_columns}, {"protected_uses", ArrayOf(protected_uses)},
          {"proxies", ArrayOf(proxies)},    {"proxy_threshold", proxy_threshold},
          {"proxy_refuse", proxy_refuse},   {"pii", ArrayOf(pii)}};
}

Result<GovernanceSummary> GovernanceSummary::FromJson(const core::Json& j, std::string_view path) {
  GovernanceSummary s;
  Reader r(j, path);
  r.Get("protected", &s.protected_columns);
  r.Get("protected_uses", &s.protected_uses);
  r.Get("proxies", &s.proxies);
  r.Get("proxy_threshold", &s.proxy_threshold);
  r.Get("proxy_refuse", &s.proxy_refuse);
  r.Get("pii", &s.pii);
  return r.Done(std::move(s));
}

// ------------------------------------------------------------------- split --

core::Json SplitSummary::ToJson() const {
  return {{"task", task},
          {"train_rows", train_rows},
          {"test_rows", test_rows},
          {"stratified", stratified}};
}

Result<SplitSummary> SplitSummary::FromJson(const core::Json& j, std::string_view path) {
  SplitSummary s;
  Reader r(j, path);
  r.Get("task", &s.task);
  r.Get("train_rows", &s.train_rows);
  r.Get("test_rows", &s.test_rows);
  r.Get("stratified", &s.stratified);
  return r.Done(std::move(s));
}

// ---------------------------------------------------------------- features --

core::Json FeaturesSummary::ToJson() const {
  core::Json f = core::Json::object();
  for (const auto& [family, names] : families) f[family] = names;
  return {{"columns", columns}, {"families", f}};
}

Result<FeaturesSummary> FeaturesSummary::FromJson(const core::Json& j, std::string_view path) {
  FeaturesSummary s;
  Reader r(j, path);
  r.Get("columns", &s.columns);
  r.Get("families", &s.families);
  return r.Done(std::move(s));
}

// ------------------------------------------------------------------- train --

void EstimateRecord::AddTo(core::Json& j) const {
  j["value"] = Num(value);
  j["ci_low"] = Num(ci_low);
  j["ci_high"] = Num(ci_high);
  j["confidence"] = confidence;
}

core::Json EstimateRecord::ToJson() const {
  core::Json j = core::Json::object();
  AddTo(j);
  return j;
}

Result<EstimateRecord> EstimateRecord::FromJson(const core::Json& j, std::string_view path) {
  EstimateRecord e;
  Reader r(j, path);
  r.Get("value", &e.value);
  r.Get("ci_low", &e.ci_low);
  r.Get("ci_high", &e.ci_high);
  r.Get("confidence", &e.confidence);
  return r.Done(std::move(e));
}

core::Json CvScoreRecord::ToJson() const { return {{"mean", Num(mean)}, {"std", Num(std)}}; }

Result<CvScoreRecord> CvScoreRecord::FromJson(const core::Json& j, std::string_view path) {
  CvScoreRecord c;
  Reader r(j, path);
  r.Get("mean", &c.mean);
  r.Get("std", &c.std);
  return r.Done(std::move(c));
}

core::Json LeaderFairnessRecord::ToJson() const {
  return {{"demographic_parity_ratio", Num(demographic_parity_ratio)},
          {"equalized_odds_difference", Num(equalized_odds_difference)},
          {"groups", groups}};
}

Result<LeaderFairnessRecord> LeaderFairnessRecord::FromJson(const core::Json& j,
                                                            std::string_view path) {
  LeaderFairnessRecord f;
  Reader r(j, path);
  r.Get("demographic_parity_ratio", &f.demographic_parity_ratio);
  r.Get("equalized_odds_difference", &f.equalized_odds_difference);
  r.Get("groups", &f.groups);
  return r.Done(std::move(f));
}

core::Json LeaderboardRecord::ToJson() const {
  return {{"family", family},
          {"params", params},
          {"cv", ObjectOf(cv)},
          {"test", ObjectOf(test)},
          {"fairness", ObjectOf(fairness)},
          {"trials", trials}};
}

Result<LeaderboardRecord> LeaderboardRecord::FromJson(const core::Json& j, std::string_view path) {
  LeaderboardRecord e;
  Reader r(j, path);
  r.Get("family", &e.family);
  r.Get("params", &e.params);
  r.Get("cv", &e.cv);
  r.Get("test", &e.test);
  r.Get("fairness", &e.fairness);
  r.Get("trials", &e.trials);
  MLPIPE_ASSIGN_OR_RETURN(e, r.Done(std::move(e)));
  // Parameters are numbers or strings (models::HyperParams).
  const std::string where = path.empty() ? "params" : fmt::format("{}.params", path);
  if (!e.params.is_object()) {
    return DataLossError(
        fmt::format("{}: expected an object, found {}", where, e.params.type_name()));
  }
  for (const auto& [k, v] : e.params.items()) {
    if (!v.is_number() && !v.is_string()) {
      return DataLossError(
          fmt::format("{}.{}: expected a number or a string, found {}", where, k, v.type_name()));
    }
  }
  return e;
}

core::Json TrainSummary::ToJson() const {
  return {{"best", best},
          {"metrics", metrics},
          {"leaderboard", ArrayOf(leaderboard)},
          {"fit_seconds", fit_seconds},
          {"bundle_bytes", bundle_bytes},
          {"trials", trials}};
}

Result<TrainSummary> TrainSummary::FromJson(const core::Json& j, std::string_view path) {
  TrainSummary s;
  Reader r(j, path);
  r.Get("best", &s.best);
  r.Get("metrics", &s.metrics);
  r.Get("leaderboard", &s.leaderboard);
  r.Get("fit_seconds", &s.fit_seconds);
  r.Get("bundle_bytes", &s.bundle_bytes);
  r.Get("trials", &s.trials);
  MLPIPE_ASSIGN_OR_RETURN(s, r.Done(std::move(s)));
  if (s.metrics.empty()) {
    return DataLossError(path.empty() ? "metrics: empty" : fmt::format("{}.metrics: empty", path));
  }
  return s;
}

// ---------------------------------------------------------------- evaluate --

core::Json KpiRecord::ToJson() const {
  core::Json j = {{"metric", metric}};
  estimate.AddTo(j);
  j["constraints"] = constraints;
  j["passed"] = passed;
  return j;
}

Result<KpiRecord> KpiRecord::FromJson(const core::Json& j, std::string_view path) {
  KpiRecord k;
  Reader r(j, path);
  r.Get("metric", &k.metric);
  r.Get("constraints", &k.constraints);
  r.Get("passed", &k.passed);
  MLPIPE_ASSIGN_OR_RETURN(k, r.Done(std::move(k)));
  MLPIPE_ASSIGN_OR_RETURN(k.estimate, EstimateRecord::FromJson(j, path));
  return k;
}

core::Json FairnessRecord::ToJson() const {
  core::Json j = {{"metric", metric}};
  if (estimate) estimate->AddTo(j);
  j["column"] = column;
  j["constraint"] = constraint;
  j["passed"] = passed;
  if (error) j["error"] = *error;
  return j;
}

Result<FairnessRecord> FairnessRecord::FromJson(const core::Json& j, std::string_view path) {
  FairnessRecord f;
  Reader r(j, path);
  r.Get("metric", &f.metric);
  r.Get("column", &f.column);
  r.Get("constraint", &f.constraint);
  r.Get("passed", &f.passed);
  r.Optional("error", &f.error);
  MLPIPE_ASSIGN_OR_RETURN(f, r.Done(std::move(f)));
  // The estimate's keys are there together (the metric was computed) or not at all.
  if (j.contains("value")) {
    MLPIPE_ASSIGN_OR_RETURN(f.estimate, EstimateRecord::FromJson(j, path));
  } else if (!f.error) {
    const std::string where = path.empty() ? "value" : fmt::format("{}.value", path);
    return DataLossError(where + ": missing required key (nor is there an error)");
  }
  return f;
}

core::Json GroupRecord::ToJson() const {
  return {{"group", group},  {"count", count},  {"selection_rate", Num(selection_rate)},
          {"tpr", Num(tpr)}, {"fpr", Num(fpr)}, {"four_fifths_flag", four_fifths_flag}};
}

Result<GroupRecord> GroupRecord::FromJson(const core::Json& j, std::string_view path) {
  GroupRecord g;
  Reader r(j, path);
  r.Get("group", &g.group);
  r.Get("count", &g.count);
  r.Get("selection_rate", &g.selection_rate);
  r.Get("tpr", &g.tpr);
  r.Get("fpr", &g.fpr);
  r.Get("four_fifths_flag", &g.four_fifths_flag);
  return r.Done(std::move(g));
}

core::Json LatencyRecord::ToJson() const {
  return {{"rows", rows},
          {"p50_ms", p50_ms},
          {"p99_ms", p99_ms},
          {"budget_ms", budget_ms},
          {"passed", passed}};
}

Result<LatencyRecord> LatencyRecord::FromJson(const core::Json& j, std::string_view path) {
  LatencyRecord l;
  Reader r(j, path);
  r.Get("rows", &l.rows);
  r.Get("p50_ms", &l.p50_ms);
  r.Get("p99_ms", &l.p99_ms);
  r.Get("budget_ms", &l.budget_ms);
  r.Get("passed", &l.passed);
  return r.Done(std::move(l));
}

core::Json EvaluateSummary::ToJson() const {
  core::Json g = core::Json::object();
  for (const auto& [column, groups_of] : groups) g[column] = ArrayOf(groups_of);
  core::Json j = {{"kpis", ArrayOf(kpis)},
                  {"fairness", ArrayOf(fairness)},
                  {"groups", g},
                  {"test_rows", test_rows}};
  if (latency) j["latency"] = latency->ToJson();
  return j;
}

Result<EvaluateSummary> EvaluateSummary::FromJson(const core::Json& j, std::string_view path) {
  EvaluateSummary s;
  Reader r(j, path);
  r.Get("kpis", &s.kpis);
  r.Get("fairness", &s.fairness);
  r.Get("groups", &s.groups);
  r.Get("test_rows", &s.test_rows);
  r.Optional("latency", &s.latency);
  return r.Done(std::move(s));
}

// ----------------------------------------------------------------- compare --

core::Json CompareSummary::ToJson() const {
  core::Json j = {{"champion", champion ? core::Json(*champion) : core::Json()},
                  {"passed", passed},
                  {"evidence", evidence},
                  {"margin", margin}};
  if (comparison) {
    const ComparisonRecord& c = *comparison;
    j["metric"] = c.metric;
    j["champion_value"] = Num(c.champion_value);
    j["challenger_value"] = Num(c.challenger_value);
    j["gain"] = Num(c.gain);
    j["gain_ci"] = {Num(c.gain_ci_low), Num(c.gain_ci_high)};
    j["p_value"] = Num(c.p_value);
  }
  return j;
}

Result<CompareSummary> CompareSummary::FromJson(const core::Json& j, std::string_view path) {
  CompareSummary s;
  Reader r(j, path);
  r.Get("champion", &s.champion);
  r.Get("passed", &s.passed);
  r.Get("evidence", &s.evidence);
  r.Get("margin", &s.margin);
  std::optional<std::string> metric;
  r.Optional("metric", &metric);
  if (metric) {
    ComparisonRecord c;
    c.metric = *metric;
    std::vector<MaybeNumber> ci;
    r.Get("champion_value", &c.champion_value);
    r.Get("challenger_value", &c.challenger_value);
    r.Get("gain", &c.gain);
    r.Get("gain_ci", &ci);
    r.Get("p_value", &c.p_value);
    MLPIPE_ASSIGN_OR_RETURN(s, r.Done(std::move(s)));
    if (ci.size() != 2) {
      return DataLossError(fmt::format("{}gain_ci: expected [low, high], found {} values",
                                       path.empty() ? "" : std::string(path) + ".", ci.size()));
    }
    c.gain_ci_low = ci[0];
    c.gain_ci_high = ci[1];
    s.comparison = std::move(c);
    return s;
  }
  return r.Done(std::move(s));
}

// ---------------------------------------------------------------- register --

core::Json RegisterSummary::ToJson() const {
  return {{"model", model}, {"version", version}, {"reused", reused}, {"model_ref", model_ref}};
}

Result<RegisterSummary> RegisterSummary::FromJson(const core::Json& j, std::string_view path) {
  RegisterSummary s;
  Reader r(j, path);
  r.Get("model", &s.model);
  r.Get("version", &s.version);
  r.Get("reused", &s.reused);
  r.Get("model_ref", &s.model_ref);
  return r.Done(std::move(s));
}

// ------------------------------------------------------------------- gates --

core::Json GateRecord::ToJson() const {
  return {{"name", name}, {"passed", passed}, {"evidence", evidence}};
}

Result<GateRecord> GateRecord::FromJson(const core::Json& j, std::string_view path) {
  GateRecord g;
  Reader r(j, path);
  r.Get("name", &g.name);
  r.Get("passed", &g.passed);
  r.Get("evidence", &g.evidence);
  return r.Done(std::move(g));
}

core::Json GatesSummary::ToJson() const {
  return {{"model_ref", model_ref},
          {"gates", ArrayOf(gates)},
          {"passed", passed},
          {"passed_except_approvals", passed_except_approvals},
          {"failing", failing}};
}

Result<GatesSummary> GatesSummary::FromJson(const core::Json& j, std::string_view path) {
  GatesSummary s;
  Reader r(j, path);
  r.Get("model_ref", &s.model_ref);
  r.Get("gates", &s.gates);
  r.Get("passed", &s.passed);
  r.Get("passed_except_approvals", &s.passed_except_approvals);
  r.Get("failing", &s.failing);
  return r.Done(std::move(s));
}

}  // namespace mlpipe::pipeline::internal
