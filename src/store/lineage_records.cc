// Lineage in ML Metadata's model: artifact nodes (dataset and model versions,
// files, code, specs), executions (ingest, train, pipeline steps) and the
// input/output events between them; and the walks that answer "what did this
// come from" (upstream) and "what used it" (downstream).
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "sql_metadata_store.h"

namespace mlpipe::store {
namespace {

// A walk never visits more nodes than this (a guard, not a expected size).
constexpr size_t kMaxWalkNodes = 1000000;

const char* DirectionName(EventDirection d) {
  return d == EventDirection::kInput ? "input" : "output";
}

ArtifactNode NodeFromRow(const SqlRow& r) {
  return ArtifactNode{r.Int(0), r.Text(1), r.Text(2), r.Text(3)};
}

Result<ArtifactNode> FindArtifact(SqlConnection& db, const std::string& kind,
                                  const std::string& name) {
  MLPIPE_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT id, kind, name, hash FROM lineage_artifacts WHERE kind = ? AND name = ?",
               {kind, name}));
  if (rows.empty()) {
    return NotFoundError("no lineage artifact of kind '" + kind + "' named '" + name + "'");
  }
  return NodeFromRow(rows[0]);
}

}  // namespace

Result<ArtifactNode> SqlMetadataStore::PutArtifact(const std::string& kind, const std::string& name,
                                                   const std::string& hash) {
  if (kind.empty() || name.empty()) {
    return InvalidArgumentError("lineage artifact '" + kind + "' / '" + name +
                                "': kind and name must not be empty");
  }
  ArtifactNode out;
  MLPIPE_RETURN_IF_ERROR(InTransaction(db(), [&]() -> Status {
    // ON CONFLICT DO NOTHING lets two writers race to create the same node.
    MLPIPE_RETURN_IF_ERROR(db().Exec("INSERT INTO lineage_artifacts (kind, name, hash) "
                                     "VALUES (?, ?, ?) ON CONFLICT (kind, name) DO NOTHING",
                                     {kind, name, hash})
                               .status());
    MLPIPE_ASSIGN_OR_RETURN(out, FindArtifact(db(), kind, name));
    if (hash.empty() || out.hash == hash) return Status::OK();
    if (!out.hash.empty()) {
      return AlreadyExistsError("lineage artifact " + kind + " '" + name + "' already has hash " +
                                out.hash + ", not " + hash);
    }
    MLPIPE_RETURN_IF_ERROR(
        db().Exec("UPDATE lineage_artifacts SET hash = ? WHERE id = ?", {hash, out.id}).status());
    out.hash = hash;
    return Status::OK();
  }));
  return out;
}

Result<int64_t> SqlMetadataStore::RecordExecution(const Execution& e,
                                                  const std::vector<LineageEdge>& edges) {
  if (e.type.empty()) return InvalidArgumentError("execution: the type is empty");
  std::set<std::pair<int64_t, EventDirection>> seen;
  for (const LineageEdge& edge : edges) {
    if (!seen.insert({edge.artifact_id, edge.direction}).second) {
      return InvalidArgumentError("execution '" + e.type + "': artifact " +
                                  std::to_string(edge.artifact_id) + " is listed twice as " +
                                  DirectionName(edge.direction));
    }
  }
  int64_t id = 0;
  MLPIPE_RETURN_IF_ERROR(InTransaction(db(), [&]() -> Status {
    for (const auto& [artifact_id, direction] : seen) {
      MLPIPE_ASSIGN_OR_RETURN(
          auto rows, db().Query("SELECT 1 FROM lineage_artifacts WHERE id = ?", {artifact_id}));
      if (rows.empty()) {
        return NotFoundError("execution '" + e.type + "': no lineage artifact with id " +
                             std::to_string(artifact_id));
      }
    }
    const int64_t start = e.start_us != 0 ? e.start_us : NowMicros();
    const int64_t end = e.end_us != 0 ? e.end_us : start;
    SqlValue run_id = e.run_id.empty() ? SqlValue() : SqlValue(e.run_id);
    MLPIPE_ASSIGN_OR_RETURN(
        auto rows, db().Query("INSERT INTO executions (type, run_id, properties_json, start_us, "
                              "end_us) VALUES (?, ?, ?, ?, ?) RETURNING id",
                              {e.type, run_id, e.properties_json.empty() ? "{}" : e.properties_json,
                               start, end}));
    if (rows.empty()) return InternalError("execution insert returned no id");
    id = rows[0].Int(0);
    std::vector<std::vector<SqlValue>> event_rows;
    for (const LineageEdge& edge : edges) {
      event_rows.push_back(
          {id, edge.artifact_id, std::string(DirectionName(edge.direction)), edge.role});
    }
    if (event_rows.empty()) return Status::OK();
    return db().ExecBatch(
        "INSERT INTO events (execution_id, artifact_id, direction, role) VALUES (?, ?, ?, ?)",
        event_rows);
  }));
  return id;
}

