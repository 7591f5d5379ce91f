// `mlpipe runs list | show RUN | compare RUN RUN... | search QUERY`: the
// tracked runs of the project (docs/tracking.md has the JSON shapes).
#include <cctype>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_store.h"
#include "mlpipe/store/lookup.h"
#include "mlpipe/store/metadata_store.h"
#include "mlpipe/store/run_view.h"

namespace mlpipe::cli {
namespace {

struct RunsArgs {
  std::string experiment;
  std::string query;
  std::vector<std::string> order_by;
  int64_t limit = 100;
  int64_t offset = 0;
  std::vector<std::string> runs;
};

std::string Short(const std::string& run_id) { return run_id.substr(0, 12); }

std::string Duration(const store::RunInfo& r) {
  if (r.end_us == 0 || r.end_us < r.start_us) return "";
  char buf[32];
  const double secs = static_cast<double>(r.end_us - r.start_us) / 1e6;
  std::snprintf(buf, sizeof(buf), secs < 10 ? "%.2fs" : "%.0fs", secs);
  return buf;
}

void PrintRunPage(const store::RunPage& page, const store::RunQuery& q, bool json) {
  if (json) {
    core::Json runs = core::Json::array();
    for (const auto& r : page.runs) runs.push_back(store::RunInfoView(r));
    PrintJson({{"runs", runs}, {"total", page.total}, {"limit", q.limit}, {"offset", q.offset}});
    return;
  }
  if (page.total == 0) {
    std::printf("no runs%s\n", q.filter.empty() ? "" : " match the query");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : page.runs) {
    rows.push_back({r.run_id, r.experiment, std::string(store::RunStatusName(r.status)),
                    FormatTime(r.start_us), Duration(r), Short(r.origin.parent_run_id),
                    r.origin.name, r.origin.user});
  }
  PrintTable({"RUN", "EXPERIMENT", "STATUS", "STARTED", "DURATION", "PARENT", "NAME", "USER"},
             rows);
  const int64_t shown = static_cast<int64_t>(page.runs.size());
  if (shown < page.total) {
    std::printf("(%lld-%lld of %lld runs)\n", static_cast<long long>(q.offset + (shown ? 1 : 0)),
                static_cast<long long>(q.offset + shown), static_cast<long long>(page.total));
  } else {
    std::printf("(%lld run%s)\n", static_cast<long long>(page.total), page.total == 1 ? "" : "s");
  }
}

Status RunList(const CommandState& state, const RunsArgs& args) {
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores stores, OpenStores(state));
  store::RunQuery q;
  q.experiment = args.experiment;
  q.limit = args.limit;
  q.offset = args.offset;
  MLPIPE_ASSIGN_OR_RETURN(store::RunPage page, stores.meta->SearchRuns(q));
  PrintRunPage(page, q, state.global.json);
  return Status::OK();
}

// Under the query on the terminal, a caret at the column the error names
// ("query: column 17: ...").
void PointAtColumn(const std::string& query, const Status& s) {
  const std::string prefix = "query: column ";
  if (s.message().rfind(prefix, 0) != 0) return;
  size_t column = 0;
  for (size_t i = prefix.size(); i < s.message().size() && std::isdigit(s.message()[i]); ++i) {
    column = column * 10 + static_cast<size_t>(s.message()[i] - '0');
  }
  if (column == 0 || column > query.size() + 1) return;
  std::fprintf(stderr, "  %s\n  %s^\n", query.c_str(), std::string(column - 1, ' ').c_str());
}

Status RunSearch(const CommandState& state, const RunsArgs& args) {
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores stores, OpenStores(state));
  store::RunQuery q;
  q.experiment = args.experiment;
  q.filter = args.query;
  q.order_by = args.order_by;
  q.limit = args.limit;
  q.offset = args.offset;
  MLPIPE_ASSIGN_OR_RETURN(store::RunPage page, stores.meta->SearchRuns(q));
  PrintRunPage(page, q, state.global.json);
  return Status::OK();
}

Status RunShow(const CommandState& state, const RunsArgs& args) {
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores stores, OpenStores(state));
  MLPIPE_ASSIGN_OR_RETURN(store::Run run, store::ResolveRun(*stores.meta, args.runs.at(0)));
  if (state.global.json) {
    PrintJson({{"run", store::RunView(run)}});
    return Status::OK();
  }
  const store::RunInfo& i = run.info;
  const store::RunOrigin& o = i.origin;
  std::vector<std::vector<std::string>> info = {
      {"run", i.run_id},
      {"experiment", i.experiment},
      {"status", std::string(store::RunStatusName(i.status))},
      {"started", FormatTime(i.start_us)},
      {"ended", FormatTime(i.end_us)},
  };
  if (!o.name.empty()) info.push_back({"name", o.name});
  info.push_back({"host", o.host});
  info.push_back({"user", o.user});
  info.push_back({"command", o.command});
  info.push_back({"git commit", o.git_commit.empty()
                                    ? "(not in a git work tree)"
                                    : o.git_commit + (o.git_dirty ? " (dirty)" : "")});
  info.push_back({"seed", std::to_string(o.seed)});
  info.push_back({"mlpipe version", o.mlpipe_version});
  if (!o.parent_run_id.empty()) info.push_back({"parent run", o.parent_run_id});
  PrintTable({}, info);

  auto section = [](const char* title, bool empty) {
    std::printf("\n%s%s\n", title, empty ? ": none" : "");
  };
  section("params", run.params.empty());
  if (!run.params.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, v] : run.params) rows.push_back({"  " + k, v});
    PrintTable({}, rows);
  }
  section("metrics (latest)", run.metrics.empty());
  if (!run.metrics.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, m] : run.metrics) {
      rows.push_back(
          {"  " + k, FormatMetric(m.value), m.step != 0 ? "step " + std::to_string(m.step) : ""});
    }
    PrintTable({}, rows);
  }
  section("tags", run.tags.empty());
  if (!run.tags.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, v] : run.tags) rows.push_back({"  " + k, v});
    PrintTable({}, rows);
  }
  section("artifacts", run.artifacts.empty());
  if (!run.artifacts.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : run.artifacts) {
      rows.push_back({"  " + a.path, FormatBytes(a.size), "sha256:" + a.object_hash});
    }
    PrintTable({}, rows);
  }
  section("dataset inputs", run.inputs.empty());
  if (!run.inputs.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& in : run.inputs) {
      rows.push_back({"  " + in.dataset + "@" + std::to_string(in.version),
                      std::string(store::DatasetRoleName(in.role))});
    }
    PrintTable({}, rows);
  }
  return Status::OK();
}

