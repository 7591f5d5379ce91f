// The integration gate's check (promotion.h, IntegrationCheck): a model
// version's bundle, copied out of the object store (verified on the way),
// must pass a verification command run as a fresh process. The command line,
// the server and the pipeline all give `mlpipe -q bundle verify`, so a bundle
// that passes loads and reproduces its golden rows in a process that shares
// nothing with the one that built it.
#pragma once

#include <string>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/governance/promotion.h"
#include "mlpipe/store/object_store.h"

namespace mlpipe::governance {

// The check: for a version, copies its bundle into a new temporary folder of
// `env` (Env::NewTempDir) as bundle.mlpb, runs `verify_command` with that
// path appended as one more argument (no shell: core::RunProcess), and removes
// the folder. Exit 0 is the evidence "bundle HASH loads in a fresh process and
// reproduces its golden predictions"; another exit status is kDataLoss naming
// it; a bundle that cannot be copied out, or a command that cannot start, is
// that error. `objects` must outlive the check.
IntegrationCheck FreshProcessCheck(core::Env* env, store::ObjectStore* objects,
                                   std::vector<std::string> verify_command);

// {the running executable, "-q", "bundle", "verify"}: the verification command
// of an `mlpipe` process (the CLI and the server).
Result<std::vector<std::string>> SelfBundleVerifyCommand();

// FreshProcessCheck with SelfBundleVerifyCommand(); when the executable's path
// cannot be read, each check returns that error (the gate fails, naming it).
IntegrationCheck FreshProcessCheck(core::Env* env, store::ObjectStore* objects);

}  // namespace mlpipe::governance
