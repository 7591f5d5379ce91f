// The Beast HTTP/1.1 server behind HttpServer: one io_context run by N
// threads, one strand per connection (so a connection's timer and its reads
// never race), and a read–handle–write loop per connection while the client
// keeps it alive. Connections closed after an error are closed "lingering"
// (send side first, then the rest of the request drained for a moment), so
// that a 413 reaches a client that is still sending its body.
#include "mlpipe/serve/http_server.h"

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http_parse.h"
#include "mlpipe/core/log.h"
#include "mlpipe/core/message.h"

namespace mlpipe::serve {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

thread_local int tls_worker = 0;

constexpr size_t kMaxErrorMessageBytes = 1024;
constexpr auto kWriteTimeout = std::chrono::seconds(60);
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr auto kStopGrace = std::chrono::seconds(5);

bool IsParseError(const beast::error_code& ec) {
  return &ec.category() == &http::make_error_code(http::error::bad_method).category();
}

}  // namespace

const std::string& HttpRequest::Header(const std::string& name) const {
  static const std::string kEmpty;
  auto it = headers.find(name);
  return it == headers.end() ? kEmpty : it->second;
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kDataLoss:
    case StatusCode::kIoError:
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse ErrorResponse(int http_status, std::string_view code, std::string_view message) {
  // A message quoting a huge value stays a short reply.
  core::Json j = {{"error",
                   {{"code", std::string(code)},
                    {"message", core::ClipForMessage(message, kMaxErrorMessageBytes)}}}};
  HttpResponse r;
  r.status = http_status;
  // The message may quote user input that is not UTF-8: replace, never throw.
  r.body = j.dump(-1, ' ', false, core::Json::error_handler_t::replace);
  return r;
}

HttpResponse ErrorResponse(const Status& status) {
  return ErrorResponse(HttpStatusFor(status.code()), StatusCodeName(status.code()),
                       status.message());
}

HttpResponse JsonResponse(const core::Json& j, int http_status) {
  HttpResponse r;
  r.status = http_status;
  try {
    r.body = j.dump();
  } catch (const core::Json::exception& e) {
    return ErrorResponse(InternalError(std::string("cannot encode the reply: ") + e.what()));
  }
  return r;
}

Status HttpServerOptions::Validate() const {
  if (port < 0 || port > 65535) {
    return InvalidArgumentError("port " + std::to_string(port) + ": expected 0..65535");
  }
  if (threads < 1 || threads > 1024) {
    return InvalidArgumentError("threads " + std::to_string(threads) + ": expected 1..1024");
  }
  if (body_limit == 0) return InvalidArgumentError("body_limit: must be positive");
  if (idle_timeout_s < 1) return InvalidArgumentError("idle_timeout_s: must be positive");
  if (body_timeout_s < 1) return InvalidArgumentError("body_timeout_s: must be positive");
  if (max_connections < 1) return InvalidArgumentError("max_connections: must be positive");
  return Status::OK();
}

std::string HttpCountsToPrometheus(const HttpServerCounts& c) {
  std::string out;
  auto metric = [&out](const char* name, const char* type, const char* help, uint64_t value) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, value);
  };
  metric("mlpipe_http_connections_accepted_total", "counter", "Connections admitted.",
         c.connections_accepted);
  metric("mlpipe_http_connections_refused_total", "counter",
         "Connections answered 503 and closed at the connection limit.", c.connections_refused);
  metric("mlpipe_http_connections_evicted_total", "counter",
         "Idle connections closed to admit a new one at the connection limit.",
         c.connections_evicted);
  metric("mlpipe_http_header_timeouts_total", "counter",
         "Connections closed after the idle timeout without a request header.", c.header_timeouts);
  metric("mlpipe_http_body_timeouts_total", "counter",
         "Connections closed after the body timeout inside a request body.", c.body_timeouts);
  metric("mlpipe_http_rejected_before_body_total", "counter",
         "Requests refused on their headers (e.g. unauthenticated) without reading the body.",
         c.rejected_before_body);
  metric("mlpipe_http_connections_open", "gauge", "Connections open now.", c.connections_open);
  return out;
}

