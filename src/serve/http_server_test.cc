// Tests of the generic HTTP server: routing to the handler, keep-alive and
// pipelining, the Status -> HTTP mapping, malformed requests (400), bodies
// over the limit (413), exceptions (500), a busy port, idle connections the
// client must reopen, and stopping on SIGTERM. Requests go through raw
// sockets (bytes as written here) or the store's Beast client.
#include "mlpipe/serve/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "mlpipe/store/http_client.h"

namespace mlpipe::serve {
namespace {

using core::Json;

// Sends `bytes` on a fresh connection, half-closes it and returns everything
// the server sends back until it closes (5 s at most).
std::string RawExchange(int port, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

int CountOf(const std::string& s, const std::string& needle) {
  int n = 0;
  for (size_t p = s.find(needle); p != std::string::npos; p = s.find(needle, p + 1)) ++n;
  return n;
}

// Echoes the request as JSON; "/throw" throws, "/status/N" answers N.
HttpResponse Echo(const HttpRequest& r) {
  if (r.path == "/throw") throw std::runtime_error("boom");
  if (r.path.rfind("/status/", 0) == 0) return ErrorResponse(std::stoi(r.path.substr(8)), "x", "y");
  return JsonResponse({{"method", r.method},
                       {"path", r.path},
                       {"query", r.query},
                       {"body", r.body},
                       {"auth", r.Header("authorization")},
                       {"worker", r.worker}});
}

std::unique_ptr<HttpServer> StartEcho(HttpServerOptions o = {}) {
  auto s = HttpServer::Start(o, Echo);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

std::unique_ptr<store::HttpClient> Client(int port, const std::string& token = "") {
  auto c = store::HttpClient::Create("http://127.0.0.1:" + std::to_string(port), token,
                                     std::chrono::milliseconds(5000));
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(*c);
}

TEST(HttpServerTest, PassesRequestsToTheHandler) {
  HttpServerOptions o;
  o.threads = 3;
  auto server = StartEcho(o);
  ASSERT_NE(server, nullptr);
  EXPECT_GT(server->port(), 0);
  auto client = Client(server->port(), "tok");
  auto r = client->Send("POST", "/a/b%20c?x=1&y=2", "hello");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->content_type, "application/json");
  Json j = Json::parse(r->body);
  EXPECT_EQ(j["method"], "POST");
  EXPECT_EQ(j["path"], "/a/b%20c");
  EXPECT_EQ(j["query"], "x=1&y=2");
  EXPECT_EQ(j["body"], "hello");
  EXPECT_EQ(j["auth"], "Bearer tok");
  EXPECT_GE(j["worker"].get<int>(), 0);
  EXPECT_LT(j["worker"].get<int>(), 3);
}

TEST(HttpServerTest, KeepsConnectionsAliveAndAnswersPipelinedRequests) {
  auto server = StartEcho();
  ASSERT_NE(server, nullptr);
  std::string req = "GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string out = RawExchange(server->port(), req);
  EXPECT_EQ(CountOf(out, "HTTP/1.1 200 OK"), 2) << out;
  EXPECT_NE(out.find("/one"), std::string::npos);
  EXPECT_NE(out.find("/two"), std::string::npos);
}

TEST(HttpServerTest, MapsStatusCodesInOnePlace) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kOutOfRange), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kDataLoss), 500);
  EXPECT_EQ(HttpStatusFor(StatusCode::kIoError), 500);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
  HttpResponse r = ErrorResponse(NotFoundError("run 'abc' not found"));
  EXPECT_EQ(r.status, 404);
  Json j = Json::parse(r.body);
  EXPECT_EQ(j["error"]["code"], "not_found");
  EXPECT_EQ(j["error"]["message"], "run 'abc' not found");
  // Invalid UTF-8 in a message is replaced, never thrown.
  HttpResponse bad = ErrorResponse(InvalidArgumentError("name '\xff'"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NO_THROW(Json::parse(bad.body));
}

TEST(HttpServerTest, MalformedRequestGets400AndTheServerKeepsServing) {
  auto server = StartEcho();
  ASSERT_NE(server, nullptr);
  std::string out = RawExchange(server->port(), "NOT HTTP AT ALL\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
  EXPECT_NE(out.find("\"bad_request\""), std::string::npos) << out;
  out = RawExchange(server->port(), "GET /x HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
  auto r = Client(server->port())->Send("GET", "/after");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
}

TEST(HttpServerTest, BodyOverTheLimitGets413) {
  HttpServerOptions o;
  o.body_limit = 1024;
  auto server = StartEcho(o);
  ASSERT_NE(server, nullptr);
  auto client = Client(server->port());
  auto small = client->Send("POST", "/ok", std::string(1024, 'a'));
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  EXPECT_EQ(small->status, 200);
  auto big = client->Send("POST", "/big", std::string(200000, 'b'));
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(Json::parse(big->body)["error"]["code"], "body_too_large");
  // Declared but never sent: answered from the header alone.
  std::string out = RawExchange(server->port(),
                                "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 413", 0), 0u) << out;
  auto after = client->Send("GET", "/after");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->status, 200);
}

TEST(HttpServerTest, HandlerExceptionsBecome500) {
  auto server = StartEcho();
  ASSERT_NE(server, nullptr);
  auto client = Client(server->port());
  auto r = client->Send("GET", "/throw");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 500);
  Json j = Json::parse(r->body);
  EXPECT_EQ(j["error"]["code"], "internal");
  EXPECT_NE(j["error"]["message"].get<std::string>().find("boom"), std::string::npos);
  EXPECT_EQ(client->Send("GET", "/status/418")->status, 418);
}

