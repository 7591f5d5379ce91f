// ObjectStore: immutable, content-addressed blobs under `<root>/ab/cdef…`
// (the SHA-256 of the content, hex, split after two characters).
//
// Writes go to a temporary name in the same folder, are flushed and renamed,
// so an object either exists whole or not at all; a process killed mid-write
// leaves at most a `*.tmp*` file that Gc removes. Every read verifies the hash
// and fails with kDataLoss, naming the object, when the bytes do not match.
//
// Thread and process safety: any number of readers and writers at once;
// putting the same content twice is a no-op the second time.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"

namespace mlpipe::store {

struct PutResult {
  std::string hash;  // hex SHA-256
  uint64_t size = 0;
  bool existed = false;  // the same content was already stored
};

struct GcResult {
  uint64_t objects_removed = 0;
  uint64_t bytes_freed = 0;
  uint64_t objects_kept = 0;
  std::vector<std::string> removed;  // hashes (or temp file names) removed, or that would be
};

class ObjectStore {
 public:
  // `root` is the objects folder, e.g. `.mlpipe/objects`; created on first put.
  ObjectStore(core::Env* env, std::string root);

  Result<PutResult> PutBytes(std::string_view data);
  // Streams the file through SHA-256 and copies it in; never holds it whole in memory.
  Result<PutResult> PutFile(const std::string& path);

  bool Contains(const std::string& hash) const;
  // Reads and verifies the whole object.
  Result<std::string> Get(const std::string& hash) const;
  // Copies a verified object to `path` atomically (restores exact bytes).
  Status CopyTo(const std::string& hash, const std::string& path) const;
  // Re-hashes the object; kDataLoss if it does not match, kNotFound if absent.
  Status Verify(const std::string& hash) const;
  Result<uint64_t> Size(const std::string& hash) const;
  // Every stored hash.
  Result<std::vector<std::string>> List() const;
  std::string PathOf(const std::string& hash) const;

  // Removes every object not in `referenced`, and leftover temporary files
  // older than `grace_micros` (a writer may still be finishing them). Objects
  // younger than the grace period are kept too: a writer stores the object
  // before it records the reference. With dry_run nothing is removed.
  Result<GcResult> Gc(const std::set<std::string>& referenced, bool dry_run,
                      int64_t grace_micros = 3600LL * 1000000) const;

 private:
  core::Env* env_;
  std::string root_;
};

// True when `s` is 64 lowercase hex characters.
bool IsSha256Hex(std::string_view s);

}  // namespace mlpipe::store
