// What every `mlpipe` command shares: the global options, the mapping from a
// Status to an exit code, and a way to print results as text or JSON.
//
// Exit status (DESIGN.md, mlpipe/core/exit_code.h): 0 success; 1 the command
// found a problem it exists to find; 2 bad usage, spec or input; 3 an internal
// error or a failing environment (I/O, an unreachable server, damaged data).
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "mlpipe/core/exit_code.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"

namespace mlpipe::eval {
class TrainObserver;
}  // namespace mlpipe::eval

namespace mlpipe::cli {

using core::kExitBadInput;
using core::kExitInternal;
using core::kExitOk;
using core::kExitProblemFound;

struct GlobalOptions {
  std::string project;  // --project DIR
  std::string store;    // --store URI
  bool json = false;    // --json
  bool quiet = false;   // -q
  int verbose = 0;      // -v (repeatable)
};

// Where a command's callback leaves its exit code.
struct CommandState {
  GlobalOptions global;
  int exit_code = kExitOk;
  std::string command_line;  // argv joined with spaces, as recorded in runs
};

// Prints "error: MESSAGE" to standard error (or, under --json, a JSON object
// {"error": {"code": ..., "message": ...}} to standard output) and returns the
// exit code for `status` (core::ExitCodeFor). REQUIRES: !status.ok().
int ReportError(const CommandState& state, const Status& status);

// Prints `j` to standard output, indented.
void PrintJson(const core::Json& j);

// Adds `--threads N` to `cmd`: the size of the library's shared thread pool
// (core::ThreadPool::SetSharedThreads), so the command computes on at most N
// threads (XGBoost fits included; the default is one per hardware thread).
// Out of 1..1024 it is a usage error (exit 2).
void AddThreadsOption(CLI::App* cmd);

// Validators of option values whose range CLI11's types do not state.
// A share strictly between 0 and 1 ("--test-size: must be in (0, 1), got 0").
CLI::Validator OpenUnitInterval();
// An integer from 0 to 2^64-1 (a seed): "-1" is refused, not wrapped round.
CLI::Validator UnsignedInteger();

// Each adds its subcommand under `parent`; the callback stores the exit code in `state`.
void AddDataProfileCommand(CLI::App& parent, CommandState& state);
void AddDataSchemaCommand(CLI::App& parent, CommandState& state);
void AddDataValidateCommand(CLI::App& parent, CommandState& state);
// data add / list / show / diff / get, under `data`.
void AddDataVersionCommands(CLI::App& data, CommandState& state);
void AddTrainCommand(CLI::App& parent, CommandState& state);
// A progress bar per family of a training's search (cmd_train.cc).
std::unique_ptr<eval::TrainObserver> NewTrainProgress();
// `run` and `reproduce` (cmd_run.cc).
void AddRunCommands(CLI::App& parent, CommandState& state);
// `init DIR --data FILE --target COL` (cmd_init.cc).
void AddInitCommand(CLI::App& parent, CommandState& state);
// bundle inspect / verify, and predict (cmd_bundle.cc).
void AddBundleCommands(CLI::App& parent, CommandState& state);
void AddPredictCommand(CLI::App& parent, CommandState& state);
// The commands over the project's stores (cmd_runs.cc, cmd_registry.cc, ...).
void AddRunsCommands(CLI::App& parent, CommandState& state);
void AddRegistryCommands(CLI::App& parent, CommandState& state);
void AddLineageCommand(CLI::App& parent, CommandState& state);
void AddAuditCommands(CLI::App& parent, CommandState& state);
void AddGcCommand(CLI::App& parent, CommandState& state);
// gates / approve / promote / rollback (cmd_gates.cc).
void AddGateCommands(CLI::App& parent, CommandState& state);
// `serve --tracking` (cmd_serve.cc).
void AddServeCommand(CLI::App& parent, CommandState& state);

}  // namespace mlpipe::cli
