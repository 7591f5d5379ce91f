// `mlpipe serve --tracking`: the project's metadata store (and its object
// store) over HTTP for other machines (`--store http://HOST:PORT`). Model
// serving (`serve --model REF`) comes with a later issue.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "cli_common.h"
#include "cli_store.h"
#include "mlpipe/serve/tracking_api.h"
#include "mlpipe/store/project.h"

namespace mlpipe::cli {
namespace {

struct ServeArgs {
  bool tracking = false;
  std::string host = "127.0.0.1";
  int port = 5000;
  std::string token_file;
  bool read_only = false;
  int threads = 4;
  int max_connections = 64;
  int idle_timeout_s = 10;
  int body_timeout_s = 60;
};

Status RunServe(const CommandState& state, const ServeArgs& args) {
  if (!args.tracking) {
    return InvalidArgumentError("model serving is not available yet; use --tracking");
  }
  std::error_code ec;
  std::string cwd = std::filesystem::current_path(ec).string();
  if (ec) return InvalidArgumentError("cannot resolve the current folder: " + ec.message());
  MLPIPE_ASSIGN_OR_RETURN(auto loc,
                          store::LocateProject(cwd, state.global.project, state.global.store));
  serve::TrackingServerOptions o;
  o.host = args.host;
  o.port = args.port;
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
      "serve", "Serve the tracking store over HTTP (--tracking); model serving comes later");
  cmd->add_flag("--tracking", args->tracking,
                "Serve the project's metadata and object stores as the tracking API "
                "(clients: --store http://HOST:PORT)");
  cmd->add_option("--host", args->host, "Address to bind");
  cmd->add_option("--port", args->port, "Port to listen on (0: any free port, printed)");
  cmd->add_option("--token-file", args->token_file,
                  "File whose first line is the API token writes must present "
                  "(default: $MLPIPE_API_TOKEN)");
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
