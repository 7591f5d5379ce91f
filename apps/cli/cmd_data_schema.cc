// `mlpipe data schema` — being written.
#include "cli_common.h"

namespace mlpipe::cli {

void AddDataSchemaCommand(CLI::App& parent, CommandState& state) {
  CLI::App* cmd = parent.add_subcommand("schema", "(in progress)");
  cmd->callback([&state] { state.exit_code = kExitInternal; });
}

}  // namespace mlpipe::cli
