// Conformance tests of the hash-chained audit log on every backend: the
// documented hash (checked against Python's hashlib), reading with filters,
// detection of tampering done through a second raw SQL connection, and
// concurrent appenders from several connections.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "conformance_fixture.h"
#include "mlpipe/core/sha256.h"
#include "sql.h"

namespace mlpipe::store {
namespace {

// Concatenates (GCC 12 warns falsely on `"literal" + std::string`).
template <typename... T>
std::string Cat(const T&... parts) {
  std::string s;
  (s.append(std::string_view(parts)), ...);
  return s;
}

// The serialization documented in audit_records.cc, written out again here so
// that the stored hashes are checked against the documentation, not against
// the code that made them.
std::string DocumentedHash(const AuditEntry& e) {
  std::string out;
  for (const std::string& f : {std::to_string(e.seq), std::to_string(e.time_us), e.actor, e.action,
                               e.subject, e.details_json, e.prev_hash}) {
    out.append(std::to_string(f.size())).append(":").append(f).append("\n");
  }
  return core::Sha256Hex(out);
}

// A raw connection to the store, independent of the MetadataStore.
std::unique_ptr<SqlConnection> RawConnection(const std::string& uri) {
  auto c = uri.rfind("postgres", 0) == 0 ? OpenPostgres(uri) : OpenSqlite(uri);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(*c) : nullptr;
}

void AppendN(MetadataStore& s, int n) {
  for (int i = 1; i <= n; ++i) {
    auto e = s.AppendAudit("alice", "test.event", Cat("subject-", std::to_string(i % 3)),
                           Cat("{\"i\":", std::to_string(i), "}"));
    ASSERT_TRUE(e.ok()) << e.status().ToString();
  }
}

// Values computed with Python's hashlib over the documented serialization:
//   f = lambda x: b"%d:%s\n" % (len(x), x); sha256(b"".join(map(f, fields)))
TEST(AuditHashTest, DocumentedSerializationMatchesPython) {
  AuditEntry a;
  a.seq = 1;
  a.time_us = 1700000000000000;
  a.actor = "alice";
  a.action = "data.add";
  a.subject = "credit@1";
  a.details_json = "{}";
  a.prev_hash = std::string(64, '0');
  EXPECT_EQ(DocumentedHash(a), "5ea2a366758ddb0771fe961e6f26caae92d39c1e7d1c0678ac79ea4691e41ed4");
  AuditEntry b;
  b.seq = 12;
  b.time_us = -5;
  b.actor = "zo\xc3\xab";
  b.action = "alias.move";
  b.subject = "credit-risk@champion";
  b.details_json = "{\"a\":\"1:x\n\"}";
  for (int i = 0; i < 32; ++i) b.prev_hash += "ab";
  EXPECT_EQ(DocumentedHash(b), "a99473f2e22752d660ff2427b7527d6e1616a98fb982a462b723b52ffa7ac980");
}

TEST_P(StoreConformance, AuditChainOfManyEntriesVerifies) {
  AppendN(store(), 40);
  auto all = store().ReadAudit(std::nullopt, "");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 40u);
  std::string prev(64, '0');
  for (size_t i = 0; i < all->size(); ++i) {
    const AuditEntry& e = (*all)[i];
    EXPECT_EQ(e.seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(e.prev_hash, prev);
    EXPECT_EQ(e.hash, DocumentedHash(e)) << "seq " << e.seq;
    EXPECT_EQ(e.details_json, Cat("{\"i\":", std::to_string(i + 1), "}"));
    EXPECT_EQ(e.actor, "alice");
    EXPECT_GT(e.time_us, 0);
    prev = e.hash;
  }
  auto v = store().VerifyAudit();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->entries, 40);
  EXPECT_EQ(v->first_bad_seq, 0);
}

TEST_P(StoreConformance, AuditAppendReturnsWhatIsStored) {
  auto e = store().AppendAudit("bob", "approve", "credit-risk@2", "{\"role\":\"risk\"}");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->seq, 1);
  EXPECT_EQ(e->prev_hash, std::string(64, '0'));
  auto all = store().ReadAudit(std::nullopt, "");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].hash, e->hash);
  EXPECT_EQ((*all)[0].time_us, e->time_us);
  EXPECT_EQ((*all)[0].subject, "credit-risk@2");
  EXPECT_EQ(store().AppendAudit("bob", "", "x", "{}").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(StoreConformance, EmptyAuditLogVerifies) {
  auto v = store().VerifyAudit();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->ok);
  EXPECT_EQ(v->entries, 0);
}

