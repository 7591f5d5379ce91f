// Objects behind a tracking server: an ObjectStore with the HTTP remote pushes
// every put to the server and fetches what it lacks. The truth is the
// server's object folder read directly and SHA-256 computed here; objects
// larger than a part (here 1,000 bytes) travel as uploads and ranged reads.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/sha256.h"
#include "mlpipe/serve/tracking_api.h"
#include "mlpipe/store/http_client.h"
#include "mlpipe/store/object_store.h"

namespace mlpipe::serve {
namespace {

namespace fs = std::filesystem;
constexpr const char* kToken = "object-token";
constexpr uint64_t kPart = 1000;

std::string Bytes(size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 2654435761u + seed) >> 13);
  return s;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class ObjectRemoteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "mlpipe-objremote-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    TrackingServerOptions o;
    o.port = 0;
    o.threads = 2;
    o.store_uri = dir_ + "/server/meta.db";
    o.objects_dir = dir_ + "/server/objects";
    o.token = kToken;
    auto s = TrackingServer::Start(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(*s);
    setenv("MLPIPE_API_TOKEN", kToken, 1);
  }
  void TearDown() override {
    server_.reset();
    unsetenv("MLPIPE_API_TOKEN");
    fs::remove_all(dir_);
  }

  // A machine's local object folder, with the server as its remote.
  std::unique_ptr<store::ObjectStore> Machine(const std::string& name) {
    auto store =
        std::make_unique<store::ObjectStore>(core::Env::Default(), dir_ + "/" + name + "/objects");
    auto remote = store::OpenHttpObjectRemote(server_->url(), kPart);
    EXPECT_TRUE(remote.ok()) << remote.status().ToString();
    if (remote.ok()) store->SetRemote(*remote);
    return store;
  }

  std::string ServerPath(const std::string& hash) const {
    return dir_ + "/server/objects/" + hash.substr(0, 2) + "/" + hash.substr(2);
  }

  std::string dir_;
  std::unique_ptr<TrackingServer> server_;
};

TEST_F(ObjectRemoteTest, PutsReachTheServerAndAnotherMachineReadsThem) {
  auto a = Machine("a");
  auto b = Machine("b");
  // Below a part, exactly two parts, and several parts with a short tail.
  for (size_t n : {size_t{0}, size_t{17}, size_t{2 * kPart}, size_t{3 * kPart + 501}}) {
    SCOPED_TRACE("object of " + std::to_string(n) + " bytes");
    const std::string bytes = Bytes(n, static_cast<unsigned>(n));
    auto put = a->PutBytes(bytes);
    ASSERT_TRUE(put.ok()) << put.status().ToString();
    EXPECT_EQ(put->hash, core::Sha256Hex(bytes));
    EXPECT_EQ(ReadAll(ServerPath(put->hash)), bytes);

    EXPECT_FALSE(fs::exists(b->PathOf(put->hash)));
    EXPECT_TRUE(b->Contains(put->hash));
    auto size = b->Size(put->hash);
    ASSERT_TRUE(size.ok()) << size.status().ToString();
    EXPECT_EQ(*size, n);
    auto got = b->Get(put->hash);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, bytes);
    EXPECT_EQ(ReadAll(b->PathOf(put->hash)), bytes);  // kept as a local copy
  }
}

TEST_F(ObjectRemoteTest, PutFileAndCopyToGoThroughTheServer) {
  auto a = Machine("a");
  const std::string bytes = Bytes(5 * kPart + 3, 7);
  const std::string src = dir_ + "/data.bin";
  std::ofstream(src, std::ios::binary) << bytes;
  auto put = a->PutFile(src);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(ReadAll(ServerPath(put->hash)), bytes);
  auto b = Machine("b");
  const std::string out = dir_ + "/restored.bin";
  ASSERT_TRUE(b->CopyTo(put->hash, out).ok());
  EXPECT_EQ(ReadAll(out), bytes);
  EXPECT_TRUE(b->Verify(put->hash).ok());
  // Fewer than every file's objects are in the temp-free local folders.
  for (const auto& e : fs::recursive_directory_iterator(dir_ + "/b/objects")) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
  }
}

