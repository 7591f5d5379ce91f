// The Beast client behind HttpMetadataStore. Each step (connect, write, read)
// is an asynchronous operation run to completion on a private io_context, so
// that tcp_stream's timeout applies: Asio's blocking calls have none.
#include "mlpipe/store/http_client.h"

#include <poll.h>
#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "mlpipe/store/store_json.h"

namespace mlpipe::store {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Replies carry whole objects; bound them well above any sane metadata reply.
constexpr uint64_t kMaxReplyBytes = uint64_t{8} << 30;

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

struct HttpClient::Impl {
  std::string host;
  std::string port;
  std::string url;
  std::string token;
  std::chrono::milliseconds timeout{0};
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  bool connected = false;

  // Runs the asynchronous operation that `start` begins to completion and
  // returns its error code (beast::error::timeout when the timer fired).
  template <typename Start>
  beast::error_code Run(Start&& start) {
    beast::error_code result = net::error::would_block;
    stream.expires_after(timeout);
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  void Close() {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    buffer.clear();
    connected = false;
  }

  beast::error_code Connect() {
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    auto endpoints = resolver.resolve(host, port, ec);
    if (ec) return ec;
    ec = Run([&](auto handler) { stream.async_connect(endpoints, handler); });
    if (!ec) {
      connected = true;
      stream.socket().set_option(tcp::no_delay(true), ec);
      ec = {};
    }
    return ec;
  }

  // True when the server has closed the kept-alive connection (or sent bytes
  // nobody asked for): it must not carry the next request.
  bool Stale() {
    pollfd p{stream.socket().native_handle(), POLLIN, 0};
    if (poll(&p, 1, 0) <= 0) return false;
    return true;
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() {
  if (impl_->connected) impl_->Close();
}

const std::string& HttpClient::url() const { return impl_->url; }

Result<std::unique_ptr<HttpClient>> HttpClient::Create(const std::string& url, std::string token,
                                                       std::chrono::milliseconds timeout) {
  if (!StartsWith(url, "http://")) {
    return InvalidArgumentError("tracking server URL '" + url + "': expected http://HOST:PORT");
  }
  std::string rest = url.substr(7);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty() || rest.find('/') != std::string::npos) {
    return InvalidArgumentError("tracking server URL '" + url +
                                "': expected http://HOST:PORT with no path");
  }
  auto impl = std::make_unique<Impl>();
  size_t colon = rest.rfind(':');
  if (colon == std::string::npos || rest.back() == ']') {
    impl->host = rest;
    impl->port = "80";
  } else {
    impl->host = rest.substr(0, colon);
    impl->port = rest.substr(colon + 1);
    if (impl->port.empty() || impl->port.find_first_not_of("0123456789") != std::string::npos) {
      return InvalidArgumentError("tracking server URL '" + url + "': bad port '" + impl->port +
                                  "'");
    }
  }
  if (impl->host.size() > 2 && impl->host.front() == '[' && impl->host.back() == ']') {
    impl->host = impl->host.substr(1, impl->host.size() - 2);
  }
  impl->url = "http://" + rest;
  impl->token = std::move(token);
  impl->timeout = timeout;
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

Result<HttpReply> HttpClient::Send(std::string_view method, const std::string& target,
                                   const std::string& body, std::string_view content_type) {
  Impl& c = *impl_;
  http::request<http::string_body> req;
  req.method(http::string_to_verb(beast::string_view(method.data(), method.size())));
  req.target(target);
  req.version(11);
  req.set(http::field::host, c.host + ":" + c.port);
  req.set(http::field::user_agent, "mlpipe");
  if (!c.token.empty()) req.set(http::field::authorization, "Bearer " + c.token);
  if (!body.empty() || method != "GET") {
    req.set(http::field::content_type,
            beast::string_view(content_type.data(), content_type.size()));
    req.body() = body;
  }
  req.keep_alive(true);
  req.prepare_payload();

  const bool idempotent = method == "GET" || method == "HEAD";
  beast::error_code ec;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (c.connected && c.Stale()) c.Close();
    if (!c.connected) {
      ec = c.Connect();
      if (ec) {
        c.Close();
        return UnavailableError("cannot reach the tracking server " + c.url + ": " + ec.message());
      }
    }
    ec = c.Run([&](auto handler) { http::async_write(c.stream, req, handler); });
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxReplyBytes);
    if (!ec)
      ec = c.Run([&](auto handler) { http::async_read(c.stream, c.buffer, parser, handler); });
    if (!ec) {
      auto& res = parser.get();
      HttpReply reply;
      reply.status = static_cast<int>(res.result_int());
      reply.content_type = std::string(res[http::field::content_type]);
      reply.body = std::move(res.body());
      if (!res.keep_alive()) c.Close();
      return reply;
    }
    c.Close();
    if (!idempotent || ec == beast::error::timeout) break;
  }
  std::string msg = "tracking server " + c.url + ": ";
  msg.append(method).append(" ").append(target).append(": ");
  msg.append(ec == beast::error::timeout
                 ? "no reply within " + std::to_string(c.timeout.count() / 1000) + " s"
                 : ec.message());
  return UnavailableError(std::move(msg));
}

// The Status an error reply stands for: the code and message in its body
// when it has the API's error shape, else one chosen from the HTTP status.
Status StatusFromReply(const HttpReply& r, std::string_view method, const std::string& target) {
  std::string code_name;
  std::string message;
  try {
    nlohmann::json j = nlohmann::json::parse(r.body);
    code_name = j.at("error").at("code").get<std::string>();
    message = j.at("error").at("message").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    message = "HTTP " + std::to_string(r.status) + " from ";
    message.append(method).append(" ").append(target);
    if (!r.body.empty()) message.append(": ").append(r.body.substr(0, 200));
  }
  StatusCode code = StatusCodeFromName(code_name);
  if (code == StatusCode::kOk || code_name.empty() || StatusCodeName(code) != code_name) {
    // Codes of the HTTP layer itself (unauthenticated, read_only, ...).
    switch (r.status) {
      case 403:
      case 409:
        code = StatusCode::kFailedPrecondition;
        break;
      case 404:
        code = StatusCode::kNotFound;
        break;
      case 503:
        code = StatusCode::kUnavailable;
        break;
      default:
        code = r.status >= 500 ? StatusCode::kInternal : StatusCode::kInvalidArgument;
    }
  }
  return Status(code, std::move(message));
}

}  // namespace mlpipe::store
