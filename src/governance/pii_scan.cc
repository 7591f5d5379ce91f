// PiiLeakScan: searches a folder's files, and the zstd frames inside them,
// for raw PII values.
#include <zstd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "mlpipe/governance/pii.h"

namespace mlpipe::governance {
namespace {

namespace fs = std::filesystem;

constexpr unsigned char kZstdMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};
// A decompressed frame larger than this is truncated (the scan is a test
// helper, not a decompressor for arbitrary input).
constexpr size_t kMaxFrameBytes = size_t{1} << 30;

// Decompresses the zstd frame starting at `data`; empty when it is not one.
std::string DecompressFrame(std::string_view data) {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  if (dctx == nullptr) return {};
  std::string out;
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  std::string buf(ZSTD_DStreamOutSize(), '\0');
  while (in.pos < in.size && out.size() < kMaxFrameBytes) {
    ZSTD_outBuffer o{buf.data(), buf.size(), 0};
    const size_t ret = ZSTD_decompressStream(dctx, &o, &in);
    if (ZSTD_isError(ret)) break;  // not a frame, or cut short: keep what came out
    out.append(buf.data(), o.pos);
    if (ret == 0) break;  // end of frame
    if (o.pos == 0 && in.pos == in.size) break;
  }
  ZSTD_freeDCtx(dctx);
  return out;
}

void Search(std::string_view bytes, const std::string& path, const std::vector<std::string>& values,
            bool compressed, uint64_t frame_offset, std::set<std::string>& found,
            std::vector<PiiLeak>& out) {
  for (const auto& v : values) {
    if (v.empty() || found.contains(v)) continue;
    const size_t at = bytes.find(v);
    if (at == std::string_view::npos) continue;
    found.insert(v);
    out.push_back({path, v, at, compressed, frame_offset});
  }
}

}  // namespace

Result<std::vector<PiiLeak>> PiiLeakScan(const std::string& dir,
                                         const std::vector<std::string>& raw_values) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return NotFoundError(fmt::format("pii scan: '{}' is not a folder", dir));
  }
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path().string());
  }
  if (ec) return IoError(fmt::format("pii scan: cannot list '{}': {}", dir, ec.message()));
  std::sort(files.begin(), files.end());

  std::vector<PiiLeak> leaks;
  for (const auto& path : files) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return IoError(fmt::format("pii scan: cannot read '{}'", path));
    std::ostringstream ss;
    ss << f.rdbuf();
    const std::string bytes = ss.str();
    std::set<std::string> found;  // values already reported for this file
    Search(bytes, path, raw_values, false, 0, found, leaks);
    const std::string_view magic(reinterpret_cast<const char*>(kZstdMagic), 4);
    for (size_t at = bytes.find(magic); at != std::string::npos; at = bytes.find(magic, at + 1)) {
      const std::string plain = DecompressFrame(std::string_view(bytes).substr(at));
      if (!plain.empty()) Search(plain, path, raw_values, true, at, found, leaks);
    }
  }
  return leaks;
}

}  // namespace mlpipe::governance