TEST_F(ObjectRemoteTest, AbsentEverywhereIsNotFoundNamingTheLocalPath) {
  auto b = Machine("b");
  const std::string hash = core::Sha256Hex("never stored");
  EXPECT_FALSE(b->Contains(hash));
  auto got = b->Get(hash);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kNotFound);
  EXPECT_NE(got.status().message().find(b->PathOf(hash)), std::string::npos);
}

TEST_F(ObjectRemoteTest, AWriteWithoutTheTokenFailsAndSaysWhy) {
  unsetenv("MLPIPE_API_TOKEN");
  auto a = Machine("a");
  auto put = a->PutBytes(Bytes(3 * kPart, 1));
  ASSERT_FALSE(put.ok());
  EXPECT_NE(put.status().message().find("API token"), std::string::npos) << put.status().ToString();
  EXPECT_NE(put.status().message().find(server_->url()), std::string::npos)
      << put.status().ToString();
}

// The upload routes directly: parts in order only, the hash checked at the end.
TEST_F(ObjectRemoteTest, UploadsRefuseGapsAndWrongHashes) {
  auto c = store::HttpClient::Create(server_->url(), kToken, std::chrono::milliseconds(10000));
  ASSERT_TRUE(c.ok());
  auto begin = [&] {
    auto r = (*c)->Send("POST", "/api/v1/uploads", "{}");
    EXPECT_EQ(r->status, 200) << r->body;
    return "/api/v1/uploads/" + core::Json::parse(r->body)["upload"].get<std::string>();
  };
  const std::string bytes = Bytes(2500, 3);
  const std::string hash = core::Sha256Hex(bytes);
  std::string up = begin();
  EXPECT_EQ((*c)->Send("PUT", up + "?offset=0", bytes.substr(0, 1000))->status, 200);
  auto gap = (*c)->Send("PUT", up + "?offset=2000", bytes.substr(2000));
  EXPECT_EQ(gap->status, 409);
  EXPECT_NE(gap->body.find("has 1000 bytes"), std::string::npos) << gap->body;
  EXPECT_EQ((*c)->Send("PUT", up, bytes.substr(1000))->status, 400);  // no offset
  EXPECT_EQ((*c)->Send("PUT", up + "?offset=1000", bytes.substr(1000))->status, 200);
  const std::string other = core::Sha256Hex("other");
  auto wrong = (*c)->Send("POST", up + "/commit", core::Json{{"hash", other}}.dump());
  EXPECT_EQ(wrong->status, 400);
  EXPECT_NE(wrong->body.find(hash), std::string::npos) << wrong->body;
  EXPECT_FALSE(fs::exists(ServerPath(hash)));
  EXPECT_FALSE(fs::exists(ServerPath(other)));
  // The upload ended with the failed commit.
  EXPECT_EQ((*c)->Send("POST", up + "/commit", core::Json{{"hash", hash}}.dump())->status, 404);

  up = begin();
  EXPECT_EQ((*c)->Send("PUT", up + "?offset=0", bytes)->status, 200);
  auto ok = (*c)->Send("POST", up + "/commit", core::Json{{"hash", hash}}.dump());
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(ReadAll(ServerPath(hash)), bytes);
  auto range = (*c)->Send("GET", "/api/v1/objects/" + hash + "?offset=2400&length=1000");
  ASSERT_EQ(range->status, 200);
  EXPECT_EQ(range->body, bytes.substr(2400));
  EXPECT_EQ((*c)->Send("GET", "/api/v1/objects/" + hash + "?offset=5")->status, 400);
  EXPECT_EQ((*c)->Send("GET", "/api/v1/objects/" + hash + "?offset=9999&length=1")->status, 400);
  EXPECT_EQ((*c)->Send("PUT", "/api/v1/uploads/nope?offset=0", "x")->status, 404);
  auto anon = store::HttpClient::Create(server_->url(), "", std::chrono::milliseconds(10000));
  EXPECT_EQ((*anon)->Send("POST", "/api/v1/uploads", "{}")->status, 401);
}

}  // namespace
}  // namespace mlpipe::serve
