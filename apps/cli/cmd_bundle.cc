// `mlpipe bundle inspect FILE`, `mlpipe bundle verify FILE` and
// `mlpipe predict --model REF --input FILE --output FILE` (docs/bundle.md).
// The work is the bundle module (mlpipe/bundle/); this file resolves a REF,
// reads and writes files and prints.
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli_common.h"
#include "cli_store.h"
#include "mlpipe/bundle/bundle.h"
#include "mlpipe/bundle/predictor.h"
#include "mlpipe/bundle/ref.h"
#include "mlpipe/bundle/score.h"
#include "mlpipe/core/env.h"
#include "mlpipe/core/log.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/progress.h"
#include "mlpipe/table/read.h"

namespace mlpipe::cli {
namespace {

struct BundleBytes {
  std::string bytes;
  std::string source;  // how errors name it
};

// REF: a bundle file, or MODEL@VERSION / MODEL@ALIAS in the project's registry.
Result<BundleBytes> LoadRef(const CommandState& state, const std::string& ref) {
  core::Env* env = core::Env::Default();
  std::optional<store::ProjectStores> stores;
  if (bundle::IsRegistryRef(env, ref)) {
    MLPIPE_ASSIGN_OR_RETURN(stores, OpenStores(state));
  }
  MLPIPE_ASSIGN_OR_RETURN(bundle::BundleSource src,
                          bundle::ReadBundleRef(env, ref, stores ? stores->meta.get() : nullptr,
                                                stores ? stores->objects.get() : nullptr));
  return BundleBytes{std::move(src.bytes), std::move(src.name)};
}

core::Json ManifestJson(const bundle::ModelBundle& b) {
  core::Json parts = core::Json::array();
  for (const auto& p : b.parts) {
    parts.push_back({{"name", p.name},
                     {"offset", p.offset},
                     {"size", p.size},
                     {"raw_size", p.raw_size},
                     {"sha256", p.sha256},
                     {"content_sha256", p.content_sha256},
                     {"compression", p.compression}});
  }
  core::Json j = {{"format_version", b.format_version},
                  {"created_by", b.created_by},
                  {"task", models::TaskName(b.task)},
                  {"target", b.target},
                  {"family", b.family},
                  {"classes", b.classes},
                  {"positive", b.positive},
                  {"threshold", b.threshold},
                  {"sha256", b.sha256},
                  {"parts", parts},
                  {"schema", b.schema.ToJson()},
                  {"lineage", b.lineage},
                  {"golden_rows", b.golden.value("rows", core::Json::array()).size()}};
  if (b.created_us != 0) j["created_us"] = b.created_us;
  if (b.metrics.contains("best")) {
    j["metrics"] = {{"test", b.metrics["best"].value("test", core::Json::object())},
                    {"cv", b.metrics["best"].value("cv", core::Json::object())},
                    {"rows", b.metrics.value("rows", core::Json::object())}};
  }
  return j;
}

Status Inspect(const CommandState& state, const std::string& file) {
  MLPIPE_ASSIGN_OR_RETURN(BundleBytes in, LoadRef(state, file));
  MLPIPE_ASSIGN_OR_RETURN(bundle::ModelBundle b, bundle::DecodeBundle(in.bytes, in.source));
  if (state.global.json) {
    PrintJson(ManifestJson(b));
    return Status::OK();
  }
  std::cout << fmt::format("bundle {} ({}, sha256 {})\n", in.source, FormatBytes(in.bytes.size()),
                           b.sha256);
  std::cout << fmt::format("format {}, created by {}\n", b.format_version, b.created_by);
  std::string classes;
  for (const auto& c : b.classes) classes += (classes.empty() ? "" : ", ") + c;
  std::cout << fmt::format("{} model '{}' of target '{}'", models::TaskName(b.task), b.family,
                           b.target);
  if (b.task == models::Task::kBinary) {
    std::cout << fmt::format(", classes [{}], positive '{}', threshold {}", classes, b.positive,
                             FormatNumber(b.threshold));
  } else if (b.task == models::Task::kMulticlass) {
    std::cout << fmt::format(", classes [{}]", classes);
  }
  std::cout << "\n\nparts\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : b.parts) {
    rows.push_back({p.name, FormatBytes(p.size), FormatBytes(p.raw_size), p.content_sha256});
  }
  PrintTable({"name", "stored", "size", "sha256"}, rows);
  std::cout << fmt::format("\ninput schema: {} columns\n", b.schema.columns.size());
  rows.clear();
  for (const auto& c : b.schema.columns) {
    std::string detail;
    if (c.categories) detail = fmt::format("{} categories", c.categories->size());
    if (c.min && c.max)
      detail = fmt::format("[{}, {}]", FormatNumber(*c.min), FormatNumber(*c.max));
    rows.push_back({c.name, std::string(table::DataTypeName(c.type)), detail});
  }
  PrintTable({"column", "type", "values"}, rows);
  if (b.metrics.contains("best")) {
    std::cout << "\ntest metrics\n";
    rows.clear();
    for (const auto& [name, m] : b.metrics["best"]["test"].items()) {
      rows.push_back({name, FormatMetric(m.value("value", 0.0)),
                      fmt::format("[{}, {}]", FormatMetric(m.value("ci_low", 0.0)),
                                  FormatMetric(m.value("ci_high", 0.0)))});
    }
    PrintTable({"metric", "value", "95% CI"}, rows);
  }
  if (!b.lineage.empty()) std::cout << "\nlineage " << b.lineage.dump() << "\n";
  std::cout << std::flush;
  return Status::OK();
}

// Exit 0 when every checksum and golden row agrees, 1 when golden rows differ,
// 3 when the file is damaged (DataLoss), 2 when it is from a newer format.
Status Verify(CommandState& state, const std::string& file) {
  MLPIPE_ASSIGN_OR_RETURN(BundleBytes in, LoadRef(state, file));
  MLPIPE_ASSIGN_OR_RETURN(bundle::ModelBundle b, bundle::DecodeBundle(in.bytes, in.source));
  const size_t parts = b.parts.size();
  auto p = bundle::Predictor::Create(std::move(b));
  if (!p.ok()) return p.status().WithContext(in.source);
  MLPIPE_ASSIGN_OR_RETURN(bundle::GoldenReport g, (*p)->VerifyGolden());
  if (state.global.json) {
    PrintJson({{"ok", g.ok()},
               {"parts", parts},
               {"golden_rows", g.rows},
               {"mismatches", g.mismatches},
               {"max_relative_error", g.max_relative_error},
               {"problem", g.first_problem}});
  }
  if (!g.ok()) {
    std::fprintf(stderr, "error: %s: %zu of %zu golden rows differ; first: %s\n", in.source.c_str(),
                 g.mismatches, g.rows, g.first_problem.c_str());
    state.exit_code = kExitProblemFound;
    return Status::OK();
  }
  if (!state.global.json && !state.global.quiet) {
    std::cout << fmt::format("bundle OK: {} parts verified, {} golden rows reproduced\n", parts,
                             g.rows)
              << std::flush;
  }
  return Status::OK();
}

struct PredictArgs {
  std::string model, input, output;
  size_t chunk = 65536;
};

Status Predict(const CommandState& state, const PredictArgs& args) {
  core::Env* env = core::Env::Default();
  MLPIPE_ASSIGN_OR_RETURN(BundleBytes in, LoadRef(state, args.model));
  MLPIPE_ASSIGN_OR_RETURN(bundle::ModelBundle b, bundle::DecodeBundle(in.bytes, in.source));
  auto created = bundle::Predictor::Create(std::move(b));
  if (!created.ok()) return created.status().WithContext(in.source);
  const bundle::Predictor& p = **created;
  const auto t0 = std::chrono::steady_clock::now();
  MLPIPE_ASSIGN_OR_RETURN(table::Table data, table::ReadTableFile(env, args.input));
  const auto t1 = std::chrono::steady_clock::now();
  core::Progress progress("predict", data.num_rows(), "rows");
  bundle::ScoreOptions options;
  options.chunk = args.chunk;
  options.on_chunk = [&progress](size_t rows) { progress.Add(rows); };
  std::vector<bundle::UnscoredRow> unscored;
  options.unscored = &unscored;
  auto out = bundle::ScoreToCsv(p, data, options);
  if (!out.ok()) return out.status().WithContext(args.input);
  progress.Finish();
  MLPIPE_RETURN_IF_ERROR(core::WriteOutput(env, args.output, *out));
  if (!unscored.empty()) {
    auto lines = table::RowLinesOfFile(env, args.input);
    for (const std::string& w : bundle::DescribeUnscored(
             unscored, args.input, lines.ok() ? *lines : std::vector<size_t>())) {
      core::LogWarning("{}", w);
    }
  }
  const double read_s = std::chrono::duration<double>(t1 - t0).count();
  const double total_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (core::IsStandardOutput(args.output)) {
    // Standard output holds the predictions alone.
  } else if (state.global.json) {
    PrintJson({{"rows", data.num_rows()},
               {"unscored", unscored.size()},
               {"output", args.output},
               {"model", in.source},
               {"read_seconds", read_s},
               {"seconds", total_s}});
  } else if (!state.global.quiet) {
    std::cout << fmt::format("wrote {} predictions to {} ({:.3f} s, of which reading {:.3f} s){}\n",
                             data.num_rows() - unscored.size(), args.output, total_s, read_s,
                             unscored.empty() ? ""
                                              : fmt::format("; {} rows not scored (left empty)",
                                                            unscored.size()))
              << std::flush;
  }
  return Status::OK();
}

}  // namespace

