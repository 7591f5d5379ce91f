// The release steps: compare (the new model against the champion on the same
// test rows, paired bootstrap), register (a model version carrying the gate
// evidence, docs/governance.md) and gates (every gate evaluated, the model
// card written).
#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>

#include <fmt/format.h>

#include "mlpipe/bundle/bundle.h"
#include "mlpipe/core/random.h"
#include "mlpipe/core/thread_pool.h"
#include "mlpipe/eval/compare.h"
#include "mlpipe/eval/metric_table.h"
#include "mlpipe/governance/model_card.h"
#include "mlpipe/governance/promotion.h"
#include "mlpipe/stats/format.h"
#include "model_input.h"
#include "steps.h"

namespace mlpipe::pipeline::internal {
namespace {

// ----------------------------------------------------------------- compare --

std::optional<store::ModelVersion> Champion(StepContext& ctx) {
  store::VersionRef ref;
  ref.name = ModelName(*ctx.spec);
  ref.alias = "champion";
  auto v = ctx.meta().ResolveModel(ref);
  if (!v.ok()) return std::nullopt;
  return *v;
}

std::string Primary(StepContext& ctx, models::Task task) {
  return TrainMetrics(*ctx.spec, task).front();
}

Result<core::Json> CompareKey(StepContext& ctx) {
  auto champion = Champion(ctx);
  core::Json c = champion
                     ? core::Json{{"version", champion->version}, {"bundle", champion->bundle_hash}}
                     : core::Json();
  return core::Json{{"model", ModelName(*ctx.spec)},
                    {"champion", c},
                    {"margin", ctx.spec->governance.gates.champion_margin},
                    {"primary", ctx.spec->kpis.primary},
                    {"seed", ctx.spec->seed}};
}

Result<StepFiles> CompareRun(StepContext& ctx) {
  StepFiles out;
  CompareSummary summary;
  summary.margin = ctx.spec->governance.gates.champion_margin;
  const double margin = summary.margin;
  auto champion = Champion(ctx);
  auto done = [&](bool passed, const std::string& evidence) {
    summary.passed = passed;
    summary.evidence = evidence;
    out.summary = summary.ToJson();
    out.files["comparison.json"] = core::DumpPretty(out.summary);
    return out;
  };
  if (!champion) {
    return done(true, fmt::format("no champion of {} yet: nothing to beat", ModelName(*ctx.spec)));
  }
  const std::string champion_ref = fmt::format("{}@{}", champion->model, champion->version);
  summary.champion = champion_ref;
  MLPIPE_ASSIGN_OR_RETURN(const std::string bundle_hash, ctx.Output("train", "model.mlpb"));
  if (bundle_hash == champion->bundle_hash) {
    return done(false, fmt::format("the new bundle is {}'s own: nothing new", champion_ref));
  }
  MLPIPE_ASSIGN_OR_RETURN(const bundle::Predictor* model, ctx.Model());
  MLPIPE_ASSIGN_OR_RETURN(auto split, ctx.Split());
  MLPIPE_ASSIGN_OR_RETURN(const table::Table* t, ctx.ModelTable());
  const table::Table test = t->Take(split.second);
  const std::string target = ctx.spec->target.column.name;
  MLPIPE_ASSIGN_OR_RETURN(TestScores challenger, ScoreTest(*model, test, target));
  // The champion scores the same rows; one that cannot (another schema) is
  // not comparable, and a model that cannot be compared has not earned promotion.
  auto old_bytes = ctx.objects().Get(champion->bundle_hash);
  if (!old_bytes.ok())
    return done(false, champion_ref + "'s bundle: " + old_bytes.status().message());
  auto old_bundle = bundle::DecodeBundle(*old_bytes, champion_ref);
  if (!old_bundle.ok()) return done(false, old_bundle.status().message());
  auto old_model = bundle::Predictor::Create(std::move(*old_bundle));
  if (!old_model.ok()) return done(false, old_model.status().message());
  auto incumbent = ScoreTest(**old_model, test, target);
  if (!incumbent.ok()) {
    return done(false, fmt::format("{} cannot score this test part: {}", champion_ref,
                                   incumbent.status().message()));
  }
  const std::string metric = Primary(ctx, model->bundle().task);
  MLPIPE_ASSIGN_OR_RETURN(const eval::MetricDef* def, eval::FindMetric(metric));
  stats::BootstrapOptions bo;
  bo.resamples = 1000;
  bo.seed = core::Rng::Derive(ctx.spec->seed, 8);
  bo.pool = &core::ThreadPool::Shared();
  MLPIPE_ASSIGN_OR_RETURN(eval::PairedDifference d,
                          eval::PairedBootstrap(metric, incumbent->input, challenger.input, bo));
  const double sign = def->higher_is_better ? 1 : -1;
  const double gain = sign * d.difference;
  const double gain_low = sign * (sign > 0 ? d.low : d.high);
  const double gain_high = sign * (sign > 0 ? d.high : d.low);
  summary.comparison =
      ComparisonRecord{metric, d.estimate_a, d.estimate_b, gain, gain_low, gain_high, d.p_value};
  const bool passed = gain > 0 && gain >= margin;
  return done(passed,
              fmt::format("{} {:.4f} vs {} {:.4f}: gain {:+.4f} [{:+.4f}, {:+.4f}], p = {:.3f}; "
                          "margin {}",
                          metric, d.estimate_b, champion_ref, d.estimate_a, gain, gain_low,
                          gain_high, d.p_value, margin));
}

// ---------------------------------------------------------------- register --

core::Json GateEntry(const std::string& name, bool passed, const std::string& evidence) {
  return GateRecord{name, passed, evidence}.ToJson();
}

std::string CiText(const EstimateRecord& e) {
  return stats::FormatEstimate(e.value, e.ci_low, e.ci_high, "undefined");
}

// The evidence the gates read (docs/governance.md).
Result<core::Json> Evidence(StepContext& ctx) {
  const Gates& g = ctx.spec->governance.gates;
  MLPIPE_ASSIGN_OR_RETURN(ValidateSummary validate, ctx.Summary<ValidateSummary>());
  MLPIPE_ASSIGN_OR_RETURN(EvaluateSummary evaluate, ctx.Summary<EvaluateSummary>());
  MLPIPE_ASSIGN_OR_RETURN(CompareSummary compare, ctx.Summary<CompareSummary>());
  core::Json e;
  e["validation"] = {{"passed", validate.passed}, {"detail", validate.detail}};
  core::Json kpis = core::Json::array();
  for (const auto& k : evaluate.kpis) {
    for (const auto& c : k.constraints) {
      kpis.push_back(GateEntry(c, !g.kpis || k.passed,
                               k.metric + " = " + CiText(k.estimate) +
                                   (g.kpis ? "" : " (gate disabled by governance.gates.kpis)")));
    }
  }
  if (evaluate.latency && g.latency) {
    const LatencyRecord& l = *evaluate.latency;
    kpis.push_back(GateEntry(fmt::format("latency p99 <= {} ms", l.budget_ms), l.passed,
                             fmt::format("p99 {:.3f} ms, p50 {:.3f} ms over {} single-row calls",
                                         l.p99_ms, l.p50_ms, l.rows)));
  }
  if (kpis.empty()) kpis.push_back(GateEntry("kpis", true, "the spec sets no KPI constraint"));
  core::Json fairness = core::Json::array();
  for (const auto& f : evaluate.fairness) {
    // A computed metric has its estimate; one that failed, its error.
    std::string evidence = f.error ? *f.error : "";
    if (!f.error && f.estimate) evidence = f.metric + " = " + CiText(*f.estimate);
    fairness.push_back(GateEntry(fmt::format("{} on {}", f.constraint, f.column),
                                 !g.fairness || f.passed, evidence));
  }
  if (fairness.empty()) {
    fairness.push_back(GateEntry("fairness", true, "the spec sets no fairness constraint"));
  }
  e["kpis"] = kpis;
  e["fairness"] = fairness;
  e["champion"] = {{"passed", compare.passed}, {"evidence", compare.evidence}};
  core::Json approvals = core::Json::array();
  for (const auto& a : ctx.spec->governance.approvals) {
    approvals.push_back({{"role", a.role}, {"count", a.count}});
  }
  e["required_approvals"] = approvals;
  return e;
}

Result<core::Json> RegisterKey(StepContext& ctx) {
  const Gates& g = ctx.spec->governance.gates;
  core::Json approvals = core::Json::array();
  for (const auto& a : ctx.spec->governance.approvals) approvals.push_back({a.role, a.count});
  return core::Json{{"model", ModelName(*ctx.spec)},
                    {"objective", ctx.spec->objective},
                    {"approvals", approvals},
                    {"gates", {g.kpis, g.fairness, g.latency, g.champion_margin}}};
}

Result<StepFiles> RegisterRun(StepContext& ctx) {
  const std::string name = ModelName(*ctx.spec);
  MLPIPE_ASSIGN_OR_RETURN(TrainSummary train, ctx.Summary<TrainSummary>());
  MLPIPE_ASSIGN_OR_RETURN(IngestSummary ingest, ctx.Summary<IngestSummary>());
  MLPIPE_ASSIGN_OR_RETURN(EvaluateSummary evaluate, ctx.Summary<EvaluateSummary>());
  MLPIPE_ASSIGN_OR_RETURN(core::Json evidence, Evidence(ctx));
  MLPIPE_ASSIGN_OR_RETURN(const std::string bundle_hash, ctx.Output("train", "model.mlpb"));
  MLPIPE_RETURN_IF_ERROR(ctx.meta().GetOrCreateModel(name, ctx.spec->objective).status());
  core::Json kpis = core::Json::array();
  for (const auto& k : evaluate.kpis) kpis.push_back(k.ToJson());
  core::Json snapshot = {
      {"evidence", evidence}, {"kpis", kpis}, {"data", ingest.dataset_ref}, {"family", train.best}};
  StepFiles out;
  // The same bundle with the same evidence is registered once.
  MLPIPE_ASSIGN_OR_RETURN(std::vector<store::ModelVersion> versions,
                          ctx.meta().ListModelVersions(name));
  for (const auto& v : versions) {
    if (v.bundle_hash == bundle_hash && v.metrics_json == snapshot.dump()) {
      out.summary =
          RegisterSummary{name, v.version, true, fmt::format("{}@{}", name, v.version)}.ToJson();
      return out;
    }
  }
  store::ModelVersion v;
  v.model = name;
  v.bundle_hash = bundle_hash;
  v.run_id = ctx.run_id;
  v.metrics_json = snapshot.dump();
  v.description = ctx.spec->objective;
  v.tags = {{"data", ingest.dataset_ref}, {"family", train.best}};
  MLPIPE_ASSIGN_OR_RETURN(store::ModelVersion created,
                          ctx.meta().CreateModelVersion(v, ctx.options->actor));
  out.summary =
      RegisterSummary{name, created.version, false, fmt::format("{}@{}", name, created.version)}
          .ToJson();
  out.files["evidence.json"] = core::DumpPretty(evidence);
  return out;
}

// ------------------------------------------------------------------- gates --

std::string IsoTime(int64_t us) {
  const std::time_t t = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<core::Json> GatesKey(StepContext& ctx) {
  MLPIPE_ASSIGN_OR_RETURN(RegisterSummary reg, ctx.Summary<RegisterSummary>());
  const std::string& ref = reg.model_ref;
  // Approvals given since the last evaluation change the outcome.
  MLPIPE_ASSIGN_OR_RETURN(std::vector<store::AuditEntry> audit,
                          ctx.meta().ReadAudit(std::nullopt, ref));
  core::Json approvals = core::Json::array();
  for (const auto& a : audit) {
    if (a.action == "approve") approvals.push_back(a.hash);
  }
  return core::Json{{"model", ref}, {"approvals", approvals}, {"objective", ctx.spec->objective}};
}

Result<governance::ModelCard> Card(StepContext& ctx, const governance::GateReport& gates) {
  const ProjectSpec& s = *ctx.spec;
  governance::ModelCard card;
  MLPIPE_ASSIGN_OR_RETURN(IngestSummary ingest, ctx.Summary<IngestSummary>());
  MLPIPE_ASSIGN_OR_RETURN(TrainSummary train, ctx.Summary<TrainSummary>());
  MLPIPE_ASSIGN_OR_RETURN(EvaluateSummary evaluate, ctx.Summary<EvaluateSummary>());
  MLPIPE_ASSIGN_OR_RETURN(GovernanceSummary governance, ctx.Summary<GovernanceSummary>());
  MLPIPE_ASSIGN_OR_RETURN(FeaturesSummary features, ctx.Summary<FeaturesSummary>());
  MLPIPE_ASSIGN_OR_RETURN(ProfileSummary profile, ctx.Summary<ProfileSummary>());
  MLPIPE_ASSIGN_OR_RETURN(ValidateSummary validate, ctx.Summary<ValidateSummary>());
  card.model_name = gates.model;
  card.model_version = std::to_string(gates.version);
  card.objective = s.objective;
  card.intended_use = fmt::format(
      "Predict '{}'{} for the purpose above, from data like {}; a person reviews the decisions "
      "it informs.",
      s.target.column.name, s.target.positive.empty() ? "" : " = '" + s.target.positive + "'",
      ingest.dataset_ref);
  card.out_of_scope =
      "Automated decisions without review; populations or periods unlike the "
      "training data; any use of the protected attributes.";
  card.data_versions.push_back({"train and test", ingest.dataset, std::to_string(ingest.version),
                                ingest.sha256, ingest.rows});
  for (const auto& name : features.columns) {
    governance::CardFeature cf;
    cf.name = name;
    for (const auto& p : ingest.pii) {
      if (p.column == cf.name) cf.note = "PII, " + p.handling;
    }
    for (const auto& d : s.derived) {
      if (d.name == cf.name) cf.note = "derived from " + d.from.name;
    }
    card.features.push_back(std::move(cf));
  }
  // An undefined figure is left at the card's default (as the card always showed it).
  auto metric = [](const std::string& name, const std::string& split, const MaybeNumber& value,
                   const MaybeNumber& low, const MaybeNumber& high) {
    governance::CardMetric m;
    m.name = name;
    m.split = split;
    if (value) m.value = *value;
    m.ci_low = low;
    m.ci_high = high;
    return m;
  };
  for (const auto& k : evaluate.kpis) {
    card.metrics.push_back(
        metric(k.metric, "test", k.estimate.value, k.estimate.ci_low, k.estimate.ci_high));
  }
  for (const auto& e : train.leaderboard) {
    for (const auto& [name, v] : e.cv) {
      card.metrics.push_back(
          metric(fmt::format("{} ({})", name, e.family), "cv", v.mean, std::nullopt, std::nullopt));
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& [column, groups] : evaluate.groups) {
    governance::CardFairness f;
    f.column = column;
    for (const auto& g : groups) {
      f.groups.push_back({g.group, g.count, g.selection_rate.value_or(nan), g.tpr.value_or(nan),
                          g.fpr.value_or(nan), g.four_fifths_flag});
    }
    for (const auto& c : evaluate.fairness) {
      if (c.column != column || !c.estimate || !c.estimate->value) continue;
      f.metrics.push_back(
          metric(c.metric, "test", c.estimate->value, c.estimate->ci_low, c.estimate->ci_high));
    }
    card.fairness.push_back(std::move(f));
  }
  for (const auto& w : profile.warnings) {
    if (w.severity == "info") continue;
    card.limitations.push_back({"profile", w.severity, w.message});
  }
  for (const auto& a : validate.anomalies.value_or(std::vector<AnomalyRecord>{})) {
    card.limitations.push_back({"validation", a.severity, a.column + ": " + a.message});
  }
  for (const auto& p : governance.proxies) {
    card.limitations.push_back(
        {"proxy", "warning",
         fmt::format("'{}' is a proxy for protected '{}' ({} = {:.3f})", p.feature,
                     p.protected_column, p.method, p.value.value_or(nan))});
  }
  for (const auto& u : governance.protected_uses) {
    if (!u.overridden) continue;
    card.limitations.push_back({"governance", "warning",
                                fmt::format("protected '{}' used {} by override: {}",
                                            u.protected_column, u.how, u.reason)});
  }
  card.gates = gates.gates;
  for (const auto& a : gates.approvals) {
    card.approvals.push_back({a.role, a.by, IsoTime(a.time_us), a.comment});
  }
  return card;
}

Result<StepFiles> GatesRun(StepContext& ctx) {
  MLPIPE_ASSIGN_OR_RETURN(RegisterSummary reg, ctx.Summary<RegisterSummary>());
  const std::string& name = reg.model;
  const int64_t version = reg.version;
  governance::IntegrationCheck integration = ctx.options->integration;
  if (!integration) {
    integration = [](const store::ModelVersion&) -> Result<std::string> {
      return FailedPreconditionError("no integration check available in this process");
    };
  }
  MLPIPE_ASSIGN_OR_RETURN(governance::GateReport report,
                          governance::EvaluateGates(ctx.meta(), name, version, integration));
  GatesSummary summary;
  summary.model_ref = reg.model_ref;
  summary.passed = report.all_passed();
  summary.passed_except_approvals = true;
  for (const auto& g : report.gates) {
    summary.gates.push_back({g.name, g.passed, g.evidence});
    if (!g.passed) summary.failing.push_back(g.name);
    if (!g.passed && g.name.rfind("approval", 0) != 0) summary.passed_except_approvals = false;
  }
  StepFiles out;
  out.summary = summary.ToJson();
  MLPIPE_ASSIGN_OR_RETURN(const governance::ModelCard card, Card(ctx, report));
  out.files["gates.json"] = core::DumpPretty(out.summary);
  out.files["model_card.md"] = card.RenderMarkdown();
  out.files["model_card.html"] = card.RenderHtml();
  return out;
}

}  // namespace

Step CompareStep() {
  return {"compare",
          {"ingest", "split", "train"},
          CompareKey,
          CompareRun,
          CheckSummary<CompareSummary>};
}
Step RegisterStep() {
  return {"register",
          {"ingest", "validate", "profile", "governance", "train", "evaluate", "compare"},
          RegisterKey,
          RegisterRun,
          CheckSummary<RegisterSummary>};
}
Step GatesStep() {
  return {
      "gates",
      {"ingest", "validate", "profile", "governance", "features", "train", "evaluate", "register"},
      GatesKey,
      GatesRun,
      CheckSummary<GatesSummary>};
}

}  // namespace mlpipe::pipeline::internal
