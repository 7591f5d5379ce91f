// Protection of personally identifiable information (PII) before anything is
// stored: each PII column is dropped, pseudonymised with a keyed hash, or
// generalised into bands or coarser categories. Also the detection of
// likely PII columns, and a scan of a folder for raw PII values (the test
// that nothing under .mlpipe/ leaks).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/table/table.h"

namespace mlpipe::governance {

enum class PiiHandling { kDrop, kPseudonymise, kGeneralise };

// "drop", "pseudonymise", "generalise".
std::string_view PiiHandlingName(PiiHandling handling);
// Parses a name above (also "pseudonymize", "generalize"); the error lists them.
Result<PiiHandling> ParsePiiHandling(std::string_view name);

// How to protect one column.
struct PiiRule {
  std::string column;
  PiiHandling handling = PiiHandling::kDrop;

  // generalise, numeric column: band edges, strictly increasing. A value x
  // falls in "[e_i, e_i+1)"; below the first edge "(-inf, e_0)", from the
  // last edge on "[e_n, inf)". Empty edges: `quantile_bands` bands whose
  // edges are the quantiles k/quantile_bands of the present values (numpy's
  // linear method), deduplicated.
  std::vector<double> edges;
  int quantile_bands = 4;

  // generalise, categorical or string column: with prefix_length > 0, the
  // first prefix_length bytes of the value (postcode "SW1A 1AA" -> "SW");
  // otherwise values seen fewer than min_count times become "other".
  int prefix_length = 0;
  int64_t min_count = 10;
};

// The keyed pseudonym of `value`: the first 16 hex digits (64 bits) of
// HMAC-SHA256(key, value), lower case. Deterministic per key, so joins on a
// pseudonymised column still work; without the key it cannot be reversed by
// hashing candidate values.
std::string Pseudonym(std::string_view key, std::string_view value);

// `table` with every rule applied, columns in their original order (a
// dropped one removed). A pseudonymised column becomes a string column of
// Pseudonym(key, text) where text is the value as the CSV writer writes it;
// a generalised column becomes a categorical column of band or group labels.
// Missing values stay missing. `key` comes from the caller (an environment
// variable or key file) and is never stored.
// Errors: NotFound for an unknown column; InvalidArgument for a column named
// twice, pseudonymise with an empty key, edges not increasing, or a rule that
// does not fit the column type.
Result<table::Table> ProtectPii(const table::Table& table, const std::vector<PiiRule>& rules,
                                std::string_view key);

// A column that looks like PII.
struct PiiCandidate {
  std::string column;
  std::string kind;    // "email", "phone", "iban", "name", "address", "postcode", "id", ...
  std::string reason;  // "column name 'e_mail'" or "97% of 1000 sampled values look like e-mail"
  PiiHandling suggested = PiiHandling::kPseudonymise;
};

// Candidates from column names (email, phone, name, address, postcode, ssn,
// iban, birth, ...) and, for text columns, from the values of up to the first
// 1000 present rows (e-mail, phone number, IBAN patterns matched by at
// least 80%). Suggestions only: the policy decides. Sorted by column order.
std::vector<PiiCandidate> DetectPiiCandidates(const table::Table& table);

// One raw value found in a file.
struct PiiLeak {
  std::string path;         // the file
  std::string value;        // the raw value found
  uint64_t offset = 0;      // byte offset in the file, or in the decompressed frame
  bool compressed = false;  // found inside a zstd frame starting at frame_offset
  uint64_t frame_offset = 0;
};

// Searches every regular file under `dir` (recursively) for each of
// `raw_values` as a byte string: plain files, SQLite databases and their WAL
// (values are stored as plain bytes), and every zstd frame found in a file
// (bundle parts, prediction-log segments), decompressed. Empty values are
// ignored; short values match by chance, so pass distinctive ones. Returns
// every (file, value) found once, at its first offset.
// Errors: NotFound when `dir` is not a folder; IoError naming a file that
// cannot be read.
Result<std::vector<PiiLeak>> PiiLeakScan(const std::string& dir,
                                         const std::vector<std::string>& raw_values);

}  // namespace mlpipe::governance
