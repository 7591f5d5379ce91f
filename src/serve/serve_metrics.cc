// ServeMetrics and the process figures (serve_metrics.h).
#include "serve_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

namespace mlpipe::serve {

std::string PromLabel(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void ServeMetrics::Request(const std::string& model, const std::string& version,
                           const std::string& route, int status, double seconds) {
  size_t b = 0;
  while (b < kLatencyBuckets.size() && seconds > kLatencyBuckets[b]) ++b;
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{model, version, route, status}];
  Histogram& h = latency_[{model, route}];
  if (b < h.buckets.size()) ++h.buckets[b];
  ++h.count;
  h.sum += seconds;
}

void ServeMetrics::Predictions(const std::string& model, const std::string& cls, uint64_t count) {
  std::lock_guard<std::mutex> lock(mu_);
  predictions_[{model, cls}] += count;
}

void ServeMetrics::ModelLoaded(const std::string& model, const std::string& version, double seconds,
                               int64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  models_[model] = Loaded{version, seconds, generation, true};
}

void ServeMetrics::ModelUnloaded(const std::string& model) {
  std::lock_guard<std::mutex> lock(mu_);
  models_[model].loaded = false;
}

void ServeMetrics::LoadFailed(const std::string& model) {
  std::lock_guard<std::mutex> lock(mu_);
  ++load_failures_[model];
}

namespace {

void Family(std::string& out, const char* name, const char* type, const char* help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

std::string Num(double v) { return fmt::format("{}", v); }

}  // namespace

std::string ServeMetrics::ToPrometheus() const {
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  Family(out, "mlpipe_requests_total", "counter",
         "Requests answered, by model, model version, route and HTTP status.");
  for (const auto& [k, n] : requests_) {
    const auto& [model, version, route, status] = k;
    out += fmt::format(
        "mlpipe_requests_total{{model=\"{}\",version=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
        PromLabel(model), PromLabel(version), PromLabel(route), status, n);
  }
  Family(out, "mlpipe_request_duration_seconds", "histogram",
         "Seconds spent handling a request (body read to reply built), by model and route.");
  for (const auto& [k, h] : latency_) {
    const std::string labels =
        fmt::format("model=\"{}\",route=\"{}\"", PromLabel(k.first), PromLabel(k.second));
    uint64_t cumulative = 0;
    for (size_t b = 0; b < kLatencyBuckets.size(); ++b) {
      cumulative += h.buckets[b];
      out += fmt::format("mlpipe_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                         Num(kLatencyBuckets[b]), cumulative);
    }
    out += fmt::format("mlpipe_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels,
                       h.count);
    out += fmt::format("mlpipe_request_duration_seconds_sum{{{}}} {}\n", labels, Num(h.sum));
    out += fmt::format("mlpipe_request_duration_seconds_count{{{}}} {}\n", labels, h.count);
  }
  Family(out, "mlpipe_requests_in_flight", "gauge", "Requests being handled now.");
  out += fmt::format("mlpipe_requests_in_flight {}\n", in_flight_.load());
  Family(out, "mlpipe_predictions_total", "counter",
         "Rows predicted, by model and predicted class (classification models).");
  for (const auto& [k, n] : predictions_) {
    out += fmt::format("mlpipe_predictions_total{{model=\"{}\",class=\"{}\"}} {}\n",
                       PromLabel(k.first), PromLabel(k.second), n);
  }
  Family(out, "mlpipe_model_loaded", "gauge",
         "1 for the version each model serves now, 0 when the model is unloaded.");
  for (const auto& [m, l] : models_) {
    out += fmt::format("mlpipe_model_loaded{{model=\"{}\",version=\"{}\"}} {}\n", PromLabel(m),
                       PromLabel(l.version), l.loaded ? 1 : 0);
  }
  Family(out, "mlpipe_model_load_seconds", "gauge",
         "Seconds the serving bundle took to read, build and verify.");
  for (const auto& [m, l] : models_) {
    out +=
        fmt::format("mlpipe_model_load_seconds{{model=\"{}\"}} {}\n", PromLabel(m), Num(l.seconds));
  }
  Family(out, "mlpipe_model_generation", "gauge",
         "How many bundles each model has loaded since the server started (1: the first).");
  for (const auto& [m, l] : models_) {
    out += fmt::format("mlpipe_model_generation{{model=\"{}\"}} {}\n", PromLabel(m), l.generation);
  }
  Family(out, "mlpipe_model_load_failures_total", "counter",
         "Loads or reloads that failed (the previous bundle kept serving).");
  for (const auto& [m, l] : models_) {
    auto it = load_failures_.find(m);
    out += fmt::format("mlpipe_model_load_failures_total{{model=\"{}\"}} {}\n", PromLabel(m),
                       it == load_failures_.end() ? 0 : it->second);
  }
  out += ProcessMetricsText();
  return out;
}

std::string ProcessMetricsText() {
  std::string out;
  // /proc/self/stat: utime and stime (fields 14, 15) in clock ticks, num_threads
  // (20), starttime (22) in ticks since boot, vsize (23) bytes, rss (24) pages.
  std::ifstream stat("/proc/self/stat");
  std::string line;
  if (stat && std::getline(stat, line)) {
    const size_t paren = line.rfind(')');
    if (paren != std::string::npos) {
      std::istringstream rest(line.substr(paren + 2));
      std::vector<std::string> f;  // f[0] is field 3 (state)
      std::string tok;
      while (rest >> tok) f.push_back(tok);
      if (f.size() > 21) {
        const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
        const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
        const double cpu = (std::stod(f[11]) + std::stod(f[12])) / tick;
        Family(out, "process_cpu_seconds_total", "counter", "User and system CPU seconds.");
        out += "process_cpu_seconds_total " + Num(cpu) + "\n";
        Family(out, "process_resident_memory_bytes", "gauge", "Resident memory in bytes.");
        out += "process_resident_memory_bytes " + Num(std::stod(f[21]) * page) + "\n";
        Family(out, "process_virtual_memory_bytes", "gauge", "Virtual memory in bytes.");
        out += "process_virtual_memory_bytes " + f[20] + "\n";
        Family(out, "process_threads", "gauge", "Threads of the process.");
        out += "process_threads " + f[17] + "\n";
        std::ifstream uptime("/proc/uptime");
        double up = 0;
        if (uptime >> up) {
          const double boot = static_cast<double>(time(nullptr)) - up;
          Family(out, "process_start_time_seconds", "gauge",
                 "Start time of the process since the Unix epoch in seconds.");
          out += fmt::format("process_start_time_seconds {:.2f}\n", boot + std::stod(f[19]) / tick);
        }
      }
    }
  }
  if (DIR* d = opendir("/proc/self/fd")) {
    int n = 0;
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') ++n;
    }
    closedir(d);
    Family(out, "process_open_fds", "gauge", "Open file descriptors.");
    out += fmt::format("process_open_fds {}\n", n - 1);  // not counting the one reading
  }
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
    Family(out, "process_max_fds", "gauge", "Limit of open file descriptors.");
    out += fmt::format("process_max_fds {}\n", static_cast<uint64_t>(lim.rlim_cur));
  }
  return out;
}

}  // namespace mlpipe::serve
