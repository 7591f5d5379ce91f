// The release steps: compare (the new model against the champion on the same
// test rows, paired bootstrap), register (a model version carrying the gate
// evidence, docs/governance.md) and gates (every gate evaluated, the model
// card written).
#include <algorithm>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

#include "mlpipe/bundle/bundle.h"
#include "mlpipe/core/random.h"
#include "mlpipe/core/thread_pool.h"
#include "mlpipe/eval/compare.h"
#include "mlpipe/eval/metric_table.h"
#include "mlpipe/governance/model_card.h"
#include "mlpipe/governance/promotion.h"
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
  const double margin = ctx.spec->governance.gates.champion_margin;
  auto champion = Champion(ctx);
  auto done = [&](bool passed, const std::string& evidence) {
    out.summary["passed"] = passed;
    out.summary["evidence"] = evidence;
    out.summary["margin"] = margin;
    out.files["comparison.json"] = core::DumpPretty(out.summary);
    return out;
  };
  if (!champion) {
    out.summary["champion"] = nullptr;
    return done(true, fmt::format("no champion of {} yet: nothing to beat", ModelName(*ctx.spec)));
  }
  const std::string champion_ref = fmt::format("{}@{}", champion->model, champion->version);
  out.summary["champion"] = champion_ref;
  MLPIPE_ASSIGN_OR_RETURN(const StepReport* train, ctx.Step("train"));
  if (train->outputs.at("model.mlpb") == champion->bundle_hash) {
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
  out.summary["metric"] = metric;
  out.summary["champion_value"] = d.estimate_a;
  out.summary["challenger_value"] = d.estimate_b;
  out.summary["gain"] = gain;
  out.summary["gain_ci"] = {sign * (sign > 0 ? d.low : d.high), sign * (sign > 0 ? d.high : d.low)};
  out.summary["p_value"] = d.p_value;
  const bool passed = gain > 0 && gain >= margin;
  return done(passed,
              fmt::format("{} {:.4f} vs {} {:.4f}: gain {:+.4f} [{:+.4f}, {:+.4f}], p = {:.3f}; "
                          "margin {}",
                          metric, d.estimate_b, champion_ref, d.estimate_a, gain,
                          out.summary["gain_ci"][0].get<double>(),
                          out.summary["gain_ci"][1].get<double>(), d.p_value, margin));
}

// ---------------------------------------------------------------- register --

core::Json GateEntry(const std::string& name, bool passed, const std::string& evidence) {
  return {{"name", name}, {"passed", passed}, {"evidence", evidence}};
}

std::string CiText(const core::Json& k) {
  if (!k["value"].is_number()) return "undefined";
  if (!k["ci_low"].is_number()) return fmt::format("{:.4f}", k["value"].get<double>());
  return fmt::format("{:.4f} [{:.4f}, {:.4f}]", k["value"].get<double>(), k["ci_low"].get<double>(),
                     k["ci_high"].get<double>());
}

