// ObjectStore: immutable, content-addressed blobs under `<root>/ab/cdef…`
// (the SHA-256 of the content, hex, split after two characters).
//
// Writes go to a temporary name (`*.tmp*`) under the root — in the object's
// folder for PutBytes, in the root itself for PutFile, whose hash is known
// only at the end — are flushed and renamed, so an object either exists
// whole or not at all; a process killed mid-write leaves at most a temporary
// file that Gc removes. Every read verifies the hash and fails with
// kDataLoss, naming the object and its path, when the bytes do not match
// (modified or truncated). A put whose object exists with another size (a
// truncated copy) replaces it.
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
  // Hashes (and temp file paths relative to the root) removed, or that would
  // be, in listing order.
  std::vector<std::string> removed;
};

class ObjectStore {
 public:
  // `root` is the objects folder, e.g. `.mlpipe/objects`; created on first put.
  ObjectStore(core::Env* env, std::string root);

  Result<PutResult> PutBytes(std::string_view data);
  // Streams the file through SHA-256 and copies it in, in one read pass (large
  // files hash on a second thread while this one writes); never holds it
  // whole in memory.
  Result<PutResult> PutFile(const std::string& path);

  bool Contains(const std::string& hash) const;
  // Reads and verifies the whole object. Malformed hashes are kInvalidArgument,
  // absent objects kNotFound (for every method taking a hash).
  Result<std::string> Get(const std::string& hash) const;
  // Copies a verified object to `path` atomically (restores exact bytes).
  Status CopyTo(const std::string& hash, const std::string& path) const;
  // Re-hashes the object; kDataLoss if it does not match, kNotFound if absent.
  Status Verify(const std::string& hash) const;
  Result<uint64_t> Size(const std::string& hash) const;
  // Every stored hash, sorted; empty when the root does not exist yet.
  Result<std::vector<std::string>> List() const;
  // `<root>/ab/cdef…`; does not check that the object exists.
  std::string PathOf(const std::string& hash) const;

  // Removes every object not in `referenced`, and leftover temporary files
  // older than `grace_micros` (a writer may still be finishing them). Objects
  // younger than the grace period are kept too: a writer stores the object
  // before it records the reference. With dry_run nothing is removed and the
  // result says what would be. Ages are file modification times against
  // Env::NowMicros(). Files that are neither objects nor temporary files are
  // left alone; objects_removed counts objects only, while bytes_freed and
  // `removed` include temporary files.
  Result<GcResult> Gc(const std::set<std::string>& referenced, bool dry_run,
                      int64_t grace_micros = 3600LL * 1000000) const;

 private:
  core::Env* env_;
  std::string root_;
};

// True when `s` is 64 lowercase hex characters.
bool IsSha256Hex(std::string_view s);

}  // namespace mlpipe::store
