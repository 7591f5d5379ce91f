// ReadBundleRef: a bundle file or a registry version's bundle (ref.h).
#include "mlpipe/bundle/ref.h"

#include <fmt/format.h>

namespace mlpipe::bundle {

bool IsRegistryRef(core::Env* env, const std::string& ref) {
  return ref.find('@') != std::string::npos && !env->FileExists(ref);
}

Result<BundleSource> ReadBundleRef(core::Env* env, const std::string& ref,
                                   store::MetadataStore* meta, const store::ObjectStore* objects) {
  if (!IsRegistryRef(env, ref)) {
    MLPIPE_ASSIGN_OR_RETURN(std::string bytes, env->ReadFile(ref));
    return BundleSource{std::move(bytes), ref};
  }
  if (meta == nullptr || objects == nullptr) {
    return FailedPreconditionError(ref + ": a registry reference needs a project's stores");
  }
  MLPIPE_ASSIGN_OR_RETURN(store::VersionRef vr, store::ParseVersionRef(ref, true));
  MLPIPE_ASSIGN_OR_RETURN(store::ModelVersion v, meta->ResolveModel(vr));
  if (v.bundle_hash.empty()) {
    return FailedPreconditionError(fmt::format("{}@{} has no bundle", v.model, v.version));
  }
  auto bytes = objects->Get(v.bundle_hash);
  if (!bytes.ok()) return bytes.status().WithContext(fmt::format("{}@{}", v.model, v.version));
  return BundleSource{std::move(*bytes), fmt::format("{}@{} (bundle {})", v.model, v.version,
                                                     v.bundle_hash.substr(0, 12))};
}

}  // namespace mlpipe::bundle
