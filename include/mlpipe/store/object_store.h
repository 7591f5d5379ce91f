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
// A store may have a remote (ObjectRemote: the tracking server's objects
// when the metadata lives behind `--store http://`). Then every put is also
// pushed to the remote before it returns, and an object that is not here is
// fetched from the remote, verified and kept here: the local folder becomes a
// cache of the remote. List and Gc see the local folder only.
//
// Thread and process safety: any number of readers and writers at once;
// putting the same content twice is a no-op the second time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/core/sha256.h"
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

// An object written piece by piece (a transfer from another store): the
// bytes go to a temporary file in the store's root while they are hashed, and
// become an object only when Commit finds they hash to the expected hash.
// Destroyed uncommitted, it removes its temporary file. Not thread-safe.
class StagedObject {
 public:
  ~StagedObject();
  StagedObject(const StagedObject&) = delete;
  StagedObject& operator=(const StagedObject&) = delete;

  Status Append(std::string_view bytes);
  uint64_t size() const { return size_; }
  // Syncs and moves the bytes into place. kInvalidArgument naming both hashes
  // (and nothing stored) when they hash to something else.
  Result<PutResult> Commit(const std::string& expected_hash);

 private:
  friend class ObjectStore;
  StagedObject(const class ObjectStore* store, std::string tmp_path,
               std::unique_ptr<core::WritableFile> out);

  const class ObjectStore* store_;
  std::string tmp_path_;
  std::unique_ptr<core::WritableFile> out_;
  core::Sha256 hasher_;
  uint64_t size_ = 0;
  bool done_ = false;
};

// Where a store's objects also live (see the top of this file). Errors name
// the remote. Implementations are thread-safe.
class ObjectRemote {
 public:
  virtual ~ObjectRemote() = default;
  // E.g. "tracking server http://HOST:PORT".
  virtual std::string Describe() const = 0;
  // The object's size there; kNotFound when it is not there.
  virtual Result<uint64_t> Size(const std::string& hash) = 0;
  // Sends the `size` bytes read from `in` (hashing to `hash`).
  virtual Status Push(const std::string& hash, core::SequentialFile& in, uint64_t size) = 0;
  // Appends the object's bytes to `into` (the caller commits it); kNotFound
  // when it is not there.
  virtual Status Fetch(const std::string& hash, StagedObject& into) = 0;
};

class ObjectStore {
 public:
  // `root` is the objects folder, e.g. `.mlpipe/objects`; created on first put.
  ObjectStore(core::Env* env, std::string root);

  // The Env the objects are read and written through.
  core::Env* env() const { return env_; }

  // From now on, puts are pushed to `remote` and missing objects fetched
  // from it (REQUIRES: called before the store is shared between threads).
  void SetRemote(std::shared_ptr<ObjectRemote> remote) { remote_ = std::move(remote); }
  bool has_remote() const { return remote_ != nullptr; }

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
  // `length` bytes from `offset` (fewer at the end), local only and not
  // verified: for serving an object in pieces whose reader verifies the whole.
  Result<std::string> ReadRange(const std::string& hash, uint64_t offset, uint64_t length) const;
  // A new object to be written in pieces (see StagedObject).
  Result<std::unique_ptr<StagedObject>> BeginStaged() const;

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
  friend class StagedObject;
  // Pushes a stored object to the remote unless it is there already.
  Status PushToRemote(const PutResult& put) const;
  // Ends a put written to `tmp` through `out` (r->hash and r->size set):
  // unless `status` is an error or the object exists, syncs and renames it
  // into place; otherwise removes `tmp`. Sets r->existed.
  Status Install(std::unique_ptr<core::WritableFile> out, const std::string& tmp, Status status,
                 PutResult* r) const;
  // With a remote: fetches an object absent here (no-op when present).
  Status FetchIfMissing(const std::string& hash) const;

  core::Env* env_;
  std::string root_;
  std::shared_ptr<ObjectRemote> remote_;
};

// The objects of the tracking server at `url` (http://HOST:PORT, `mlpipe
// serve --tracking`); writes carry $MLPIPE_API_TOKEN. Objects larger than
// `part_bytes` travel in parts of that size (the server's request body limit
// is 64 MiB by default).
Result<std::shared_ptr<ObjectRemote>> OpenHttpObjectRemote(const std::string& url,
                                                           uint64_t part_bytes = uint64_t{16}
                                                                                 << 20);

// True when `s` is 64 lowercase hex characters.
bool IsSha256Hex(std::string_view s);

}  // namespace mlpipe::store
