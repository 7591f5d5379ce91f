// `mlpipe audit log [--since TIME] [--subject S]` and `mlpipe audit verify`:
// the append-only, hash-chained audit log. `verify` recomputes every entry's
// hash and the chain and exits 1 naming the first bad entry
// (docs/tracking.md defines the hash).
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "cli_store.h"
#include "mlpipe/core/time.h"
#include "mlpipe/store/metadata_store.h"

namespace mlpipe::cli {
namespace {

struct AuditArgs {
  std::string since;
  std::string subject;
};

Status AuditLog(const CommandState& state, const AuditArgs& args) {
  std::optional<int64_t> since;
  if (!args.since.empty()) {
    auto t = core::ParseTimeOrMicros(args.since);
    if (!t.ok()) return t.status().WithContext("--since");
    since = *t;
  }
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores stores, OpenStores(state));
  MLPIPE_ASSIGN_OR_RETURN(auto entries, stores.meta->ReadAudit(since, args.subject));
  if (state.global.json) {
    core::Json out = core::Json::array();
    for (const auto& e : entries) {
      out.push_back({{"seq", e.seq},
                     {"time", FormatTime(e.time_us)},
                     {"time_us", e.time_us},
                     {"actor", e.actor},
                     {"action", e.action},
                     {"subject", e.subject},
                     {"details", JsonOrText(e.details_json)},
                     {"prev_hash", e.prev_hash},
                     {"hash", e.hash}});
    }
    PrintJson({{"entries", out}});
    return Status::OK();
  }
  if (entries.empty()) {
    std::printf("no audit entries\n");
    return Status::OK();
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : entries) {
    rows.push_back({std::to_string(e.seq), FormatTime(e.time_us), e.actor, e.action, e.subject,
                    e.details_json == "{}" ? "" : e.details_json});
  }
  PrintTable({"SEQ", "TIME", "ACTOR", "ACTION", "SUBJECT", "DETAILS"}, rows);
  return Status::OK();
}

// Sets the exit code itself: 1 when the chain is broken (what verify exists to find).
void AuditVerify(CommandState& state) {
  auto verdict = [&state]() -> Result<store::AuditVerdict> {
    MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores stores, OpenStores(state));
    return stores.meta->VerifyAudit();
  }();
  if (!verdict.ok()) {
    state.exit_code = ReportError(state, verdict.status());
    return;
  }
  const store::AuditVerdict& v = *verdict;
  state.exit_code = v.ok ? kExitOk : kExitProblemFound;
  if (state.global.json) {
    PrintJson({{"ok", v.ok},
               {"entries", v.entries},
               {"first_bad_seq", v.ok ? core::Json() : core::Json(v.first_bad_seq)},
               {"problem", v.ok ? core::Json() : core::Json(v.problem)}});
    return;
  }
  if (v.ok) {
    if (!state.global.quiet) {
      std::printf("audit log intact: %lld entr%s\n", static_cast<long long>(v.entries),
                  v.entries == 1 ? "y" : "ies");
    }
  } else {
    std::printf("audit log BROKEN at entry %lld of %lld: %s\n",
                static_cast<long long>(v.first_bad_seq), static_cast<long long>(v.entries),
                v.problem.c_str());
  }
}

}  // namespace

void AddAuditCommands(CLI::App& parent, CommandState& state) {
  CLI::App* audit = parent.add_subcommand("audit", "The append-only, hash-chained audit log");
  audit->require_subcommand(1);
  audit->fallthrough();

  auto log_args = std::make_shared<AuditArgs>();
  CLI::App* log = audit->add_subcommand("log", "Audit entries in order (who did what, when)");
  log->add_option("--since", log_args->since, "Only entries at or after this time (ISO 8601)");
  log->add_option("--subject", log_args->subject,
                  "Only entries about this subject (e.g. credit@3, a run id, credit-risk@prod)");
  log->fallthrough();
  log->callback(
      [&state, log_args] { RunCommand(state, [&] { return AuditLog(state, *log_args); }); });

  CLI::App* verify = audit->add_subcommand(
      "verify", "Recompute the hash chain; exit 1 naming the first entry that does not match");
  verify->fallthrough();
  verify->callback([&state] { AuditVerify(state); });
}

}  // namespace mlpipe::cli