namespace {

class Session;

// What the connections share with the server; HttpServer::Impl is one.
struct ServerCore {
  HttpServerOptions opts;
  HttpHandler handler;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  int port = 0;
  std::atomic<bool> stopping{false};
  std::atomic<int> active{0};  // requests inside the handler

  std::mutex mu;
  std::condition_variable cv;
  bool wake = false;  // a signal arrived or Stop() was called
  bool stopped = false;

  // Connections: how many are open and which wait for a request header,
  // longest-waiting first (the ones evicted when the limit is reached).
  std::mutex conn_mu;
  size_t open = 0;
  std::list<std::weak_ptr<Session>> waiting;
  std::atomic<uint64_t> accepted{0}, refused{0}, evicted{0}, header_timeouts{0}, body_timeouts{0},
      rejected_before_body{0};

  void Accept();
  // Admits a new connection when there is room, making room by closing the
  // longest-idle one when needed; false when it must be refused.
  bool Admit();
  HttpServerCounts Counts();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, ServerCore* server) : stream_(std::move(socket)), server_(server) {}
  ~Session() {
    std::lock_guard<std::mutex> lock(server_->conn_mu);
    --server_->open;
  }

  void Run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

  // Closes the connection from another thread (to admit a new one); the
  // pending header read then ends with an error and the session goes away.
  void Evict() {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->Close(); });
  }

  // Registers (or removes) this session among those waiting for a header;
  // an evicted session never waits again.
  void SetWaiting(bool waiting) {
    std::lock_guard<std::mutex> lock(server_->conn_mu);
    if (waiting && !waiting_at_ && !evicted_) {
      waiting_at_ = server_->waiting.insert(server_->waiting.end(), weak_from_this());
    } else if (!waiting && waiting_at_) {
      server_->waiting.erase(*waiting_at_);
      waiting_at_.reset();
    }
  }

 private:
  // The header first, under the idle timeout; the body (OnHeader) only once
  // the header is accepted.
  void Read() {
    parser_.emplace();
    parser_->body_limit(server_->opts.body_limit);
    parser_->header_limit(kHeaderLimit);
    SetWaiting(true);
    stream_.expires_after(std::chrono::seconds(server_->opts.idle_timeout_s));
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  // Errors shared by the header and body reads; true when handled.
  bool ReadFailed(beast::error_code ec, bool in_body) {
    if (!ec) return false;
    if (ec == http::error::body_limit) {
      Reply(ErrorResponse(413, "body_too_large",
                          "request body exceeds the limit of " +
                              std::to_string(server_->opts.body_limit) + " bytes"),
            true);
      return true;
    }
    if (IsParseError(ec) && ec != http::error::end_of_stream &&
        ec != http::error::partial_message) {
      Reply(ErrorResponse(400, "bad_request", "malformed HTTP request: " + ec.message()), true);
      return true;
    }
    if (ec == beast::error::timeout) {
      ++(in_body ? server_->body_timeouts : server_->header_timeouts);
    }
    Close();  // the client went away, was too slow, or was evicted
    return true;
  }

  void OnHeader(beast::error_code ec, size_t) {
    SetWaiting(false);
    if (ReadFailed(ec, false)) return;
    HttpRequest req = RequestHead();
    if (req.method == "GET" && req.path == "/metrics") {
      HttpResponse r;
      r.content_type = "text/plain; version=0.0.4";
      r.body = HttpCountsToPrometheus(server_->Counts());
      if (server_->opts.metrics_extra) {
        try {
          r.body += server_->opts.metrics_extra();
        } catch (const std::exception& e) {
          return Reply(ErrorResponse(InternalError(std::string("metrics: ") + e.what())), true);
        }
      }
      return Reply(std::move(r), true);
    }
    if (server_->opts.check_headers) {
      std::optional<HttpResponse> refused;
      try {
        refused = server_->opts.check_headers(req);
      } catch (const std::exception& e) {
        refused = ErrorResponse(InternalError(std::string("unhandled exception: ") + e.what()));
      }
      if (refused) {
        ++server_->rejected_before_body;
        // The body is never read: close once the reply is out.
        return Reply(std::move(*refused), true, /*drain=*/false);
      }
    }
    if (parser_->is_done()) return OnRead({}, 0);
    stream_.expires_after(std::chrono::seconds(server_->opts.body_timeout_s));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  // Method, target and headers of the request being read.
  HttpRequest RequestHead() {
    HttpRequest req = internal::RequestFromMessage(parser_->get());
    req.worker = tls_worker;
    return req;
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ReadFailed(ec, true)) return;
    auto& msg = parser_->get();
    const bool keep_alive = msg.keep_alive();
    HttpRequest req = internal::RequestFromMessage(msg);
    req.worker = tls_worker;

    HttpResponse res;
    ++server_->active;
    try {
      res = server_->handler(req);
    } catch (const std::exception& e) {
      res = ErrorResponse(InternalError(std::string("unhandled exception: ") + e.what()));
    }
    --server_->active;
    Reply(std::move(res), !keep_alive || server_->stopping.load());
  }

  // `drain`: after a reply that closes, read (and drop) what the client still
  // sends for a moment so that closing does not reset the connection under
  // the reply; without it the connection is closed once the reply is sent.
  void Reply(HttpResponse r, bool close, bool drain = true) {
    res_ = {};
    res_.version(11);
    res_.result(static_cast<unsigned>(r.status));
    res_.set(http::field::server, "mlpipe");
    res_.set(http::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res_.set(k, v);
    res_.body() = std::move(r.body);
    res_.keep_alive(!close);
    res_.prepare_payload();
    stream_.expires_after(kWriteTimeout);
    http::async_write(stream_, res_,
                      [self = shared_from_this(), close, drain](beast::error_code ec, size_t) {
                        if (ec) return self->Close();
                        if (close) return drain ? self->LingerClose() : self->Close();
                        self->Read();
                      });
  }

  // Stops sending, then reads (and drops) what the client still sends for a
  // moment, so that closing does not reset the connection under our reply.
  void LingerClose() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTimeout);
    Drain();
  }
  void Drain() {
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    SetWaiting(false);
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  static constexpr uint32_t kHeaderLimit = 64 * 1024;  // bytes of request line and headers

  beast::tcp_stream stream_;
  ServerCore* server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  std::array<char, 16384> drain_;
  // Under conn_mu: where it is in ServerCore::waiting; whether it was evicted.
  std::optional<std::list<std::weak_ptr<Session>>::iterator> waiting_at_;
  bool evicted_ = false;
  friend struct ServerCore;
};

