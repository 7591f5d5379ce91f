// Tests of the tracking API beyond the conformance suite (which runs every
// MetadataStore test through it, backend "http"): authentication of writes
// (checked against the SQLite file opened directly), read-only mode, bad
// requests, object bytes (hashes checked with core's SHA-256, files on disk),
// error codes and messages identical to the local store's, the API token
// loading, and 1,000-metric batches.
#include "mlpipe/serve/tracking_api.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/sha256.h"
#include "mlpipe/store/http_client.h"
#include "mlpipe/store/metadata_store.h"
#include "tracking_routes.h"

namespace mlpipe::serve {
namespace {

using core::Json;
namespace fs = std::filesystem;

constexpr const char* kToken = "s3cret-token";

class TrackingApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "mlpipe-api-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    options_.port = 0;
    options_.threads = 2;
    options_.store_uri = dir_ + "/meta.db";
    options_.objects_dir = dir_ + "/objects";
    options_.token = kToken;
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  void Start() {
    auto s = TrackingServer::Start(options_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(*s);
  }

  std::unique_ptr<store::HttpClient> Client(const std::string& token) {
    auto c = store::HttpClient::Create(server_->url(), token, std::chrono::milliseconds(10000));
    EXPECT_TRUE(c.ok());
    return std::move(*c);
  }

  // The store behind the server, opened directly: the independent view.
  std::unique_ptr<store::MetadataStore> Direct() {
    auto s = store::OpenMetadataStore(options_.store_uri);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(*s);
  }

  std::unique_ptr<store::MetadataStore> Remote(const char* token) {
    if (token == nullptr) {
      unsetenv("MLPIPE_API_TOKEN");
    } else {
      setenv("MLPIPE_API_TOKEN", token, 1);
    }
    auto s = store::OpenMetadataStore(server_->url());
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  static std::string ErrorCode(const store::HttpReply& r) {
    return Json::parse(r.body)["error"]["code"].get<std::string>();
  }

  std::string dir_;
  TrackingServerOptions options_;
  std::unique_ptr<TrackingServer> server_;
};

TEST_F(TrackingApiTest, WritesWithoutTheTokenAre401AndWriteNothing) {
  Start();
  const std::string body = R"({"name": "stolen"})";
  std::string longer(kToken);
  longer.append("x");
  for (const std::string& token :
       {std::string(), std::string("wrong"), longer, std::string(kToken).substr(1)}) {
    auto r = Client(token)->Send("POST", "/api/v1/experiments", body);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 401) << "token '" << token << "'";
    EXPECT_EQ(ErrorCode(*r), "unauthenticated");
  }
  auto exps = Direct()->ListExperiments();
  ASSERT_TRUE(exps.ok());
  for (const auto& e : *exps) EXPECT_NE(e.name, "stolen");

  auto ok = Client(kToken)->Send("POST", "/api/v1/experiments", body);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200) << ok->body;
  exps = Direct()->ListExperiments();
  ASSERT_EQ(exps->size(), 1u);
  EXPECT_EQ((*exps)[0].name, "stolen");
  EXPECT_EQ(Json::parse(ok->body)["id"], (*exps)[0].id);
}

TEST_F(TrackingApiTest, ReadsNeedNoToken) {
  Start();
  ASSERT_TRUE(Direct()->GetOrCreateExperiment("credit").ok());
  auto r = Client("")->Send("GET", "/api/v1/experiments");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Json::parse(r->body)["experiments"][0]["name"], "credit");
}

TEST_F(TrackingApiTest, RemoteWriteWithoutTokenIsAClearError) {
  Start();
  auto remote = Remote(nullptr);
  ASSERT_NE(remote, nullptr);  // reads work
  auto e = remote->GetOrCreateExperiment("x");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);  // exit 2 in the CLI
  EXPECT_NE(e.status().message().find("MLPIPE_API_TOKEN"), std::string::npos)
      << e.status().message();
}

TEST_F(TrackingApiTest, ReadOnlyServerRefusesWrites) {
  options_.read_only = true;
  options_.token = "";
  Start();
  auto r = Client(kToken)->Send("POST", "/api/v1/experiments", R"({"name": "x"})");
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(ErrorCode(*r), "read_only");
  EXPECT_EQ(Client("")->Send("GET", "/api/v1/health")->status, 200);
}

