// HttpServer: a small, generic HTTP/1.1 server (Boost.Beast over Asio) — a
// pool of io threads sharing one acceptor, keep-alive, a request body limit,
// and one handler function for every request. The tracking API and the model
// server use it. Beast stays inside http_server.cc.
//
// Errors: a Status maps to an HTTP status in one place (HttpStatusFor) and
// travels in the body {"error": {"code": "not_found", "message": "..."}}.
// A request that cannot be parsed gets 400, one whose body exceeds the limit
// 413, and the connection is closed; the server keeps serving others.
// Limits against clients that hold resources: a connection limit, a timeout
// for a request's header and one for its body, and a check of the headers
// before any body is read (HttpServerOptions).
//
// Thread safety: the handler is called concurrently from the io threads; a
// request's `worker` says which (0..threads-1), so that a handler can keep
// per-thread state (e.g. one store connection per thread) without locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"

namespace mlpipe::serve {

struct HttpRequest {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // as sent: "/api/v1/runs?limit=5"
  std::string path;                            // target before '?', still percent-encoded
  std::string query;                           // target after '?', still percent-encoded
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  int worker = 0;  // index of the io thread running the handler

  // The header's value; "" when absent. `name` in lower case.
  const std::string& Header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// The one mapping from a Status code to an HTTP status: kInvalidArgument and
// kOutOfRange 400, kNotFound 404, kAlreadyExists and kFailedPrecondition 409,
// kUnavailable 503, everything else (kDataLoss, kIoError, kInternal) 500.
int HttpStatusFor(StatusCode code);

// The error reply for `status` (REQUIRES: !status.ok()).
HttpResponse ErrorResponse(const Status& status);
// An error of the HTTP layer itself (e.g. 401 "unauthenticated").
HttpResponse ErrorResponse(int http_status, std::string_view code, std::string_view message);
// `j` serialised; a value that cannot be (invalid UTF-8) becomes a 500 reply.
HttpResponse JsonResponse(const core::Json& j, int http_status = 200);

// Called with a request's method, target and headers (its body not read yet,
// `body` empty). A response it returns is sent instead, the body is never read
// into memory and the connection is closed; std::nullopt lets the request
// proceed. E.g. authentication, so that an unauthenticated client cannot make
// the server hold a large body.
using HttpHeaderCheck = std::function<std::optional<HttpResponse>(const HttpRequest&)>;

// Parses one raw HTTP/1.1 request (request line, headers, body) as the
// server does: InvalidArgument for malformed or incomplete bytes, OutOfRange
// for a body beyond `body_limit`. Bytes after the first request are ignored.
Result<HttpRequest> ParseHttpRequest(std::string_view raw, size_t body_limit = size_t{64} << 20);

struct HttpServerOptions {
  std::string host = "127.0.0.1";        // address to bind
  int port = 0;                          // 0: any free port (see HttpServer::port())
  int threads = 4;                       // io threads, >= 1
  size_t body_limit = size_t{64} << 20;  // bytes; a larger request body gets 413
  // Seconds a connection may take to send a request's header, counted from
  // when it opens or its previous reply was sent: a kept-alive connection idle
  // this long, or a client trickling its header, is closed.
  int idle_timeout_s = 10;
  int body_timeout_s = 60;  // seconds to receive a request's whole body
  // Open connections at most. When full, a new connection replaces the one
  // that has waited longest for its next request header (closed, counted as
  // evicted); when every connection is inside a request, the new one gets
  // 503 and is closed (counted as refused).
  size_t max_connections = 64;
  HttpHeaderCheck check_headers;  // optional
  // Optional: more Prometheus text appended to GET /metrics after the
  // server's own counts (e.g. the model server's metrics). Called from the
  // io threads, concurrently; must not block for long.
  std::function<std::string()> metrics_extra;

  // InvalidArgument naming the field that is out of range.
  Status Validate() const;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// What the server counted since it started; served as Prometheus text on
// GET /metrics (see HttpServer).
struct HttpServerCounts {
  uint64_t connections_accepted = 0;  // admitted connections
  uint64_t connections_refused = 0;   // closed with 503 at max_connections
  uint64_t connections_evicted = 0;   // idle ones closed to admit a new one
  uint64_t header_timeouts = 0;       // closed after idle_timeout_s without a header
  uint64_t body_timeouts = 0;         // closed after body_timeout_s inside a body
  uint64_t rejected_before_body = 0;  // answered by check_headers, body unread
  uint64_t connections_open = 0;      // now
};

// The counts as Prometheus text exposition (mlpipe_http_* metrics).
std::string HttpCountsToPrometheus(const HttpServerCounts& counts);

class HttpServer {
 public:
  // Binds host:port, starts the io threads and returns once it accepts
  // connections. A port in use or an address that cannot be bound is
  // kUnavailable naming it.
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                   HttpHandler handler);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // GET /metrics is answered by the server itself, before the handler, with
  // HttpCountsToPrometheus(Counts()) followed by options.metrics_extra()
  // when set (text/plain; version=0.0.4).
  HttpServerCounts Counts() const;

  const std::string& host() const;
  int port() const;  // the bound port (the one picked when options.port was 0)

  // Stops accepting, lets requests being handled finish (up to a few
  // seconds), closes every connection and joins the io threads. Idempotent.
  // REQUIRES: not called from inside the handler.
  void Stop();

  // Blocks until SIGINT or SIGTERM arrives (or Stop() is called from another
  // thread), then stops the server. `on_waiting`, when given, runs once the
  // signals are caught (e.g. to print "listening on ..." without a window in
  // which SIGTERM would still kill the process).
  void WaitForSignal(const std::function<void()>& on_waiting = nullptr);

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mlpipe::serve
