// An Env that keeps everything in memory, for tests.
#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>

#include "mlpipe/core/env.h"

namespace mlpipe::core {
namespace {

class StringRegion : public ReadOnlyRegion {
 public:
  explicit StringRegion(std::string s) : s_(std::move(s)) {}
  const char* data() const override { return s_.data(); }
  size_t size() const override { return s_.size(); }

 private:
  std::string s_;
};

class StringSequentialFile : public SequentialFile {
 public:
  explicit StringSequentialFile(std::string s) : s_(std::move(s)) {}
  Result<size_t> Read(char* scratch, size_t n) override {
    size_t k = std::min(n, s_.size() - pos_);
    std::copy_n(s_.data() + pos_, k, scratch);
    pos_ += k;
    return k;
  }

 private:
  std::string s_;
  size_t pos_ = 0;
};

std::string Normalize(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

class MemEnvImpl : public MemEnv {
 public:
  explicit MemEnvImpl(int64_t start) : now_(start) {}

  // Appends to a file held by the Env (used by MemWritableFile).
  Status AppendTo(const std::string& path, std::string_view data) {
    std::lock_guard<std::mutex> l(mu_);
    if (writes_fail_) return IoError(path + ": No space left on device");
    auto it = files_.find(path);
    if (it == files_.end()) return NotFoundError(path + ": No such file or directory");
    it->second.append(data);
    mtimes_[path] = now_;
    return Status::OK();
  }

  Result<std::string> ReadFile(const std::string& path) override {
    std::lock_guard<std::mutex> l(mu_);
    auto it = files_.find(Normalize(path));
    if (it == files_.end()) return NotFoundError(path + ": No such file or directory");
    return it->second;
  }
  Result<std::unique_ptr<ReadOnlyRegion>> MapFile(const std::string& path) override {
    MLPIPE_ASSIGN_OR_RETURN(std::string s, ReadFile(path));
    return std::unique_ptr<ReadOnlyRegion>(std::make_unique<StringRegion>(std::move(s)));
  }
  Result<std::unique_ptr<SequentialFile>> OpenSequential(const std::string& path) override {
    MLPIPE_ASSIGN_OR_RETURN(std::string s, ReadFile(path));
    return std::unique_ptr<SequentialFile>(std::make_unique<StringSequentialFile>(std::move(s)));
  }
  Status WriteFileAtomic(const std::string& path, std::string_view data) override {
    std::lock_guard<std::mutex> l(mu_);
    if (writes_fail_) return IoError(path + ": No space left on device");
    std::string p = Normalize(path);
    std::string dir = DirName(p);
    if (dirs_.count(p) != 0) return InvalidArgumentError(path + ": is a directory, not a file");
    if (!dir.empty() && dirs_.count(dir) == 0)
      return NotFoundError(path + ": cannot write: the folder '" + dir + "' does not exist");
    files_[p] = std::string(data);
    mtimes_[p] = now_;
    return Status::OK();
  }
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  Result<int64_t> FileMTimeMicros(const std::string& path) override {
    std::lock_guard<std::mutex> l(mu_);
    auto it = mtimes_.find(Normalize(path));
    if (it == mtimes_.end()) return NotFoundError(path + ": No such file or directory");
    return it->second;
  }
  bool FileExists(const std::string& path) override {
    std::lock_guard<std::mutex> l(mu_);
    std::string p = Normalize(path);
    return files_.count(p) > 0 || dirs_.count(p) > 0;
  }
  bool IsDirectory(const std::string& path) override {
    std::lock_guard<std::mutex> l(mu_);
    return dirs_.count(Normalize(path)) > 0;
  }
  Result<uint64_t> FileSize(const std::string& path) override {
    std::lock_guard<std::mutex> l(mu_);
    auto it = files_.find(Normalize(path));
    if (it == files_.end()) return NotFoundError(path + ": No such file or directory");
    return static_cast<uint64_t>(it->second.size());
  }
  Status DeleteFile(const std::string& path) override {
    std::lock_guard<std::mutex> l(mu_);
    if (files_.erase(Normalize(path)) == 0)
      return NotFoundError(path + ": No such file or directory");
    mtimes_.erase(Normalize(path));
    return Status::OK();
  }
  Status RenameFile(const std::string& from, const std::string& to) override {
    std::lock_guard<std::mutex> l(mu_);
    auto it = files_.find(Normalize(from));
    if (it == files_.end()) return NotFoundError(from + ": No such file or directory");
    std::string data = std::move(it->second);
    files_.erase(it);
    files_[Normalize(to)] = std::move(data);
    mtimes_[Normalize(to)] = mtimes_[Normalize(from)];
    mtimes_.erase(Normalize(from));
    return Status::OK();
  }
  Status CreateDirs(const std::string& path) override {
    std::lock_guard<std::mutex> l(mu_);
    if (writes_fail_) return IoError(path + ": No space left on device");
    std::string p = Normalize(path);
    while (!p.empty() && p != "/" && p != ".") {
      dirs_.insert(p);
      p = DirName(p);
    }
    return Status::OK();
  }
  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    std::lock_guard<std::mutex> l(mu_);
    std::string p = Normalize(path);
    if (dirs_.count(p) == 0) return NotFoundError(path + ": No such file or directory");
    std::set<std::string> names;
    for (const auto& [f, _] : files_)
      if (DirName(f) == p) names.insert(BaseName(f));
    for (const auto& d : dirs_)
      if (DirName(d) == p) names.insert(BaseName(d));
    return std::vector<std::string>(names.begin(), names.end());
  }
  Status DeleteDir(const std::string& path) override {
    std::lock_guard<std::mutex> l(mu_);
    const std::string p = Normalize(path);
    if (dirs_.count(p) == 0) return NotFoundError(path + ": No such file or directory");
    for (const auto& [f, _] : files_) {
      if (DirName(f) == p) return IoError(path + ": Directory not empty");
    }
    for (const auto& d : dirs_) {
      if (DirName(d) == p) return IoError(path + ": Directory not empty");
    }
    dirs_.erase(p);
    return Status::OK();
  }
  Result<std::string> NewTempDir(std::string_view prefix) override {
    std::lock_guard<std::mutex> l(mu_);
    if (writes_fail_) return IoError("/tmp: No space left on device");
    // Names need only be unique within this Env: a counter in six characters.
    for (;;) {
      char suffix[8];
      std::snprintf(suffix, sizeof(suffix), "%06llu",
                    static_cast<unsigned long long>(temp_counter_++ % 1000000));
      std::string p = Normalize(JoinPath("/tmp", std::string(prefix) + "-" + suffix));
      if (dirs_.count(p) > 0 || files_.count(p) > 0) continue;
      dirs_.insert("/tmp");
      dirs_.insert(p);
      return p;
    }
  }
  int64_t NowMicros() override {
    std::lock_guard<std::mutex> l(mu_);
    return now_;
  }
  uint64_t NewSeed() override { return 42; }
  void AdvanceClock(int64_t micros) override {
    std::lock_guard<std::mutex> l(mu_);
    now_ += micros;
  }
  void SetWritesFail(bool fail) override {
    std::lock_guard<std::mutex> l(mu_);
    writes_fail_ = fail;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> files_;
  std::map<std::string, int64_t> mtimes_;  // by file, the clock at its last write
  uint64_t temp_counter_ = 0;
  std::set<std::string> dirs_;
  int64_t now_;
  bool writes_fail_ = false;
};

class MemWritableFile : public WritableFile {
 public:
  MemWritableFile(MemEnvImpl* env, std::string path) : env_(env), path_(std::move(path)) {}
  Status Append(std::string_view data) override {
    if (closed_) return FailedPreconditionError(path_ + ": write after close");
    return env_->AppendTo(path_, data);
  }
  Status Sync() override { return Status::OK(); }
  Status Close() override {
    closed_ = true;
    return Status::OK();
  }

 private:
  MemEnvImpl* env_;
  std::string path_;
  bool closed_ = false;
};

Result<std::unique_ptr<WritableFile>> MemEnvImpl::NewWritableFile(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  if (writes_fail_) return IoError(path + ": No space left on device");
  std::string p = Normalize(path);
  std::string dir = DirName(p);
  if (!dir.empty() && dirs_.count(dir) == 0)
    return NotFoundError(path + ": No such file or directory");
  if (files_.count(p) > 0 || dirs_.count(p) > 0) return AlreadyExistsError(path + ": file exists");
  files_[p] = "";
  mtimes_[p] = now_;
  return std::unique_ptr<WritableFile>(std::make_unique<MemWritableFile>(this, p));
}

}  // namespace

std::unique_ptr<MemEnv> NewMemEnv(int64_t start_micros) {
  return std::make_unique<MemEnvImpl>(start_micros);
}

}  // namespace mlpipe::core