TEST_F(TrackingApiTest, RefusesToStartWithoutTokenUnlessReadOnly) {
  options_.token = "";
  auto s = TrackingServer::Start(options_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find("--read-only"), std::string::npos);
  options_.token = kToken;
  options_.store_uri = "http://127.0.0.1:1";
  EXPECT_EQ(TrackingServer::Start(options_).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(TrackingApiTest, BadRequestsGet4xxAndTheServerKeepsServing) {
  Start();
  auto c = Client(kToken);
  auto r = c->Send("POST", "/api/v1/experiments", "{not json");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(ErrorCode(*r), "invalid_argument");
  EXPECT_NE(r->body.find("request body"), std::string::npos) << r->body;
  EXPECT_EQ(c->Send("GET", "/api/v1/health")->status, 200);

  EXPECT_EQ(c->Send("POST", "/api/v1/experiments", "[1, 2]")->status, 400);
  r = c->Send("POST", "/api/v1/experiments", R"({"name": 5})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("request body.name"), std::string::npos) << r->body;
  r = c->Send("POST", "/api/v1/experiments", "{}");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("'name'"), std::string::npos) << r->body;
  r = c->Send("GET", "/api/v1/runs?limit=ten");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("limit"), std::string::npos) << r->body;
  EXPECT_EQ(c->Send("GET", "/api/v1/models/m/versions/x")->status, 400);
  EXPECT_EQ(c->Send("GET", "/api/v1/runs?filter=%zz")->status, 400);

  r = c->Send("GET", "/api/v1/no/such/route");
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(ErrorCode(*r), "not_found");
  EXPECT_EQ(c->Send("GET", "/elsewhere")->status, 404);
  r = c->Send("DELETE", "/api/v1/experiments");
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(c->Send("GET", "/api/v1/health")->status, 200);
}

std::string UrlEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// Regression: a number beyond double in a body answered 500, a body nested
// 100,000 deep or a run query nested 10,000 deep could crash the server, and
// 500 nested parentheses answered 500. Every one is bad input: 400, and the
// server keeps serving.
TEST_F(TrackingApiTest, HostileBodiesAndQueriesAre400) {
  Start();
  auto c = Client(kToken);
  auto r = c->Send("POST", "/api/v1/experiments", R"({"name": 1e999})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("request body: invalid JSON: number overflow"), std::string::npos)
      << r->body;
  r = c->Send("POST", "/api/v1/experiments",
              "{\"name\": " + std::string(100000, '[') + std::string(100000, ']') + "}");
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("nested deeper than 256 levels"), std::string::npos) << r->body;
  for (size_t n : {500, 10000}) {
    std::string filter = std::string(n, '(') + "seed = 1" + std::string(n, ')');
    r = c->Send("GET", "/api/v1/runs?filter=" + UrlEncode(filter));
    EXPECT_EQ(r->status, 400) << r->body.substr(0, 200);
    // 10,000 levels (60 KB encoded) fit within the 64 KiB header limit: the
    // query parser refuses them, not the HTTP layer.
    EXPECT_NE(r->body.find("deeper than 32 levels"), std::string::npos) << r->body.substr(0, 200);
  }
  r = c->Send("GET", "/api/v1/runs?filter=" + UrlEncode("start_time > 9223372036854775807"));
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("out of range"), std::string::npos) << r->body;
  EXPECT_EQ(c->Send("GET", "/api/v1/health")->status, 200);
}

