// `mlpipe serve --tracking`: the project's metadata store (and its object
// store) over HTTP for other machines (`--store http://HOST:PORT`).
// `mlpipe serve --model REF [--model REF ...]`: the model server
// (docs/serve.md; the logic is serve::ModelServer).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli_common.h"
#include "cli_store.h"
#include "mlpipe/bundle/ref.h"
#include "mlpipe/serve/model_server.h"
#include "mlpipe/serve/tracking_api.h"
#include "mlpipe/store/project.h"

namespace mlpipe::cli {
namespace {

struct ServeArgs {
  bool tracking = false;
  std::vector<std::string> models;
  std::string host = "127.0.0.1";
  int port = -1;  // 5000 for --tracking, 8080 for --model
  size_t max_body = size_t{1} << 20;
  std::string feedback;
  double reload_interval_s = 5;
  std::string token_file;
  bool read_only = false;
  int threads = 4;
  int max_connections = 64;
  int idle_timeout_s = 10;
  int body_timeout_s = 60;
};

Status RunModels(const CommandState& state, const ServeArgs& args) {
  serve::ModelServerOptions o;
  o.models = args.models;
  o.host = args.host;
  o.port = args.port < 0 ? 8080 : args.port;
  o.threads = args.threads;
  o.body_limit = args.max_body;
  if (args.max_connections < 1)
    return InvalidArgumentError("--max-connections " + std::to_string(args.max_connections) +
                                ": expected at least 1");
  o.max_connections = static_cast<size_t>(args.max_connections);
  o.idle_timeout_s = args.idle_timeout_s;
  o.body_timeout_s = args.body_timeout_s;
  o.feedback_dir = args.feedback;
  o.reload_interval_s = args.reload_interval_s;
  MLPIPE_ASSIGN_OR_RETURN(o.token, serve::LoadApiToken(args.token_file));
  bool registry = false;
  for (const auto& ref : args.models) registry |= bundle::IsRegistryRef(core::Env::Default(), ref);
  if (registry) {
    std::error_code ec;
    std::string cwd = std::filesystem::current_path(ec).string();
    if (ec) return InvalidArgumentError("cannot resolve the current folder: " + ec.message());
    MLPIPE_ASSIGN_OR_RETURN(o.project,
                            store::LocateProject(cwd, state.global.project, state.global.store));
  }
  const bool json = state.global.json;
  return serve::RunModelServer(o, [&](const serve::ModelServer& server) {
    const auto models = server.Models();
    if (json) {
      core::Json list = core::Json::array();
      for (const auto& m : models) {
        list.push_back(
            {{"name", m.name}, {"version", m.version}, {"ref", m.ref}, {"source", m.source}});
      }
      PrintJson({{"url", server.url()}, {"port", server.port()}, {"models", list}});
    } else {
      std::string names;
      for (const auto& m : models) {
        names += (names.empty() ? "" : ", ") + m.name + "@" + m.version;
      }
      std::printf("serving %s on %s\n", names.c_str(), server.url().c_str());
      std::fflush(stdout);
    }
  });
}

Status RunServe(const CommandState& state, const ServeArgs& args) {
  if (args.tracking && !args.models.empty()) {
    return InvalidArgumentError("--tracking and --model: give one (two servers, two processes)");
  }
  if (!args.models.empty()) return RunModels(state, args);
  if (!args.tracking) {
    return InvalidArgumentError("nothing to serve: give --model REF (a model) or --tracking");
  }
  std::error_code ec;
  std::string cwd = std::filesystem::current_path(ec).string();
  if (ec) return InvalidArgumentError("cannot resolve the current folder: " + ec.message());
  MLPIPE_ASSIGN_OR_RETURN(auto loc,
                          store::LocateProject(cwd, state.global.project, state.global.store));
  serve::TrackingServerOptions o;
  o.host = args.host;
  o.port = args.port < 0 ? 5000 : args.port;
  o.threads = args.threads;
  o.store_uri = loc.meta_uri;
  o.objects_dir = loc.objects_dir;
  o.read_only = args.read_only;
  if (args.max_connections < 1)
    return InvalidArgumentError("--max-connections " + std::to_string(args.max_connections) +
                                ": expected at least 1");
  o.max_connections = static_cast<size_t>(args.max_connections);
  o.idle_timeout_s = args.idle_timeout_s;
  o.body_timeout_s = args.body_timeout_s;
  MLPIPE_ASSIGN_OR_RETURN(o.token, serve::LoadApiToken(args.token_file));
  const bool json = state.global.json;
  return serve::RunTrackingServer(o, [&](const serve::TrackingServer& server) {
    if (json) {
      PrintJson({{"url", server.url()},
                 {"port", server.port()},
                 {"store", o.store_uri},
                 {"objects", o.objects_dir},
                 {"read_only", o.read_only}});
    } else {
      std::printf("tracking API on %s (%s)%s\n", server.url().c_str(), o.store_uri.c_str(),
                  o.read_only ? ", read-only" : "");
      std::fflush(stdout);
    }
  });
}

}  // namespace

void AddServeCommand(CLI::App& parent, CommandState& state) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = parent.add_subcommand(
      "serve",
      "Serve models over HTTP (--model REF: Open Inference Protocol v2, KServe v1, MLflow "
      "scoring; docs/serve.md) or the tracking store (--tracking)");
  cmd->add_option("--model", args->models,
                  "A model to serve: a bundle file or MODEL@VERSION|ALIAS (repeatable)");
  cmd->add_option("--max-body", args->max_body,
                  "Largest request body in bytes with --model; larger gets 413 (default 1 MiB)");
  cmd->add_option("--feedback", args->feedback,
                  "Folder where ground-truth feedback is appended (feedback.jsonl)");
  cmd->add_option("--reload-interval", args->reload_interval_s,
                  "Seconds between checks of the registry for a moved alias (0: no hot "
                  "reload; default 5)");
  cmd->add_flag("--tracking", args->tracking,
                "Serve the project's metadata and object stores as the tracking API "
                "(clients: --store http://HOST:PORT)");
  cmd->add_option("--host", args->host, "Address to bind");
  cmd->add_option(
      "--port", args->port,
      "Port to listen on (0: any free port, printed; default 8080 with --model, 5000 with "
      "--tracking)");
  cmd->add_option("--token-file", args->token_file,
                  "File whose first line is the API token that writes (--tracking) or model "
                  "management (--model) must present (default: $MLPIPE_API_TOKEN)");
  cmd->add_flag("--read-only", args->read_only, "Refuse every write; no token needed");
  cmd->add_option("--threads", args->threads, "I/O threads (each with its store connection)");
  cmd->add_option("--max-connections", args->max_connections,
                  "Open connections at most; when full, the longest-idle one is closed, or a "
                  "new one gets 503 (default 64)");
  cmd->add_option("--idle-timeout", args->idle_timeout_s,
                  "Seconds a connection may wait before sending a request's header (default 10)");
  cmd->add_option("--body-timeout", args->body_timeout_s,
                  "Seconds to receive a request's whole body (default 60)");
  cmd->callback([&state, args] { RunCommand(state, [&] { return RunServe(state, *args); }); });
}

}  // namespace mlpipe::cli
