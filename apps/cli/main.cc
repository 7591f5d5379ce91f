// The `mlpipe` command line: parses arguments and hands each command to the
// library. No business logic lives here.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "cli_common.h"
#include "cli_errors.h"
#include "mlpipe/core/log.h"

namespace {

// Global options (--json, -q, --project, ...) are accepted after any
// subcommand too: `mlpipe train ... -q`.
void AcceptGlobalOptionsEverywhere(CLI::App* app) {
  for (CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; })) {
    sub->fallthrough();
    AcceptGlobalOptionsEverywhere(sub);
  }
}

constexpr const char* kDescription =
    "mlpipe: a data file to a governed, monitored model in production.\n"
    "Every step is recorded so that any result can be reproduced and audited.";

// Large tables are allocated in big blocks whose page faults cost about a
// tenth of reading and profiling them; glibc's malloc backs such blocks with
// transparent huge pages when the glibc.malloc.hugetlb tunable is 1, which it
// reads only at start-up. So the first start re-executes itself once with it
// set (MLPIPE_NO_HUGEPAGES=1 turns this off). Failure to re-execute is harmless.
void ReexecWithHugePages(char** argv) {
  if (std::getenv("MLPIPE_NO_HUGEPAGES") != nullptr) return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::strstr(tunables, "glibc.malloc.hugetlb") != nullptr) return;
  std::string value = "glibc.malloc.hugetlb=1";
  if (tunables != nullptr && *tunables != '\0') value = std::string(tunables) + ":" + value;
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  unsetenv("GLIBC_TUNABLES");  // exec failed: carry on as we are
  if (tunables != nullptr) setenv("GLIBC_TUNABLES", tunables, 1);
}

}  // namespace

int main(int argc, char** argv) {
  ReexecWithHugePages(argv);
  using namespace mlpipe::cli;
  CommandState state;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) state.command_line += " ";
    state.command_line += argv[i];
  }
  CLI::App app(kDescription, "mlpipe");
  app.set_version_flag("--version", "mlpipe " MLPIPE_VERSION);
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();
  app.add_option("--project", state.global.project,
                 "Project folder (default: the nearest folder holding mlpipe.yaml or .mlpipe/)");
  app.add_option(
      "--store", state.global.store,
      "Metadata store: a SQLite path, postgresql://… or a tracking server http://HOST:PORT");
  app.add_flag("--json", state.global.json, "Machine-readable JSON on standard output");
  app.add_flag("-q,--quiet", state.global.quiet, "Only errors; no progress bars");
  app.add_flag("-v,--verbose", state.global.verbose, "More detail (repeat for debug)");

  AddInitCommand(app, state);
  CLI::App* data = app.add_subcommand(
      "data", "Profile, describe and validate data files; version them in the project");
  data->require_subcommand(1);
  AddDataProfileCommand(*data, state);
  AddDataSchemaCommand(*data, state);
  AddDataValidateCommand(*data, state);
  AddDataVersionCommands(*data, state);
  AddTrainCommand(app, state);
  AddRunCommands(app, state);
  AddBundleCommands(app, state);
  AddPredictCommand(app, state);
  AddRunsCommands(app, state);
  AddRegistryCommands(app, state);
  AddLineageCommand(app, state);
  AddAuditCommands(app, state);
  AddGcCommand(app, state);
  AddGateCommands(app, state);
  AddServeCommand(app, state);

  // Set the output mode before any command callback runs.
  AcceptGlobalOptionsEverywhere(&app);

  app.parse_complete_callback([&state] {
    mlpipe::core::OutputMode mode;
    mode.json = state.global.json;
    mode.quiet = state.global.quiet;
    if (state.global.quiet) mode.level = mlpipe::core::LogLevel::kError;
    if (state.global.verbose > 0) mode.level = mlpipe::core::LogLevel::kDebug;
    mlpipe::core::SetOutputMode(mode);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return ReportParseError(app, e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "internal error: %s\n", e.what());
    return kExitInternal;
  }
  return state.exit_code;
}