// Every POST route, given bodies of the wrong shape, answers 4xx (never 500)
// and the server keeps serving.
TEST_F(TrackingApiTest, EveryPostRouteAnswersMalformedBodiesWith4xx) {
  Start();
  auto c = Client(kToken);
  const std::vector<std::string> bodies = {
      "",
      "null",
      "{\"a\": 1e999}",
      "{\"x\": -1e400}",
      R"({"name": null, "experiment": [], "origin": 5, "actor": {}, "status": 1,
          "params": [], "metrics": {}, "tags": "x", "path": 1, "object_hash": [],
          "size": "big", "dataset": 1, "version": "v", "role": 2, "kind": 3, "hash": 4,
          "execution": 5, "edges": 6, "description": 7, "details_json": 8, "subject": 9,
          "action": 10, "alias": 11, "model": 12})",
      R"({"params": {"k": [1]}, "tags": {"k": {}}, "metrics": [1, "x", {"key": 1}],
          "version": {"version": "x", "name": 1}, "execution": {"id": "x"},
          "edges": [1, {"role": 2}], "origin": {"seed": "x", "git_dirty": "no"}})",
      R"({"metrics": [{"key": "k", "value": 1e308, "step": 1e30, "timestamp_us": -1e30}],
          "size": -1, "status": "NOPE"})",
  };
  for (const RouteInfo& route : TrackingRoutes()) {
    if (route.method != std::string_view("POST")) continue;
    std::string path = "/api/v1/";
    for (const char* p = route.pattern; *p != '\0'; ++p) {
      if (*p == '{') {
        while (*p != '}') ++p;
        path += "x";
      } else {
        path += *p;
      }
    }
    for (const std::string& body : bodies) {
      auto reply = c->Send("POST", path, body);
      ASSERT_TRUE(reply.ok()) << path << " " << body;
      EXPECT_TRUE(reply->status < 500)
          << "POST " << path << " " << body << " -> " << reply->status << " " << reply->body;
    }
  }
  EXPECT_EQ(c->Send("GET", "/api/v1/health")->status, 200);
}

TEST_F(TrackingApiTest, BodyOverTheLimitIs413) {
  options_.body_limit = 4096;
  Start();
  auto c = Client(kToken);
  Json metrics = Json::array();
  for (int i = 0; i < 500; ++i) metrics.push_back({{"key", "k"}, {"value", i}, {"step", i}});
  auto r = c->Send("POST", "/api/v1/runs/abc/metrics", Json{{"metrics", metrics}}.dump());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(c->Send("GET", "/api/v1/health")->status, 200);
}

TEST_F(TrackingApiTest, ObjectBytesAreVerifiedStoredAndServed) {
  Start();
  auto c = Client(kToken);
  std::string bytes("model bytes \0\x01\xff", 16);
  std::string hash = core::Sha256Hex(bytes);
  auto put = c->Send("PUT", "/api/v1/objects/" + hash, bytes, "application/octet-stream");
  ASSERT_TRUE(put.ok());
  ASSERT_EQ(put->status, 200) << put->body;
  Json j = Json::parse(put->body);
  EXPECT_EQ(j["hash"], hash);
  EXPECT_EQ(j["size"], 16);
  EXPECT_FALSE(j["existed"].get<bool>());
  std::string path = options_.objects_dir + "/" + hash.substr(0, 2) + "/" + hash.substr(2);
  std::ifstream in(path, std::ios::binary);
  std::string on_disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(on_disk, bytes);
  auto got = Client("")->Send("GET", "/api/v1/objects/" + hash);
  ASSERT_EQ(got->status, 200);
  EXPECT_EQ(got->content_type, "application/octet-stream");
  EXPECT_EQ(got->body, bytes);

  std::string other = core::Sha256Hex("other");
  auto bad = c->Send("PUT", "/api/v1/objects/" + other, bytes, "application/octet-stream");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find(hash), std::string::npos) << bad->body;
  EXPECT_FALSE(fs::exists(options_.objects_dir + "/" + other.substr(0, 2) + "/" + other.substr(2)));
  EXPECT_EQ(c->Send("GET", "/api/v1/objects/" + other)->status, 404);
  EXPECT_EQ(c->Send("GET", "/api/v1/objects/xyz")->status, 400);
  EXPECT_EQ(Client("")->Send("PUT", "/api/v1/objects/" + hash, bytes)->status, 401);
}

