// The model steps: split, features (one unfitted pipeline per family), train
// (search, refit, the bundle of the best model) and evaluate (KPIs and
// fairness with bootstrap CIs on the test part, single-row latency).
#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "mlpipe/bundle/build.h"
#include "mlpipe/core/random.h"
#include "mlpipe/core/sha256.h"
#include "mlpipe/core/thread_pool.h"
#include "mlpipe/eval/confidence.h"
#include "mlpipe/eval/cv.h"
#include "mlpipe/eval/fairness.h"
#include "mlpipe/eval/train.h"
#include "mlpipe/features/pipeline.h"
#include "model_input.h"
#include "steps.h"

namespace mlpipe::pipeline::internal {
namespace {

// ------------------------------------------------------------------- split --

Result<core::Json> SplitKey(StepContext& ctx) {
  const ProjectSpec& s = *ctx.spec;
  return core::Json{{"target", s.target.column.name},
                    {"positive", s.target.positive},
                    {"test_size", s.split.test_size},
                    {"stratify", s.split.stratify},
                    {"seed", s.seed}};
}

Result<StepFiles> SplitRun(StepContext& ctx) {
  MLPIPE_ASSIGN_OR_RETURN(eval::Target target, TargetOf(ctx));
  const bool stratify = ctx.spec->split.stratify && target.task != models::Task::kRegression;
  MLPIPE_ASSIGN_OR_RETURN(
      eval::ThreeWaySplit split,
      eval::TrainValidationTestSplit(
          target.task == models::Task::kRegression ? target.values.size() : target.codes.size(),
          stratify ? std::span<const int32_t>(target.codes) : std::span<const int32_t>(), 0,
          ctx.spec->split.test_size, core::Rng::Derive(ctx.spec->seed, 1)));
  StepFiles out;
  out.summary = {{"task", models::TaskName(target.task)},
                 {"train_rows", split.train.size()},
                 {"test_rows", split.test.size()},
                 {"stratified", stratify}};
  out.files["split.json"] = core::Json({{"train", split.train}, {"test", split.test}}).dump();
  return out;
}

// ---------------------------------------------------------------- features --

Result<core::Json> FeaturesKey(StepContext& ctx) {
  const ProjectSpec& s = *ctx.spec;
  core::Json families = core::Json::array();
  for (const auto& m : s.models) families.push_back(m.family);
  MLPIPE_ASSIGN_OR_RETURN(std::vector<std::string> columns, FeatureColumns(ctx, false));
  return core::Json{{"features", s.features},
                    {"families", families},
                    {"interpretability", s.interpretability_required},
                    {"columns", columns},
                    {"seed", s.seed}};
}

Result<StepFiles> FeaturesRun(StepContext& ctx) {
  MLPIPE_ASSIGN_OR_RETURN(eval::Target target, TargetOf(ctx));
  MLPIPE_ASSIGN_OR_RETURN(std::vector<std::string> families, Families(*ctx.spec, target.task));
  MLPIPE_ASSIGN_OR_RETURN(auto split, ctx.Split());
  MLPIPE_ASSIGN_OR_RETURN(const table::Table* t, ctx.ModelTable());
  MLPIPE_ASSIGN_OR_RETURN(std::vector<std::string> columns, FeatureColumns(ctx, false));
  MLPIPE_ASSIGN_OR_RETURN(table::Table selected, t->Select(columns));
  const table::Table train_x = selected.Take(split.first);
  const eval::Target train_y = target.Take(split.first);
  core::Json specs = core::Json::object(), summary = core::Json::object();
  for (const auto& family : families) {
    core::Json spec = ctx.spec->features;
    if (spec.is_null()) {
      MLPIPE_ASSIGN_OR_RETURN(spec,
                              eval::DefaultFeatureSpec(train_x, train_y, family, ctx.spec->seed));
    }
    auto p = features::FeaturePipeline::FromJson(spec);
    if (!p.ok()) return p.status().WithContext(Where(*ctx.spec, ctx.spec->features_mark));
    std::vector<std::string> names;
    for (size_t i = 0; i < p->size(); ++i) names.emplace_back(p->transform(i).name());
    specs[family] = spec;
    summary[family] = names;
  }
  StepFiles out;
  out.summary = {{"columns", columns}, {"families", summary}};
  out.files["features.json"] = core::DumpPretty(specs);
  return out;
}

// ------------------------------------------------------------------- train --

Result<core::Json> TrainKey(StepContext& ctx) {
  const ProjectSpec& s = *ctx.spec;
  core::Json models = core::Json::array();
  for (const auto& m : s.models) {
    core::Json search = core::Json::array();
    for (const auto& p : m.search) search.push_back({p.name, p.numeric, p.min, p.max, p.choices});
    models.push_back({m.family, search});
  }
  MLPIPE_ASSIGN_OR_RETURN(eval::Target target, TargetOf(ctx));
  return core::Json{{"models", models},
                    {"search", s.search.ToSearchSpec()},
                    {"cv", s.search.cv},
                    {"metrics", TrainMetrics(s, target.task)},
                    {"protected", ctx.Protected()},
                    {"kept_protected", ctx.OverriddenProtected()},
                    {"positive", s.target.positive},
                    {"seed", s.seed}};
}

Result<StepFiles> TrainRun(StepContext& ctx) {
  const ProjectSpec& s = *ctx.spec;
  MLPIPE_ASSIGN_OR_RETURN(const table::Table* t, ctx.ModelTable());
  MLPIPE_ASSIGN_OR_RETURN(const StepReport* ingest, ctx.Step("ingest"));
  MLPIPE_ASSIGN_OR_RETURN(eval::Target target, TargetOf(ctx));
  eval::TrainOptions o;
  o.data = ingest->summary["dataset_ref"].get<std::string>();
  o.target = s.target.column.name;
  o.positive = s.target.positive;
  MLPIPE_ASSIGN_OR_RETURN(o.families, Families(s, target.task));
  o.search = s.search.ToSearchSpec();
  o.cv = s.search.cv;
  o.metrics = TrainMetrics(s, target.task);
  o.protected_columns = ctx.Protected();
  o.protected_features = ctx.OverriddenProtected();
  o.seed = s.seed;
  MLPIPE_ASSIGN_OR_RETURN(auto split, ctx.Split());
  o.train_rows = std::move(split.first);
  o.test_rows = std::move(split.second);
  MLPIPE_ASSIGN_OR_RETURN(std::string features_text, ctx.File("features", "features.json"));
  MLPIPE_ASSIGN_OR_RETURN(core::Json specs, core::ParseJson(features_text, "features.json"));
  for (const auto& [family, spec] : specs.items()) o.pipelines[family] = spec;
  for (const auto& m : s.models) {
    for (const auto& p : m.search) {
      o.search_overrides[m.family].push_back({p.name, p.numeric, p.min, p.max, p.choices});
    }
  }
  // Columns neither features nor protected (ids, ignored) are gone from the
  // model table already; a protected column not kept is dropped by Train.
  eval::TrainObserver* observer =
      ctx.options->observer != nullptr ? ctx.options->observer->TrainProgress() : nullptr;
  auto trained = eval::Train(*t, o, observer);
  if (!trained.ok()) return trained.status().WithContext("train");
  const eval::TrainResult& result = *trained;

  bundle::BundleInfo info;
  info.created_by = "mlpipe " MLPIPE_VERSION;
  // Only what a re-run reproduces: no run id, no time.
  info.lineage = {{"data", o.data},
                  {"data_sha256", ingest->summary["sha256"]},
                  {"spec_sha256", core::Sha256Hex(ctx.options->spec_text)},
                  {"seed", s.seed}};
  MLPIPE_ASSIGN_OR_RETURN(bundle::ModelBundle b, bundle::BuildBundle(result, *t, info));
  MLPIPE_ASSIGN_OR_RETURN(std::string bytes, bundle::EncodeBundle(b));

  StepFiles out;
  core::Json board = core::Json::array();
  double fit_seconds = 0;
  for (const auto& e : result.leaderboard) {
    core::Json j = e.json;
    fit_seconds += j.value("search_fit_seconds", 0.0) + j.value("fit_seconds", 0.0);
    j.erase("fit_seconds");  // wall times differ run to run; the file must not
    j.erase("search_fit_seconds");
    board.push_back(std::move(j));
  }
  out.summary = {{"best", result.best().family},
                 {"metrics", result.metrics},
                 {"leaderboard", board},
                 {"fit_seconds", fit_seconds},
                 {"bundle_bytes", bytes.size()}};
  size_t trials = 0;
  for (const auto& e : result.leaderboard) trials += e.search.trials.size();
  out.summary["trials"] = trials;
  out.files["leaderboard.json"] = core::DumpPretty(board);
  out.files["model.mlpb"] = std::move(bytes);
  return out;
}

// ---------------------------------------------------------------- evaluate --

Result<core::Json> EvaluateKey(StepContext& ctx) {
  const ProjectSpec& s = *ctx.spec;
  core::Json constraints = core::Json::array(), fairness = core::Json::array();
  for (const auto& c : s.kpis.constraints) constraints.push_back(ConstraintJson(c));
  for (const auto& c : s.kpis.fairness) fairness.push_back(ConstraintJson(c));
  return core::Json{
      {"primary", s.kpis.primary},    {"constraints", constraints},
      {"fairness", fairness},         {"latency_budget_ms", s.kpis.latency_budget_ms.value_or(0)},
      {"protected", ctx.Protected()}, {"seed", s.seed}};
}

core::Json CiJson(const std::string& metric, const eval::MetricCi& ci) {
  auto num = [](double v) { return std::isfinite(v) ? core::Json(v) : core::Json(); };
  return {{"metric", metric},
          {"value", num(ci.estimate)},
          {"ci_low", num(ci.low)},
          {"ci_high", num(ci.high)},
          {"confidence", ci.confidence}};
}

// p50 and p99 of one-row predictions over up to 200 test rows, in ms.
Result<core::Json> Latency(const bundle::Predictor& model, const table::Table& test,
                           double budget_ms) {
  std::vector<double> ms;
  const size_t n = std::min<size_t>(test.num_rows(), 200);
  for (size_t i = 0; i < n; ++i) {
    const table::Table row = test.Take(std::vector<size_t>{i});
    const auto t0 = std::chrono::steady_clock::now();
    MLPIPE_RETURN_IF_ERROR(model.Predict(row).status());
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  auto q = [&](double p) {
    return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))];
  };
  return core::Json{{"rows", n},
                    {"p50_ms", q(0.5)},
                    {"p99_ms", q(0.99)},
                    {"budget_ms", budget_ms},
                    {"passed", q(0.99) <= budget_ms}};
}

