// The operating-system Env.
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>

#include <fmt/format.h>

#include "mlpipe/core/env.h"

namespace mlpipe::core {
namespace {

Status ErrnoStatus(const std::string& path, int err) {
  std::string msg = path + ": " + std::strerror(err);
  if (err == ENOENT) return NotFoundError(msg);
  return IoError(msg);
}

class MappedRegion : public ReadOnlyRegion {
 public:
  MappedRegion(void* base, size_t size) : base_(base), size_(size) {}
  ~MappedRegion() override {
    if (base_ != nullptr) munmap(base_, size_);
  }
  const char* data() const override { return base_ ? static_cast<const char*>(base_) : ""; }
  size_t size() const override { return size_; }

 private:
  void* base_;
  size_t size_;
};

class PosixSequentialFile : public SequentialFile {
 public:
  PosixSequentialFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixSequentialFile() override { close(fd_); }
  Result<size_t> Read(char* scratch, size_t n) override {
    while (true) {
      ssize_t r = ::read(fd_, scratch, n);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno != EINTR) return ErrnoStatus(path_, errno);
    }
  }

 private:
  std::string path_;
  int fd_;
};

Status WriteAll(int fd, const std::string& path, std::string_view data) {
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t w = ::write(fd, p, left);
    if (w < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(path, errno);
    }
    p += w;
    left -= static_cast<size_t>(w);
  }
  return Status::OK();
}

class PosixWritableFile : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Append(std::string_view data) override {
    if (fd_ < 0) return FailedPreconditionError(path_ + ": write after close");
    MLPIPE_RETURN_IF_ERROR(WriteAll(fd_, path_, data));
    written_ += data.size();
#ifdef __linux__
    // Start writing back what is written so far (as RocksDB's bytes_per_sync
    // does), so that the final Sync() of a large file waits for little.
    if (written_ - synced_ >= kBytesPerSync) {
      ::sync_file_range(fd_, static_cast<off_t>(synced_), static_cast<off_t>(written_ - synced_),
                        SYNC_FILE_RANGE_WRITE);
      synced_ = written_;
    }
#endif
    return Status::OK();
  }
  Status Sync() override {
    if (fd_ < 0) return FailedPreconditionError(path_ + ": sync after close");
    if (::fdatasync(fd_) != 0) return ErrnoStatus(path_, errno);
    return Status::OK();
  }
  Status Close() override {
    if (fd_ < 0) return Status::OK();
    int r = ::close(fd_);
    fd_ = -1;
    if (r != 0) return ErrnoStatus(path_, errno);
    return Status::OK();
  }

 private:
  static constexpr uint64_t kBytesPerSync = 8 << 20;
  std::string path_;
  int fd_;
  uint64_t written_ = 0;
  uint64_t synced_ = 0;  // bytes whose write-back has been started
};

