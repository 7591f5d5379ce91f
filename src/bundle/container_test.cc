// The container byte layout: round trip, deterministic bytes, and every kind
// of damage refused with the part named. Hashes are checked against an
// independent SHA-256 (core::Sha256Hex over the raw layout read by hand).
#include "mlpipe/bundle/container.h"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <zstd.h>

#include "mlpipe/core/sha256.h"

namespace mlpipe::bundle {
namespace {

std::vector<NamedPart> Parts() {
  return {{"a.json", "{\"x\": 1}"}, {"b.txt", std::string(5000, 'b') + "tail"}, {"empty", ""}};
}

std::string Encode() {
  auto r = EncodeContainer({{"task", "binary"}, {"created_by", "test"}}, Parts());
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

uint64_t ManifestLength(const std::string& b) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[8 + i]);
  return v;
}

TEST(Container, RoundTrips) {
  const std::string bytes = Encode();
  auto c = DecodeContainer(bytes, "x.mlpb");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->parts.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(c->parts[i].name, Parts()[i].name);
    EXPECT_EQ(c->contents[i], Parts()[i].content);
    EXPECT_EQ(c->parts[i].content_sha256, core::Sha256Hex(Parts()[i].content));
  }
  EXPECT_EQ(c->header["task"], "binary");
  EXPECT_EQ(c->header["format_version"], kBundleFormatVersion);
  EXPECT_FALSE(c->header.contains("parts"));
  ASSERT_NE(c->Find("b.txt"), nullptr);
  EXPECT_EQ(c->Find("nope"), nullptr);
}

TEST(Container, LayoutIsAsDocumented) {
  const std::string b = Encode();
  EXPECT_EQ(b.substr(0, 8), "MLPIPEB1");
  const uint64_t m = ManifestLength(b);
  const std::string manifest = b.substr(80, m);
  EXPECT_EQ(b.substr(16, 64), core::Sha256Hex(manifest));
  auto j = nlohmann::json::parse(manifest);
  // Parts lie back to back after the manifest, and are zstd frames of the content.
  uint64_t end = 0;
  for (const auto& p : j["parts"]) {
    const std::string stored = b.substr(80 + m + p["offset"].get<uint64_t>(), p["size"]);
    EXPECT_EQ(core::Sha256Hex(stored), p["sha256"]);
    std::string raw(p["raw_size"].get<size_t>(), '\0');
    EXPECT_EQ(ZSTD_decompress(raw.data(), raw.size(), stored.data(), stored.size()), raw.size());
    end = p["offset"].get<uint64_t>() + p["size"].get<uint64_t>();
  }
  EXPECT_EQ(80 + m + end, b.size());
  EXPECT_EQ(manifest, j.dump());  // compact, keys sorted
}

TEST(Container, SameInputSameBytes) { EXPECT_EQ(Encode(), Encode()); }

TEST(Container, RejectsDuplicatePartNames) {
  auto r = EncodeContainer(core::Json::object(), {{"a", "1"}, {"a", "2"}});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST(Container, FlippedByteInEachPartNamesThePart) {
  const std::string b = Encode();
  auto c = DecodeContainer(b, "x.mlpb");
  ASSERT_TRUE(c.ok());
  const uint64_t base = 80 + ManifestLength(b);
  for (const auto& p : c->parts) {
    if (p.size == 0) continue;
    std::string bad = b;
    bad[base + p.offset + p.size / 2] ^= 0x01;
    auto r = DecodeContainer(bad, "x.mlpb");
    ASSERT_FALSE(r.ok()) << p.name;
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
    EXPECT_NE(r.status().message().find("x.mlpb: part " + p.name + ": checksum mismatch"),
              std::string::npos)
        << r.status().message();
  }
}

TEST(Container, EditedManifestIsRefused) {
  std::string b = Encode();
  const size_t at = b.find("\"binary\"");
  ASSERT_NE(at, std::string::npos);
  b.replace(at, 8, "\"bimary\"");
  auto r = DecodeContainer(b, "x.mlpb");
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(r.status().message().find("part manifest: checksum mismatch"), std::string::npos)
      << r.status().message();
}

TEST(Container, NewerFormatVersionIsFailedPrecondition) {
  std::string b = Encode();
  const uint64_t m = ManifestLength(b);
  std::string manifest = b.substr(80, m);
  const size_t at = manifest.find("\"format_version\":1");
  ASSERT_NE(at, std::string::npos);
  manifest.replace(at, 18, "\"format_version\":7");
  b.replace(80, m, manifest);
  b.replace(16, 64, core::Sha256Hex(manifest));
  auto r = DecodeContainer(b, "x.mlpb");
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().ToString();
  EXPECT_NE(r.status().message().find("format_version 7"), std::string::npos);
}

TEST(Container, TruncationIsDataLossWithOffsets) {
  const std::string b = Encode();
  for (size_t len : {size_t{0}, size_t{5}, size_t{40}, size_t{100}, b.size() - 1}) {
    auto r = DecodeContainer(std::string_view(b).substr(0, len), "x.mlpb");
    ASSERT_FALSE(r.ok()) << len;
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss) << len;
  }
  auto r = DecodeContainer(std::string_view(b).substr(0, b.size() - 1), "x.mlpb");
  EXPECT_NE(r.status().message().find("part empty: truncated: the part needs file bytes ["),
            std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("the file has " + std::to_string(b.size() - 1)),
            std::string::npos);
}

