// EncodeContainer / DecodeContainer: the byte layout of a bundle file
// (container.h). zstd is called only here.
#include "mlpipe/bundle/container.h"

#include <algorithm>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <zstd.h>

#include "mlpipe/core/sha256.h"

namespace mlpipe::bundle {
namespace {

// Fixed so that the same content always gives the same bytes.
constexpr int kZstdLevel = 9;
// Refuse to inflate a part beyond this (a manifest can lie about raw_size).
constexpr uint64_t kMaxPartBytes = uint64_t{4} << 30;

Result<std::string> Compress(std::string_view in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), kZstdLevel);
  if (ZSTD_isError(n)) return InternalError(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

std::string Short(const std::string& hash) { return hash.substr(0, 16); }

void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t GetU64(std::string_view in) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

Result<PartInfo> ParsePartInfo(const core::Json& j, const std::string& context) {
  PartInfo p;
  MLPIPE_ASSIGN_OR_RETURN(p.name, core::GetField<std::string>(j, "name", context));
  MLPIPE_ASSIGN_OR_RETURN(p.offset, core::GetField<uint64_t>(j, "offset", context));
  MLPIPE_ASSIGN_OR_RETURN(p.size, core::GetField<uint64_t>(j, "size", context));
  MLPIPE_ASSIGN_OR_RETURN(p.raw_size, core::GetField<uint64_t>(j, "raw_size", context));
  MLPIPE_ASSIGN_OR_RETURN(p.sha256, core::GetField<std::string>(j, "sha256", context));
  MLPIPE_ASSIGN_OR_RETURN(p.content_sha256,
                          core::GetField<std::string>(j, "content_sha256", context));
  MLPIPE_ASSIGN_OR_RETURN(p.compression, core::GetField<std::string>(j, "compression", context));
  return p;
}

// The content of the zstd frame `stored`, which the manifest says holds
// `raw_size` bytes. The manifest (and the frame header) may lie: the buffer
// grows only as decompressed bytes actually come out, so a small file that
// claims gigabytes is refused before it costs more than it holds.
Result<std::string> Inflate(std::string_view stored, uint64_t raw_size, const std::string& where) {
  const unsigned long long framed = ZSTD_getFrameContentSize(stored.data(), stored.size());
  if (framed == ZSTD_CONTENTSIZE_ERROR) {
    return DataLossError(where + ": not a zstd frame");
  }
  if (framed != ZSTD_CONTENTSIZE_UNKNOWN && framed != raw_size) {
    return DataLossError(
        fmt::format("{}: raw_size {} in the manifest, but the compressed frame holds {} bytes",
                    where, raw_size, framed));
  }
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (dctx == nullptr) return InternalError("zstd: cannot create a decompression context");
  std::string out;
  ZSTD_inBuffer in{stored.data(), stored.size(), 0};
  const size_t chunk = ZSTD_DStreamOutSize();
  while (true) {
    const size_t have = out.size();
    // One byte beyond raw_size is room enough to see that the frame holds more.
    const size_t room = static_cast<size_t>(std::min<uint64_t>(chunk, raw_size - have + 1));
    out.resize(have + room);
    ZSTD_outBuffer ob{out.data() + have, room, 0};
    const size_t ret = ZSTD_decompressStream(dctx.get(), &ob, &in);
    out.resize(have + ob.pos);
    if (ZSTD_isError(ret)) {
      return DataLossError(where + ": does not decompress: " + ZSTD_getErrorName(ret));
    }
    if (out.size() > raw_size) {
      return DataLossError(
          fmt::format("{}: decompresses to more than its raw_size of {} bytes", where, raw_size));
    }
    if (ret == 0) break;  // the frame is complete
    if (in.pos == in.size && ob.pos < room) {
      return DataLossError(where + ": the compressed frame is cut short");
    }
  }
  if (in.pos != in.size) {
    return DataLossError(
        fmt::format("{}: {} bytes after the compressed frame", where, in.size - in.pos));
  }
  if (out.size() != raw_size) {
    return DataLossError(fmt::format("{}: decompresses to {} bytes, not its raw_size of {}", where,
                                     out.size(), raw_size));
  }
  return out;
}

}  // namespace

const std::string* Container::Find(std::string_view name) const {
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].name == name) return &contents[i];
  }
  return nullptr;
}

Result<std::string> EncodeContainer(const core::Json& header, const std::vector<NamedPart>& parts) {
  if (!header.is_object()) return InvalidArgumentError("bundle header: expected an object");
  core::Json manifest = header;
  manifest["format_version"] = kBundleFormatVersion;
  core::Json list = core::Json::array();
  std::string data;
  std::set<std::string> seen;
  for (const auto& part : parts) {
    if (part.name.empty() || !seen.insert(part.name).second) {
      return InvalidArgumentError("bundle part name '" + part.name + "' is empty or repeated");
    }
    MLPIPE_ASSIGN_OR_RETURN(std::string stored, Compress(part.content));
    list.push_back({{"name", part.name},
                    {"offset", data.size()},
                    {"size", stored.size()},
                    {"raw_size", part.content.size()},
                    {"sha256", core::Sha256Hex(stored)},
                    {"content_sha256", core::Sha256Hex(part.content)},
                    {"compression", "zstd"}});
    data += stored;
  }
  manifest["parts"] = std::move(list);
  const std::string text = manifest.dump();  // std::map: keys sorted
  std::string out(kBundleMagic);
  PutU64(out, text.size());
  out += core::Sha256Hex(text);
  out += text;
  out += data;
  return out;
}