void AddBundleCommands(CLI::App& parent, CommandState& state) {
  CLI::App* bundle = parent.add_subcommand("bundle", "Inspect and verify model bundles");
  bundle->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  CLI::App* inspect = bundle->add_subcommand(
      "inspect", "Show a bundle's manifest, parts, input schema and metrics");
  inspect->add_option("FILE", *file, "Bundle file or MODEL@VERSION|ALIAS")->required();
  inspect->add_flag("--json", state.global.json, "Print as JSON");
  inspect->callback([&state, file] { RunCommand(state, [&] { return Inspect(state, *file); }); });
  CLI::App* verify = bundle->add_subcommand(
      "verify",
      "Check every checksum and re-predict the golden rows (exit 1: golden rows differ, 3: the "
      "file is damaged)");
  verify->add_option("FILE", *file, "Bundle file or MODEL@VERSION|ALIAS")->required();
  verify->add_flag("--json", state.global.json, "Print the verdict as JSON");
  verify->callback([&state, file] {
    Status s = Verify(state, *file);
    if (!s.ok()) state.exit_code = ReportError(state, s);
  });
}

void AddPredictCommand(CLI::App& parent, CommandState& state) {
  auto args = std::make_shared<PredictArgs>();
  CLI::App* cmd = parent.add_subcommand(
      "predict", "Score a data file with a model bundle (docs/bundle.md), writing CSV");
  cmd->add_option("--model", args->model, "Bundle file, MODEL@VERSION or MODEL@ALIAS")->required();
  cmd->add_option("--input", args->input, "Data file (.csv, .tsv, .arff, .jsonl)")->required();
  cmd->add_option("--output", args->output, "Predictions CSV to write")->required();
  cmd->add_option("--chunk", args->chunk, "Rows scored per batch");
  cmd->add_flag("--json", state.global.json, "Print a JSON summary");
  cmd->callback([&state, args] { RunCommand(state, [&] { return Predict(state, *args); }); });
}

}  // namespace mlpipe::cli
