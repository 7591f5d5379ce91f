// The data steps: ingest (PII protected, then versioned), validate (against
// the previous version's schema), profile, governance (protected columns,
// proxies, overrides).
#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "mlpipe/core/sha256.h"
#include "mlpipe/features/pipeline.h"
#include "mlpipe/governance/pii.h"
#include "mlpipe/governance/protected_check.h"
#include "mlpipe/governance/proxies.h"
#include "mlpipe/profile/data_summary.h"
#include "mlpipe/profile/profile.h"
#include "mlpipe/profile/profile_output.h"
#include "mlpipe/profile/schema.h"
#include "mlpipe/profile/validate.h"
#include "mlpipe/store/data_versions.h"
#include "mlpipe/table/csv.h"
#include "mlpipe/table/read.h"
#include "steps.h"

namespace mlpipe::pipeline::internal {
namespace {

// ------------------------------------------------------------------ ingest --

std::string SourceName(const ProjectSpec& spec) {
  return spec.sources.empty() || spec.sources[0].name.empty() ? "data" : spec.sources[0].name;
}

// The PII rules of the spec, with the key they need ("" when none does).
Result<std::vector<governance::PiiRule>> PiiRules(const StepContext& ctx, std::string* key) {
  std::vector<governance::PiiRule> rules;
  for (const PiiColumn& c : ctx.spec->columns.pii) {
    governance::PiiRule r;
    r.column = c.column.name;
    MLPIPE_ASSIGN_OR_RETURN(r.handling, governance::ParsePiiHandling(PiiHandlingName(c.handling)));
    r.edges = c.bands;
    r.prefix_length = c.prefix;
    if (c.handling == PiiHandling::kPseudonymise) {
      const std::string k = ctx.Getenv(c.key_env);
      if (k.empty()) {
        return InvalidArgumentError(fmt::format(
            "{}: PII column '{}' is to be pseudonymised with the key in ${}, which is not set",
            Where(*ctx.spec, c.column.mark), c.column.name, c.key_env));
      }
      if (!key->empty() && *key != k) {
        return InvalidArgumentError(
            fmt::format("{}: PII columns name different keys; use one key_env for all",
                        Where(*ctx.spec, c.column.mark)));
      }
      *key = k;
    }
    rules.push_back(std::move(r));
  }
  return rules;
}

std::vector<PiiRecord> PiiRecords(const ProjectSpec& spec) {
  std::vector<PiiRecord> out;
  for (const PiiColumn& c : spec.columns.pii) {
    out.push_back(
        {c.column.name, std::string(PiiHandlingName(c.handling)), c.bands, c.prefix, c.key_env});
  }
  return out;
}

core::Json PiiJson(const ProjectSpec& spec) {
  core::Json j = core::Json::array();
  for (const PiiRecord& r : PiiRecords(spec)) j.push_back(r.ToJson());
  return j;
}

Result<core::Json> IngestKey(StepContext& ctx) {
  if (!ctx.options->data_version.empty())
    return core::Json{{"data_version", ctx.options->data_version}};
  std::string key;
  MLPIPE_ASSIGN_OR_RETURN(auto rules, PiiRules(ctx, &key));
  MLPIPE_ASSIGN_OR_RETURN(std::string sha, core::Sha256File(ctx.env, ctx.spec->TrainingDataPath()));
  core::Json j = {{"source", ctx.spec->sources[0].path},
                  {"sha256", sha},
                  {"name", SourceName(*ctx.spec)},
                  {"pii", PiiJson(*ctx.spec)}};
  // The key itself is never stored; a keyed fingerprint tells keys apart.
  if (!key.empty()) j["pii_key"] = governance::Pseudonym(key, "mlpipe pii key fingerprint");
  return j;
}

IngestSummary VersionSummary(const store::DatasetVersion& v, bool existed) {
  IngestSummary s;
  s.dataset_ref = v.name + "@" + std::to_string(v.version);
  s.dataset = v.name;
  s.version = v.version;
  s.rows = v.rows;
  s.sha256 = v.hash;
  s.existed = existed;
  return s;
}

Result<StepFiles> IngestRun(StepContext& ctx) {
  StepFiles out;
  if (!ctx.options->data_version.empty()) {
    MLPIPE_ASSIGN_OR_RETURN(store::VersionRef ref,
                            store::ParseVersionRef(ctx.options->data_version, false));
    MLPIPE_ASSIGN_OR_RETURN(store::DatasetVersion v,
                            ctx.meta().GetDatasetVersion(ref.name, ref.version));
    IngestSummary s = VersionSummary(v, true);
    // As recorded when the version was ingested: protected already.
    s.protected_pii = !ctx.spec->columns.pii.empty();
    s.pii = PiiRecords(*ctx.spec);
    out.summary = s.ToJson();
    out.stored["data"] = v.hash;
    return out;
  }
  std::string key;
  MLPIPE_ASSIGN_OR_RETURN(auto rules, PiiRules(ctx, &key));
  std::string path = ctx.spec->TrainingDataPath();
  std::string temp;
  if (!rules.empty()) {
    // Raw PII never reaches the store: the protected table is what is versioned.
    MLPIPE_ASSIGN_OR_RETURN(table::Table raw, table::ReadTableFile(ctx.env, path));
    MLPIPE_ASSIGN_OR_RETURN(table::Table safe, governance::ProtectPii(raw, rules, key));
    temp = core::JoinPath(ctx.stores->location.root, ".mlpipe/tmp/ingest-" + ctx.run_id + "-" +
                                                         SourceName(*ctx.spec) + ".csv");
    MLPIPE_RETURN_IF_ERROR(ctx.env->CreateDirs(core::DirName(temp)));
    MLPIPE_RETURN_IF_ERROR(table::WriteCsv(ctx.env, safe, temp));
    path = temp;
  }
  // The version's source is the spec's file, also when its protected copy is stored.
  auto added =
      store::AddDataFile(ctx.env, ctx.meta(), ctx.objects(), profile::SummariseData, path,
                         SourceName(*ctx.spec), ctx.options->actor, ctx.spec->TrainingDataPath());
  if (!temp.empty()) (void)ctx.env->DeleteFile(temp);
  if (!added.ok()) return added.status();
  IngestSummary s = VersionSummary(added->version, added->existed);
  s.source = ctx.spec->sources[0].path;
  s.protected_pii = !rules.empty();
  s.pii = PiiRecords(*ctx.spec);
  out.summary = s.ToJson();
  out.stored["data"] = added->version.hash;
  return out;
}

// ---------------------------------------------------------------- validate --

// The version before the ingested one, if any.
Result<std::optional<store::DatasetVersion>> Reference(StepContext& ctx) {
  MLPIPE_ASSIGN_OR_RETURN(IngestSummary ingest, ctx.Summary<IngestSummary>());
  if (ingest.version <= 1) return std::optional<store::DatasetVersion>();
  MLPIPE_ASSIGN_OR_RETURN(store::DatasetVersion prev,
                          ctx.meta().GetDatasetVersion(ingest.dataset, ingest.version - 1));
  return std::optional<store::DatasetVersion>(std::move(prev));
}

Result<core::Json> ValidateKey(StepContext& ctx) {
  MLPIPE_ASSIGN_OR_RETURN(auto ref, Reference(ctx));
  return core::Json{{"reference", ref ? ref->hash : ""}};
}

Result<StepFiles> ValidateRun(StepContext& ctx) {
  StepFiles out;
  MLPIPE_ASSIGN_OR_RETURN(IngestSummary ingest, ctx.Summary<IngestSummary>());
  const std::string& data_ref = ingest.dataset_ref;
  MLPIPE_ASSIGN_OR_RETURN(auto ref, Reference(ctx));
  ValidateSummary s;
  if (!ref) {
    s.passed = true;
    s.detail = fmt::format(
        "{} is the first version: its schema is the reference later versions are validated "
        "against",
        data_ref);
    out.summary = s.ToJson();
    out.files["validation.json"] = core::DumpPretty(out.summary);
    return out;
  }
  const std::string ref_name = ref->name + "@" + std::to_string(ref->version);
  MLPIPE_ASSIGN_OR_RETURN(core::Json schema_json, core::ParseJson(ref->schema_json, ref_name));
  MLPIPE_ASSIGN_OR_RETURN(profile::Schema schema, profile::Schema::FromJson(schema_json, ref_name));
  MLPIPE_ASSIGN_OR_RETURN(const table::Table* raw, ctx.RawData());
  profile::ValidationReport report = profile::Validate(*raw, schema);
  report.data_source = data_ref;
  report.schema_source = ref_name;
  const bool passed = !report.HasErrors();
  s.passed = passed;
  s.reference = ref_name;
  s.errors = static_cast<int64_t>(report.ErrorCount());
  s.warnings = static_cast<int64_t>(report.WarningCount());
  s.detail = fmt::format("{} against the schema of {}: {} errors, {} warnings", data_ref, ref_name,
                         report.ErrorCount(), report.WarningCount());
  s.anomalies.emplace();
  for (const auto& a : report.anomalies) {
    s.anomalies->push_back({std::string(profile::SeverityName(a.severity())), a.column, a.message});
  }
  out.summary = s.ToJson();
  out.files["validation.json"] = profile::ReportToJson(report).dump(2);
  if (!passed) {
    out.stop = FailedPreconditionError(
        fmt::format("validate: {} breaks the schema of {} ({} errors); see `mlpipe data diff "
                    "{} {}`",
                    data_ref, ref_name, report.ErrorCount(), ref_name, data_ref));
  }
  return out;
}

// ----------------------------------------------------------------- profile --

Result<core::Json> ProfileKey(StepContext& ctx) {
  return core::Json{{"target", ctx.spec->target.column.name},
                    {"positive", ctx.spec->target.positive},
                    {"protected", ctx.Protected()},
                    {"derived", ctx.spec->derived.size()}};
}

Result<StepFiles> ProfileRun(StepContext& ctx) {
  MLPIPE_ASSIGN_OR_RETURN(const table::Table* data, ctx.Data());
  MLPIPE_ASSIGN_OR_RETURN(IngestSummary ingest, ctx.Summary<IngestSummary>());
  profile::ProfileOptions po;
  po.target = ctx.spec->target.column.name;
  po.positive = ctx.spec->target.positive;
  po.task = ctx.spec->target.task;
  po.protected_columns = ctx.Protected();
  MLPIPE_ASSIGN_OR_RETURN(profile::TableProfile prof,
                          profile::ProfileTable(*data, po, ingest.dataset_ref));
  StepFiles out;
  ProfileSummary s;
  s.rows = static_cast<int64_t>(prof.rows);
  s.columns = static_cast<int64_t>(prof.columns.size());
  for (const auto& w : prof.warnings) {
    s.warnings.push_back(
        {std::string(profile::WarningSeverityName(w.severity)), w.rule, w.column, w.message});
  }
  out.summary = s.ToJson();
  out.files["profile.json"] = profile::ProfileToJson(prof).dump(2);
  out.files["profile.html"] = profile::ProfileToHtml(prof);
  return out;
}

// -------------------------------------------------------------- governance --

const ColumnRef* ProtectedRef(const ProjectSpec& spec, const std::string& column) {
  for (const auto& r : spec.columns.protected_columns) {
    if (r.name == column) return &r;
  }
  return nullptr;
}

// Protected columns reaching the features: through the spec's derived
// columns, and through the feature pipeline (directly or derived).
Result<governance::ProtectedCheckResult> ProtectedUses(StepContext& ctx) {
  const ProjectSpec& spec = *ctx.spec;
  const auto prot = ctx.Protected();
  std::vector<std::string> columns;
  std::optional<features::FeaturePipeline> pipeline;
  if (!spec.features.is_null()) {
    auto p = features::FeaturePipeline::FromJson(spec.features);
    if (!p.ok()) return p.status().WithContext(Where(spec, spec.features_mark) + ": features");
    pipeline = std::move(*p);
    // A protected column the pipeline reads is handed to it.
    MLPIPE_ASSIGN_OR_RETURN(columns, FeatureColumns(ctx, false));
    std::set<std::string> read;
    for (size_t i = 0; i < pipeline->size(); ++i) {
      for (const auto& c : pipeline->transform(i).InputColumns()) read.insert(c);
    }
    for (const auto& p : prot) {
      if (read.contains(p) && std::find(columns.begin(), columns.end(), p) == columns.end()) {
        columns.push_back(p);
      }
    }
  } else {
    MLPIPE_ASSIGN_OR_RETURN(columns, FeatureColumns(ctx, false));
  }
  MLPIPE_ASSIGN_OR_RETURN(
      governance::ProtectedCheckResult result,
      governance::CheckProtectedFeatures(pipeline ? &*pipeline : nullptr, columns, prot,
                                         ctx.options->overrides));
  // Derived columns computed from a protected one are features of their own.
  std::set<std::string> excluded(prot.begin(), prot.end());
  for (const auto* refs : {&spec.columns.id, &spec.columns.ignore}) {
    for (const auto& r : *refs) excluded.insert(r.name);
  }
  for (const DerivedColumn& d : spec.derived) {
    if (!ProtectedRef(spec, d.from.name) || excluded.contains(d.name)) continue;
    governance::ProtectedUse u;
    u.protected_column = d.from.name;
    u.feature = d.name;
    u.direct = false;
    u.derivation = fmt::format("a mapping of {} ({})", d.from.name, Where(spec, d.mark));
    for (const auto& o : ctx.options->overrides) {
      if (o.column == d.from.name) {
        u.overridden = true;
        u.override_reason = o.reason;
      }
    }
    result.uses.push_back(std::move(u));
  }
  return result;
}

Result<core::Json> GovernanceKey(StepContext& ctx) {
  const ProjectSpec& spec = *ctx.spec;
  core::Json derived = core::Json::array();
  for (const auto& d : spec.derived) derived.push_back({d.name, d.from.name});
  core::Json overrides = core::Json::array();
  for (const auto& o : ctx.options->overrides) overrides.push_back({o.column, o.reason});
  core::Json proxy = {{"threshold", spec.governance.proxy.threshold},
                      {"methods", spec.governance.proxy.methods},
                      {"refuse", spec.governance.proxy.refuse}};
  return core::Json{{"protected", ctx.Protected()},
                    {"id", ColumnsJson(spec.columns.id)},
                    {"ignore", ColumnsJson(spec.columns.ignore)},
                    {"target", spec.target.column.name},
                    {"derived", derived},
                    {"features", spec.features},
                    {"proxy", proxy},
                    {"overrides", overrides}};
}

Result<StepFiles> GovernanceRun(StepContext& ctx) {
  const ProjectSpec& spec = *ctx.spec;
  StepFiles out;
  MLPIPE_ASSIGN_OR_RETURN(governance::ProtectedCheckResult uses, ProtectedUses(ctx));
  GovernanceSummary s;
  for (const auto& u : uses.uses) {
    s.protected_uses.push_back(
        {u.protected_column, u.feature, u.How(), u.overridden, u.override_reason});
  }
  // Proxies among the features that are not protected themselves.
  MLPIPE_ASSIGN_OR_RETURN(const table::Table* t, ctx.ModelTable());
  MLPIPE_ASSIGN_OR_RETURN(std::vector<std::string> features, FeatureColumns(ctx, false));
  governance::ProxyOptions po;
  po.threshold = spec.governance.proxy.threshold;
  po.methods.clear();
  for (const auto& m : spec.governance.proxy.methods) {
    MLPIPE_ASSIGN_OR_RETURN(governance::ProxyMethod method, governance::ParseProxyMethod(m));
    po.methods.push_back(method);
  }
  po.seed = spec.seed;
  MLPIPE_ASSIGN_OR_RETURN(std::vector<governance::ProxyFinding> findings,
                          governance::FindProxies(*t, features, ctx.Protected(), po));
  core::Json proxies = core::Json::array();
  for (const auto& f : findings) {
    ProxyRecord p{
        f.feature, f.protected_column,           std::string(governance::ProxyMethodName(f.method)),
        f.value,   static_cast<int64_t>(f.rows), f.flagged};
    proxies.push_back(p.ToJson());
    if (f.flagged) s.proxies.push_back(std::move(p));
  }
  MLPIPE_ASSIGN_OR_RETURN(IngestSummary ingest, ctx.Summary<IngestSummary>());
  s.protected_columns = ctx.Protected();
  s.proxy_threshold = po.threshold;
  s.proxy_refuse = spec.governance.proxy.refuse;
  s.pii = ingest.pii;
  out.summary = s.ToJson();
  core::Json file = out.summary;
  file["proxies"] = proxies;
  out.files["governance.json"] = core::DumpPretty(file);

  // An override is a decision someone answers for: it goes to the audit log.
  for (const auto& o : ctx.options->overrides) {
    core::Json details = {{"reason", o.reason}, {"run_id", ctx.run_id}, {"spec", spec.path}};
    MLPIPE_RETURN_IF_ERROR(ctx.meta()
                               .AppendAudit(ctx.options->actor, "governance.override",
                                            "protected:" + o.column, details.dump())
                               .status());
  }
  std::string refusal;
  for (const auto& u : uses.Violations()) {
    const ColumnRef* ref = ProtectedRef(spec, u.protected_column);
    refusal += fmt::format("{}{} (policy: {} lists it under columns.protected)",
                           refusal.empty() ? "" : "\n", u.Message(),
                           Where(spec, ref ? ref->mark : Mark{}));
  }
  if (spec.governance.proxy.refuse) {
    Status s = governance::RefuseProxies(findings);
    if (!s.ok()) {
      refusal += fmt::format("{}{} (policy: governance.proxy.refuse is true)",
                             refusal.empty() ? "" : "\n", s.message());
    }
  }
  if (!refusal.empty()) out.stop = FailedPreconditionError("governance: " + refusal);
  return out;
}

}  // namespace

Step IngestStep() { return {"ingest", {}, IngestKey, IngestRun, CheckSummary<IngestSummary>}; }
Step ValidateStep() {
  return {"validate", {"ingest"}, ValidateKey, ValidateRun, CheckSummary<ValidateSummary>};
}
Step ProfileStep() {
  return {"profile", {"ingest"}, ProfileKey, ProfileRun, CheckSummary<ProfileSummary>};
}
Step GovernanceStep() {
  return {"governance", {"ingest"}, GovernanceKey, GovernanceRun, CheckSummary<GovernanceSummary>};
}

}  // namespace mlpipe::pipeline::internal