TEST(Container, WrongMagicAndTrailingBytes) {
  std::string b = Encode();
  std::string wrong = b;
  wrong[3] = 'X';
  auto r = DecodeContainer(wrong, "x.mlpb");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("not an mlpipe bundle"), std::string::npos);
  auto t = DecodeContainer(b + "zz", "x.mlpb");
  EXPECT_EQ(t.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(t.status().message().find("2 unexpected bytes"), std::string::npos);
}

// `b` with part `name`'s raw_size (and optionally its stored frame) replaced
// and every checksum made valid again: a crafted, not a damaged, bundle.
std::string Craft(const std::string& b, const std::string& name, uint64_t raw_size,
                  const std::string* frame = nullptr) {
  const uint64_t m = ManifestLength(b);
  auto manifest = nlohmann::json::parse(b.substr(80, m));
  std::string data = b.substr(80 + m);
  std::string rebuilt;
  for (auto& p : manifest["parts"]) {
    std::string stored = data.substr(p["offset"].get<uint64_t>(), p["size"].get<uint64_t>());
    if (p["name"] == name) {
      p["raw_size"] = raw_size;
      if (frame != nullptr) stored = *frame;
    }
    p["offset"] = rebuilt.size();
    p["size"] = stored.size();
    p["sha256"] = core::Sha256Hex(stored);
    rebuilt += stored;
  }
  const std::string text = manifest.dump();
  std::string out = b.substr(0, 8);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((text.size() >> (8 * i)) & 0xff));
  return out + core::Sha256Hex(text) + text + rebuilt;
}

// A zstd frame of `content` whose header does not record the content size.
std::string FrameWithoutSize(const std::string& content) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0);
  std::string out(ZSTD_compressBound(content.size()) + 64, '\0');
  ZSTD_outBuffer ob{out.data(), out.size(), 0};
  ZSTD_inBuffer in{content.data(), content.size(), 0};
  EXPECT_EQ(ZSTD_compressStream2(cctx, &ob, &in, ZSTD_e_end), 0u);
  ZSTD_freeCCtx(cctx);
  out.resize(ob.pos);
  return out;
}

long PeakRssKb() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Regression: a manifest claiming a 4 GiB part (valid checksums, a small
// file) made the reader allocate 4 GiB before refusing the part.
TEST(Container, ClaimedSizeIsCheckedBeforeAllocating) {
  const std::string b = Encode();
  const uint64_t huge = (uint64_t{4} << 30) - 1;
  const long before = PeakRssKb();
  // The frame records its size: refused from the frame header.
  auto r = DecodeContainer(Craft(b, "b.txt", huge), "x.mlpb");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(r.status().message(),
            "x.mlpb: part b.txt: raw_size 4294967295 in the manifest, but the compressed frame "
            "holds 5004 bytes");
  // The frame does not record it: refused once the frame ends short.
  const std::string frame = FrameWithoutSize(std::string(5000, 'b') + "tail");
  ASSERT_EQ(ZSTD_getFrameContentSize(frame.data(), frame.size()), ZSTD_CONTENTSIZE_UNKNOWN);
  r = DecodeContainer(Craft(b, "b.txt", huge, &frame), "x.mlpb");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "x.mlpb: part b.txt: decompresses to 5004 bytes, not its raw_size of 4294967295");
  // Claiming less than the frame holds.
  r = DecodeContainer(Craft(b, "b.txt", 100, &frame), "x.mlpb");
  EXPECT_EQ(r.status().message(),
            "x.mlpb: part b.txt: decompresses to more than its raw_size of 100 bytes");
  EXPECT_LT(PeakRssKb() - before, 64 * 1024) << "peak RSS grew by more than 64 MiB";
  // The honest frame without a recorded size still reads.
  auto ok = DecodeContainer(Craft(b, "b.txt", 5004, &frame), "x.mlpb");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(*ok->Find("b.txt"), std::string(5000, 'b') + "tail");
}

}  // namespace
}  // namespace mlpipe::bundle
