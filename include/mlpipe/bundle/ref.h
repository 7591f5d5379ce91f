// Finding a bundle by REF (DESIGN.md): a bundle file path, MODEL@VERSION or
// MODEL@ALIAS in the project's registry (the version's bundle_hash read from
// the object store, which verifies it).
#pragma once

#include <string>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"
#include "mlpipe/store/metadata_store.h"
#include "mlpipe/store/object_store.h"

namespace mlpipe::bundle {

// True when `ref` names a registry version: it holds '@' and is not an
// existing file.
bool IsRegistryRef(core::Env* env, const std::string& ref);

struct BundleSource {
  std::string bytes;
  // How errors name it: the path, or "credit-risk@3 (bundle 3fa1c2…)".
  std::string name;
};

// Reads the bundle `ref` names. `meta` and `objects` are used only for a
// registry ref (FailedPrecondition when they are null then). NotFound for an
// unknown file, model, version or alias; FailedPrecondition for a version
// without a bundle.
Result<BundleSource> ReadBundleRef(core::Env* env, const std::string& ref,
                                   store::MetadataStore* meta, const store::ObjectStore* objects);

}  // namespace mlpipe::bundle
