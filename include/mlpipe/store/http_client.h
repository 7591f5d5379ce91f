// A small synchronous HTTP/1.1 client (Boost.Beast) for the tracking API:
// one keep-alive connection, a timeout on every step, and one retry of an
// idempotent GET when the connection drops. HttpMetadataStore and the HTTP
// ObjectRemote speak through it; so do tests of the servers (serve).
//
// Thread safety: none; one HttpClient per thread (as for every MetadataStore).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "mlpipe/core/status.h"

namespace mlpipe::store {

struct HttpReply {
  int status = 0;  // HTTP status code
  std::string content_type;
  std::string body;
};

class HttpClient {
 public:
  // `url` is "http://HOST[:PORT][/]"; `token`, when not empty, goes out as
  // "Authorization: Bearer TOKEN" on every request.
  static Result<std::unique_ptr<HttpClient>> Create(const std::string& url, std::string token,
                                                    std::chrono::milliseconds timeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request and returns the reply whatever its status; a server
  // that cannot be reached, a timeout or a dropped connection is kUnavailable
  // naming the URL and the request. A GET is retried once on a dropped
  // connection; other methods are never retried (they may have taken effect).
  Result<HttpReply> Send(std::string_view method, const std::string& target,
                         const std::string& body = "",
                         std::string_view content_type = "application/json");

  // "http://HOST:PORT".
  const std::string& url() const;

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The Status an error reply stands for: the code and message in its body
// when it has the API's error shape, else one chosen from the HTTP status.
Status StatusFromReply(const HttpReply& r, std::string_view method, const std::string& target);

}  // namespace mlpipe::store
