// The content-addressed object store: puts stream through SHA-256 into a
// temporary file that is synced and renamed into place; reads re-hash.
#include "mlpipe/store/object_store.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "mlpipe/core/output.h"
#include "mlpipe/core/sha256.h"

namespace mlpipe::store {
namespace {

// Large pieces keep the per-call overhead of read/write/hash negligible.
constexpr size_t kChunkBytes = 4 << 20;
// Files smaller than this are hashed and written on the calling thread.
constexpr uint64_t kPipelineMinBytes = 16 << 20;
// Temporary files carry this in their name; Gc recognises them by it.
constexpr std::string_view kTmpMarker = ".tmp";

bool IsHexLower(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsTempName(std::string_view name) { return name.find(kTmpMarker) != std::string_view::npos; }

// A name no other writer (thread or process) picks at the same time.
std::string UniqueTempName(core::Env* env, std::string_view stem) {
  static std::atomic<uint64_t> counter{0};
  char buf[96];
  std::snprintf(buf, sizeof(buf), ".%d.%llu.%016llx", static_cast<int>(::getpid()),
                static_cast<unsigned long long>(counter.fetch_add(1)),
                static_cast<unsigned long long>(env->NewSeed()));
  std::string name(stem);
  name.append(kTmpMarker).append(buf);
  return name;
}

Status InvalidHash(const std::string& hash) {
  std::string msg = "object store: '";
  msg.append(hash).append("' is not a SHA-256 hash (64 lower-case hex characters)");
  return InvalidArgumentError(std::move(msg));
}

Status Mismatch(const std::string& hash, const std::string& path, const std::string& actual) {
  std::string msg = "object ";
  msg.append(hash)
      .append(" at ")
      .append(path)
      .append(" is corrupt: its content hashes to ")
      .append(actual)
      .append(" (the file was modified or truncated)");
  return DataLossError(std::move(msg));
}

Status Missing(const std::string& hash, const std::string& path) {
  std::string msg = "object ";
  msg.append(hash).append(" not found (expected at ").append(path).append(")");
  return NotFoundError(std::move(msg));
}

// Hashes a stream while writing it to `out`. For large inputs, hashing runs
// on a helper thread while this one reads and writes, so the put costs about
// as much as hashing alone; small inputs do both here.
class HashingCopier {
 public:
  HashingCopier(core::SequentialFile* in, core::WritableFile* out) : in_(in), out_(out) {}

  // Copies everything; returns the hex digest and sets *bytes.
  Result<std::string> Run(uint64_t size_hint, uint64_t* bytes) {
    if (size_hint < kPipelineMinBytes) return RunInline(bytes);
    return RunPipelined(bytes);
  }

 private:
  Result<std::string> RunInline(uint64_t* bytes) {
    std::unique_ptr<char[]> buf(new char[kChunkBytes]);
    core::Sha256 h;
    uint64_t total = 0;
    while (true) {
      MLPIPE_ASSIGN_OR_RETURN(size_t n, in_->Read(buf.get(), kChunkBytes));
      if (n == 0) break;
      std::string_view piece(buf.get(), n);
      h.Update(piece);
      MLPIPE_RETURN_IF_ERROR(out_->Append(piece));
      total += n;
    }
    *bytes = total;
    return h.FinishHex();
  }

  // Three buffers rotate: this thread reads into one and writes it, then
  // hands it to the hasher; a buffer is reused only after it was hashed.
  Result<std::string> RunPipelined(uint64_t* bytes) {
    constexpr int kBuffers = 3;
    std::unique_ptr<char[]> bufs[kBuffers];
    for (auto& b : bufs) b.reset(new char[kChunkBytes]);
    struct Slot {
      size_t n = 0;
      bool full = false;  // written, waiting to be hashed
    };
    Slot slots[kBuffers];
    bool done = false;  // no more slots will be filled
    std::mutex mu;
    std::condition_variable cv;
    core::Sha256 h;

    std::thread hasher([&] {
      for (int i = 0;; i = (i + 1) % kBuffers) {
        size_t n;
        {
          std::unique_lock<std::mutex> l(mu);
          cv.wait(l, [&] { return slots[i].full || done; });
          if (!slots[i].full) return;
          n = slots[i].n;
        }
        h.Update(std::string_view(bufs[i].get(), n));
        {
          std::lock_guard<std::mutex> l(mu);
          slots[i].full = false;
        }
        cv.notify_all();
      }
    });

    Status status;
    uint64_t total = 0;
    for (int i = 0;; i = (i + 1) % kBuffers) {
      {
        std::unique_lock<std::mutex> l(mu);
        cv.wait(l, [&] { return !slots[i].full; });
      }
      Result<size_t> n = in_->Read(bufs[i].get(), kChunkBytes);
      if (!n.ok()) {
        status = n.status();
        break;
      }
      if (*n == 0) break;
      status = out_->Append(std::string_view(bufs[i].get(), *n));
      if (!status.ok()) break;
      total += *n;
      {
        std::lock_guard<std::mutex> l(mu);
        slots[i].n = *n;
        slots[i].full = true;
      }
      cv.notify_all();
    }
    {
      std::lock_guard<std::mutex> l(mu);
      done = true;
    }
    cv.notify_all();
    hasher.join();
    MLPIPE_RETURN_IF_ERROR(status);
    *bytes = total;
    return h.FinishHex();
  }

  core::SequentialFile* in_;
  core::WritableFile* out_;
};

}  // namespace

bool IsSha256Hex(std::string_view s) { return s.size() == 64 && IsHexLower(s); }

ObjectStore::ObjectStore(core::Env* env, std::string root) : env_(env), root_(std::move(root)) {}

std::string ObjectStore::PathOf(const std::string& hash) const {
  if (hash.size() < 3) return core::JoinPath(root_, hash);
  return core::JoinPath(core::JoinPath(root_, hash.substr(0, 2)), hash.substr(2));
}

bool ObjectStore::Contains(const std::string& hash) const {
  if (!IsSha256Hex(hash)) return false;
  if (env_->FileExists(PathOf(hash))) return true;
  return remote_ != nullptr && remote_->Size(hash).ok();
}

Status ObjectStore::PushToRemote(const PutResult& put) const {
  if (remote_ == nullptr) return Status::OK();
  Result<uint64_t> there = remote_->Size(put.hash);
  if (there.ok() && *there == put.size) return Status::OK();
  if (!there.ok() && there.status().code() != StatusCode::kNotFound) return there.status();
  MLPIPE_ASSIGN_OR_RETURN(auto in, env_->OpenSequential(PathOf(put.hash)));
  return remote_->Push(put.hash, *in, put.size)
      .WithContext("object " + put.hash + " to " + remote_->Describe());
}

Status ObjectStore::FetchIfMissing(const std::string& hash) const {
  if (remote_ == nullptr || !IsSha256Hex(hash) || env_->FileExists(PathOf(hash))) {
    return Status::OK();
  }
  MLPIPE_ASSIGN_OR_RETURN(std::unique_ptr<StagedObject> staged, BeginStaged());
  Status fetched = remote_->Fetch(hash, *staged);
  // Absent on both sides: the caller reports the local path, as without a remote.
  if (fetched.code() == StatusCode::kNotFound) return Status::OK();
  MLPIPE_RETURN_IF_ERROR(fetched);
  return staged->Commit(hash).status().WithContext("object " + hash + " from " +
                                                   remote_->Describe());
}

Result<std::unique_ptr<StagedObject>> ObjectStore::BeginStaged() const {
  MLPIPE_RETURN_IF_ERROR(env_->CreateDirs(root_));
  std::string tmp = core::JoinPath(root_, UniqueTempName(env_, "staged"));
  MLPIPE_ASSIGN_OR_RETURN(auto out, env_->NewWritableFile(tmp));
  return std::unique_ptr<StagedObject>(new StagedObject(this, std::move(tmp), std::move(out)));
}

Result<std::string> ObjectStore::ReadRange(const std::string& hash, uint64_t offset,
                                           uint64_t length) const {
  if (!IsSha256Hex(hash)) return InvalidHash(hash);
  std::string path = PathOf(hash);
  Result<std::unique_ptr<core::ReadOnlyRegion>> region = env_->MapFile(path);
  if (!region.ok()) {
    if (region.status().code() == StatusCode::kNotFound) return Missing(hash, path);
    return region.status();
  }
  const uint64_t size = (*region)->size();
  if (offset > size) {
    return OutOfRangeError("object " + hash + " has " + std::to_string(size) + " bytes; offset " +
                           std::to_string(offset) + " is past its end");
  }
  return std::string((*region)->data() + offset, std::min<uint64_t>(length, size - offset));
}

StagedObject::StagedObject(const ObjectStore* store, std::string tmp_path,
                           std::unique_ptr<core::WritableFile> out)
    : store_(store), tmp_path_(std::move(tmp_path)), out_(std::move(out)) {}

StagedObject::~StagedObject() {
  if (done_) return;
  if (out_ != nullptr) (void)out_->Close();
  (void)store_->env_->DeleteFile(tmp_path_);
}

Status StagedObject::Append(std::string_view bytes) {
  if (done_) return FailedPreconditionError("staged object " + tmp_path_ + ": already committed");
  MLPIPE_RETURN_IF_ERROR(out_->Append(bytes));
  hasher_.Update(bytes);
  size_ += bytes.size();
  return Status::OK();
}

Result<PutResult> StagedObject::Commit(const std::string& expected_hash) {
  if (done_) return FailedPreconditionError("staged object " + tmp_path_ + ": already committed");
  if (!IsSha256Hex(expected_hash)) return InvalidHash(expected_hash);
  done_ = true;
  PutResult r;
  r.hash = hasher_.FinishHex();
  r.size = size_;
  Status status;
  if (r.hash != expected_hash) {
    status = InvalidArgumentError("the " + std::to_string(size_) + " bytes received hash to " +
                                  r.hash + ", not " + expected_hash + "; nothing stored");
  }
  status = store_->Install(std::move(out_), tmp_path_, status, &r);
  if (!status.ok()) return status;
  return r;
}

Result<PutResult> ObjectStore::PutBytes(std::string_view data) {
  PutResult r;
  r.hash = core::Sha256Hex(data);
  r.size = data.size();
  std::string path = PathOf(r.hash);
  Result<uint64_t> existing = env_->FileSize(path);
  if (existing.ok() && *existing == r.size) {
    r.existed = true;
  } else {
    // Absent (or a damaged copy of another size, which this put repairs).
    MLPIPE_RETURN_IF_ERROR(env_->CreateDirs(core::DirName(path)));
    MLPIPE_RETURN_IF_ERROR(env_->WriteFileAtomic(path, data));
  }
  MLPIPE_RETURN_IF_ERROR(PushToRemote(r));
  return r;
}

Result<PutResult> ObjectStore::PutFile(const std::string& path) {
  // The digest is known only at the end, so the temporary file lives in the
  // root (same filesystem as every object folder) and is renamed across.
  MLPIPE_RETURN_IF_ERROR(env_->CreateDirs(root_));
  MLPIPE_ASSIGN_OR_RETURN(auto in, env_->OpenSequential(path));
  uint64_t size_hint = 0;
  if (Result<uint64_t> s = env_->FileSize(path); s.ok()) size_hint = *s;
  std::string tmp = core::JoinPath(root_, UniqueTempName(env_, "put"));
  MLPIPE_ASSIGN_OR_RETURN(auto out, env_->NewWritableFile(tmp));

  PutResult r;
  Status status;
  {
    HashingCopier copier(in.get(), out.get());
    Result<std::string> hash = copier.Run(size_hint, &r.size);
    if (hash.ok()) {
      r.hash = *std::move(hash);
    } else {
      status = hash.status();
    }
  }
  MLPIPE_RETURN_IF_ERROR(Install(std::move(out), tmp, status, &r));
  MLPIPE_RETURN_IF_ERROR(PushToRemote(r));
  return r;
}

Status ObjectStore::Install(std::unique_ptr<core::WritableFile> out, const std::string& tmp,
                            Status status, PutResult* r) const {
  std::string target;
  if (status.ok()) {
    target = PathOf(r->hash);
    Result<uint64_t> existing = env_->FileSize(target);
    // Already stored: drop the copy without paying for its fsync.
    r->existed = existing.ok() && *existing == r->size;
    if (!r->existed) status = out->Sync();
  }
  if (Status c = out->Close(); status.ok()) status = c;
  out.reset();
  if (status.ok() && !r->existed) {
    status = env_->CreateDirs(core::DirName(target));
    if (status.ok()) status = env_->RenameFile(tmp, target);
    if (status.ok()) return status;
  }
  (void)env_->DeleteFile(tmp);
  return status;
}

Result<std::string> ObjectStore::Get(const std::string& hash) const {
  if (!IsSha256Hex(hash)) return InvalidHash(hash);
  MLPIPE_RETURN_IF_ERROR(FetchIfMissing(hash));
  std::string path = PathOf(hash);
  Result<std::string> data = env_->ReadFile(path);
  if (!data.ok()) {
    if (data.status().code() == StatusCode::kNotFound) return Missing(hash, path);
    return data.status();
  }
  std::string actual = core::Sha256Hex(*data);
  if (actual != hash) return Mismatch(hash, path, actual);
  return data;
}

Status ObjectStore::CopyTo(const std::string& hash, const std::string& path) const {
  if (!IsSha256Hex(hash)) return InvalidHash(hash);
  MLPIPE_RETURN_IF_ERROR(FetchIfMissing(hash));
  std::string src = PathOf(hash);
  Result<std::unique_ptr<core::SequentialFile>> in = env_->OpenSequential(src);
  if (!in.ok()) {
    if (in.status().code() == StatusCode::kNotFound) return Missing(hash, src);
    return in.status();
  }
  uint64_t size_hint = 0;
  if (Result<uint64_t> s = env_->FileSize(src); s.ok()) size_hint = *s;
  // "-": streamed to standard output (a damaged object is still reported).
  const bool to_stdout = core::IsStandardOutput(path);
  std::string dir = core::DirName(path);
  std::string stem = ".";
  stem.append(core::BaseName(path));
  std::string tmp = to_stdout ? std::string() : core::JoinPath(dir, UniqueTempName(env_, stem));
  std::unique_ptr<core::WritableFile> out;
  if (to_stdout) {
    out = core::NewStandardOutputFile();
  } else {
    Result<std::unique_ptr<core::WritableFile>> created = env_->NewWritableFile(tmp);
    if (!created.ok()) {
      // The user named `path`, not the temporary beside it.
      if (dir.empty() || env_->IsDirectory(dir)) {
        return Status(created.status().code(), path + ": cannot create the file");
      }
      return NotFoundError(path + ": cannot write: the folder '" + dir + "' does not exist");
    }
    out = std::move(*created);
  }
  Status status;
  {
    uint64_t bytes = 0;
    HashingCopier copier(in->get(), out.get());
    Result<std::string> actual = copier.Run(size_hint, &bytes);
    if (!actual.ok()) {
      status = actual.status();
    } else if (*actual != hash) {
      status = Mismatch(hash, src, *actual);
    } else {
      status = out->Sync();
    }
  }
  if (Status c = out->Close(); status.ok()) status = c;
  out.reset();
  if (to_stdout) return status;
  if (status.ok()) status = env_->RenameFile(tmp, path);
  if (!status.ok()) {
    (void)env_->DeleteFile(tmp);
    if (status.message().find(tmp) != std::string::npos)
      status = Status(status.code(), path + ": cannot write the file");
  }
  return status;
}

Status ObjectStore::Verify(const std::string& hash) const {
  if (!IsSha256Hex(hash)) return InvalidHash(hash);
  MLPIPE_RETURN_IF_ERROR(FetchIfMissing(hash));
  std::string path = PathOf(hash);
  Result<std::string> actual = core::Sha256File(env_, path);
  if (!actual.ok()) {
    if (actual.status().code() == StatusCode::kNotFound) return Missing(hash, path);
    return actual.status();
  }
  if (*actual != hash) return Mismatch(hash, path, *actual);
  return Status::OK();
}

Result<uint64_t> ObjectStore::Size(const std::string& hash) const {
  if (!IsSha256Hex(hash)) return InvalidHash(hash);
  std::string path = PathOf(hash);
  Result<uint64_t> size = env_->FileSize(path);
  if (!size.ok() && remote_ != nullptr) {
    Result<uint64_t> there = remote_->Size(hash);
    if (there.ok() || there.status().code() != StatusCode::kNotFound) return there;
  }
  if (!size.ok() && size.status().code() == StatusCode::kNotFound) return Missing(hash, path);
  return size;
}

Result<std::vector<std::string>> ObjectStore::List() const {
  std::vector<std::string> out;
  if (!env_->IsDirectory(root_)) return out;
  MLPIPE_ASSIGN_OR_RETURN(std::vector<std::string> dirs, env_->ListDir(root_));
  for (const std::string& d : dirs) {
    if (d.size() != 2 || !IsHexLower(d)) continue;
    std::string dir = core::JoinPath(root_, d);
    if (!env_->IsDirectory(dir)) continue;
    MLPIPE_ASSIGN_OR_RETURN(std::vector<std::string> names, env_->ListDir(dir));
    for (const std::string& n : names) {
      std::string hash = d;
      hash.append(n);
      if (IsSha256Hex(hash)) out.push_back(std::move(hash));
    }
  }
  return out;  // sorted: folders and names are listed in order
}

Result<GcResult> ObjectStore::Gc(const std::set<std::string>& referenced, bool dry_run,
                                 int64_t grace_micros) const {
  GcResult result;
  if (!env_->IsDirectory(root_)) return result;
  const int64_t cutoff = env_->NowMicros() - grace_micros;

  // Removes `path` if it is older than the grace period; `label` goes into
  // result.removed. Returns whether it was (or, dry, would be) removed.
  auto collect = [&](const std::string& path, const std::string& label) -> Result<bool> {
    Result<int64_t> mtime = env_->FileMTimeMicros(path);
    if (!mtime.ok()) {
      // Gone meanwhile (another Gc, or a put that renamed its temp): skip it.
      if (mtime.status().code() == StatusCode::kNotFound) return false;
      return mtime.status();
    }
    if (*mtime > cutoff) return false;
    Result<uint64_t> size = env_->FileSize(path);
    if (!size.ok()) {
      if (size.status().code() == StatusCode::kNotFound) return false;
      return size.status();
    }
    if (!dry_run) {
      Status s = env_->DeleteFile(path);
      if (s.code() == StatusCode::kNotFound) return false;
      MLPIPE_RETURN_IF_ERROR(s);
    }
    result.bytes_freed += *size;
    result.removed.push_back(label);
    return true;
  };

  MLPIPE_ASSIGN_OR_RETURN(std::vector<std::string> top, env_->ListDir(root_));
  for (const std::string& entry : top) {
    std::string path = core::JoinPath(root_, entry);
    if (IsTempName(entry) && !env_->IsDirectory(path)) {
      MLPIPE_RETURN_IF_ERROR(collect(path, entry).status());
      continue;
    }
    if (entry.size() != 2 || !IsHexLower(entry) || !env_->IsDirectory(path)) continue;
    MLPIPE_ASSIGN_OR_RETURN(std::vector<std::string> names, env_->ListDir(path));
    for (const std::string& name : names) {
      std::string file = core::JoinPath(path, name);
      std::string hash = entry;
      hash.append(name);
      if (IsTempName(name)) {
        MLPIPE_RETURN_IF_ERROR(collect(file, core::JoinPath(entry, name)).status());
      } else if (IsSha256Hex(hash)) {
        bool removed = false;
        if (referenced.count(hash) == 0) {
          MLPIPE_ASSIGN_OR_RETURN(removed, collect(file, hash));
        }
        if (removed) {
          ++result.objects_removed;
        } else {
          ++result.objects_kept;
        }
      }
    }
  }
  return result;
}

}  // namespace mlpipe::store
