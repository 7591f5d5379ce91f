// The tracking API's latency: LogMetrics of one 1,000-metric batch from an
// HttpMetadataStore to a TrackingServer on the loopback interface, end to end
// (JSON encoding, HTTP, the SQLite write). bench/run_bench.py (suite
// "tracking") runs it and prints the figure against its 250 ms budget.
//
//   tracking_api_bench [CALLS]     CALLS batches (default 21), median reported
//
// Prints one JSON object; times are milliseconds. Exit 3 on any error.
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mlpipe/serve/tracking_api.h"
#include "mlpipe/store/metadata_store.h"

namespace mlpipe::serve {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void Die(const Status& s, const char* what) {
  std::fprintf(stderr, "tracking_api_bench %s: %s\n", what, s.ToString().c_str());
  std::exit(3);
}

template <typename T>
T Check(Result<T> r, const char* what) {
  if (!r.ok()) Die(r.status(), what);
  return *std::move(r);
}

int Main(int argc, char** argv) {
  const int calls = argc > 1 ? std::atoi(argv[1]) : 21;
  if (calls < 1) {
    std::fprintf(stderr, "usage: tracking_api_bench [CALLS >= 1]\n");
    return 2;
  }
  std::string dir = (fs::temp_directory_path() / "mlpipe-api-bench-XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) {
    std::perror("mkdtemp");
    return 3;
  }
  const std::string token = "bench-token";
  TrackingServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.store_uri = dir + "/meta.db";
  options.objects_dir = dir + "/objects";
  options.token = token;
  std::vector<double> ms;
  {
    auto server = Check(TrackingServer::Start(options), "start");
    setenv("MLPIPE_API_TOKEN", token.c_str(), 1);
    auto remote = Check(store::OpenMetadataStore(server->url()), "open");
    auto run = Check(remote->CreateRun("bench", store::RunOrigin{}, "bench"), "create run");
    for (int call = 0; call < calls; ++call) {
      std::vector<store::Metric> m;
      for (int i = 0; i < 1000; ++i) {
        m.push_back({std::string("m").append(std::to_string(i % 10)), i * 0.5, call, 1});
      }
      const auto t0 = std::chrono::steady_clock::now();
      const Status s = remote->LogMetrics(run.run_id, m);
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      if (!s.ok()) Die(s, "log metrics");
    }
  }
  fs::remove_all(dir);
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  nlohmann::json out = {{"mode", "batch_over_http"},
                        {"calls", calls},
                        {"ms", ms},
                        {"median_ms", sorted[sorted.size() / 2]},
                        {"min_ms", sorted.front()},
                        {"max_ms", sorted.back()}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace
}  // namespace mlpipe::serve

int main(int argc, char** argv) { return mlpipe::serve::Main(argc, argv); }
