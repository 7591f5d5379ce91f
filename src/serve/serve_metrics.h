// The model server's metrics, rendered as Prometheus text exposition
// (appended to HttpServer's own counts on GET /metrics): requests by model,
// version, route and status; a latency histogram in seconds per model and
// route; requests in flight; predictions per class; model load time,
// generation and failed reloads; and the process's resident memory, CPU
// seconds, threads and open file descriptors (read from /proc/self).
//
// Thread safety: every method may be called concurrently (one mutex; the
// work under it is a map lookup and a few additions).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace mlpipe::serve {

// Upper bounds (seconds) of the latency histogram's buckets, 50 µs to 10 s.
inline constexpr std::array<double, 17> kLatencyBuckets = {
    50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3,
    50e-3, 100e-3, 250e-3, 500e-3, 1.0,  2.5,    5.0,  10.0};

class ServeMetrics {
 public:
  // One finished request. `model` and `version` are "" for routes of no model.
  void Request(const std::string& model, const std::string& version, const std::string& route,
               int status, double seconds);
  void InFlight(int delta) { in_flight_ += delta; }
  // `count` rows predicted as `cls` by `model`.
  void Predictions(const std::string& model, const std::string& cls, uint64_t count);
  // A model (re)loaded: its version, load seconds and generation (1 for the first load).
  void ModelLoaded(const std::string& model, const std::string& version, double seconds,
                   int64_t generation);
  void ModelUnloaded(const std::string& model);
  // A reload (or load) that failed and left the previous bundle serving.
  void LoadFailed(const std::string& model);

  // Prometheus text (HELP and TYPE lines, one family at a time).
  std::string ToPrometheus() const;

 private:
  struct Histogram {
    std::array<uint64_t, kLatencyBuckets.size()> buckets{};  // non-cumulative
    uint64_t count = 0;
    double sum = 0;
  };
  struct Loaded {
    std::string version;
    double seconds = 0;
    int64_t generation = 0;
    bool loaded = false;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, std::string, int>, uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> latency_;
  std::map<std::pair<std::string, std::string>, uint64_t> predictions_;
  std::map<std::string, Loaded> models_;
  std::map<std::string, uint64_t> load_failures_;
  std::atomic<int64_t> in_flight_{0};
};

// The process figures as Prometheus text: process_resident_memory_bytes,
// process_virtual_memory_bytes, process_cpu_seconds_total, process_threads,
// process_open_fds, process_max_fds, process_start_time_seconds (those that
// /proc/self yields; none on a system without it).
std::string ProcessMetricsText();

// `value` escaped for a Prometheus label value (\\, \", \n).
std::string PromLabel(const std::string& value);

}  // namespace mlpipe::serve