Result<Container> DecodeContainer(std::string_view bytes, std::string_view source) {
  const std::string src(source);
  const std::string_view head = bytes.substr(0, kBundleMagic.size());
  if (head.size() < kBundleMagic.size() && kBundleMagic.substr(0, head.size()) == head) {
    return DataLossError(fmt::format("{}: truncated: the file has {} bytes, less than the magic",
                                     src, bytes.size()));
  }
  if (head != kBundleMagic) {
    // Another kind of file given where a bundle belongs is a usage mistake
    // (exit 2), not damage to a bundle (data loss, exit 3).
    return InvalidArgumentError(
        src + ": not an mlpipe bundle (the file does not start with \"MLPIPEB1\")");
  }
  if (bytes.size() < kHeaderSize) {
    return DataLossError(fmt::format("{}: truncated: the header needs {} bytes, the file has {}",
                                     src, kHeaderSize, bytes.size()));
  }
  const uint64_t m = GetU64(bytes.substr(8, 8));
  if (m > bytes.size() - kHeaderSize) {
    return DataLossError(
        fmt::format("{}: truncated: the manifest needs bytes [{}, {}), the file has {}", src,
                    kHeaderSize, kHeaderSize + m, bytes.size()));
  }
  Container c;
  const std::string expected(bytes.substr(16, 64));
  const std::string_view text = bytes.substr(kHeaderSize, m);
  c.manifest_sha256 = core::Sha256Hex(text);
  if (c.manifest_sha256 != expected) {
    return DataLossError(fmt::format("{}: part manifest: checksum mismatch (expected {}, found {})",
                                     src, Short(expected), Short(c.manifest_sha256)));
  }
  auto parsed = core::ParseJson(text, src + ": manifest");
  if (!parsed.ok()) return DataLossError(parsed.status().message());
  core::Json manifest = std::move(*parsed);
  const std::string ctx = src + ": manifest";
  auto version = core::GetField<int>(manifest, "format_version", ctx);
  if (!version.ok()) return DataLossError(version.status().message());
  if (*version > kBundleFormatVersion) {
    return FailedPreconditionError(
        fmt::format("{}: bundle format_version {} is newer than this mlpipe reads ({}); upgrade "
                    "mlpipe",
                    src, *version, kBundleFormatVersion));
  }
  if (!manifest.contains("parts") || !manifest["parts"].is_array()) {
    return DataLossError(ctx + ".parts: missing or not a list");
  }
  const uint64_t base = kHeaderSize + m;
  const uint64_t avail = bytes.size() - base;
  uint64_t end = 0;
  for (size_t i = 0; i < manifest["parts"].size(); ++i) {
    auto info = ParsePartInfo(manifest["parts"][i], fmt::format("{}.parts[{}]", ctx, i));
    if (!info.ok()) return DataLossError(info.status().message());
    PartInfo p = std::move(*info);
    const std::string where = src + ": part " + p.name;
    if (p.compression != "zstd") {
      return DataLossError(where + ": unknown compression '" + p.compression + "'");
    }
    if (p.offset != end) {
      return DataLossError(
          fmt::format("{}: starts at offset {}, expected {}", where, p.offset, end));
    }
    if (p.size > avail || p.offset > avail - p.size) {
      return DataLossError(
          fmt::format("{}: truncated: the part needs file bytes [{}, {}), the file has {}", where,
                      base + p.offset, base + p.offset + p.size, bytes.size()));
    }
    end = p.offset + p.size;
    const std::string_view stored = bytes.substr(base + p.offset, p.size);
    const std::string found = core::Sha256Hex(stored);
    if (found != p.sha256) {
      return DataLossError(fmt::format("{}: checksum mismatch (expected {}, found {})", where,
                                       Short(p.sha256), Short(found)));
    }
    if (p.raw_size > kMaxPartBytes) {
      return DataLossError(fmt::format("{}: raw_size {} bytes is too large", where, p.raw_size));
    }
    MLPIPE_ASSIGN_OR_RETURN(std::string content, Inflate(stored, p.raw_size, where));
    const std::string content_hash = core::Sha256Hex(content);
    if (content_hash != p.content_sha256) {
      return DataLossError(fmt::format("{}: content checksum mismatch (expected {}, found {})",
                                       where, Short(p.content_sha256), Short(content_hash)));
    }
    c.parts.push_back(std::move(p));
    c.contents.push_back(std::move(content));
  }
  if (end != avail) {
    return DataLossError(fmt::format("{}: {} unexpected bytes after the last part (offset {})", src,
                                     avail - end, base + end));
  }
  manifest.erase("parts");
  c.header = std::move(manifest);
  return c;
}

}  // namespace mlpipe::bundle
