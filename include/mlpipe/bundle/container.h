// The bundle container: a small binary file of named parts, each compressed
// with zstd and covered by a SHA-256, described by a JSON manifest that is
// itself covered by a SHA-256 at a fixed place (docs/bundle.md, byte by byte):
//
//   offset 0   8 bytes   magic "MLPIPEB1"
//   offset 8   8 bytes   manifest length M, unsigned little-endian
//   offset 16  64 bytes  SHA-256 of the manifest bytes, lowercase hex
//   offset 80  M bytes   the manifest: compact JSON, keys sorted
//   offset 80+M          the parts, in manifest order, back to back
//
// Part offsets in the manifest count from the start of the parts (80 + M).
// Encoding is deterministic: the same header and parts give the same bytes.
//
// Decoding verifies everything before returning anything: the magic, the
// manifest hash, the manifest's format_version (a newer one is
// FailedPrecondition), that every part lies inside the file and nothing
// trails the last one, and each part's stored and content SHA-256. Every
// failure is DataLoss naming the source and the part, e.g.
// "model.mlpb: part model.json: checksum mismatch (expected 3fa1…, found 91c0…)".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"

namespace mlpipe::bundle {

// The container format this build writes and the newest it reads.
inline constexpr int kBundleFormatVersion = 1;
inline constexpr std::string_view kBundleMagic = "MLPIPEB1";
// Bytes before the manifest: magic, length, manifest hash.
inline constexpr size_t kHeaderSize = 80;

struct PartInfo {
  std::string name;
  uint64_t offset = 0;         // from the start of the parts
  uint64_t size = 0;           // stored (compressed) bytes
  uint64_t raw_size = 0;       // content bytes
  std::string sha256;          // of the stored bytes
  std::string content_sha256;  // of the content
  std::string compression = "zstd";
};

struct NamedPart {
  std::string name;
  std::string content;
};

struct Container {
  // The manifest without "parts" (format_version, created_by, task, ...).
  core::Json header;
  std::vector<PartInfo> parts;        // in file order
  std::vector<std::string> contents;  // decompressed, verified; parallel to `parts`
  std::string manifest_sha256;

  // nullptr when there is no part of that name.
  const std::string* Find(std::string_view name) const;
};

// Encodes `header` (an object; "format_version" and "parts" are set here) and
// `parts` (unique, non-empty names). InvalidArgument for a duplicate name.
Result<std::string> EncodeContainer(const core::Json& header, const std::vector<NamedPart>& parts);

// Decodes and verifies `bytes`; `source` (the file name) prefixes every error.
Result<Container> DecodeContainer(std::string_view bytes, std::string_view source);

}  // namespace mlpipe::bundle
