// `mlpipe init DIR --data FILE --target COL [--positive LABEL] [--force]`:
// profiles the data and writes DIR/mlpipe.yaml with the roles of the columns
// guessed (docs/spec.md). The work is pipeline::InitProject.
#include <iostream>

#include "cli_common.h"
#include "mlpipe/core/env.h"
#include "mlpipe/pipeline/init.h"

namespace mlpipe::cli {

void AddInitCommand(CLI::App& parent, CommandState& state) {
  auto options = std::make_shared<pipeline::InitOptions>();
  CLI::App* cmd = parent.add_subcommand(
      "init", "Write a project spec (DIR/mlpipe.yaml) for a data file, column roles guessed");
  cmd->add_option("dir", options->dir, "Project folder (created when missing)")->required();
  cmd->add_option("--data", options->data, "The data file (referenced, not copied)")->required();
  cmd->add_option("--target", options->target, "The target column")->required();
  cmd->add_option("--positive", options->positive,
                  "Positive class of a binary target (default: the minority class)");
  cmd->add_option("--task", options->task,
                  "binary | multiclass | regression (default: inferred from the target)");
  cmd->add_flag("--force", options->force, "Overwrite an existing mlpipe.yaml");
  cmd->callback([&state, options] {
    auto result = pipeline::InitProject(core::Env::Default(), *options);
    if (!result.ok()) {
      state.exit_code = ReportError(state, result.status());
      return;
    }
    if (state.global.json) {
      core::Json guesses = core::Json::array();
      for (const auto& g : result->guesses) {
        guesses.push_back({{"column", g.column}, {"role", g.role}, {"reason", g.reason}});
      }
      PrintJson({{"spec", result->spec_path}, {"guesses", guesses}});
      return;
    }
    if (state.global.quiet) return;
    std::cout << "wrote " << result->spec_path << "\n";
    for (const auto& g : result->guesses) {
      std::cout << "  " << g.column << ": " << g.role << " (" << g.reason << ")\n";
    }
  });
}

}  // namespace mlpipe::cli
