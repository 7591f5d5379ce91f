// `mlpipe data profile FILE [--target COL] [--positive LABEL] [--task T] [--protected COL]...
// [--html OUT] [--json OUT]`: the EDA profile of a data file (docs/profile.md).
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_common.h"
#include "mlpipe/core/env.h"
#include "mlpipe/core/log.h"
#include "mlpipe/core/output.h"
#include "mlpipe/profile/profile.h"
#include "mlpipe/profile/profile_output.h"
#include "mlpipe/table/read.h"

namespace mlpipe::cli {
namespace {

struct ProfileArgs {
  std::string file;
  std::string target;
  std::string positive;
  std::string task;  // --task
  std::vector<std::string> protected_columns;
  std::string html_out;
  std::string json_out;
};

Status RunProfile(const CommandState& state, const ProfileArgs& args) {
  core::Env* env = core::Env::Default();
  MLPIPE_ASSIGN_OR_RETURN(bool to_stdout,
                          core::ClaimsStandardOutput({args.json_out, args.html_out}));
  int64_t start = env->NowMicros();
  MLPIPE_ASSIGN_OR_RETURN(table::Table data, table::ReadTableFile(env, args.file));
  int64_t read = env->NowMicros();
  profile::ProfileOptions options;
  options.target = args.target;
  options.positive = args.positive;
  options.task = args.task;
  options.protected_columns = args.protected_columns;
  options.show_progress = core::ShowProgress();
  MLPIPE_ASSIGN_OR_RETURN(profile::TableProfile result,
                          profile::ProfileTable(data, options, core::BaseName(args.file)));
  core::LogDebug("read {:.3f} s, profile {:.3f} s", (read - start) / 1e6,
                 (env->NowMicros() - read) / 1e6);
  core::Json json = profile::ProfileToJson(result);
  if (!args.json_out.empty()) {
    MLPIPE_RETURN_IF_ERROR(core::WriteOutput(env, args.json_out, core::DumpPretty(json)));
  }
  if (!args.html_out.empty()) {
    MLPIPE_RETURN_IF_ERROR(core::WriteOutput(env, args.html_out, profile::ProfileToHtml(result)));
  }
  if (to_stdout) {
    // Standard output holds the written output alone.
  } else if (state.global.json) {
    PrintJson(json);
  } else if (!state.global.quiet) {
    std::cout << profile::ProfileToText(result);
    if (!args.json_out.empty()) std::cout << "\nwrote " << args.json_out << "\n";
    if (!args.html_out.empty())
      std::cout << (args.json_out.empty() ? "\n" : "") << "wrote " << args.html_out << "\n";
    std::cout << std::flush;
  }
  return Status::OK();
}

}  // namespace

void AddDataProfileCommand(CLI::App& parent, CommandState& state) {
  auto args = std::make_shared<ProfileArgs>();
  CLI::App* cmd = parent.add_subcommand(
      "profile",
      "Profile a data file: per-column summaries, duplicates, associations, target balance, "
      "group rates and quality warnings");
  cmd->add_option("FILE", args->file, "Data file (.csv, .tsv, .arff, .jsonl)")->required();
  cmd->add_option("--target", args->target, "Target column: class balance and group rates");
  cmd->add_option("--positive", args->positive,
                  "Positive class of the target (default: the minority class)");
  cmd->add_option("--task", args->task,
                  "binary | multiclass | regression (default: inferred from the target)");
  cmd->add_option("--protected", args->protected_columns,
                  "Protected column whose groups' target rates are compared (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--html", args->html_out, "Write a self-contained HTML report here");
  // `--json` without a file after the subcommand means the global --json.
  CLI::Option* json = cmd->add_option("--json", args->json_out,
                                      "Write the profile as JSON here (docs/profile.md); "
                                      "without OUT, print it instead of the summary")
                          ->expected(0, 1);
  AddThreadsOption(cmd);
  cmd->callback([&state, args, json] {
    if (json->count() > 0 && args->json_out.empty()) {
      state.global.json = true;
      core::OutputMode mode = core::GetOutputMode();
      mode.json = true;
      core::SetOutputMode(mode);
    }
    Status s = RunProfile(state, *args);
    state.exit_code = s.ok() ? kExitOk : ReportError(state, s);
  });
}

}  // namespace mlpipe::cli
