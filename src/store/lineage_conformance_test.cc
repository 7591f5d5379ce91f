// Conformance tests of lineage on every backend: artifact nodes, executions
// with their input/output events, and the upstream and downstream walks over
// a small but realistic graph (file -> ingest -> dataset -> train -> model).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "conformance_fixture.h"
#include "mlpipe/core/sha256.h"

namespace mlpipe::store {
namespace {

std::set<std::string> NodeNames(const LineageGraph& g) {
  std::set<std::string> out;
  for (const auto& a : g.artifacts) out.insert(a.kind + ":" + a.name);
  return out;
}

std::set<std::string> ExecutionTypes(const LineageGraph& g) {
  std::set<std::string> out;
  for (const auto& e : g.executions) out.insert(e.type);
  return out;
}

using EdgeKey = std::tuple<int64_t, int64_t, EventDirection>;

std::set<EdgeKey> EdgeKeys(const LineageGraph& g) {
  std::set<EdgeKey> out;
  for (const auto& e : g.edges) out.insert({e.execution_id, e.artifact_id, e.direction});
  return out;
}

// No node, execution or edge appears twice.
void ExpectNoDuplicates(const LineageGraph& g) {
  std::set<int64_t> a, x;
  for (const auto& n : g.artifacts) EXPECT_TRUE(a.insert(n.id).second) << n.name;
  for (const auto& e : g.executions) EXPECT_TRUE(x.insert(e.id).second) << e.type;
  EXPECT_EQ(EdgeKeys(g).size(), g.edges.size());
  // Every edge joins nodes that are in the graph.
  for (const auto& e : g.edges) {
    EXPECT_TRUE(a.count(e.artifact_id)) << e.artifact_id;
    EXPECT_TRUE(x.count(e.execution_id)) << e.execution_id;
  }
}

class Graph {
 public:
  explicit Graph(MetadataStore& s) : s_(s) {}
  int64_t Node(const std::string& kind, const std::string& name, const std::string& hash = "") {
    auto n = s_.PutArtifact(kind, name, hash);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? n->id : 0;
  }
  int64_t Exec(const std::string& type, const std::vector<std::pair<int64_t, std::string>>& in,
               const std::vector<int64_t>& out) {
    std::vector<LineageEdge> edges;
    for (const auto& [id, role] : in) edges.push_back({0, id, EventDirection::kInput, role});
    for (int64_t id : out) edges.push_back({0, id, EventDirection::kOutput, ""});
    Execution e;
    e.type = type;
    e.properties_json = "{\"step\":\"" + type + "\"}";
    auto r = s_.RecordExecution(e, edges);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : 0;
  }

