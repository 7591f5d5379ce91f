// Run-id prefixes and lineage references (lookup.h).
#include "mlpipe/store/lookup.h"

#include <utility>

namespace mlpipe::store {

std::string LikeLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

Result<Run> ResolveRun(MetadataStore& meta, const std::string& id) {
  if (id.size() >= 4 && id.size() < 32) {
    RunQuery q;
    // The query compiler binds the literal as a parameter; the escaping only
    // keeps LIKE from reading the prefix's own characters as wildcards.
    std::string literal = LikeLiteral(id);
    literal.pop_back();  // the closing quote: the pattern is the prefix, then '%'
    q.filter = "attributes.run_id LIKE ";
    q.filter.append(literal).append("%'");
    q.limit = 10;
    MLPIPE_ASSIGN_OR_RETURN(RunPage page, meta.SearchRuns(q));
    if (page.total == 1) return meta.GetRun(page.runs[0].run_id);
    if (page.total > 1) {
      std::string msg = "run id prefix '" + id + "' is ambiguous: it matches ";
      msg.append(std::to_string(page.total)).append(" runs (");
      for (size_t i = 0; i < page.runs.size(); ++i) {
        if (i > 0) msg.append(", ");
        msg.append(page.runs[i].run_id);
      }
      msg.append(")");
      return InvalidArgumentError(std::move(msg));
    }
  }
  return meta.GetRun(id);
}

Result<LineageNode> ResolveLineageNode(MetadataStore& meta, const std::string& ref,
                                       LineageKind kind) {
  const bool want_model = kind != LineageKind::kDataset;
  const bool want_data = kind != LineageKind::kModel;
  MLPIPE_ASSIGN_OR_RETURN(VersionRef parsed, ParseVersionRef(ref, want_model));
  Status model_error = Status::OK();
  if (want_model) {
    auto v = meta.ResolveModel(parsed);
    if (v.ok()) return LineageNode{"model", v->model + "@" + std::to_string(v->version)};
    if (v.status().code() != StatusCode::kNotFound) return v.status();
    model_error = v.status();
  }
  if (want_data && parsed.alias.empty()) {
    auto d = meta.GetDatasetVersion(parsed.name, parsed.version);
    if (d.ok()) return LineageNode{"dataset", d->name + "@" + std::to_string(d->version)};
    if (d.status().code() != StatusCode::kNotFound) return d.status();
    if (!want_model) return d.status();
    return NotFoundError("'" + ref + "' is neither a model version nor a data version (" +
                         model_error.message() + "; " + d.status().message() + ")");
  }
  return model_error;
}

Result<RegisteredModel> FindModel(MetadataStore& meta, const std::string& name) {
  MLPIPE_ASSIGN_OR_RETURN(std::vector<RegisteredModel> models, meta.ListModels());
  std::string names;
  for (auto& m : models) {
    if (m.name == name) return std::move(m);
    if (!names.empty()) names.append(", ");
    names.append(m.name);
  }
  return NotFoundError("no registered model '" + name +
                       "' (models: " + (names.empty() ? std::string("none") : names) + ")");
}

std::map<std::string, int64_t> AliasesAfter(const std::vector<AliasMove>& moves) {
  std::map<std::string, int64_t> held;
  for (const auto& m : moves) {
    if (m.to_version == 0) {
      held.erase(m.alias);
    } else {
      held[m.alias] = m.to_version;
    }
  }
  return held;
}

Result<LineageGraph> LineageOf(MetadataStore& meta, const LineageNode& node, bool downstream) {
  auto graph = meta.Lineage(node.kind, node.name, downstream);
  if (graph.ok() || graph.status().code() != StatusCode::kNotFound) return graph;
  LineageGraph g;
  g.artifacts.push_back(ArtifactNode{0, node.kind, node.name, ""});
  return g;
}

}  // namespace mlpipe::store
