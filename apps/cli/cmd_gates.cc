// `mlpipe gates MODEL@V`, `mlpipe approve MODEL@V --role R --by WHO`,
// `mlpipe promote MODEL@V --to ALIAS`, `mlpipe rollback MODEL`: the deployment
// gates and the moves they guard (mlpipe/governance/promotion.h does the work).
// Exit status: gates and promote return 1 when a gate fails.
#include <cstdio>
#include <memory>

#include "cli_store.h"
#include "mlpipe/governance/promotion.h"

namespace mlpipe::cli {
namespace {

struct GateArgs {
  std::string ref, role, by, comment, to, alias = "champion", reason;
};

Result<store::VersionRef> ParseVersion(const std::string& text) {
  MLPIPE_ASSIGN_OR_RETURN(store::VersionRef ref, store::ParseVersionRef(text, false));
  if (!ref.version.has_value()) {
    return InvalidArgumentError("'" + text + "': name a version, e.g. " + ref.name + "@3");
  }
  return ref;
}

core::Json ReportJson(const governance::GateReport& r) {
  core::Json gates = core::Json::array();
  for (const auto& g : r.gates) {
    gates.push_back({{"name", g.name}, {"passed", g.passed}, {"evidence", g.evidence}});
  }
  core::Json approvals = core::Json::array();
  for (const auto& a : r.approvals) {
    approvals.push_back(
        {{"role", a.role}, {"by", a.by}, {"comment", a.comment}, {"time", FormatTime(a.time_us)}});
  }
  return {{"model", r.model},
          {"version", r.version},
          {"passed", r.all_passed()},
          {"gates", gates},
          {"approvals", approvals}};
}

void PrintReport(const governance::GateReport& r) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& g : r.gates) rows.push_back({g.passed ? "pass" : "FAIL", g.name, g.evidence});
  std::printf("%s@%lld\n", r.model.c_str(), static_cast<long long>(r.version));
  PrintTable({"", "GATE", "EVIDENCE"}, rows);
}

Status Gates(CommandState& state, const GateArgs& args) {
  MLPIPE_ASSIGN_OR_RETURN(store::VersionRef ref, ParseVersion(args.ref));
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores s, OpenStores(state));
  MLPIPE_ASSIGN_OR_RETURN(governance::GateReport r,
                          governance::EvaluateGates(*s.meta, ref.name, *ref.version,
                                                    FreshProcessCheck(s.objects.get())));
  if (state.global.json) {
    PrintJson(ReportJson(r));
  } else if (!state.global.quiet) {
    PrintReport(r);
  }
  if (!r.all_passed()) state.exit_code = kExitProblemFound;
  return Status::OK();
}

Status Approve(CommandState& state, const GateArgs& args) {
  MLPIPE_ASSIGN_OR_RETURN(store::VersionRef ref, ParseVersion(args.ref));
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores s, OpenStores(state));
  MLPIPE_RETURN_IF_ERROR(
      governance::Approve(*s.meta, ref.name, *ref.version, args.role, args.by, args.comment));
  if (state.global.json) {
    PrintJson(
        {{"model", ref.name}, {"version", *ref.version}, {"role", args.role}, {"by", args.by}});
  } else if (!state.global.quiet) {
    std::printf("%s approved %s as %s\n", args.by.c_str(), args.ref.c_str(), args.role.c_str());
  }
  return Status::OK();
}

