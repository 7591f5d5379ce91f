// SHA-256 (OpenSSL) of buffers and files, streaming. Digests are returned as
// 64 lower-case hex characters.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"

namespace mlpipe::core {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  // Returns the hex digest. The object must not be used afterwards.
  std::string FinishHex();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string Sha256Hex(std::string_view data);
// Streams the file in 1 MiB pieces; `bytes` (optional) receives its size.
Result<std::string> Sha256File(Env* env, const std::string& path, uint64_t* bytes = nullptr);

}  // namespace mlpipe::core
