// `mlpipe data validate FILE --schema SCHEMA.json [--json OUT]`: compares a
// data file with a schema. Exit 0 when there is no error (warnings allowed),
// 1 when an anomaly of severity error is found, 2 for bad input.
#include <iostream>
#include <memory>

#include "cli_common.h"
#include "mlpipe/core/env.h"
#include "mlpipe/core/output.h"
#include "mlpipe/profile/validate.h"
#include "mlpipe/table/read.h"

namespace mlpipe::cli {
namespace {

struct ValidateArgs {
  std::string file;
  std::string schema;
  std::string json_out;
};

Result<profile::ValidationReport> RunValidate(const CommandState& state, const ValidateArgs& args) {
  core::Env* env = core::Env::Default();
  MLPIPE_ASSIGN_OR_RETURN(bool to_stdout, core::ClaimsStandardOutput({args.json_out}));
  // The schema first: a broken schema is reported before a long data read.
  MLPIPE_ASSIGN_OR_RETURN(profile::Schema schema, profile::LoadSchemaFile(env, args.schema));
  MLPIPE_ASSIGN_OR_RETURN(table::Table data, table::ReadTableFile(env, args.file));
  profile::ValidationReport report = profile::Validate(data, schema);
  report.data_source = args.file;
  report.schema_source = args.schema;
  profile::OrderedJson j = profile::ReportToJson(report);
  if (!args.json_out.empty()) {
    MLPIPE_RETURN_IF_ERROR(core::WriteOutput(env, args.json_out, j.dump(2) + "\n"));
  }
  if (to_stdout) {
    // Standard output holds the JSON report alone.
  } else if (state.global.json) {
    std::cout << j.dump(2) << "\n" << std::flush;
  } else {
    std::cout << profile::RenderReportText(report) << std::flush;
  }
  return report;
}

}  // namespace

void AddDataValidateCommand(CLI::App& parent, CommandState& state) {
  auto args = std::make_shared<ValidateArgs>();
  CLI::App* cmd = parent.add_subcommand(
      "validate",
      "Check a data file against a schema; exit 1 when an error-severity anomaly is found");
  cmd->add_option("FILE", args->file, "Data file (.csv, .tsv, .arff, .jsonl)")->required();
  cmd->add_option("--schema", args->schema, "Schema JSON (from `mlpipe data schema`)")->required();
  cmd->add_option("--json", args->json_out, "Also write the report as JSON to this file");
  cmd->callback([&state, args] {
    auto report = RunValidate(state, *args);
    if (!report.ok()) {
      state.exit_code = ReportError(state, report.status());
    } else {
      state.exit_code = report->HasErrors() ? kExitProblemFound : kExitOk;
    }
  });
}

}  // namespace mlpipe::cli
