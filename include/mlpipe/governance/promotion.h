// Deployment gates: no model version reaches an alias until every gate passes.
//
// The gates of MODEL@V are judged from two sources:
//  - the evidence the pipeline recorded when it registered the version, under
//    the key "evidence" of the version's metrics snapshot (ModelVersion::
//    metrics_json), documented in docs/governance.md:
//      {"validation": {"passed": bool, "detail": "..."},
//       "kpis":       [{"name": "roc_auc >= 0.75", "passed": bool, "evidence": "..."}],
//       "fairness":   [{"name": "...", "passed": bool, "evidence": "..."}],
//       "champion":   {"passed": bool, "evidence": "..."},
//       "required_approvals": [{"role": "risk-officer", "count": 1}]}
//  - what is checked now: the bundle loads in a fresh process and reproduces
//    its golden predictions (a check the caller supplies), and the approvals
//    given so far, which live in the audit log (action "approve", subject
//    MODEL@V), so that they are as tamper-evident as the rest of it.
// A gate whose evidence is missing fails and says so: nothing passes by default.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/governance/gates.h"
#include "mlpipe/store/metadata_store.h"

namespace mlpipe::governance {

struct Approval {
  std::string role;
  std::string by;
  std::string comment;
  int64_t time_us = 0;
};

struct GateReport {
  std::string model;
  int64_t version = 0;
  std::vector<GateResult> gates;  // validation, kpis, fairness, champion, integration, approvals
  std::vector<Approval> approvals;
  bool all_passed() const;
  std::vector<std::string> failing() const;  // names of the gates that failed
};

// Loads the version's bundle in a fresh process and checks its golden
// predictions; returns what it saw (the gate's evidence) or the failure.
// Supplied by the caller (the CLI runs `mlpipe bundle verify` on the object).
using IntegrationCheck = std::function<Result<std::string>(const store::ModelVersion&)>;

// Every gate of MODEL@V with its evidence. NotFound for an unknown version.
Result<GateReport> EvaluateGates(store::MetadataStore& meta, const std::string& model,
                                 int64_t version, const IntegrationCheck& integration);

// Records an approval of MODEL@V by `by` in `role` (audit action "approve").
// The same person approving twice in the same role is AlreadyExists.
Status Approve(store::MetadataStore& meta, const std::string& model, int64_t version,
               const std::string& role, const std::string& by, const std::string& comment);

// Moves `alias` to MODEL@V when every gate passes; otherwise records the
// refusal (audit "promote.refused") and returns FailedPrecondition listing the
// failing gates. The attempt itself is audited either way.
Result<GateReport> Promote(store::MetadataStore& meta, const std::string& model, int64_t version,
                           const std::string& alias, const std::string& actor,
                           const IntegrationCheck& integration);

// Moves `alias` (default champion) back to the version that held it before
// its latest move; FailedPrecondition when there is none. Audited.
Result<store::AliasMove> Rollback(store::MetadataStore& meta, const std::string& model,
                                  const std::string& alias, const std::string& actor,
                                  const std::string& reason);

}  // namespace mlpipe::governance
