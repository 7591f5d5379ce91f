// The tracking server's uploads in progress: an object too large for one
// request arrives in parts (POST /api/v1/uploads, PUT /api/v1/uploads/ID
// ?offset=N per part, POST /api/v1/uploads/ID/commit {hash}). Each upload is
// a StagedObject in the server's object store; parts must arrive in order
// (the offset says where the sender thinks it is, and a mismatch is refused
// rather than guessed at); commit verifies the hash before the object
// appears. An upload untouched for an hour is dropped, with its bytes.
//
// Thread safety: all methods may be called concurrently; parts of one upload
// are applied one at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"
#include "mlpipe/store/object_store.h"

namespace mlpipe::serve {

class ObjectUploads {
 public:
  ObjectUploads(core::Env* env, store::ObjectStore* objects,
                int64_t idle_limit_us = int64_t{3600} * 1000000)
      : env_(env), objects_(objects), idle_limit_us_(idle_limit_us) {}

  // A new upload's id (32 hex characters).
  Result<std::string> Begin();
  // kNotFound for an unknown (or dropped) id; kFailedPrecondition when
  // `offset` is not the number of bytes received so far.
  Status Append(const std::string& id, uint64_t offset, std::string_view bytes);
  // Ends the upload either way; kInvalidArgument when the bytes do not hash
  // to `hash` (nothing stored).
  Result<store::PutResult> Commit(const std::string& id, const std::string& hash);

 private:
  struct Upload {
    std::mutex mu;
    std::unique_ptr<store::StagedObject> staged;
    int64_t touched_us = 0;
  };
  Result<std::shared_ptr<Upload>> Find(const std::string& id);

  core::Env* env_;
  store::ObjectStore* objects_;
  const int64_t idle_limit_us_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Upload>> uploads_;
};

}  // namespace mlpipe::serve
