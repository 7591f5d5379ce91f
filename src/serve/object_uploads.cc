// Uploads in parts: see object_uploads.h.
#include "object_uploads.h"

#include <cstdio>
#include <utility>
#include <vector>

namespace mlpipe::serve {

Result<std::string> ObjectUploads::Begin() {
  MLPIPE_ASSIGN_OR_RETURN(std::unique_ptr<store::StagedObject> staged, objects_->BeginStaged());
  char id[33];
  std::snprintf(id, sizeof(id), "%016llx%016llx", static_cast<unsigned long long>(env_->NewSeed()),
                static_cast<unsigned long long>(env_->NewSeed()));
  auto upload = std::make_shared<Upload>();
  upload->staged = std::move(staged);
  const int64_t now = env_->NowMicros();
  upload->touched_us = now;
  std::vector<std::shared_ptr<Upload>> dropped;  // destroyed outside the lock
  std::lock_guard<std::mutex> l(mu_);
  for (auto it = uploads_.begin(); it != uploads_.end();) {
    std::unique_lock<std::mutex> ul(it->second->mu, std::try_to_lock);
    if (ul.owns_lock() && now - it->second->touched_us > idle_limit_us_) {
      ul.unlock();
      dropped.push_back(std::move(it->second));
      it = uploads_.erase(it);
    } else {
      ++it;
    }
  }
  uploads_.emplace(id, std::move(upload));
  return std::string(id);
}

Result<std::shared_ptr<ObjectUploads::Upload>> ObjectUploads::Find(const std::string& id) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = uploads_.find(id);
  if (it == uploads_.end()) {
    return NotFoundError("upload '" + id +
                         "' is not in progress (unknown, committed, or dropped after an hour "
                         "without parts); start a new one");
  }
  return it->second;
}

Status ObjectUploads::Append(const std::string& id, uint64_t offset, std::string_view bytes) {
  MLPIPE_ASSIGN_OR_RETURN(std::shared_ptr<Upload> u, Find(id));
  std::lock_guard<std::mutex> l(u->mu);
  if (u->staged == nullptr) return NotFoundError("upload '" + id + "' has been committed");
  if (offset != u->staged->size()) {
    return FailedPreconditionError("upload '" + id + "' has " + std::to_string(u->staged->size()) +
                                   " bytes; a part at offset " + std::to_string(offset) +
                                   " does not follow them");
  }
  u->touched_us = env_->NowMicros();
  return u->staged->Append(bytes);
}

Result<store::PutResult> ObjectUploads::Commit(const std::string& id, const std::string& hash) {
  MLPIPE_ASSIGN_OR_RETURN(std::shared_ptr<Upload> u, Find(id));
  std::unique_ptr<store::StagedObject> staged;
  {
    std::lock_guard<std::mutex> l(u->mu);
    staged = std::move(u->staged);
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    uploads_.erase(id);
  }
  if (staged == nullptr) return NotFoundError("upload '" + id + "' has been committed");
  return staged->Commit(hash);
}

}  // namespace mlpipe::serve
