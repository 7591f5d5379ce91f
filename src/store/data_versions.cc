// Data versioning: add (hash + copy + summary + lineage), diff, JSON forms.
#include "mlpipe/store/data_versions.h"

#include <cmath>
#include <filesystem>
#include <future>
#include <set>
#include <string_view>

#include "mlpipe/table/csv.h"
#include "mlpipe/table/read.h"

namespace mlpipe::store {
namespace {

bool IsDelimitedText(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext != ".arff" && ext != ".jsonl" && ext != ".ndjson" && ext != ".json";
}

// Records of RFC 4180 text: line ends outside double quotes, blank lines not
// counted, a last record without a line end counted.
uint64_t CountRecords(std::string_view text) {
  uint64_t records = 0;
  bool in_quotes = false;
  bool line_has_content = false;
  for (const char c : text) {
    if (c == '"') {
      in_quotes = !in_quotes;
      line_has_content = true;
    } else if (c == '\n' && !in_quotes) {
      if (line_has_content) ++records;
      line_has_content = false;
    } else if (c != '\r') {
      line_has_content = true;
    }
  }
  if (line_has_content) ++records;
  return records;
}

// The longest prefix of `text` (at most `limit` bytes) that ends at a record
// boundary.
std::string_view RecordPrefix(std::string_view text, size_t limit) {
  if (text.size() <= limit) return text;
  bool in_quotes = false;
  size_t last_end = 0;
  for (size_t i = 0; i < limit; ++i) {
    if (text[i] == '"')
      in_quotes = !in_quotes;
    else if (text[i] == '\n' && !in_quotes)
      last_end = i + 1;
  }
  return text.substr(0, last_end);
}

struct Summary {
  int64_t rows = 0;
  std::string schema_json;
  std::string profile_json;
};

Result<Summary> SummariseFile(core::Env* env, const DataSummariser& summarise,
                              const std::string& path, uint64_t size, uint64_t exact_bytes) {
  table::Table data;
  bool sampled = false;
  std::unique_ptr<core::ReadOnlyRegion> region;
  if (size > exact_bytes && IsDelimitedText(path)) {
    MLPIPE_ASSIGN_OR_RETURN(region, env->MapFile(path));
    const std::string_view text(region->data(), region->size());
    MLPIPE_ASSIGN_OR_RETURN(data, table::ReadCsvString(RecordPrefix(text, exact_bytes), path));
    sampled = true;
  } else {
    MLPIPE_ASSIGN_OR_RETURN(data, table::ReadTableFile(env, path));
  }
  Summary s;
  MLPIPE_ASSIGN_OR_RETURN(core::Json described, summarise(data, path));
  if (!described.is_object() || !described.contains("schema") || !described.contains("summary")) {
    return InternalError(path + ": the data summariser returned no \"schema\" and \"summary\"");
  }
  s.schema_json = described["schema"].dump();
  s.profile_json = described["summary"].dump();
  if (sampled) {
    // Header line excluded.
    const uint64_t records = CountRecords(std::string_view(region->data(), region->size()));
    s.rows = records > 0 ? static_cast<int64_t>(records - 1) : 0;
  } else {
    s.rows = static_cast<int64_t>(data.num_rows());
  }
  return s;
}

Status CheckName(const std::string& name) {
  MLPIPE_ASSIGN_OR_RETURN(VersionRef ref, ParseVersionRef(name, false));
  if (ref.version.has_value() || name.find('@') != std::string::npos) {
    return InvalidArgumentError("--name " + name + ": a data set name takes no version");
  }
  return Status::OK();
}

}  // namespace

Result<AddedData> AddDataFile(core::Env* env, MetadataStore& meta, ObjectStore& objects,
                              const DataSummariser& summarise, const std::string& path,
                              const std::string& name, const std::string& actor,
                              const std::string& source, uint64_t exact_summary_bytes) {
  MLPIPE_RETURN_IF_ERROR(CheckName(name));
  if (!env->FileExists(path)) return NotFoundError(path + ": no such file");
  if (env->IsDirectory(path)) return InvalidArgumentError(path + ": is a folder, not a file");
  MLPIPE_ASSIGN_OR_RETURN(uint64_t size, env->FileSize(path));

  // The summary (and, for a large file, the row count) on a second thread
  // while this one hashes and copies.
  auto summary =
      std::async(std::launch::async, [env, &summarise, &path, size, exact_summary_bytes] {
        return SummariseFile(env, summarise, path, size, exact_summary_bytes);
      });
  Result<PutResult> put = objects.PutFile(path);
  Result<Summary> sum = summary.get();
  if (!put.ok()) return put.status();
  if (!sum.ok()) return sum.status();

  const std::string& origin = source.empty() ? path : source;
  std::error_code ec;
  const std::string abs = std::filesystem::absolute(origin, ec).lexically_normal().string();
  DatasetVersion v;
  v.name = name;
  v.hash = put->hash;
  v.size = put->size;
  v.rows = sum->rows;
  v.schema_json = std::move(sum->schema_json);
  v.profile_json = std::move(sum->profile_json);
  v.source_path = ec ? origin : abs;
  v.created_by = actor;
  AddedData out;
  MLPIPE_ASSIGN_OR_RETURN(out.version, meta.AddDatasetVersion(v, &out.existed, actor));
  // Lineage: the source file went through ingest into the data set version.
  // Recorded after the version (a separate transaction), so a process killed
  // in between leaves a version without its ingest; adding the same content
  // again finds that and records it then.
  const std::string ref = name + "@" + std::to_string(out.version.version);
  MLPIPE_ASSIGN_OR_RETURN(ArtifactNode ds, meta.PutArtifact("dataset", ref, out.version.hash));
  if (out.existed) {
    MLPIPE_ASSIGN_OR_RETURN(LineageGraph upstream, meta.Lineage("dataset", ref, false));
    for (const Execution& e : upstream.executions) {
      if (e.type == "ingest") return out;
    }
  }
  MLPIPE_ASSIGN_OR_RETURN(ArtifactNode file, meta.PutArtifact("file", out.version.source_path, ""));
  Execution e;
  e.type = "ingest";
  e.properties_json =
      core::Json({{"source", out.version.source_path}, {"hash", out.version.hash}}).dump();
  e.start_us = e.end_us = out.version.created_us;
  MLPIPE_RETURN_IF_ERROR(meta.RecordExecution(e, {{0, file.id, EventDirection::kInput, "source"},
                                                  {0, ds.id, EventDirection::kOutput, "data"}})
                             .status());
  return out;
}

core::Json DatasetVersionToJson(const DatasetVersion& v) {
  core::Json j = {{"name", v.name},
                  {"version", v.version},
                  {"ref", v.name + "@" + std::to_string(v.version)},
                  {"hash", v.hash},
                  {"size", v.size},
                  {"rows", v.rows},
                  {"source_path", v.source_path},
                  {"created_us", v.created_us},
                  {"created_by", v.created_by}};
  j["schema"] = core::Json::parse(v.schema_json, nullptr, false);
  j["summary"] = core::Json::parse(v.profile_json, nullptr, false);
  return j;
}

namespace {

std::map<std::string, core::Json> ByName(const core::Json& list) {
  std::map<std::string, core::Json> out;
  if (!list.is_array()) return out;
  for (const auto& c : list) {
    if (c.is_object() && c.contains("name")) out[c["name"].get<std::string>()] = c;
  }
  return out;
}

std::set<std::string> Categories(const core::Json& column_schema) {
  std::set<std::string> out;
  if (column_schema.contains("categories") && column_schema["categories"].is_array()) {
    for (const auto& c : column_schema["categories"]) {
      if (c.is_string()) out.insert(c.get<std::string>());
    }
  }
  return out;
}

}  // namespace

core::Json DiffDatasetVersions(const DatasetVersion& a, const DatasetVersion& b) {
  const core::Json sa = core::Json::parse(a.schema_json, nullptr, false);
  const core::Json sb = core::Json::parse(b.schema_json, nullptr, false);
  const core::Json pa = core::Json::parse(a.profile_json, nullptr, false);
  const core::Json pb = core::Json::parse(b.profile_json, nullptr, false);
  auto cols_a = ByName(sa.is_object() ? sa.value("columns", core::Json()) : core::Json());
  auto cols_b = ByName(sb.is_object() ? sb.value("columns", core::Json()) : core::Json());
  auto stat_a = ByName(pa.is_object() ? pa.value("columns", core::Json()) : core::Json());
  auto stat_b = ByName(pb.is_object() ? pb.value("columns", core::Json()) : core::Json());

  core::Json d = {{"a", a.name + "@" + std::to_string(a.version)},
                  {"b", b.name + "@" + std::to_string(b.version)},
                  {"same_content", a.hash == b.hash},
                  {"rows", {{"a", a.rows}, {"b", b.rows}, {"change", b.rows - a.rows}}},
                  {"size", {{"a", a.size}, {"b", b.size}}}};
  core::Json added = core::Json::array(), removed = core::Json::array();
  core::Json retyped = core::Json::array(), changed = core::Json::array();
  for (const auto& [name, c] : cols_b) {
    if (!cols_a.count(name)) added.push_back(name);
  }
  for (const auto& [name, ca] : cols_a) {
    auto it = cols_b.find(name);
    if (it == cols_b.end()) {
      removed.push_back(name);
      continue;
    }
    const core::Json& cb = it->second;
    if (ca.value("type", "") != cb.value("type", "")) {
      retyped.push_back(
          {{"column", name}, {"a", ca.value("type", "")}, {"b", cb.value("type", "")}});
    }
    core::Json change = {{"column", name}};
    bool any = false;
    const std::set<std::string> cat_a = Categories(ca), cat_b = Categories(cb);
    core::Json appeared = core::Json::array(), vanished = core::Json::array();
    for (const auto& c : cat_b) {
      if (!cat_a.count(c)) appeared.push_back(c);
    }
    for (const auto& c : cat_a) {
      if (!cat_b.count(c)) vanished.push_back(c);
    }
    if (!appeared.empty()) change["categories_appeared"] = appeared, any = true;
    if (!vanished.empty()) change["categories_vanished"] = vanished, any = true;
    auto sa_it = stat_a.find(name);
    auto sb_it = stat_b.find(name);
    if (sa_it != stat_a.end() && sb_it != stat_b.end()) {
      for (const char* key : {"missing_share", "distinct", "mean", "std", "min", "max"}) {
        const core::Json& va = sa_it->second.value(key, core::Json());
        const core::Json& vb = sb_it->second.value(key, core::Json());
        if (va.is_number() && vb.is_number() && va.get<double>() != vb.get<double>()) {
          change[key] = {{"a", va}, {"b", vb}, {"change", vb.get<double>() - va.get<double>()}};
          any = true;
        }
      }
    }
    if (any) changed.push_back(std::move(change));
  }
  d["columns_added"] = std::move(added);
  d["columns_removed"] = std::move(removed);
  d["columns_retyped"] = std::move(retyped);
  d["columns_changed"] = std::move(changed);
  return d;
}

}  // namespace mlpipe::store