bool ServerCore::Admit() {
  std::shared_ptr<Session> victim;
  {
    std::lock_guard<std::mutex> lock(conn_mu);
    if (open >= opts.max_connections) {
      while (!waiting.empty() && !victim) {
        victim = waiting.front().lock();
        waiting.pop_front();
        if (victim) {
          victim->waiting_at_.reset();  // no longer in the list
          victim->evicted_ = true;
        }
      }
      if (!victim) return false;
    }
    ++open;
  }
  if (victim) {
    ++evicted;
    victim->Evict();
  }
  ++accepted;
  return true;
}

HttpServerCounts ServerCore::Counts() {
  HttpServerCounts c;
  c.connections_accepted = accepted;
  c.connections_refused = refused;
  c.connections_evicted = evicted;
  c.header_timeouts = header_timeouts;
  c.body_timeouts = body_timeouts;
  c.rejected_before_body = rejected_before_body;
  std::lock_guard<std::mutex> lock(conn_mu);
  c.connections_open = open;
  return c;
}

void ServerCore::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping) return;
    if (ec) {
      if (ec == net::error::operation_aborted) return;
      // Out of descriptors and the like: back off instead of spinning.
      core::LogWarning("accept: {}", ec.message());
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } else if (Admit()) {
      auto session = std::make_shared<Session>(std::move(socket), this);
      session->SetWaiting(true);  // evictable from now on, before its first read starts
      session->Run();
    } else {
      // Full of connections inside requests: a short 503 (it fits any
      // socket buffer, so the write does not block) and close.
      ++refused;
      static const std::string kBusy = [] {
        const std::string body =
            ErrorResponse(503, "unavailable", "too many connections; try again later").body;
        return fmt::format(
            "HTTP/1.1 503 Service Unavailable\r\nServer: mlpipe\r\nConnection: close\r\n"
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
            body.size(), body);
      }();
      beast::error_code ignored;
      socket.non_blocking(true, ignored);
      socket.send(net::buffer(kBusy), 0, ignored);
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
    }
    Accept();
  });
}

}  // namespace