Status RunCompare(const CommandState& state, const RunsArgs& args) {
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores stores, OpenStores(state));
  std::vector<store::Run> runs;
  for (const std::string& id : args.runs) {
    MLPIPE_ASSIGN_OR_RETURN(store::Run run, store::ResolveRun(*stores.meta, id));
    runs.push_back(std::move(run));
  }
  const core::Json view = store::CompareRunsView(runs);
  if (state.global.json) {
    PrintJson(view);
    return Status::OK();
  }
  // One row per key, "*" where the runs' values differ, "-" where a run lacks it.
  std::vector<std::vector<std::string>> rows;
  for (const char* section : {"params", "metrics"}) {
    for (const auto& [key, row] : view[section].items()) {
      std::vector<std::string> cells = {row["differs"].get<bool>() ? "*" : "",
                                        std::string(section) + "." + key};
      for (const auto& v : row["values"]) {
        cells.push_back(v.is_null()     ? "-"
                        : v.is_string() ? v.get<std::string>()
                                        : FormatMetric(v.get<double>()));
      }
      rows.push_back(std::move(cells));
    }
  }
  std::vector<std::string> header = {"", "KEY"};
  for (const auto& r : runs) header.push_back(Short(r.info.run_id));
  PrintTable(header, rows);
  std::printf("(* marks values that differ)\n");
  return Status::OK();
}

void AddPaging(CLI::App* cmd, RunsArgs* args) {
  cmd->add_option("--experiment", args->experiment, "Only runs of this experiment");
  cmd->add_option("--limit", args->limit, "At most this many runs")->check(CLI::NonNegativeNumber);
  cmd->add_option("--offset", args->offset, "Skip this many runs first")
      ->check(CLI::NonNegativeNumber);
}

template <typename Fn>
void SetCallback(CLI::App* cmd, CommandState& state, std::shared_ptr<RunsArgs> args, Fn fn) {
  cmd->fallthrough();
  cmd->callback([&state, args, fn] {
    Status s = fn(state, *args);
    state.exit_code = s.ok() ? kExitOk : ReportError(state, s);
    if (!s.ok() && !state.global.json && !args->query.empty()) PointAtColumn(args->query, s);
  });
}

}  // namespace

void AddRunsCommands(CLI::App& parent, CommandState& state) {
  CLI::App* runs = parent.add_subcommand("runs", "List, show, compare and search tracked runs");
  runs->require_subcommand(1);
  runs->fallthrough();

  auto list_args = std::make_shared<RunsArgs>();
  CLI::App* list = runs->add_subcommand("list", "Runs, newest first");
  AddPaging(list, list_args.get());
  SetCallback(list, state, list_args, RunList);

  auto show_args = std::make_shared<RunsArgs>();
  CLI::App* show = runs->add_subcommand(
      "show", "One run: origin, params, latest metrics, tags, artifacts and dataset inputs");
  show->add_option("RUN", show_args->runs, "Run id (or a unique prefix of at least 4 characters)")
      ->required()
      ->expected(1);
  SetCallback(show, state, show_args, RunShow);

  auto compare_args = std::make_shared<RunsArgs>();
  CLI::App* compare = runs->add_subcommand(
      "compare", "Params and metrics of runs side by side, differences marked");
  compare->add_option("RUN", compare_args->runs, "Two or more run ids")
      ->required()
      ->expected(2, 1000);
  SetCallback(compare, state, compare_args, RunCompare);

  auto search_args = std::make_shared<RunsArgs>();
  CLI::App* search = runs->add_subcommand(
      "search", "Runs matching a query, e.g. \"metrics.roc_auc > 0.8 and params.model = 'gbdt'\"");
  search->add_option("QUERY", search_args->query, "Filter (docs/tracking.md); '' matches all")
      ->required();
  search
      ->add_option("--order-by", search_args->order_by,
                   "Sort key, e.g. \"metrics.roc_auc DESC\" (repeatable; default: newest first)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  AddPaging(search, search_args.get());
  SetCallback(search, state, search_args, RunSearch);
}

}  // namespace mlpipe::cli
