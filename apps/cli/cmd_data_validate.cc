// `mlpipe data validate` — being written.
#include "cli_common.h"

namespace mlpipe::cli {

void AddDataValidateCommand(CLI::App& parent, CommandState& state) {
  CLI::App* cmd = parent.add_subcommand("validate", "(in progress)");
  cmd->callback([&state] { state.exit_code = kExitInternal; });
}

}  // namespace mlpipe::cli
