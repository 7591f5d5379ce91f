// Gates, approvals, promotion and rollback over the registry and audit log.
#include "mlpipe/governance/promotion.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "mlpipe/core/json_util.h"

namespace mlpipe::governance {
namespace {

std::string Subject(const std::string& model, int64_t version) {
  return model + "@" + std::to_string(version);
}

// One gate per entry of an evidence list [{"name", "passed", "evidence"}].
void ListGates(const core::Json& list, const std::string& kind, std::vector<GateResult>& out) {
  if (!list.is_array() || list.empty()) {
    out.push_back({kind, false, "no " + kind + " evidence recorded for this version"});
    return;
  }
  for (const auto& e : list) {
    out.push_back({kind + ": " + e.value("name", std::string("?")), e.value("passed", false),
                   e.value("evidence", std::string())});
  }
}

GateResult SingleGate(const core::Json& evidence, const std::string& name) {
  if (!evidence.is_object() || !evidence.contains("passed")) {
    return {name, false, "no " + name + " evidence recorded for this version"};
  }
  return {name, evidence.value("passed", false),
          evidence.value("evidence", evidence.value("detail", std::string()))};
}

Result<std::vector<Approval>> ReadApprovals(store::MetadataStore& meta,
                                            const std::string& subject) {
  MLPIPE_ASSIGN_OR_RETURN(std::vector<store::AuditEntry> entries,
                          meta.ReadAudit(std::nullopt, subject));
  std::vector<Approval> out;
  for (const auto& e : entries) {
    if (e.action != "approve") continue;
    const core::Json d = core::Json::parse(e.details_json, nullptr, false);
    if (!d.is_object()) continue;
    out.push_back({d.value("role", std::string()), d.value("by", e.actor),
                   d.value("comment", std::string()), e.time_us});
  }
  return out;
}

}  // namespace

bool GateReport::all_passed() const {
  for (const auto& g : gates) {
    if (!g.passed) return false;
  }
  return !gates.empty();
}

std::vector<std::string> GateReport::failing() const {
  std::vector<std::string> out;
  for (const auto& g : gates) {
    if (!g.passed) out.push_back(g.name);
  }
  return out;
}

Result<GateReport> EvaluateGates(store::MetadataStore& meta, const std::string& model,
                                 int64_t version, const IntegrationCheck& integration) {
  MLPIPE_ASSIGN_OR_RETURN(store::ModelVersion v, meta.GetModelVersion(model, version));
  GateReport r;
  r.model = model;
  r.version = version;
  const core::Json snapshot = core::Json::parse(v.metrics_json, nullptr, false);
  const core::Json evidence =
      snapshot.is_object() ? snapshot.value("evidence", core::Json()) : core::Json();
  auto field = [&evidence](const char* key) {
    return evidence.is_object() ? evidence.value(key, core::Json()) : core::Json();
  };

  const bool usable = v.status == store::ModelVersionStatus::kPending ||
                      v.status == store::ModelVersionStatus::kReady;
  r.gates.push_back({"status", usable,
                     fmt::format("version status is {}", store::ModelVersionStatusName(v.status))});
  r.gates.push_back(SingleGate(field("validation"), "validation"));
  ListGates(field("kpis"), "kpi", r.gates);
  ListGates(field("fairness"), "fairness", r.gates);
  r.gates.push_back(SingleGate(field("champion"), "champion"));

  if (integration) {
    Result<std::string> check = integration(v);
    r.gates.push_back({"integration", check.ok(), check.ok() ? *check : check.status().message()});
  } else {
    r.gates.push_back({"integration", false, "no integration check was run"});
  }

  MLPIPE_ASSIGN_OR_RETURN(r.approvals, ReadApprovals(meta, Subject(model, version)));
  const core::Json required = field("required_approvals");
  if (!required.is_array() || required.empty()) {
    r.gates.push_back({"approvals", true, "none required by the policy"});
  } else {
    for (const auto& req : required) {
      const std::string role = req.value("role", std::string());
      const int64_t need = req.value("count", int64_t{1});
      std::set<std::string> by;
      for (const auto& a : r.approvals) {
        if (a.role == role) by.insert(a.by);
      }
      std::string who;
      for (const auto& b : by) who += (who.empty() ? "" : ", ") + b;
      r.gates.push_back(
          {fmt::format("approval: {} x{}", role, need), static_cast<int64_t>(by.size()) >= need,
           fmt::format("{} of {} given{}", by.size(), need, who.empty() ? "" : " (" + who + ")")});
    }
  }
  return r;
}

Status Approve(store::MetadataStore& meta, const std::string& model, int64_t version,
               const std::string& role, const std::string& by, const std::string& comment) {
  if (role.empty()) return InvalidArgumentError("--role: must not be empty");
  if (by.empty()) return InvalidArgumentError("--by: must not be empty");
  MLPIPE_RETURN_IF_ERROR(meta.GetModelVersion(model, version).status());
  const std::string subject = Subject(model, version);
  MLPIPE_ASSIGN_OR_RETURN(std::vector<Approval> given, ReadApprovals(meta, subject));
  for (const auto& a : given) {
    if (a.role == role && a.by == by) {
      return AlreadyExistsError(fmt::format("{} has already approved {} as {}", by, subject, role));
    }
  }
  core::Json details = {{"role", role}, {"by", by}, {"comment", comment}};
  return meta.AppendAudit(by, "approve", subject, details.dump()).status();
}

Result<GateReport> Promote(store::MetadataStore& meta, const std::string& model, int64_t version,
                           const std::string& alias, const std::string& actor,
                           const IntegrationCheck& integration) {
  if (alias.empty()) return InvalidArgumentError("--to: must name an alias, e.g. champion");
  MLPIPE_ASSIGN_OR_RETURN(GateReport report, EvaluateGates(meta, model, version, integration));
  const std::string subject = Subject(model, version);
  core::Json gates = core::Json::array();
  for (const auto& g : report.gates) gates.push_back({{"name", g.name}, {"passed", g.passed}});
  if (!report.all_passed()) {
    std::string failing;
    for (const auto& f : report.failing()) failing += (failing.empty() ? "" : ", ") + f;
    core::Json details = {{"alias", alias}, {"failing", report.failing()}, {"gates", gates}};
    MLPIPE_RETURN_IF_ERROR(
        meta.AppendAudit(actor, "promote.refused", subject, details.dump()).status());
    return FailedPreconditionError(
        fmt::format("refused to promote {} to {}: failing gates: {}", subject, alias, failing));
  }
  core::Json details = {{"alias", alias}, {"gates", gates}};
  MLPIPE_RETURN_IF_ERROR(meta.AppendAudit(actor, "promote", subject, details.dump()).status());
  MLPIPE_ASSIGN_OR_RETURN(store::ModelVersion v, meta.GetModelVersion(model, version));
  if (v.status == store::ModelVersionStatus::kPending) {
    MLPIPE_RETURN_IF_ERROR(meta.SetModelVersionStatus(
        model, version, store::ModelVersionStatus::kReady, actor, "every gate passed"));
  }
  MLPIPE_RETURN_IF_ERROR(
      meta.MoveAlias(model, alias, version, actor, "promoted: every gate passed"));
  return report;
}

Result<store::AliasMove> Rollback(store::MetadataStore& meta, const std::string& model,
                                  const std::string& alias, const std::string& actor,
                                  const std::string& reason) {
  MLPIPE_ASSIGN_OR_RETURN(std::vector<store::AliasMove> history,
                          meta.AliasHistory(model, std::nullopt));
  const store::AliasMove* last = nullptr;
  for (const auto& m : history) {
    if (m.alias == alias) last = &m;
  }
  if (last == nullptr) {
    return FailedPreconditionError(
        fmt::format("model '{}' has never had the alias '{}': nothing to roll back", model, alias));
  }
  if (last->from_version == 0) {
    return FailedPreconditionError(fmt::format(
        "{}@{} is the first version to hold '{}': there is no previous holder to roll back to",
        model, last->to_version, alias));
  }
  const int64_t from = last->to_version;
  const int64_t to = last->from_version;
  const std::string why = reason.empty() ? "rollback" : "rollback: " + reason;
  core::Json details = {{"alias", alias}, {"from", from}, {"to", to}, {"reason", reason}};
  MLPIPE_RETURN_IF_ERROR(
      meta.AppendAudit(actor, "rollback", model + "@" + alias, details.dump()).status());
  MLPIPE_RETURN_IF_ERROR(meta.MoveAlias(model, alias, to, actor, why));
  store::AliasMove move;
  move.model = model;
  move.alias = alias;
  move.from_version = from;
  move.to_version = to;
  move.actor = actor;
  move.reason = why;
  return move;
}

}  // namespace mlpipe::governance
