#include "mlpipe/table/read.h"

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

}  // namespace

Result<Table> ReadTableFile(core::Env* env, const std::string& path, const CsvReadOptions& csv) {
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