Result<StepFiles> EvaluateRun(StepContext& ctx) {
  const ProjectSpec& s = *ctx.spec;
  MLPIPE_ASSIGN_OR_RETURN(const bundle::Predictor* model, ctx.Model());
  MLPIPE_ASSIGN_OR_RETURN(auto split, ctx.Split());
  MLPIPE_ASSIGN_OR_RETURN(const table::Table* t, ctx.ModelTable());
  const table::Table test = t->Take(split.second);
  MLPIPE_ASSIGN_OR_RETURN(TestScores scores, ScoreTest(*model, test, s.target.column.name));
  stats::BootstrapOptions bo;
  bo.resamples = 1000;
  bo.seed = core::Rng::Derive(s.seed, 7);
  bo.pool = &core::ThreadPool::Shared();

  core::Json kpis = core::Json::array();
  std::vector<std::string> metrics = TrainMetrics(s, model->bundle().task);
  for (const auto& m : metrics) {
    MLPIPE_ASSIGN_OR_RETURN(eval::MetricCi ci, eval::BootstrapMetric(m, scores.input, bo));
    core::Json j = CiJson(m, ci);
    j["constraints"] = core::Json::array();
    j["passed"] = true;
    for (const auto& c : s.kpis.constraints) {
      if (c.metric != m) continue;
      const bool holds = std::isfinite(ci.estimate) && c.Holds(ci.estimate);
      j["constraints"].push_back(fmt::format("{} {} {}", c.metric, c.op, c.value));
      j["passed"] = j["passed"].get<bool>() && holds;
    }
    kpis.push_back(std::move(j));
  }

  core::Json fairness = core::Json::array(), groups = core::Json::object();
  if (model->bundle().task == models::Task::kBinary) {
    for (const auto& column : ctx.Protected()) {
      MLPIPE_ASSIGN_OR_RETURN(const table::Column* col, t->GetColumn(column));
      eval::ProtectedColumn pc;
      pc.name = column;
      std::vector<int32_t> codes = ProtectedGroups(*col, split.second, &pc.group_names);
      pc.codes = codes;
      MLPIPE_ASSIGN_OR_RETURN(
          eval::FairnessReport report,
          eval::EvaluateFairness(scores.input.labels, scores.input.predicted, pc));
      core::Json g = core::Json::array();
      for (const auto& r : report.groups) {
        g.push_back({{"group", r.name},
                     {"count", r.count},
                     {"selection_rate", r.selection_rate},
                     {"tpr", r.tpr},
                     {"fpr", r.fpr},
                     {"four_fifths_flag", r.four_fifths_flag}});
      }
      groups[column] = g;
      eval::MetricInput in = scores.input;
      in.groups = codes;
      in.num_groups = pc.group_names.size();
      for (const auto& c : s.kpis.fairness) {
        bool applies = c.columns.empty();
        for (const auto& r : c.columns) applies = applies || r.name == column;
        if (!applies) continue;
        auto ci = eval::BootstrapMetric(c.metric, in, bo);
        core::Json j = ci.ok() ? CiJson(c.metric, *ci) : core::Json{{"metric", c.metric}};
        j["column"] = column;
        j["constraint"] = fmt::format("{} {} {}", c.metric, c.op, c.value);
        j["passed"] = ci.ok() && std::isfinite(ci->estimate) && c.Holds(ci->estimate);
        if (!ci.ok()) j["error"] = ci.status().message();
        fairness.push_back(std::move(j));
      }
    }
  }
  StepFiles out;
  out.files["evaluation.json"] =
      core::DumpPretty({{"kpis", kpis}, {"fairness", fairness}, {"groups", groups}});
  out.summary = {
      {"kpis", kpis}, {"fairness", fairness}, {"groups", groups}, {"test_rows", test.num_rows()}};
  if (s.kpis.latency_budget_ms) {
    MLPIPE_ASSIGN_OR_RETURN(out.summary["latency"],
                            Latency(*model, test, *s.kpis.latency_budget_ms));
  }
  return out;
}

}  // namespace

Step SplitStep() { return {"split", {"ingest"}, SplitKey, SplitRun}; }
Step FeaturesStep() { return {"features", {"ingest", "split"}, FeaturesKey, FeaturesRun}; }
Step TrainStep() {
  return {"train", {"ingest", "split", "features", "governance"}, TrainKey, TrainRun};
}
Step EvaluateStep() { return {"evaluate", {"ingest", "split", "train"}, EvaluateKey, EvaluateRun}; }

}  // namespace mlpipe::pipeline::internal
