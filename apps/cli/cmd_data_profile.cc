// `mlpipe data profile` — being written.
#include "cli_common.h"

namespace mlpipe::cli {

void AddDataProfileCommand(CLI::App& parent, CommandState& state) {
  CLI::App* cmd = parent.add_subcommand("profile", "(in progress)");
  cmd->callback([&state] { state.exit_code = kExitInternal; });
}

}  // namespace mlpipe::cli
