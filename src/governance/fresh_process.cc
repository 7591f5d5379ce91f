// The fresh-process integration check (fresh_process.h).
#include "mlpipe/governance/fresh_process.h"

#include <utility>

#include <fmt/format.h>

#include "mlpipe/core/process.h"

namespace mlpipe::governance {

IntegrationCheck FreshProcessCheck(core::Env* env, store::ObjectStore* objects,
                                   std::vector<std::string> verify_command) {
  return [env, objects, command = std::move(verify_command)](
             const store::ModelVersion& v) -> Result<std::string> {
    if (command.empty()) return InvalidArgumentError("integration check: no verify command");
    MLPIPE_ASSIGN_OR_RETURN(std::string dir, env->NewTempDir("mlpipe-gate"));
    const std::string bundle = core::JoinPath(dir, "bundle.mlpb");
    Result<int> code = [&]() -> Result<int> {
      MLPIPE_RETURN_IF_ERROR(objects->CopyTo(v.bundle_hash, bundle));
      std::vector<std::string> argv = command;
      argv.push_back(bundle);
      return core::RunProcess(argv);
    }();
    // Clean-up failures are not the bundle's fault; a leftover folder in the
    // temporary area is harmless.
    if (env->FileExists(bundle)) (void)env->DeleteFile(bundle);
    (void)env->DeleteDir(dir);
    if (!code.ok()) return code.status();
    const std::string short_hash = v.bundle_hash.substr(0, 12);
    if (*code != 0) {
      return DataLossError(
          fmt::format("bundle {} failed `mlpipe bundle verify` in a fresh process (exit {})",
                      short_hash, *code));
    }
    return fmt::format("bundle {} loads in a fresh process and reproduces its golden predictions",
                       short_hash);
  };
}

Result<std::vector<std::string>> SelfBundleVerifyCommand() {
  MLPIPE_ASSIGN_OR_RETURN(std::string self, core::SelfExecutablePath());
  return std::vector<std::string>{std::move(self), "-q", "bundle", "verify"};
}

IntegrationCheck FreshProcessCheck(core::Env* env, store::ObjectStore* objects) {
  Result<std::vector<std::string>> command = SelfBundleVerifyCommand();
  if (!command.ok()) {
    return [status = command.status()](const store::ModelVersion&) -> Result<std::string> {
      return status;
    };
  }
  return FreshProcessCheck(env, objects, std::move(command).value());
}

}  // namespace mlpipe::governance
