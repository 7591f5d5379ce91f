// Env: the world as mlpipe sees it — files, the clock and randomness — behind
// one interface, so that tests run deterministically against an in-memory
// implementation and failures can be simulated.
//
// Thread safety: every Env method may be called from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"

namespace mlpipe::core {

// Read-only bytes of a whole file. The posix Env maps the file into memory.
class ReadOnlyRegion {
 public:
  virtual ~ReadOnlyRegion() = default;
  virtual const char* data() const = 0;
  virtual size_t size() const = 0;
  std::string_view view() const { return {data(), size()}; }
};

// A file read from front to back in pieces (for hashing large files).
class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  // Reads up to `n` bytes into `scratch`; returns the number read, 0 at the end.
  virtual Result<size_t> Read(char* scratch, size_t n) = 0;
};

// A new file written from front to back (for streaming large files into
// place). Nothing is durable until Sync(); Close() is implied by destruction
// but reports errors only when called.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Flushes the written bytes to disk (fsync).
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
};

class Env {
 public:
  virtual ~Env() = default;

  // The process-wide Env backed by the operating system. Never null; not owned.
  static Env* Default();

  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  virtual Result<std::unique_ptr<ReadOnlyRegion>> MapFile(const std::string& path) = 0;
  virtual Result<std::unique_ptr<SequentialFile>> OpenSequential(const std::string& path) = 0;

  // Writes `data` to `path` atomically: a temporary file in the same folder is
  // written, flushed to disk and renamed over `path`. Readers see the old
  // content or the new one, never a mixture; a crash leaves no partial file.
  // A symlink is followed: the file it names is replaced, the link stays. An
  // existing `path` that is not a regular file (a FIFO, /dev/null, a
  // terminal) is written into, never replaced; a folder is refused. Errors
  // name `path`, never the temporary file. (The in-memory Env has no links
  // or devices: it replaces the file and refuses a folder.)
  virtual Status WriteFileAtomic(const std::string& path, std::string_view data) = 0;
  // Creates `path` for writing; kAlreadyExists when it exists (the caller
  // picks unique temporary names and renames the file into place).
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;

  virtual bool FileExists(const std::string& path) = 0;
  virtual bool IsDirectory(const std::string& path) = 0;
  virtual Result<uint64_t> FileSize(const std::string& path) = 0;
  // Last modification time, microseconds since the Unix epoch. The in-memory
  // Env stamps a file with its clock when the file is written.
  virtual Result<int64_t> FileMTimeMicros(const std::string& path) = 0;
  virtual Status DeleteFile(const std::string& path) = 0;
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  // Creates `path` and any missing parents; OK when it exists.
  virtual Status CreateDirs(const std::string& path) = 0;
  // Names (not paths) of the entries of a folder, sorted.
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;
  // Removes the empty folder `path`.
  virtual Status DeleteDir(const std::string& path) = 0;
  // Creates a new, empty folder for temporary files and returns its path,
  // named "PREFIX-" and six random characters: the posix Env puts it under
  // $TMPDIR (else /tmp), the in-memory one under /tmp. The caller removes it.
  virtual Result<std::string> NewTempDir(std::string_view prefix) = 0;

  // Microseconds since the Unix epoch.
  virtual int64_t NowMicros() = 0;
  // A seed for runs that were given none. The in-memory Env returns a fixed one.
  virtual uint64_t NewSeed() = 0;
};

// An Env that keeps files in memory; its clock starts at `start_micros` and
// advances only through AdvanceClock(). For tests.
class MemEnv : public Env {
 public:
  virtual void AdvanceClock(int64_t micros) = 0;
  // Makes every following write fail with an IoError (a full disk).
  virtual void SetWritesFail(bool fail) = 0;
};
std::unique_ptr<MemEnv> NewMemEnv(int64_t start_micros = 1'700'000'000'000'000);

// Joins two path pieces with one '/'.
std::string JoinPath(std::string_view a, std::string_view b);
// The folder part of `path` ("" when there is none).
std::string DirName(std::string_view path);
// The last component of `path`.
std::string BaseName(std::string_view path);

}  // namespace mlpipe::core