Status Promote(CommandState& state, const GateArgs& args) {
  MLPIPE_ASSIGN_OR_RETURN(store::VersionRef ref, ParseVersion(args.ref));
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores s, OpenStores(state));
  auto check = FreshProcessCheck(s.objects.get());
  Result<governance::GateReport> r =
      governance::Promote(*s.meta, ref.name, *ref.version, args.to, store::CurrentActor(), check);
  if (!r.ok() && r.status().code() == StatusCode::kFailedPrecondition) {
    // Refused: show every gate, exit 1.
    auto report = governance::EvaluateGates(*s.meta, ref.name, *ref.version, check);
    if (state.global.json && report.ok()) {
      core::Json j = ReportJson(*report);
      j["promoted"] = false;
      j["error"] = r.status().message();
      PrintJson(j);
    } else {
      std::fprintf(stderr, "%s\n", r.status().message().c_str());
      if (report.ok() && !state.global.quiet) PrintReport(*report);
    }
    state.exit_code = kExitProblemFound;
    return Status::OK();
  }
  if (!r.ok()) return r.status();
  if (state.global.json) {
    core::Json j = ReportJson(*r);
    j["promoted"] = true;
    j["alias"] = args.to;
    PrintJson(j);
  } else if (!state.global.quiet) {
    std::printf("promoted %s to %s: every gate passed\n", args.ref.c_str(), args.to.c_str());
  }
  return Status::OK();
}

Status Rollback(CommandState& state, const GateArgs& args) {
  MLPIPE_ASSIGN_OR_RETURN(store::VersionRef ref, store::ParseVersionRef(args.ref, false));
  if (ref.version.has_value()) {
    return InvalidArgumentError("'" + args.ref + "': rollback takes a model name, not a version");
  }
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores s, OpenStores(state));
  MLPIPE_ASSIGN_OR_RETURN(
      store::AliasMove m,
      governance::Rollback(*s.meta, ref.name, args.alias, store::CurrentActor(), args.reason));
  if (state.global.json) {
    PrintJson(
        {{"model", m.model}, {"alias", m.alias}, {"from", m.from_version}, {"to", m.to_version}});
  } else if (!state.global.quiet) {
    std::printf("%s: %s moved back from version %lld to %lld\n", m.model.c_str(), m.alias.c_str(),
                static_cast<long long>(m.from_version), static_cast<long long>(m.to_version));
  }
  return Status::OK();
}

}  // namespace

void AddGateCommands(CLI::App& parent, CommandState& state) {
  auto args = std::make_shared<GateArgs>();
  auto run = [&state](Status (*fn)(CommandState&, const GateArgs&), std::shared_ptr<GateArgs> a) {
    // Not RunCommand: a command may set exit status 1 (a failed gate) itself.
    return [&state, fn, a] {
      state.exit_code = kExitOk;
      Status s = fn(state, *a);
      if (!s.ok()) state.exit_code = ReportError(state, s);
    };
  };

  CLI::App* gates = parent.add_subcommand(
      "gates", "Every deployment gate of a model version with its evidence (exit 1 if one fails)");
  gates->add_option("REF", args->ref, "MODEL@V")->required();
  gates->callback(run(Gates, args));

  CLI::App* approve = parent.add_subcommand("approve", "Approve a model version in a role");
  approve->add_option("REF", args->ref, "MODEL@V")->required();
  approve->add_option("--role", args->role, "The role approving, e.g. risk-officer")->required();
  approve->add_option("--by", args->by, "Who approves")->required();
  approve->add_option("--comment", args->comment, "Why, or what was checked");
  approve->callback(run(Approve, args));

  CLI::App* promote = parent.add_subcommand(
      "promote", "Move an alias to a model version if every gate passes (exit 1 if refused)");
  promote->add_option("REF", args->ref, "MODEL@V")->required();
  promote->add_option("--to", args->to, "The alias, e.g. champion")->required();
  promote->callback(run(Promote, args));

  CLI::App* rollback = parent.add_subcommand(
      "rollback", "Move an alias back to the version that held it before its latest move");
  rollback->add_option("MODEL", args->ref, "Model name")->required();
  rollback->add_option("--alias", args->alias, "The alias to move back");
  rollback->add_option("--reason", args->reason, "Why (recorded in the history and audit log)");
  rollback->callback(run(Rollback, args));
}

}  // namespace mlpipe::cli