TEST(HttpServerTest, BusyPortIsUnavailable) {
  auto a = StartEcho();
  ASSERT_NE(a, nullptr);
  HttpServerOptions o;
  o.port = a->port();
  auto b = HttpServer::Start(o, Echo);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(b.status().message().find(std::to_string(a->port())), std::string::npos);
  o.port = 70000;
  EXPECT_EQ(HttpServer::Start(o, Echo).status().code(), StatusCode::kInvalidArgument);
  o.port = 0;
  o.host = "not an address";
  EXPECT_FALSE(HttpServer::Start(o, Echo).ok());
}

TEST(HttpServerTest, ClientReconnectsAfterTheServerClosedAnIdleConnection) {
  HttpServerOptions o;
  o.idle_timeout_s = 1;
  auto server = StartEcho(o);
  ASSERT_NE(server, nullptr);
  auto client = Client(server->port());
  ASSERT_EQ(client->Send("GET", "/1")->status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto post = client->Send("POST", "/2", "x");  // not retried: must notice the closed connection
  ASSERT_TRUE(post.ok()) << post.status().ToString();
  EXPECT_EQ(post->status, 200);
}

TEST(HttpServerTest, UnreachableServerIsUnavailable) {
  int port = 0;
  {
    auto server = StartEcho();
    ASSERT_NE(server, nullptr);
    port = server->port();
  }  // stopped: nothing listens there now
  auto r = Client(port)->Send("GET", "/x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("127.0.0.1:" + std::to_string(port)), std::string::npos);
}

TEST(HttpServerTest, StopsOnSigterm) {
  auto server = StartEcho();
  ASSERT_NE(server, nullptr);
  int port = server->port();
  std::atomic<bool> waiting{false};
  server->WaitForSignal([&] {
    waiting = true;
    kill(getpid(), SIGTERM);
  });
  EXPECT_TRUE(waiting);
  auto r = Client(port)->Send("GET", "/x");
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  server->Stop();  // idempotent
}

TEST(HttpServerTest, StopFromAnotherThreadEndsTheWait) {
  auto server = StartEcho();
  ASSERT_NE(server, nullptr);
  std::thread stopper;
  server->WaitForSignal([&] {
    stopper = std::thread([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      server->Stop();
    });
  });
  stopper.join();
}

}  // namespace
}  // namespace mlpipe::serve

namespace mlpipe::serve {
namespace {

// ParseHttpRequest: the server's parsing of raw bytes, callable on a buffer
// (the fuzz target feeds it arbitrary bytes).
TEST(ParseHttpRequestTest, ParsesWhatTheServerReads) {
  auto r = ParseHttpRequest(
      "POST /api/v1/runs?limit=5 HTTP/1.1\r\nHost: x\r\nX-Token: AbC\r\nContent-Length: 4\r\n\r\n"
      "{}\r\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->target, "/api/v1/runs?limit=5");
  EXPECT_EQ(r->path, "/api/v1/runs");
  EXPECT_EQ(r->query, "limit=5");
  EXPECT_EQ(r->Header("x-token"), "AbC");
  EXPECT_EQ(r->body, "{}\r\n");
}

TEST(ParseHttpRequestTest, MalformedIncompleteAndOversizedAreErrors) {
  EXPECT_EQ(ParseHttpRequest("GARBAGE\r\n\r\n").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseHttpRequest("GET / HTTP/1.1\r\nHost: x\r\n").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseHttpRequest("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseHttpRequest("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", 4)
                .status()
                .code(),
            StatusCode::kOutOfRange);
  EXPECT_EQ(ParseHttpRequest("").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace mlpipe::serve

namespace mlpipe::serve {
namespace {

TEST(HttpServerTest, MetricsExtraIsAppendedAfterTheCounts) {
  HttpServerOptions o;
  o.metrics_extra = [] { return std::string("# TYPE extra_metric gauge\nextra_metric 7\n"); };
  auto s = StartEcho(o);
  ASSERT_TRUE(s);
  const std::string reply = RawExchange(s->port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  const size_t counts = reply.find("mlpipe_http_connections_accepted_total");
  const size_t extra = reply.find("extra_metric 7\n");
  ASSERT_NE(counts, std::string::npos) << reply;
  ASSERT_NE(extra, std::string::npos) << reply;
  EXPECT_LT(counts, extra);
  // Without the option the page is the counts alone.
  auto plain = StartEcho();
  const std::string only = RawExchange(plain->port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(only.find("extra_metric"), std::string::npos);
  EXPECT_NE(only.find("mlpipe_http_connections_open"), std::string::npos);
}

}  // namespace
}  // namespace mlpipe::serve