TEST_P(StoreConformance, ReadAuditFiltersBySubjectAndTime) {
  AppendN(store(), 9);  // subjects subject-1, subject-2, subject-0, ...
  auto s1 = store().ReadAudit(std::nullopt, "subject-1");
  ASSERT_TRUE(s1.ok()) << s1.status().ToString();
  ASSERT_EQ(s1->size(), 3u);
  EXPECT_EQ((*s1)[0].seq, 1);
  EXPECT_EQ((*s1)[1].seq, 4);
  EXPECT_EQ((*s1)[2].seq, 7);

  auto all = store().ReadAudit(std::nullopt, "");
  ASSERT_TRUE(all.ok());
  const int64_t t5 = (*all)[4].time_us;
  auto since = store().ReadAudit(t5, "");
  ASSERT_TRUE(since.ok());
  // Every entry at or after entry 5's time, in seq order.
  std::vector<int64_t> expect;
  for (const auto& e : *all) {
    if (e.time_us >= t5) expect.push_back(e.seq);
  }
  std::vector<int64_t> got;
  for (const auto& e : *since) got.push_back(e.seq);
  EXPECT_EQ(got, expect);
  EXPECT_EQ(got.front(), expect.front());
  EXPECT_LE(got.front(), 5);
  auto future = store().ReadAudit((*all).back().time_us + 1, "");
  ASSERT_TRUE(future.ok());
  EXPECT_TRUE(future->empty());
  auto none = store().ReadAudit(std::nullopt, "no-such-subject");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(StoreConformance, AuditDetectsEditedEntry) {
  AppendN(store(), 12);
  auto raw = RawConnection(uri());
  ASSERT_NE(raw, nullptr);
  auto n =
      raw->Exec("UPDATE audit SET details_json = ? WHERE seq = 7", {std::string("{\"i\":70}")});
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  ASSERT_EQ(*n, 1);
  auto v = store().VerifyAudit();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 7);
  EXPECT_NE(v->problem.find("entry 7"), std::string::npos) << v->problem;
  EXPECT_NE(v->problem.find("hash does not match"), std::string::npos) << v->problem;
}

TEST_P(StoreConformance, AuditDetectsEditedEntryWithRecomputedHash) {
  AppendN(store(), 12);
  auto all = store().ReadAudit(std::nullopt, "");
  ASSERT_TRUE(all.ok());
  AuditEntry forged = (*all)[6];
  forged.actor = "mallory";
  forged.hash = DocumentedHash(forged);
  auto raw = RawConnection(uri());
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(
      raw->Exec("UPDATE audit SET actor = ?, hash = ? WHERE seq = 7", {forged.actor, forged.hash})
          .ok());
  auto v = store().VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 8) << v->problem;
  EXPECT_NE(v->problem.find("prev_hash"), std::string::npos) << v->problem;
}

TEST_P(StoreConformance, AuditDetectsDeletedEntry) {
  AppendN(store(), 12);
  auto raw = RawConnection(uri());
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(raw->Exec("DELETE FROM audit WHERE seq = 5").ok());
  auto v = store().VerifyAudit();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->entries, 11);
  EXPECT_EQ(v->first_bad_seq, 6) << v->problem;
  EXPECT_NE(v->problem.find("entry 6"), std::string::npos) << v->problem;
  EXPECT_NE(v->problem.find("5..5 are missing"), std::string::npos) << v->problem;
}

TEST_P(StoreConformance, AuditDetectsDeletedEntryWithRenumberedTail) {
  // A more careful attacker deletes entry 5 and renumbers the rest: the link
  // from entry 5 (formerly 6) to entry 4 breaks.
  AppendN(store(), 8);
  auto raw = RawConnection(uri());
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(raw->Exec("DELETE FROM audit WHERE seq = 5").ok());
  for (int s = 6; s <= 8; ++s) {
    ASSERT_TRUE(
        raw->Exec("UPDATE audit SET seq = ? WHERE seq = ?", {int64_t{s - 1}, int64_t{s}}).ok());
  }
  auto v = store().VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 5) << v->problem;
}

TEST_P(StoreConformance, AuditDetectsSwappedEntries) {
  AppendN(store(), 10);
  auto raw = RawConnection(uri());
  ASSERT_NE(raw, nullptr);
  // Swap everything but seq between entries 3 and 4 (via a spare seq).
  ASSERT_TRUE(raw->Exec("UPDATE audit SET seq = 1000 WHERE seq = 3").ok());
  ASSERT_TRUE(raw->Exec("UPDATE audit SET seq = 3 WHERE seq = 4").ok());
  ASSERT_TRUE(raw->Exec("UPDATE audit SET seq = 4 WHERE seq = 1000").ok());
  auto v = store().VerifyAudit();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 3) << v->problem;
}

TEST_P(StoreConformance, AuditTruncatedTailIsNotDetectableWithoutAnAnchor) {
  // Documented limitation: dropping the newest entries leaves a valid chain.
  // The caller needs the head hash kept elsewhere to notice.
  AppendN(store(), 6);
  auto all = store().ReadAudit(std::nullopt, "");
  ASSERT_TRUE(all.ok());
  auto raw = RawConnection(uri());
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(raw->Exec("DELETE FROM audit WHERE seq > 4").ok());
  auto v = store().VerifyAudit();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok);
  EXPECT_EQ(v->entries, 4);
  auto after = store().ReadAudit(std::nullopt, "");
  ASSERT_TRUE(after.ok());
  EXPECT_NE(after->back().hash, all->back().hash);  // what an anchor would catch
}

TEST_P(StoreConformance, AuditConcurrentAppendersKeepOneChain) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::unique_ptr<MetadataStore>> stores;
  for (int t = 0; t < kThreads; ++t) {
    stores.push_back(Reopen());
    ASSERT_NE(stores.back(), nullptr);
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto e = stores[t]->AppendAudit(Cat("thread-", std::to_string(t)), "test.concurrent",
                                        Cat("t", std::to_string(t), "-", std::to_string(i)), "{}");
        if (!e.ok()) {
          ADD_FAILURE() << e.status().ToString();
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(failures.load(), 0);
  auto v = store().VerifyAudit();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->entries, kThreads * kPerThread);
  auto all = store().ReadAudit(std::nullopt, "");
  ASSERT_TRUE(all.ok());
  std::set<std::string> subjects;
  for (const auto& e : *all) subjects.insert(e.subject);
  EXPECT_EQ(subjects.size(), static_cast<size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace mlpipe::store