// The evidence the gates read (docs/governance.md).
Result<core::Json> Evidence(StepContext& ctx) {
  const Gates& g = ctx.spec->governance.gates;
  MLPIPE_ASSIGN_OR_RETURN(const StepReport* validate, ctx.Step("validate"));
  MLPIPE_ASSIGN_OR_RETURN(const StepReport* evaluate, ctx.Step("evaluate"));
  MLPIPE_ASSIGN_OR_RETURN(const StepReport* compare, ctx.Step("compare"));
  core::Json e;
  e["validation"] = {{"passed", validate->summary["passed"]},
                     {"detail", validate->summary["detail"]}};
  core::Json kpis = core::Json::array();
  for (const auto& k : evaluate->summary["kpis"]) {
    for (const auto& c : k["constraints"]) {
      kpis.push_back(GateEntry(c.get<std::string>(), !g.kpis || k["passed"].get<bool>(),
                               k["metric"].get<std::string>() + " = " + CiText(k) +
                                   (g.kpis ? "" : " (gate disabled by governance.gates.kpis)")));
    }
  }
  if (evaluate->summary.contains("latency") && g.latency) {
    const core::Json& l = evaluate->summary["latency"];
    kpis.push_back(GateEntry(fmt::format("latency p99 <= {} ms", l["budget_ms"].get<double>()),
                             l["passed"].get<bool>(),
                             fmt::format("p99 {:.3f} ms, p50 {:.3f} ms over {} single-row calls",
                                         l["p99_ms"].get<double>(), l["p50_ms"].get<double>(),
                                         l["rows"].get<int64_t>())));
  }
  if (kpis.empty()) kpis.push_back(GateEntry("kpis", true, "the spec sets no KPI constraint"));
  core::Json fairness = core::Json::array();
  for (const auto& f : evaluate->summary["fairness"]) {
    fairness.push_back(GateEntry(
        fmt::format("{} on {}", f["constraint"].get<std::string>(), f["column"].get<std::string>()),
        !g.fairness || f["passed"].get<bool>(),
        f.contains("error") ? f["error"].get<std::string>()
                            : f["metric"].get<std::string>() + " = " + CiText(f)));
  }
  if (fairness.empty()) {
    fairness.push_back(GateEntry("fairness", true, "the spec sets no fairness constraint"));
  }
  e["kpis"] = kpis;
  e["fairness"] = fairness;
  e["champion"] = {{"passed", compare->summary["passed"]},
                   {"evidence", compare->summary["evidence"]}};
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
  MLPIPE_ASSIGN_OR_RETURN(const StepReport* train, ctx.Step("train"));
  MLPIPE_ASSIGN_OR_RETURN(const StepReport* ingest, ctx.Step("ingest"));
  MLPIPE_ASSIGN_OR_RETURN(const StepReport* evaluate, ctx.Step("evaluate"));
  MLPIPE_ASSIGN_OR_RETURN(core::Json evidence, Evidence(ctx));
  const std::string bundle_hash = train->outputs.at("model.mlpb");
  MLPIPE_RETURN_IF_ERROR(ctx.meta().GetOrCreateModel(name, ctx.spec->objective).status());
  core::Json snapshot = {{"evidence", evidence},
                         {"kpis", evaluate->summary["kpis"]},
                         {"data", ingest->summary["dataset_ref"]},
                         {"family", train->summary["best"]}};
  StepFiles out;
  // The same bundle with the same evidence is registered once.
  MLPIPE_ASSIGN_OR_RETURN(std::vector<store::ModelVersion> versions,
                          ctx.meta().ListModelVersions(name));
  for (const auto& v : versions) {
    if (v.bundle_hash == bundle_hash && v.metrics_json == snapshot.dump()) {
      out.summary = {{"model", name}, {"version", v.version}, {"reused", true}};
      out.summary["model_ref"] = fmt::format("{}@{}", name, v.version);
      return out;
    }
  }
  store::ModelVersion v;
  v.model = name;
  v.bundle_hash = bundle_hash;
  v.run_id = ctx.run_id;
  v.metrics_json = snapshot.dump();
  v.description = ctx.spec->objective;
  v.tags = {{"data", ingest->summary["dataset_ref"].get<std::string>()},
            {"family", train->summary["best"].get<std::string>()}};
  MLPIPE_ASSIGN_OR_RETURN(store::ModelVersion created,
                          ctx.meta().CreateModelVersion(v, ctx.options->actor));
  out.summary = {{"model", name}, {"version", created.version}, {"reused", false}};
  out.summary["model_ref"] = fmt::format("{}@{}", name, created.version);
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
  MLPIPE_ASSIGN_OR_RETURN(const StepReport* reg, ctx.Step("register"));
  const std::string ref = reg->summary["model_ref"].get<std::string>();
  // Approvals given since the last evaluation change the outcome.
  MLPIPE_ASSIGN_OR_RETURN(std::vector<store::AuditEntry> audit,
                          ctx.meta().ReadAudit(std::nullopt, ref));
  core::Json approvals = core::Json::array();
  for (const auto& a : audit) {
    if (a.action == "approve") approvals.push_back(a.hash);
  }
  return core::Json{{"model", ref}, {"approvals", approvals}, {"objective", ctx.spec->objective}};
}