TEST_F(TrackingApiTest, RemoteErrorsHaveTheLocalCodeAndMessage) {
  Start();
  auto remote = Remote(kToken);
  auto local = Direct();
  ASSERT_NE(remote, nullptr);
  auto rl = local->GetRun("0123456789abcdef0123456789abcdef");
  auto rr = remote->GetRun("0123456789abcdef0123456789abcdef");
  ASSERT_FALSE(rr.ok());
  EXPECT_EQ(rr.status().code(), rl.status().code());
  EXPECT_EQ(rr.status().message(), rl.status().message());

  auto run = remote->CreateRun("credit", store::RunOrigin{}, "alice");
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_TRUE(remote->LogParams(run->run_id, {{"eta", "0.1"}}).ok());
  Status again = remote->LogParams(run->run_id, {{"eta", "0.2"}});
  Status again_local = local->LogParams(run->run_id, {{"eta", "0.2"}});
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.message(), again_local.message());

  store::RunQuery q;
  q.filter = "metrics.auc >> 3";
  auto sr = remote->SearchRuns(q);
  auto sl = local->SearchRuns(q);
  EXPECT_EQ(sr.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(sr.status().message(), sl.status().message());

  // Names with characters that need escaping in paths and queries arrive intact.
  auto bad_remote = remote->GetOrCreateModel("credit risk/v2?", "d");
  auto bad_local = local->GetOrCreateModel("credit risk/v2?", "d");
  ASSERT_FALSE(bad_remote.ok());
  EXPECT_EQ(bad_remote.status().message(), bad_local.status().message());
  auto mv = remote->ListModelVersions("no such/model?&x=1");
  auto lv = local->ListModelVersions("no such/model?&x=1");
  EXPECT_EQ(mv.status().code(), lv.status().code());
  EXPECT_EQ(mv.status().message(), lv.status().message());
  const std::string key = "loss/val b&c=d?%";
  ASSERT_TRUE(remote->LogMetrics(run->run_id, {{key, 0.25, 3, 7}}).ok());
  auto h = remote->GetMetricHistory(run->run_id, key);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  ASSERT_EQ(h->size(), 1u);
  EXPECT_EQ((*h)[0].key, key);
  EXPECT_EQ(local->GetRun(run->run_id)->metrics.at(key).value, 0.25);
}

TEST_F(TrackingApiTest, UnreachableStoreIsUnavailable) {
  Start();
  std::string url = server_->url();
  server_.reset();
  auto s = store::OpenMetadataStore(url);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(s.status().message().find(url), std::string::npos) << s.status().message();
}

// 21 batches of 1,000 metrics each arrive whole. Their latency is measured by
// bench/tracking_api_bench.cc (suite "tracking" of bench/run_bench.py), not
// here: a unit test does not time the machine it runs on.
TEST_F(TrackingApiTest, AThousandMetricBatchesArriveWhole) {
  Start();
  auto remote = Remote(kToken);
  ASSERT_NE(remote, nullptr);
  auto run = remote->CreateRun("bench", store::RunOrigin{}, "bench");
  ASSERT_TRUE(run.ok());
  for (int call = 0; call < 21; ++call) {
    std::vector<store::Metric> m;
    for (int i = 0; i < 1000; ++i) {
      m.push_back({std::string("m").append(std::to_string(i % 10)), i * 0.5, call, 1});
    }
    ASSERT_TRUE(remote->LogMetrics(run->run_id, m).ok());
  }
  EXPECT_EQ(Direct()->GetMetricHistory(run->run_id, "m3")->size(), 21u * 100u);
}

TEST(LoadApiTokenTest, ReadsTheFirstLineOfTheFileElseTheEnvironment) {
  std::string dir = (fs::temp_directory_path() / "mlpipe-token-XXXXXX").string();
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  std::ofstream(dir + "/tok") << "  abc123 \nsecond line\n";
  std::ofstream(dir + "/empty") << "\n";
  EXPECT_EQ(*LoadApiToken(dir + "/tok"), "abc123");
  EXPECT_EQ(LoadApiToken(dir + "/empty").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadApiToken(dir + "/missing").status().code(), StatusCode::kInvalidArgument);
  setenv("MLPIPE_API_TOKEN", "from-env", 1);
  EXPECT_EQ(*LoadApiToken(""), "from-env");
  unsetenv("MLPIPE_API_TOKEN");
  EXPECT_EQ(*LoadApiToken(""), "");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mlpipe::serve
