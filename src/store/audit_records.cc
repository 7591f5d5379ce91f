// The append-only, hash-chained audit log: appending (inside a caller's
// transaction or in its own), reading and verifying the chain.
//
// Hash of an entry (what `mlpipe audit verify` and any external verifier
// recompute): SHA-256, as 64 lower-case hex characters, over the canonical
// serialization
//
//   field(seq) field(time_us) field(actor) field(action) field(subject)
//   field(details_json) field(prev_hash)
//
// where field(x) is the decimal byte length of x, a ':', the bytes of x and a
// '\n'; seq and time_us are written in decimal (a '-' for negatives, no
// leading zeros) and the strings as their UTF-8 bytes. The length prefixes
// make the encoding unambiguous: no two different entries serialize to the
// same bytes, whatever their fields contain. prev_hash is the hash of entry
// seq-1, or 64 '0' characters for entry 1. Example (Python):
//
//   f = lambda x: b"%d:%s\n" % (len(x), x)
//   hashlib.sha256(b"".join(f(v) for v in [b"1", b"1700000000000000", b"alice",
//       b"data.add", b"credit@1", b"{}", b"0" * 64])).hexdigest()
//
// What verification can and cannot detect: an edited field of any entry, a
// deleted entry in the middle, two entries swapped or reordered, and a gap in
// the sequence are all found. Removing the newest entries (truncating the
// tail) or rewriting the whole chain from some entry on with fresh hashes
// cannot be detected from the table alone: that needs an anchor kept
// elsewhere (e.g. the head hash published or signed out of band).
#include <string>
#include <vector>

#include "mlpipe/core/sha256.h"
#include "sql_metadata_store.h"

namespace mlpipe::store {
namespace {

const std::string kZeroHash(64, '0');

constexpr const char* kAuditColumns =
    "seq, time_us, actor, action, subject, details_json, prev_hash, hash";

void AppendField(std::string& out, std::string_view x) {
  out.append(std::to_string(x.size())).append(":").append(x).append("\n");
}

std::string CanonicalBytes(const AuditEntry& e) {
  std::string out;
  AppendField(out, std::to_string(e.seq));
  AppendField(out, std::to_string(e.time_us));
  AppendField(out, e.actor);
  AppendField(out, e.action);
  AppendField(out, e.subject);
  AppendField(out, e.details_json);
  AppendField(out, e.prev_hash);
  return out;
}

std::string EntryHash(const AuditEntry& e) { return core::Sha256Hex(CanonicalBytes(e)); }

AuditEntry EntryFromRow(const SqlRow& r) {
  AuditEntry e;
  e.seq = r.Int(0);
  e.time_us = r.Int(1);
  e.actor = r.Text(2);
  e.action = r.Text(3);
  e.subject = r.Text(4);
  e.details_json = r.Text(5);
  e.prev_hash = r.Text(6);
  e.hash = r.Text(7);
  return e;
}

}  // namespace

Result<AuditEntry> SqlMetadataStore::AppendAuditInTransaction(const std::string& actor,
                                                              const std::string& action,
                                                              const std::string& subject,
                                                              const std::string& details_json) {
  // SQLite's BEGIN IMMEDIATE already serializes writers. On PostgreSQL two
  // transactions could read the same head; this lock (which conflicts with
  // itself but not with readers) makes the second wait until the first
  // commits. The primary key on seq would catch a race regardless.
  if (db().dialect() == SqlDialect::kPostgres) {
    MLPIPE_RETURN_IF_ERROR(db().Exec("LOCK TABLE audit IN SHARE ROW EXCLUSIVE MODE").status());
  }
  MLPIPE_ASSIGN_OR_RETURN(auto head,
                          db().Query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"));
  AuditEntry e;
  e.seq = head.empty() ? 1 : head[0].Int(0) + 1;
  e.prev_hash = head.empty() ? kZeroHash : head[0].Text(1);
  e.time_us = NowMicros();
  e.actor = actor;
  e.action = action;
  e.subject = subject;
  e.details_json = details_json.empty() ? "{}" : details_json;
  e.hash = EntryHash(e);
  std::string sql = "INSERT INTO audit (";
  sql.append(kAuditColumns).append(") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  MLPIPE_RETURN_IF_ERROR(db().Exec(sql, {e.seq, e.time_us, e.actor, e.action, e.subject,
                                         e.details_json, e.prev_hash, e.hash})
                             .status());
  return e;
}

Result<AuditEntry> SqlMetadataStore::AppendAudit(const std::string& actor,
                                                 const std::string& action,
                                                 const std::string& subject,
                                                 const std::string& details_json) {
  if (action.empty()) return InvalidArgumentError("audit entry: the action is empty");
  AuditEntry out;
  MLPIPE_RETURN_IF_ERROR(InTransaction(db(), [&]() -> Status {
    MLPIPE_ASSIGN_OR_RETURN(out, AppendAuditInTransaction(actor, action, subject, details_json));
    return Status::OK();
  }));
  return out;
}

Result<std::vector<AuditEntry>> SqlMetadataStore::ReadAudit(std::optional<int64_t> since_us,
                                                            const std::string& subject) {
  std::string sql = "SELECT ";
  sql.append(kAuditColumns).append(" FROM audit WHERE 1 = 1");
  std::vector<SqlValue> params;
  if (since_us.has_value()) {
    sql.append(" AND time_us >= ?");
    params.emplace_back(*since_us);
  }
  if (!subject.empty()) {
    sql.append(" AND subject = ?");
    params.emplace_back(subject);
  }
  sql.append(" ORDER BY seq");
  MLPIPE_ASSIGN_OR_RETURN(auto rows, db().Query(sql, params));
  std::vector<AuditEntry> out;
  out.reserve(rows.size());
  for (const SqlRow& r : rows) out.push_back(EntryFromRow(r));
  return out;
}

Result<AuditVerdict> SqlMetadataStore::VerifyAudit() {
  std::string sql = "SELECT ";
  sql.append(kAuditColumns).append(" FROM audit ORDER BY seq");
  MLPIPE_ASSIGN_OR_RETURN(auto rows, db().Query(sql));
  AuditVerdict v;
  v.entries = static_cast<int64_t>(rows.size());
  std::string prev = kZeroHash;
  int64_t expected_seq = 1;
  auto fail = [&v](int64_t seq, std::string problem) {
    v.ok = false;
    v.first_bad_seq = seq;
    v.problem = "entry " + std::to_string(seq) + ": " + problem;
  };
  for (const SqlRow& r : rows) {
    AuditEntry e = EntryFromRow(r);
    if (e.seq != expected_seq) {
      // A missing entry: the first one after the gap is where the chain breaks.
      fail(e.seq, "expected sequence number " + std::to_string(expected_seq) + " (entries " +
                      std::to_string(expected_seq) + ".." + std::to_string(e.seq - 1) +
                      " are missing)");
      return v;
    }
    if (EntryHash(e) != e.hash) {
      fail(e.seq, "hash does not match its content (the entry was altered)");
      return v;
    }
    if (e.prev_hash != prev) {
      fail(e.seq, "prev_hash does not match the hash of entry " + std::to_string(e.seq - 1) +
                      " (entries were removed, reordered or rewritten)");
      return v;
    }
    prev = e.hash;
    ++expected_seq;
  }
  return v;
}

}  // namespace mlpipe::store