governance::ModelCard Card(StepContext& ctx, const governance::GateReport& gates) {
  const ProjectSpec& s = *ctx.spec;
  governance::ModelCard card;
  const core::Json& ingest = ctx.done.at("ingest").summary;
  const core::Json& train = ctx.done.at("train").summary;
  const core::Json& evaluate = ctx.done.at("evaluate").summary;
  const core::Json& governance = ctx.done.at("governance").summary;
  card.model_name = gates.model;
  card.model_version = std::to_string(gates.version);
  card.objective = s.objective;
  card.intended_use = fmt::format(
      "Predict '{}'{} for the purpose above, from data like {}; a person reviews the decisions "
      "it informs.",
      s.target.column.name, s.target.positive.empty() ? "" : " = '" + s.target.positive + "'",
      ingest["dataset_ref"].get<std::string>());
  card.out_of_scope =
      "Automated decisions without review; populations or periods unlike the "
      "training data; any use of the protected attributes.";
  card.data_versions.push_back({"train and test", ingest["dataset"].get<std::string>(),
                                std::to_string(ingest["version"].get<int64_t>()),
                                ingest["sha256"].get<std::string>(),
                                ingest["rows"].get<int64_t>()});
  const auto& features = ctx.done.at("features").summary["columns"];
  for (const auto& f : features) {
    governance::CardFeature cf;
    cf.name = f.get<std::string>();
    for (const auto& p : ingest.value("pii", core::Json::array())) {
      if (p["column"] == cf.name) cf.note = "PII, " + p["handling"].get<std::string>();
    }
    for (const auto& d : s.derived) {
      if (d.name == cf.name) cf.note = "derived from " + d.from.name;
    }
    card.features.push_back(std::move(cf));
  }
  for (const auto& k : evaluate["kpis"]) {
    governance::CardMetric m;
    m.name = k["metric"].get<std::string>();
    m.split = "test";
    if (k["value"].is_number()) m.value = k["value"].get<double>();
    if (k["ci_low"].is_number()) m.ci_low = k["ci_low"].get<double>();
    if (k["ci_high"].is_number()) m.ci_high = k["ci_high"].get<double>();
    card.metrics.push_back(std::move(m));
  }
  for (const auto& e : train["leaderboard"]) {
    for (const auto& [name, v] : e["cv"].items()) {
      governance::CardMetric m;
      m.name = fmt::format("{} ({})", name, e["family"].get<std::string>());
      m.split = "cv";
      if (v["mean"].is_number()) m.value = v["mean"].get<double>();
      card.metrics.push_back(std::move(m));
    }
  }
  for (const auto& [column, groups] : evaluate["groups"].items()) {
    governance::CardFairness f;
    f.column = column;
    for (const auto& g : groups) {
      f.groups.push_back({g["group"].get<std::string>(), g["count"].get<int64_t>(),
                          g["selection_rate"].get<double>(), g["tpr"].get<double>(),
                          g["fpr"].get<double>(), g["four_fifths_flag"].get<bool>()});
    }
    for (const auto& c : evaluate["fairness"]) {
      if (c["column"] != column || !c["value"].is_number()) continue;
      governance::CardMetric m;
      m.name = c["metric"].get<std::string>();
      m.value = c["value"].get<double>();
      m.split = "test";
      if (c["ci_low"].is_number()) m.ci_low = c["ci_low"].get<double>();
      if (c["ci_high"].is_number()) m.ci_high = c["ci_high"].get<double>();
      f.metrics.push_back(std::move(m));
    }
    card.fairness.push_back(std::move(f));
  }
  for (const auto& w : ctx.done.at("profile").summary["warnings"]) {
    if (w["severity"] == "info") continue;
    card.limitations.push_back(
        {"profile", w["severity"].get<std::string>(), w["message"].get<std::string>()});
  }
  for (const auto& a : ctx.done.at("validate").summary.value("anomalies", core::Json::array())) {
    card.limitations.push_back(
        {"validation", a["severity"].get<std::string>(),
         a["column"].get<std::string>() + ": " + a["message"].get<std::string>()});
  }
  for (const auto& p : governance["proxies"]) {
    card.limitations.push_back(
        {"proxy", "warning",
         fmt::format("'{}' is a proxy for protected '{}' ({} = {:.3f})",
                     p["feature"].get<std::string>(), p["protected"].get<std::string>(),
                     p["method"].get<std::string>(), p["value"].get<double>())});
  }
  for (const auto& u : governance["protected_uses"]) {
    if (!u["overridden"].get<bool>()) continue;
    card.limitations.push_back(
        {"governance", "warning",
         fmt::format("protected '{}' used {} by override: {}", u["protected"].get<std::string>(),
                     u["how"].get<std::string>(), u["reason"].get<std::string>())});
  }
  card.gates = gates.gates;
  for (const auto& a : gates.approvals) {
    card.approvals.push_back({a.role, a.by, IsoTime(a.time_us), a.comment});
  }
  return card;
}

Result<StepFiles> GatesRun(StepContext& ctx) {
  MLPIPE_ASSIGN_OR_RETURN(const StepReport* reg, ctx.Step("register"));
  const std::string name = reg->summary["model"].get<std::string>();
  const int64_t version = reg->summary["version"].get<int64_t>();
  governance::IntegrationCheck integration = ctx.options->integration;
  if (!integration) {
    integration = [](const store::ModelVersion&) -> Result<std::string> {
      return FailedPreconditionError("no integration check available in this process");
    };
  }
  MLPIPE_ASSIGN_OR_RETURN(governance::GateReport report,
                          governance::EvaluateGates(ctx.meta(), name, version, integration));
  core::Json gates = core::Json::array();
  std::vector<std::string> failing;
  bool all_but_approvals = true;
  for (const auto& g : report.gates) {
    gates.push_back(GateEntry(g.name, g.passed, g.evidence));
    if (!g.passed) failing.push_back(g.name);
    if (!g.passed && g.name.rfind("approval", 0) != 0) all_but_approvals = false;
  }
  StepFiles out;
  out.summary = {{"model_ref", reg->summary["model_ref"]},
                 {"gates", gates},
                 {"passed", report.all_passed()},
                 {"passed_except_approvals", all_but_approvals},
                 {"failing", failing}};
  const governance::ModelCard card = Card(ctx, report);
  out.files["gates.json"] = core::DumpPretty(out.summary);
  out.files["model_card.md"] = card.RenderMarkdown();
  out.files["model_card.html"] = card.RenderHtml();
  return out;
}

}  // namespace

Step CompareStep() { return {"compare", {"ingest", "split", "train"}, CompareKey, CompareRun}; }
Step RegisterStep() {
  return {"register",
          {"ingest", "validate", "profile", "governance", "train", "evaluate", "compare"},
          RegisterKey,
          RegisterRun};
}
Step GatesStep() {
  return {
      "gates",
      {"ingest", "validate", "profile", "governance", "features", "train", "evaluate", "register"},
      GatesKey,
      GatesRun};
}

}  // namespace mlpipe::pipeline::internal
