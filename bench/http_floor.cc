// The HTTP floor: the model server's HTTP layer (serve::HttpServer, the same
// io threads, parsing and keep-alive) answering every request with a constant
// JSON body and no scoring. bench/serve_bench.py drives it with wrk beside
// `mlpipe serve --model` so that the share of the bare HTTP cost that scoring
// keeps is measured on the same machine in the same run.
//
//   http_floor [--threads N]     prints "listening on http://127.0.0.1:PORT"
//                                and serves until SIGINT/SIGTERM
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "mlpipe/serve/http_server.h"

int main(int argc, char** argv) {
  mlpipe::serve::HttpServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.max_connections = 1024;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      options.threads = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: http_floor [--threads N]\n");
      return 2;
    }
  }
  // The shape of a single-row reply of the model server, so that the bytes
  // on the wire are alike.
  const std::string body =
      R"({"predictions":[{"label":"good","probabilities":{"bad":0.25,"good":0.75},)"
      R"("model_version":"1"}]})";
  auto server = mlpipe::serve::HttpServer::Start(options, [&](const mlpipe::serve::HttpRequest&) {
    mlpipe::serve::HttpResponse r;
    r.body = body;
    return r;
  });
  if (!server.ok()) {
    std::fprintf(stderr, "http_floor: %s\n", server.status().ToString().c_str());
    return 3;
  }
  (*server)->WaitForSignal([&] {
    std::printf("listening on http://127.0.0.1:%d\n", (*server)->port());
    std::fflush(stdout);
  });
  return 0;
}
