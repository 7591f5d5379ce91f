// The models a model server hosts. A ServedModel is one name clients address
// (/v2/models/{name}) with the REF it was started from and the bundle it
// serves now: an immutable LoadedModel behind a shared_ptr that is swapped
// atomically. A request takes the current pointer once and scores with it,
// so a swap (reload, load) never changes the model under a request in
// flight; the old Predictor is freed when its last request finishes. A
// second arm (a challenger) is another ServedModel beside it.
//
// BundleLoader reads a REF (bundle file or MODEL@VERSION|ALIAS) into a
// verified LoadedModel: every checksum (DecodeBundle) and the golden rows
// (Predictor::VerifyGolden) must pass.
//
// Thread safety: ServedModel's methods may be called concurrently;
// BundleLoader serialises its use of the project's stores.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "mlpipe/bundle/predictor.h"
#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"
#include "mlpipe/store/project.h"

namespace mlpipe::serve {

struct LoadedModel {
  std::shared_ptr<const bundle::Predictor> predictor;
  std::string name;     // registry model name, or the bundle file's stem
  std::string version;  // registry version ("3"), or the bundle's SHA-256, first 12 digits
  std::string sha256;   // of the bundle file
  std::string source;   // how messages name it: "credit-risk@3 (bundle 3fa1c2…)" or the path
  double load_seconds = 0;
  int64_t generation = 0;  // 1 for the first bundle this name served, then +1 per swap
};

class BundleLoader {
 public:
  // `project`: where registry refs are resolved; nullopt when every REF is a file.
  BundleLoader(core::Env* env, std::optional<store::ProjectLocation> project);

  // True for MODEL@VERSION|ALIAS (what can move), false for a bundle file.
  bool IsRegistryRef(const std::string& ref) const;
  // For a registry ref, the version it resolves to now (a cheap metadata
  // read, for polling); NotFound / FailedPrecondition as ReadBundleRef.
  Result<std::string> ResolveVersion(const std::string& ref);
  // Reads, decodes, builds and verifies the bundle `ref` names.
  // FailedPrecondition naming the golden row when a prediction differs.
  Result<std::shared_ptr<LoadedModel>> Load(const std::string& ref);

 private:
  Status OpenStores();
  core::Env* env_;
  std::optional<store::ProjectLocation> project_;
  std::mutex mu_;  // guards stores_ (a store connection is not shared across threads)
  std::optional<store::ProjectStores> stores_;
};

class ServedModel {
 public:
  ServedModel(std::string name, std::string ref) : name_(std::move(name)), ref_(std::move(ref)) {}
  const std::string& name() const { return name_; }
  const std::string& ref() const { return ref_; }

  // The bundle served now; nullptr when unloaded.
  std::shared_ptr<const LoadedModel> Current() const {
    std::lock_guard<std::mutex> lock(mu_);
    return current_;
  }
  // Makes `next` the served bundle (its generation set to the previous one's + 1);
  // nullptr unloads. Returns the generation now served (0 when unloaded).
  int64_t Swap(std::shared_ptr<LoadedModel> next) {
    std::lock_guard<std::mutex> lock(mu_);
    if (next) next->generation = ++generations_;
    current_ = std::move(next);
    return current_ ? current_->generation : 0;
  }

 private:
  const std::string name_;
  const std::string ref_;
  mutable std::mutex mu_;
  std::shared_ptr<const LoadedModel> current_;
  int64_t generations_ = 0;
};

}  // namespace mlpipe::serve