// The path a chain of symlinks at `path` ends at (`path` itself when it is
// not a link); the end need not exist. Relative link targets are taken from
// the link's folder.
Result<std::string> ResolveLinks(const std::string& path) {
  std::string current = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st;
    if (::lstat(current.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return current;
    std::string target(static_cast<size_t>(st.st_size > 0 ? st.st_size : 4096) + 1, '\0');
    ssize_t n = ::readlink(current.c_str(), target.data(), target.size());
    if (n < 0) return ErrnoStatus(path, errno);
    target.resize(static_cast<size_t>(n));
    if (!target.empty() && target[0] != '/') {
      std::string dir = DirName(current);
      if (!dir.empty()) target = JoinPath(dir, target);
    }
    current = std::move(target);
  }
  return ErrnoStatus(path, ELOOP);
}

// Writes into an existing file that is not a regular one (a FIFO, a device):
// no temporary, no rename; fsync is asked for but devices may refuse it.
Status WriteInto(const std::string& path, const std::string& target, std::string_view data) {
  int fd = ::open(target.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(path, errno);
  Status s = WriteAll(fd, path, data);
  if (s.ok() && ::fsync(fd) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP)
    s = ErrnoStatus(path, errno);
  if (::close(fd) != 0 && s.ok()) s = ErrnoStatus(path, errno);
  return s;
}

class PosixEnv : public Env {
 public:
  Result<std::string> ReadFile(const std::string& path) override {
    MLPIPE_ASSIGN_OR_RETURN(auto region, MapFile(path));
    return std::string(region->view());
  }

  Result<std::unique_ptr<ReadOnlyRegion>> MapFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus(path, errno);
    struct stat st;
    if (fstat(fd, &st) != 0) {
      int err = errno;
      close(fd);
      return ErrnoStatus(path, err);
    }
    if (S_ISDIR(st.st_mode)) {
      close(fd);
      return InvalidArgumentError(path + ": is a directory, not a file");
    }
    size_t size = static_cast<size_t>(st.st_size);
    void* base = nullptr;
    if (size > 0) {
      base = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (base == MAP_FAILED) {
        int err = errno;
        close(fd);
        return ErrnoStatus(path, err);
      }
      madvise(base, size, MADV_SEQUENTIAL);
    }
    close(fd);
    return std::unique_ptr<ReadOnlyRegion>(std::make_unique<MappedRegion>(base, size));
  }

  Result<std::unique_ptr<SequentialFile>> OpenSequential(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus(path, errno);
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return std::unique_ptr<SequentialFile>(std::make_unique<PosixSequentialFile>(path, fd));
  }

  // A symlink is followed to the file it names (the link stays a link and
  // that file is replaced); an existing target that is not a regular file (a
  // FIFO, /dev/null, /dev/stdout, a terminal) is written into, never replaced.
  // Errors name `path`, never the temporary file.
  Status WriteFileAtomic(const std::string& path, std::string_view data) override {
    MLPIPE_ASSIGN_OR_RETURN(std::string target, ResolveLinks(path));
    struct stat st;
    if (::stat(target.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) return InvalidArgumentError(path + ": is a directory, not a file");
      if (!S_ISREG(st.st_mode)) return WriteInto(path, target, data);
    }
    std::string dir = DirName(target);
    std::string tmp_name = ".";
    tmp_name.append(BaseName(target)).append(".tmp.").append(std::to_string(getpid()));
    tmp_name.append(".").append(std::to_string(counter_.fetch_add(1)));
    std::string tmp = JoinPath(dir.empty() ? "." : dir, tmp_name);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      int err = errno;
      if (err == ENOENT) {
        return NotFoundError(fmt::format("{}: cannot write: the folder '{}' does not exist", path,
                                         dir.empty() ? "." : dir));
      }
      return ErrnoStatus(path, err);
    }
    Status s = WriteAll(fd, path, data);
    if (s.ok() && ::fsync(fd) != 0) s = ErrnoStatus(path, errno);
    if (::close(fd) != 0 && s.ok()) s = ErrnoStatus(path, errno);
    if (s.ok() && ::rename(tmp.c_str(), target.c_str()) != 0) s = ErrnoStatus(path, errno);
    if (!s.ok()) {
      ::unlink(tmp.c_str());
      return s;
    }
    // Make the rename itself durable.
    int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
    return Status::OK();
  }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
      if (errno == EEXIST) return AlreadyExistsError(path + ": file exists");
      return ErrnoStatus(path, errno);
    }
    return std::unique_ptr<WritableFile>(std::make_unique<PosixWritableFile>(path, fd));
  }

  bool FileExists(const std::string& path) override { return ::access(path.c_str(), F_OK) == 0; }

  bool IsDirectory(const std::string& path) override {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  }

  Result<uint64_t> FileSize(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(path, errno);
    return static_cast<uint64_t>(st.st_size);
  }

  Result<int64_t> FileMTimeMicros(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(path, errno);
    return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000 + st.st_mtim.tv_nsec / 1000;
  }

  Status DeleteFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return ErrnoStatus(path, errno);
    return Status::OK();
  }

  Status RenameFile(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoStatus(from, errno);
    return Status::OK();
  }

  Status CreateDirs(const std::string& path) override {
    if (path.empty() || IsDirectory(path)) return Status::OK();
    std::string parent = DirName(path);
    if (!parent.empty() && parent != path) MLPIPE_RETURN_IF_ERROR(CreateDirs(parent));
    if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) return ErrnoStatus(path, errno);
    return Status::OK();
  }

  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    DIR* d = ::opendir(path.c_str());
    if (d == nullptr) return ErrnoStatus(path, errno);
    std::vector<std::string> names;
    while (struct dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
  }

  Status DeleteDir(const std::string& path) override {
    if (::rmdir(path.c_str()) != 0) return ErrnoStatus(path, errno);
    return Status::OK();
  }

  Result<std::string> NewTempDir(std::string_view prefix) override {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = JoinPath(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", prefix);
    tmpl.append("-XXXXXX");
    if (::mkdtemp(tmpl.data()) == nullptr) return ErrnoStatus(tmpl, errno);
    return tmpl;
  }

  int64_t NowMicros() override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  uint64_t NewSeed() override {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd() ^ static_cast<uint64_t>(NowMicros());
  }

 private:
  std::atomic<uint64_t> counter_{0};
};

}  // namespace

Env* Env::Default() {
  static PosixEnv* env = new PosixEnv();  // never destroyed: used until exit
  return env;
}

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  std::string out(a);
  if (out.back() != '/') out += '/';
  if (b.front() == '/') b.remove_prefix(1);
  out += b;
  return out;
}

std::string DirName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t pos = path.rfind('/');
  if (pos == std::string_view::npos) return "";
  if (pos == 0) return "/";
  return std::string(path.substr(0, pos));
}

std::string BaseName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t pos = path.rfind('/');
  return std::string(pos == std::string_view::npos ? path : path.substr(pos + 1));
}

}  // namespace mlpipe::core
