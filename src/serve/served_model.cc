// BundleLoader (served_model.h).
#include "served_model.h"

#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "mlpipe/bundle/bundle.h"
#include "mlpipe/bundle/ref.h"
#include "mlpipe/store/metadata_store.h"

namespace mlpipe::serve {

BundleLoader::BundleLoader(core::Env* env, std::optional<store::ProjectLocation> project)
    : env_(env), project_(std::move(project)) {}

bool BundleLoader::IsRegistryRef(const std::string& ref) const {
  return bundle::IsRegistryRef(env_, ref);
}

Status BundleLoader::OpenStores() {
  if (stores_) return Status::OK();
  if (!project_) {
    return FailedPreconditionError("a registry reference needs a project (--project or --store)");
  }
  MLPIPE_ASSIGN_OR_RETURN(stores_, store::OpenProjectStores(env_, *project_));
  return Status::OK();
}

Result<std::string> BundleLoader::ResolveVersion(const std::string& ref) {
  std::lock_guard<std::mutex> lock(mu_);
  MLPIPE_RETURN_IF_ERROR(OpenStores());
  MLPIPE_ASSIGN_OR_RETURN(store::VersionRef vr, store::ParseVersionRef(ref, true));
  MLPIPE_ASSIGN_OR_RETURN(store::ModelVersion v, stores_->meta->ResolveModel(vr));
  return std::to_string(v.version);
}

Result<std::shared_ptr<LoadedModel>> BundleLoader::Load(const std::string& ref) {
  const auto t0 = std::chrono::steady_clock::now();
  auto model = std::make_shared<LoadedModel>();
  std::string bytes;
  if (IsRegistryRef(ref)) {
    std::lock_guard<std::mutex> lock(mu_);
    MLPIPE_RETURN_IF_ERROR(OpenStores());
    MLPIPE_ASSIGN_OR_RETURN(store::VersionRef vr, store::ParseVersionRef(ref, true));
    MLPIPE_ASSIGN_OR_RETURN(store::ModelVersion v, stores_->meta->ResolveModel(vr));
    if (v.bundle_hash.empty()) {
      return FailedPreconditionError(fmt::format("{}@{} has no bundle", v.model, v.version));
    }
    auto got = stores_->objects->Get(v.bundle_hash);
    if (!got.ok()) return got.status().WithContext(fmt::format("{}@{}", v.model, v.version));
    bytes = std::move(*got);
    model->name = v.model;
    model->version = std::to_string(v.version);
    model->source =
        fmt::format("{}@{} (bundle {})", v.model, v.version, v.bundle_hash.substr(0, 12));
  } else {
    MLPIPE_ASSIGN_OR_RETURN(bytes, env_->ReadFile(ref));
    model->name = std::filesystem::path(ref).stem().string();
    model->source = ref;
  }
  MLPIPE_ASSIGN_OR_RETURN(bundle::ModelBundle b, bundle::DecodeBundle(bytes, model->source));
  model->sha256 = b.sha256;
  if (model->version.empty()) model->version = b.sha256.substr(0, 12);
  auto p = bundle::Predictor::Create(std::move(b));
  if (!p.ok()) return p.status().WithContext(model->source);
  auto golden = (*p)->VerifyGolden();
  if (!golden.ok()) return golden.status().WithContext(model->source);
  if (!golden->ok()) {
    return FailedPreconditionError(fmt::format("{}: {} of {} golden rows differ; first: {}",
                                               model->source, golden->mismatches, golden->rows,
                                               golden->first_problem));
  }
  model->predictor = std::shared_ptr<const bundle::Predictor>(std::move(*p));
  model->load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return model;
}

}  // namespace mlpipe::serve
