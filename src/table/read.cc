#include "mlpipe/table/read.h"

#include <algorithm>

#include "mlpipe/table/arff.h"
#include "mlpipe/table/jsonl.h"

namespace mlpipe::table {
namespace {

std::string LowerExtension(const std::string& path) {
  std::string base = core::BaseName(path);
  size_t dot = base.rfind('.');
  if (dot == std::string::npos) return "";
  std::string ext = base.substr(dot);
  for (char& c : ext)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return ext;
}

// A file saved as UTF-16 (as some spreadsheet programs do) is refused by
// name: a byte order mark FF FE or FE FF, or, without one, a NUL in every
// other byte of its start (ASCII text in UTF-16). A file that cannot be read
// here is left to the reader, whose error names it.
Status CheckNotUtf16(core::Env* env, const std::string& path) {
  auto file = env->OpenSequential(path);
  if (!file.ok()) return Status::OK();
  char buf[512];
  size_t n = 0;
  while (n < sizeof(buf)) {
    auto got = (*file)->Read(buf + n, sizeof(buf) - n);
    if (!got.ok() || *got == 0) break;
    n += *got;
  }
  const auto* b = reinterpret_cast<const unsigned char*>(buf);
  std::string how;
  if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
    how = "UTF-16 (byte order mark FF FE)";
  } else if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
    how = "UTF-16 (byte order mark FE FF)";
  } else if (n >= 8) {
    size_t even_nul = 0, odd_nul = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
      even_nul += b[i] == 0;
      odd_nul += b[i + 1] == 0;
    }
    const size_t pairs = n / 2;
    if (std::max(even_nul, odd_nul) * 10 >= pairs * 9) how = "UTF-16 (no byte order mark)";
  }
  if (how.empty()) return Status::OK();
  return InvalidArgumentError(path + ": the file is " + how + "; save it as UTF-8");
}

}  // namespace

Result<Table> ReadTableFile(core::Env* env, const std::string& path, const CsvReadOptions& csv) {
  MLPIPE_RETURN_IF_ERROR(CheckNotUtf16(env, path));
  std::string ext = LowerExtension(path);
  if (ext == ".arff") return ReadArff(env, path);
  if (ext == ".jsonl" || ext == ".ndjson") return ReadJsonl(env, path, csv);
  if (ext == ".tsv" && csv.delimiter == 0) {
    CsvReadOptions tsv = csv;
    tsv.delimiter = '\t';
    return ReadCsv(env, path, tsv);
  }
  return ReadCsv(env, path, csv);
}

Result<std::vector<size_t>> RowLinesOfFile(core::Env* env, const std::string& path,
                                           const CsvReadOptions& csv) {
  std::string ext = LowerExtension(path);
  if (ext == ".arff" || ext == ".jsonl" || ext == ".ndjson") return std::vector<size_t>();
  MLPIPE_ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
  CsvReadOptions o = csv;
  if (ext == ".tsv" && o.delimiter == 0) o.delimiter = '\t';
  return CsvRowLines(text, path, o);
}

}  // namespace mlpipe::table