struct HttpServer::Impl : ServerCore {};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { Stop(); }

HttpServerCounts HttpServer::Counts() const { return impl_->Counts(); }

const std::string& HttpServer::host() const { return impl_->opts.host; }
int HttpServer::port() const { return impl_->port; }

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                      HttpHandler handler) {
  MLPIPE_RETURN_IF_ERROR(options.Validate());
  auto impl = std::make_unique<Impl>();
  impl->opts = options;
  impl->handler = std::move(handler);
  const std::string where = options.host + ":" + std::to_string(options.port);
  beast::error_code ec;
  tcp::endpoint endpoint;
  net::ip::address addr = net::ip::make_address(options.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(addr, static_cast<unsigned short>(options.port));
  } else {
    tcp::resolver resolver(impl->ioc);
    auto found = resolver.resolve(options.host, std::to_string(options.port), ec);
    if (ec || found.empty()) {
      return InvalidArgumentError("host '" + options.host +
                                  "': " + (ec ? ec.message() : std::string("no address")));
    }
    endpoint = found.begin()->endpoint();
  }
  auto& acc = impl->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return UnavailableError("cannot listen on " + where + ": " + ec.message());
  impl->port = acc.local_endpoint().port();
  impl->Accept();
  Impl* raw = impl.get();
  for (int i = 0; i < options.threads; ++i) {
    impl->threads.emplace_back([raw, i] {
      tls_worker = i;
      for (;;) {
        try {
          raw->ioc.run();
          return;
        } catch (const std::exception& e) {
          core::LogError("http server thread {}: {}", i, e.what());
        }
      }
    });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

void HttpServer::Stop() {
  Impl& s = *impl_;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.wake = true;
    if (s.stopped) return;
    s.stopped = true;
  }
  s.cv.notify_all();
  s.stopping = true;
  net::post(s.acceptor.get_executor(), [&s] {
    beast::error_code ignored;
    s.acceptor.close(ignored);
  });
  auto deadline = std::chrono::steady_clock::now() + kStopGrace;
  while (s.active.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  s.ioc.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
}

void HttpServer::WaitForSignal(const std::function<void()>& on_waiting) {
  Impl& s = *impl_;
  net::signal_set signals(s.ioc, SIGINT, SIGTERM);
  signals.async_wait([&s](beast::error_code ec, int) {
    if (ec) return;
    {
      std::lock_guard<std::mutex> lock(s.mu);
      s.wake = true;
    }
    s.cv.notify_all();
  });
  if (on_waiting) on_waiting();
  {
    std::unique_lock<std::mutex> lock(s.mu);
    s.cv.wait(lock, [&s] { return s.wake; });
  }
  beast::error_code ignored;
  signals.cancel(ignored);
  Stop();
}

}  // namespace mlpipe::serve
