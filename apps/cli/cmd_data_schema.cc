// `mlpipe data schema FILE -o SCHEMA.json`: infers a schema from a data file
// and writes it as human-editable JSON (docs/validation.md).
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_common.h"
#include "mlpipe/core/env.h"
#include "mlpipe/core/output.h"
#include "mlpipe/profile/schema.h"
#include "mlpipe/table/read.h"

namespace mlpipe::cli {
namespace {

struct SchemaArgs {
  std::string file;
  std::string output;
};

Status RunSchema(const CommandState& state, const SchemaArgs& args) {
  core::Env* env = core::Env::Default();
  MLPIPE_ASSIGN_OR_RETURN(table::Table data, table::ReadTableFile(env, args.file));
  MLPIPE_ASSIGN_OR_RETURN(profile::Schema schema, profile::InferSchema(data));
  schema.source = core::BaseName(args.file);
  MLPIPE_RETURN_IF_ERROR(profile::SaveSchemaFile(env, schema, args.output));
  if (core::IsStandardOutput(args.output)) {
    // Standard output holds the schema alone.
  } else if (state.global.json) {
    std::cout << schema.ToJsonText() << std::flush;
  } else if (!state.global.quiet) {
    std::printf("wrote %s: %zu columns from %s (%zu rows)\n", args.output.c_str(),
                schema.columns.size(), args.file.c_str(), data.num_rows());
  }
  return Status::OK();
}

}  // namespace

void AddDataSchemaCommand(CLI::App& parent, CommandState& state) {
  auto args = std::make_shared<SchemaArgs>();
  CLI::App* cmd = parent.add_subcommand(
      "schema", "Infer a schema (types, categories, ranges, missing shares) from a data file");
  cmd->add_option("FILE", args->file, "Data file (.csv, .tsv, .arff, .jsonl)")->required();
  cmd->add_option("-o,--output", args->output, "Where to write the schema JSON")->required();
  cmd->callback([&state, args] {
    Status s = RunSchema(state, *args);
    state.exit_code = s.ok() ? kExitOk : ReportError(state, s);
  });
}

}  // namespace mlpipe::cli
