// The tracking server's objects as an ObjectRemote: small objects in one
// request (PUT/GET /api/v1/objects/HASH), larger ones in parts — an upload
// (POST /api/v1/uploads, PUT /api/v1/uploads/ID?offset=N per part, POST
// /api/v1/uploads/ID/commit) and ranged reads (GET ...?offset=&length=) — so
// that no request body or reply exceeds a part, whatever the object's size.
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>

#include "mlpipe/core/json_util.h"
#include "mlpipe/store/api_token.h"
#include "mlpipe/store/http_client.h"
#include "mlpipe/store/object_store.h"

namespace mlpipe::store {
namespace {

constexpr std::chrono::milliseconds kTimeout{300000};

class HttpObjectRemote : public ObjectRemote {
 public:
  HttpObjectRemote(std::unique_ptr<HttpClient> client, uint64_t part_bytes)
      : client_(std::move(client)), part_bytes_(part_bytes) {}

  std::string Describe() const override { return "tracking server " + client_->url(); }

  Result<uint64_t> Size(const std::string& hash) override {
    std::lock_guard<std::mutex> l(mu_);
    MLPIPE_ASSIGN_OR_RETURN(core::Json j, Call("GET", "/api/v1/objects/" + hash + "/size", ""));
    if (!j.contains("size") || !j["size"].is_number_unsigned()) {
      return InternalError(Describe() + ": the size of object " + hash + " is missing");
    }
    return j["size"].get<uint64_t>();
  }

  Status Push(const std::string& hash, core::SequentialFile& in, uint64_t size) override {
    std::lock_guard<std::mutex> l(mu_);
    if (size <= part_bytes_) {
      MLPIPE_ASSIGN_OR_RETURN(std::string bytes, ReadPart(in, size, hash));
      return Call("PUT", "/api/v1/objects/" + hash, bytes, "application/octet-stream").status();
    }
    MLPIPE_ASSIGN_OR_RETURN(core::Json begun, Call("POST", "/api/v1/uploads", "{}"));
    if (!begun.contains("upload") || !begun["upload"].is_string()) {
      return InternalError(Describe() + ": no upload id in the reply to POST /api/v1/uploads");
    }
    const std::string upload = "/api/v1/uploads/" + begun["upload"].get<std::string>();
    for (uint64_t offset = 0; offset < size; offset += part_bytes_) {
      MLPIPE_ASSIGN_OR_RETURN(std::string part,
                              ReadPart(in, std::min(part_bytes_, size - offset), hash));
      MLPIPE_RETURN_IF_ERROR(Call("PUT", upload + "?offset=" + std::to_string(offset), part,
                                  "application/octet-stream")
                                 .status());
    }
    core::Json commit = {{"hash", hash}};
    return Call("POST", upload + "/commit", commit.dump()).status();
  }

  Status Fetch(const std::string& hash, StagedObject& into) override {
    std::lock_guard<std::mutex> l(mu_);
    const std::string target = "/api/v1/objects/" + hash;
    for (uint64_t offset = 0;; offset += part_bytes_) {
      std::string ranged =
          target + "?offset=" + std::to_string(offset) + "&length=" + std::to_string(part_bytes_);
      MLPIPE_ASSIGN_OR_RETURN(HttpReply r, client_->Send("GET", ranged));
      if (r.status < 200 || r.status >= 300) return StatusFromReply(r, "GET", ranged);
      MLPIPE_RETURN_IF_ERROR(into.Append(r.body));
      if (r.body.size() < part_bytes_) return Status::OK();
    }
  }

 private:
  // One request whose 2xx reply is a JSON object; else the Status it carries.
  Result<core::Json> Call(std::string_view method, const std::string& target,
                          const std::string& body,
                          std::string_view content_type = "application/json") {
    MLPIPE_ASSIGN_OR_RETURN(HttpReply r, client_->Send(method, target, body, content_type));
    if (r.status < 200 || r.status >= 300) return StatusFromReply(r, method, target);
    return core::ParseJson(r.body, Describe() + " reply to " + target);
  }

  // Exactly `n` bytes of `in`; an object that ends early is kDataLoss.
  static Result<std::string> ReadPart(core::SequentialFile& in, uint64_t n,
                                      const std::string& hash) {
    std::string out(n, '\0');
    size_t got = 0;
    while (got < n) {
      MLPIPE_ASSIGN_OR_RETURN(size_t k, in.Read(out.data() + got, n - got));
      if (k == 0) {
        return DataLossError("object " + hash + " ended after " + std::to_string(got) +
                             " of the bytes it was stored with");
      }
      got += k;
    }
    return out;
  }

  std::mutex mu_;  // one request at a time on the one connection
  std::unique_ptr<HttpClient> client_;
  const uint64_t part_bytes_;
};

}  // namespace

Result<std::shared_ptr<ObjectRemote>> OpenHttpObjectRemote(const std::string& url,
                                                           uint64_t part_bytes) {
  if (part_bytes == 0) return InvalidArgumentError("object remote: part size must be positive");
  MLPIPE_ASSIGN_OR_RETURN(auto client,
                          HttpClient::Create(url, ApiTokenFromEnvironment(), kTimeout));
  return std::shared_ptr<ObjectRemote>(
      std::make_shared<HttpObjectRemote>(std::move(client), part_bytes));
}

}  // namespace mlpipe::store