Result<LineageGraph> SqlMetadataStore::Lineage(const std::string& kind, const std::string& name,
                                               bool downstream) {
  MLPIPE_ASSIGN_OR_RETURN(ArtifactNode start, FindArtifact(db(), kind, name));
  // Upstream: executions that output an artifact, then their inputs.
  // Downstream: executions that took an artifact as input, then their outputs.
  const std::string toward_exec = downstream ? "input" : "output";
  const std::string away_from_exec = downstream ? "output" : "input";

  LineageGraph g;
  std::set<int64_t> seen_artifacts = {start.id};
  std::set<int64_t> seen_executions;
  std::deque<int64_t> queue = {start.id};
  g.artifacts.push_back(start);

  auto edge_from_row = [](const SqlRow& r, int64_t exec_id, int64_t artifact_id) {
    LineageEdge edge;
    edge.execution_id = exec_id;
    edge.artifact_id = artifact_id;
    edge.direction = r.Text(0) == "input" ? EventDirection::kInput : EventDirection::kOutput;
    edge.role = r.Text(1);
    return edge;
  };

  while (!queue.empty()) {
    if (seen_artifacts.size() + seen_executions.size() > kMaxWalkNodes) {
      return FailedPreconditionError("lineage of " + kind + " '" + name + "' has more than " +
                                     std::to_string(kMaxWalkNodes) + " nodes");
    }
    const int64_t artifact_id = queue.front();
    queue.pop_front();
    MLPIPE_ASSIGN_OR_RETURN(
        auto execs,
        db().Query("SELECT x.id, x.type, x.run_id, x.properties_json, x.start_us, x.end_us, "
                   "e.direction, e.role FROM events e JOIN executions x ON x.id = e.execution_id "
                   "WHERE e.artifact_id = ? AND e.direction = ? ORDER BY x.id",
                   {artifact_id, toward_exec}));
    for (const SqlRow& xr : execs) {
      const int64_t exec_id = xr.Int(0);
      // The edge that reached this execution, once per (execution, artifact).
      g.edges.push_back(edge_from_row(SqlRow{{xr.values[6], xr.values[7]}}, exec_id, artifact_id));
      if (!seen_executions.insert(exec_id).second) continue;
      g.executions.push_back(
          Execution{exec_id, xr.Text(1), xr.Text(2), xr.Text(3), xr.Int(4), xr.Int(5)});
      MLPIPE_ASSIGN_OR_RETURN(
          auto next,
          db().Query("SELECT e.direction, e.role, a.id, a.kind, a.name, a.hash FROM events e "
                     "JOIN lineage_artifacts a ON a.id = e.artifact_id "
                     "WHERE e.execution_id = ? AND e.direction = ? ORDER BY a.id",
                     {exec_id, away_from_exec}));
      for (const SqlRow& ar : next) {
        const int64_t next_id = ar.Int(2);
        g.edges.push_back(edge_from_row(ar, exec_id, next_id));
        if (!seen_artifacts.insert(next_id).second) continue;
        g.artifacts.push_back(ArtifactNode{next_id, ar.Text(3), ar.Text(4), ar.Text(5)});
        queue.push_back(next_id);
      }
    }
  }
  return g;
}

}  // namespace mlpipe::store