 private:
  MetadataStore& s_;
};

TEST_P(StoreConformance, PutArtifactGetsOrCreates) {
  auto a = store().PutArtifact("dataset", "credit@1", "");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_GT(a->id, 0);
  EXPECT_EQ(a->hash, "");
  // A hash given later fills the empty one.
  const std::string h = core::Sha256Hex("credit v1");
  auto b = store().PutArtifact("dataset", "credit@1", h);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->id, a->id);
  EXPECT_EQ(b->hash, h);
  // No hash, or the same hash, returns the node as it is.
  auto c = store().PutArtifact("dataset", "credit@1", "");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->id, a->id);
  EXPECT_EQ(c->hash, h);
  ASSERT_TRUE(store().PutArtifact("dataset", "credit@1", h).ok());
  // A different hash for the same node is refused.
  auto d = store().PutArtifact("dataset", "credit@1", core::Sha256Hex("other"));
  EXPECT_EQ(d.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(d.status().message().find("credit@1"), std::string::npos);
  // The same name with another kind is another node.
  auto e = store().PutArtifact("model", "credit@1", "");
  ASSERT_TRUE(e.ok());
  EXPECT_NE(e->id, a->id);
  EXPECT_EQ(e->kind, "model");
  EXPECT_EQ(store().PutArtifact("", "x", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store().PutArtifact("file", "", "").status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreConformance, RecordExecutionChecksArtifacts) {
  Graph g(store());
  const int64_t a = g.Node("file", "data/credit.csv");
  Execution e;
  e.type = "ingest";
  auto r = store().RecordExecution(
      e, {{0, a, EventDirection::kInput, "source"}, {0, a + 1000, EventDirection::kOutput, ""}});
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find(std::to_string(a + 1000)), std::string::npos);
  // Nothing of the refused execution was written.
  auto up = store().Lineage("file", "data/credit.csv", true);
  ASSERT_TRUE(up.ok());
  EXPECT_TRUE(up->executions.empty());
  // The same artifact twice in the same direction is refused.
  r = store().RecordExecution(
      e, {{0, a, EventDirection::kInput, "x"}, {0, a, EventDirection::kInput, "y"}});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  e.type = "";
  EXPECT_EQ(store().RecordExecution(e, {}).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreConformance, LineageWalksUpstreamAndDownstream) {
  Graph g(store());
  const int64_t file = g.Node("file", "data/credit.csv", core::Sha256Hex("csv"));
  const int64_t data = g.Node("dataset", "credit@1", core::Sha256Hex("csv"));
  const int64_t code = g.Node("code", "0123abc");
  const int64_t spec = g.Node("spec", "mlpipe.yaml");
  const int64_t model = g.Node("model", "credit-risk@1", core::Sha256Hex("bundle"));
  const int64_t report = g.Node("object", "eval-report.html");
  const int64_t other = g.Node("dataset", "unrelated@1");
  const int64_t ingest = g.Exec("ingest", {{file, "source"}}, {data});
  const int64_t train = g.Exec("train", {{data, "train"}, {code, "code"}, {spec, "spec"}}, {model});
  const int64_t eval = g.Exec("evaluate", {{model, "model"}, {data, "test"}}, {report});
  g.Exec("profile", {{other, "input"}}, {});

  // Upstream of the model: train, then its inputs, then ingest and the file.
  auto up = store().Lineage("model", "credit-risk@1", false);
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  ExpectNoDuplicates(*up);
  EXPECT_EQ(NodeNames(*up),
            (std::set<std::string>{"model:credit-risk@1", "dataset:credit@1", "code:0123abc",
                                   "spec:mlpipe.yaml", "file:data/credit.csv"}));
  EXPECT_EQ(ExecutionTypes(*up), (std::set<std::string>{"train", "ingest"}));
  EXPECT_EQ(EdgeKeys(*up), (std::set<EdgeKey>{{train, model, EventDirection::kOutput},
                                              {train, data, EventDirection::kInput},
                                              {train, code, EventDirection::kInput},
                                              {train, spec, EventDirection::kInput},
                                              {ingest, data, EventDirection::kOutput},
                                              {ingest, file, EventDirection::kInput}}));
  EXPECT_EQ(up->artifacts.front().id, model);  // the start comes first
  for (const auto& e : up->edges) {
    if (e.execution_id == train && e.artifact_id == data) {
      EXPECT_EQ(e.role, "train");
    }
  }
  for (const auto& x : up->executions) {
    if (x.type == "train") {
      EXPECT_EQ(x.id, train);
      EXPECT_EQ(x.properties_json, "{\"step\":\"train\"}");
      EXPECT_GT(x.start_us, 0);
    }
  }
  for (const auto& a : up->artifacts) {
    if (a.id == model) {
      EXPECT_EQ(a.hash, core::Sha256Hex("bundle"));
    }
  }

  // Downstream of the file: ingest, the dataset, then both train and
  // evaluate (which used the dataset), the model and the report.
  auto down = store().Lineage("file", "data/credit.csv", true);
  ASSERT_TRUE(down.ok()) << down.status().ToString();
  ExpectNoDuplicates(*down);
  EXPECT_EQ(NodeNames(*down),
            (std::set<std::string>{"file:data/credit.csv", "dataset:credit@1",
                                   "model:credit-risk@1", "object:eval-report.html"}));
  EXPECT_EQ(ExecutionTypes(*down), (std::set<std::string>{"ingest", "train", "evaluate"}));
  EXPECT_EQ(EdgeKeys(*down), (std::set<EdgeKey>{{ingest, file, EventDirection::kInput},
                                                {ingest, data, EventDirection::kOutput},
                                                {train, data, EventDirection::kInput},
                                                {train, model, EventDirection::kOutput},
                                                {eval, data, EventDirection::kInput},
                                                {eval, model, EventDirection::kInput},
                                                {eval, report, EventDirection::kOutput}}));

  // A leaf: nothing upstream of a source file, nothing downstream of a report.
  auto leaf = store().Lineage("file", "data/credit.csv", false);
  ASSERT_TRUE(leaf.ok());
  EXPECT_EQ(leaf->artifacts.size(), 1u);
  EXPECT_TRUE(leaf->executions.empty());
  EXPECT_TRUE(leaf->edges.empty());
  leaf = store().Lineage("object", "eval-report.html", true);
  ASSERT_TRUE(leaf.ok());
  EXPECT_EQ(leaf->artifacts.size(), 1u);

  auto missing = store().Lineage("model", "credit-risk@9", false);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("credit-risk@9"), std::string::npos);
}

TEST_P(StoreConformance, LineageWalkStopsOnCycles) {
  // Lineage should be acyclic, but a walk must terminate even if it is not.
  Graph g(store());
  const int64_t a = g.Node("object", "a");
  const int64_t b = g.Node("object", "b");
  const int64_t c = g.Node("object", "c");
  g.Exec("step1", {{a, ""}}, {b});
  g.Exec("step2", {{b, ""}}, {c});
  g.Exec("step3", {{c, ""}}, {a});
  for (bool downstream : {false, true}) {
    auto w = store().Lineage("object", "b", downstream);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ExpectNoDuplicates(*w);
    EXPECT_EQ(w->artifacts.size(), 3u);
    EXPECT_EQ(w->executions.size(), 3u);
    EXPECT_EQ(w->edges.size(), 6u);
  }
}

}  // namespace
}  // namespace mlpipe::store
