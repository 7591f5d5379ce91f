// The tracking API: every MetadataStore operation over HTTP/JSON under
// /api/v1/ (`mlpipe serve --tracking`), so that several machines record into
// one store with `--store http://HOST:PORT`. Routes, authentication and the
// error shape are documented in docs/tracking.md ("HTTP API").
//
// Authentication: every write (POST, PUT, DELETE) must carry
// "Authorization: Bearer TOKEN" matching the server's token (compared in
// constant time), checked on the headers before the body is read (a refused
// write's body is never read); reads (GET) are open to anyone who can reach
// the port. Error replies never show the server's file paths: the object
// and store folders appear as <objects> and <store>.
// A server without a token must be read-only. The token protects against
// accidents and casual misuse on a trusted network; it travels in clear text
// (no TLS yet), so bind to 127.0.0.1 or put a TLS proxy in front.
//
// Stores: one MetadataStore connection per io thread (SQLite WAL lets them
// read concurrently and serialises writers), and one ObjectStore whose bytes
// PUT/GET /api/v1/objects/{sha256} move.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"

namespace mlpipe::serve {

struct TrackingServerOptions {
  std::string host = "127.0.0.1";        // address to bind
  int port = 5000;                       // 0: any free port
  int threads = 4;                       // io threads = store connections
  std::string store_uri;                 // the store served: a SQLite path or postgresql:// URI
  std::string objects_dir;               // root of the ObjectStore served under /api/v1/objects
  std::string token;                     // what writes must present; empty only when read_only
  bool read_only = false;                // refuse every write (403) whatever the token
  size_t body_limit = size_t{64} << 20;  // larger request bodies get 413
  int idle_timeout_s = 10;               // see HttpServerOptions
  int body_timeout_s = 60;               // see HttpServerOptions
  size_t max_connections = 64;           // see HttpServerOptions
  core::Env* env = nullptr;              // files and clock; core::Env::Default() when null

  // kInvalidArgument naming the option at fault.
  Status Validate() const;
};

class TrackingServer {
 public:
  // Opens the stores, binds and starts serving; returns once connections are
  // accepted. kUnavailable when the address cannot be bound.
  static Result<std::unique_ptr<TrackingServer>> Start(const TrackingServerOptions& options);
  ~TrackingServer();

  int port() const;  // the bound port
  // "http://HOST:PORT", what clients pass as --store.
  std::string url() const;

  // See HttpServer::Stop and HttpServer::WaitForSignal.
  void Stop();
  void WaitForSignal(const std::function<void()>& on_waiting = nullptr);

 private:
  struct Impl;
  explicit TrackingServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The API token: the first line of `token_file` (surrounding white space
// removed) when given, else $MLPIPE_API_TOKEN, else "". An unreadable or
// empty token file is kInvalidArgument naming it.
Result<std::string> LoadApiToken(const std::string& token_file);

// For `mlpipe serve --tracking`: starts the server, calls `on_ready` once it
// is listening and catching SIGINT/SIGTERM, and returns OK after one of them
// has stopped it.
Status RunTrackingServer(const TrackingServerOptions& options,
                         const std::function<void(const TrackingServer&)>& on_ready);

}  // namespace mlpipe::serve
