// `mlpipe gc [--dry-run]`: removes the objects no record refers to (and
// leftover temporary files) from the project's object store.
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_store.h"
#include "mlpipe/store/metadata_store.h"
#include "mlpipe/store/object_store.h"

namespace mlpipe::cli {
namespace {

struct GcArgs {
  bool dry_run = false;
  double grace_hours = 1;
};

Status RunGc(const CommandState& state, const GcArgs& args) {
  if (args.grace_hours < 0) {
    return InvalidArgumentError("--grace-hours must be >= 0, got " +
                                FormatNumber(args.grace_hours));
  }
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores stores, OpenStores(state));
  MLPIPE_ASSIGN_OR_RETURN(auto referenced, stores.meta->ReferencedObjects());
  const auto grace = static_cast<int64_t>(args.grace_hours * 3600.0 * 1e6);
  MLPIPE_ASSIGN_OR_RETURN(store::GcResult r, stores.objects->Gc(referenced, args.dry_run, grace));
  if (state.global.json) {
    PrintJson({{"dry_run", args.dry_run},
               {"objects_removed", r.objects_removed},
               {"bytes_freed", r.bytes_freed},
               {"objects_kept", r.objects_kept},
               {"removed", r.removed}});
    return Status::OK();
  }
  if (state.global.verbose > 0 || args.dry_run) {
    for (const auto& h : r.removed)
      std::printf("%s %s\n", args.dry_run ? "would remove" : "removed", h.c_str());
  }
  if (!state.global.quiet) {
    std::printf("%s %llu object%s, %s %s; %llu kept\n", args.dry_run ? "would remove" : "removed",
                static_cast<unsigned long long>(r.objects_removed),
                r.objects_removed == 1 ? "" : "s", args.dry_run ? "freeing" : "freed",
                FormatBytes(r.bytes_freed).c_str(),
                static_cast<unsigned long long>(r.objects_kept));
  }
  return Status::OK();
}

}  // namespace

void AddGcCommand(CLI::App& parent, CommandState& state) {
  auto args = std::make_shared<GcArgs>();
  CLI::App* cmd = parent.add_subcommand(
      "gc", "Remove stored objects that no record refers to (run artifacts, data, bundles)");
  cmd->add_flag("--dry-run", args->dry_run, "Only report what would be removed");
  cmd->add_option("--grace-hours", args->grace_hours,
                  "Keep unreferenced objects younger than this (a writer may not have recorded "
                  "them yet)");
  cmd->fallthrough();
  cmd->callback([&state, args] { RunCommand(state, [&] { return RunGc(state, *args); }); });
}

}  // namespace mlpipe::cli
