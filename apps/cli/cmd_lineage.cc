// `mlpipe lineage REF [--downstream] [--kind model|dataset]`: what a model or
// data version came from (upstream: model <- train <- data <- ingest <- file)
// or what used it (downstream: data -> runs -> model versions), as an indented
// tree, or under --json the nodes, executions and edges walked.
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "cli_store.h"
#include "mlpipe/store/lookup.h"
#include "mlpipe/store/metadata_store.h"

namespace mlpipe::cli {
namespace {

struct LineageArgs {
  std::string ref;
  std::string kind = "auto";
  bool downstream = false;
};

store::LineageKind KindOf(const std::string& flag) {
  if (flag == "model") return store::LineageKind::kModel;
  if (flag == "dataset") return store::LineageKind::kDataset;
  return store::LineageKind::kAuto;
}

core::Json GraphJson(const store::LineageGraph& g) {
  core::Json artifacts = core::Json::array(), executions = core::Json::array(),
             edges = core::Json::array();
  for (const auto& a : g.artifacts) {
    artifacts.push_back({{"id", a.id}, {"kind", a.kind}, {"name", a.name}, {"hash", a.hash}});
  }
  for (const auto& e : g.executions) {
    executions.push_back({{"id", e.id},
                          {"type", e.type},
                          {"run_id", e.run_id.empty() ? core::Json() : core::Json(e.run_id)},
                          {"properties", JsonOrText(e.properties_json)},
                          {"start_time", FormatTime(e.start_us)},
                          {"start_us", e.start_us},
                          {"end_time", FormatTime(e.end_us)},
                          {"end_us", e.end_us}});
  }
  for (const auto& e : g.edges) {
    edges.push_back(
        {{"execution_id", e.execution_id},
         {"artifact_id", e.artifact_id},
         {"direction", e.direction == store::EventDirection::kInput ? "input" : "output"},
         {"role", e.role}});
  }
  return {{"artifacts", artifacts}, {"executions", executions}, {"edges", edges}};
}

// Prints the walk as a tree from the start node: each artifact's executions
// (those that produced it upstream, those that used it downstream), under each
// execution the artifacts on its other side, and so on. A node already printed
// is shown again with "(see above)" rather than expanded twice.
class TreePrinter {
 public:
  TreePrinter(const store::LineageGraph& g, bool downstream) : g_(g), downstream_(downstream) {
    for (const auto& a : g.artifacts) artifacts_[a.id] = &a;
    for (const auto& e : g.executions) executions_[e.id] = &e;
    const auto toward = downstream ? store::EventDirection::kInput : store::EventDirection::kOutput;
    for (const auto& e : g.edges) {
      if (e.direction == toward) {
        execs_of_[e.artifact_id].insert(e.execution_id);
      } else {
        artifacts_of_[e.execution_id].emplace(e.artifact_id, e.role);
      }
    }
  }

  void Print() {
    if (g_.artifacts.empty()) return;
    const store::ArtifactNode& start = g_.artifacts[0];
    std::printf("%s\n", ArtifactLabel(start, "").c_str());
    seen_artifacts_.insert(start.id);
    PrintExecutions(start.id, "");
    if (execs_of_[start.id].empty()) {
      std::printf("  (%s)\n", downstream_ ? "nothing recorded uses it" : "no recorded origin");
    }
  }

 private:
  std::string ArtifactLabel(const store::ArtifactNode& a, const std::string& role) const {
    std::string s = a.kind + " " + a.name;
    if (!role.empty()) s.append(" [").append(role).append("]");
    if (!a.hash.empty()) s.append("  sha256:").append(a.hash.substr(0, 12));
    return s;
  }

  std::string ExecutionLabel(const store::Execution& e) const {
    std::string s = downstream_ ? "-> " : "<- ";
    s.append(e.type);
    if (!e.run_id.empty()) s.append("  run ").append(e.run_id);
    if (e.start_us != 0) s.append("  ").append(FormatTime(e.start_us));
    return s;
  }

  void PrintExecutions(int64_t artifact_id, const std::string& indent) {
    const auto& execs = execs_of_[artifact_id];
    size_t i = 0;
    for (int64_t exec_id : execs) {
      const bool last = ++i == execs.size();
      auto it = executions_.find(exec_id);
      if (it == executions_.end()) continue;
      const bool again = !seen_executions_.insert(exec_id).second;
      std::printf("%s%s%s%s\n", indent.c_str(), last ? "`-- " : "|-- ",
                  ExecutionLabel(*it->second).c_str(), again ? "  (see above)" : "");
      if (again) continue;
      const std::string child_indent = indent + (last ? "    " : "|   ");
      const auto& arts = artifacts_of_[exec_id];
      size_t j = 0;
      for (const auto& [aid, role] : arts) {
        const bool alast = ++j == arts.size();
        auto at = artifacts_.find(aid);
        if (at == artifacts_.end()) continue;
        const bool aagain = !seen_artifacts_.insert(aid).second;
        std::printf("%s%s%s%s\n", child_indent.c_str(), alast ? "`-- " : "|-- ",
                    ArtifactLabel(*at->second, role).c_str(), aagain ? "  (see above)" : "");
        if (!aagain) PrintExecutions(aid, child_indent + (alast ? "    " : "|   "));
      }
    }
  }

  const store::LineageGraph& g_;
  bool downstream_;
  std::map<int64_t, const store::ArtifactNode*> artifacts_;
  std::map<int64_t, const store::Execution*> executions_;
  std::map<int64_t, std::set<int64_t>> execs_of_;
  std::map<int64_t, std::set<std::pair<int64_t, std::string>>> artifacts_of_;
  std::set<int64_t> seen_artifacts_, seen_executions_;
};

Status RunLineage(const CommandState& state, const LineageArgs& args) {
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores stores, OpenStores(state));
  MLPIPE_ASSIGN_OR_RETURN(store::LineageNode node,
                          store::ResolveLineageNode(*stores.meta, args.ref, KindOf(args.kind)));
  MLPIPE_ASSIGN_OR_RETURN(store::LineageGraph g,
                          store::LineageOf(*stores.meta, node, args.downstream));
  if (state.global.json) {
    core::Json out = GraphJson(g);
    out["ref"] = args.ref;
    out["kind"] = node.kind;
    out["name"] = node.name;
    out["direction"] = args.downstream ? "downstream" : "upstream";
    PrintJson(out);
    return Status::OK();
  }
  TreePrinter(g, args.downstream).Print();
  return Status::OK();
}

}  // namespace

void AddLineageCommand(CLI::App& parent, CommandState& state) {
  auto args = std::make_shared<LineageArgs>();
  CLI::App* cmd = parent.add_subcommand(
      "lineage", "What a model or data version came from, or with --downstream what used it");
  cmd->add_option("REF", args->ref, "MODEL@VERSION, MODEL@ALIAS or DATASET@VERSION")->required();
  cmd->add_flag("--downstream", args->downstream,
                "Walk toward what used REF (runs, model versions) instead of where it came from");
  cmd->add_option("--kind", args->kind,
                  "What REF names: model, dataset, or auto (a model first, then a data set)")
      ->check(CLI::IsMember({"auto", "model", "dataset"}));
  cmd->fallthrough();
  cmd->callback([&state, args] { RunCommand(state, [&] { return RunLineage(state, *args); }); });
}

}  // namespace mlpipe::cli
