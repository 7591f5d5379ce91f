// `mlpipe data add FILE --name NAME | list [NAME] | show NAME[@V] | diff A B |
// get NAME@V -o FILE`: versioned data sets in the project's stores
// (mlpipe/store/data_versions.h does the work).
#include <cstdio>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli_common.h"
#include "cli_store.h"
#include "mlpipe/core/env.h"
#include "mlpipe/core/output.h"
#include "mlpipe/profile/data_summary.h"
#include "mlpipe/store/data_versions.h"

namespace mlpipe::cli {
namespace {

std::string Ref(const store::DatasetVersion& v) { return v.name + "@" + std::to_string(v.version); }

Result<store::DatasetVersion> Resolve(store::MetadataStore& meta, const std::string& text) {
  MLPIPE_ASSIGN_OR_RETURN(store::VersionRef ref, store::ParseVersionRef(text, false));
  return meta.GetDatasetVersion(ref.name, ref.version);
}

Status Add(const CommandState& state, const std::string& file, const std::string& name) {
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores s, OpenOrCreateStores(state));
  MLPIPE_ASSIGN_OR_RETURN(
      store::AddedData added,
      store::AddDataFile(core::Env::Default(), *s.meta, *s.objects, profile::SummariseData, file,
                         name, store::CurrentActor()));
  const store::DatasetVersion& v = added.version;
  if (state.global.json) {
    core::Json j = store::DatasetVersionToJson(v);
    j["existed"] = added.existed;
    PrintJson(j);
  } else if (!state.global.quiet) {
    if (added.existed) {
      std::printf("unchanged: %s already holds this content (sha256 %s)\n", Ref(v).c_str(),
                  v.hash.substr(0, 12).c_str());
    } else {
      std::printf("added %s: %s, %lld rows, sha256 %s\n", Ref(v).c_str(),
                  FormatBytes(v.size).c_str(), static_cast<long long>(v.rows),
                  v.hash.substr(0, 12).c_str());
    }
  }
  return Status::OK();
}

Status List(const CommandState& state, const std::string& name) {
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores s, OpenStores(state));
  std::vector<std::string> names;
  if (name.empty()) {
    MLPIPE_ASSIGN_OR_RETURN(names, s.meta->ListDatasets());
  } else {
    names.push_back(name);
  }
  core::Json out = core::Json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& n : names) {
    MLPIPE_ASSIGN_OR_RETURN(std::vector<store::DatasetVersion> versions,
                            s.meta->ListDatasetVersions(n));
    for (const auto& v : versions) {
      if (!name.empty() || &v == &versions.back()) {
        core::Json j = store::DatasetVersionToJson(v);
        j.erase("schema");
        j.erase("summary");
        j["versions"] = versions.size();
        out.push_back(std::move(j));
        rows.push_back({Ref(v), std::to_string(v.rows), FormatBytes(v.size), v.hash.substr(0, 12),
                        FormatTime(v.created_us), v.created_by, v.source_path});
      }
    }
  }
  if (state.global.json) {
    PrintJson(out);
  } else if (!state.global.quiet) {
    if (rows.empty()) {
      std::printf("no data sets yet: add one with `mlpipe data add FILE --name NAME`\n");
    } else {
      PrintTable(
          {name.empty() ? "LATEST" : "VERSION", "ROWS", "SIZE", "SHA256", "ADDED", "BY", "SOURCE"},
          rows);
    }
  }
  return Status::OK();
}

Status Show(const CommandState& state, const std::string& ref) {
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores s, OpenStores(state));
  MLPIPE_ASSIGN_OR_RETURN(store::DatasetVersion v, Resolve(*s.meta, ref));
  const core::Json j = store::DatasetVersionToJson(v);
  if (state.global.json) {
    PrintJson(j);
    return Status::OK();
  }
  std::printf(
      "%s\n  sha256   %s\n  size     %s\n  rows     %lld\n  source   %s\n  added    %s by %s\n",
      Ref(v).c_str(), v.hash.c_str(), FormatBytes(v.size).c_str(), static_cast<long long>(v.rows),
      v.source_path.c_str(), FormatTime(v.created_us).c_str(), v.created_by.c_str());
  const core::Json& summary = j["summary"];
  if (summary.is_object()) {
    if (summary.value("rows_seen", int64_t{0}) != v.rows) {
      std::printf("  summary  from the first %lld rows\n",
                  static_cast<long long>(summary.value("rows_seen", int64_t{0})));
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : summary["columns"]) {
      auto num = [&c](const char* k) {
        return c.contains(k) && c[k].is_number() ? FormatNumber(c[k].get<double>())
                                                 : std::string("-");
      };
      rows.push_back({c.value("name", ""), c.value("type", ""),
                      fmt::format("{:.1f}%", 100 * c.value("missing_share", 0.0)),
                      std::to_string(c.value("distinct", uint64_t{0})), num("mean"), num("min"),
                      num("max")});
    }
    std::printf("\n");
    PrintTable({"COLUMN", "TYPE", "MISSING", "DISTINCT", "MEAN", "MIN", "MAX"}, rows);
  }
  return Status::OK();
}

Status Diff(const CommandState& state, const std::string& a_ref, const std::string& b_ref) {
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores s, OpenStores(state));
  MLPIPE_ASSIGN_OR_RETURN(store::DatasetVersion a, Resolve(*s.meta, a_ref));
  MLPIPE_ASSIGN_OR_RETURN(store::DatasetVersion b, Resolve(*s.meta, b_ref));
  const core::Json d = store::DiffDatasetVersions(a, b);
  if (state.global.json) {
    PrintJson(d);
    return Status::OK();
  }
  std::printf("%s -> %s%s\n", Ref(a).c_str(), Ref(b).c_str(),
              a.hash == b.hash ? " (identical content)" : "");
  std::printf("  rows: %lld -> %lld (%+lld)\n", static_cast<long long>(a.rows),
              static_cast<long long>(b.rows), static_cast<long long>(b.rows - a.rows));
  for (const auto& c : d["columns_added"])
    std::printf("  + column %s\n", c.get<std::string>().c_str());
  for (const auto& c : d["columns_removed"])
    std::printf("  - column %s\n", c.get<std::string>().c_str());
  for (const auto& c : d["columns_retyped"]) {
    std::printf("  ~ column %s: type %s -> %s\n", c["column"].get<std::string>().c_str(),
                c["a"].get<std::string>().c_str(), c["b"].get<std::string>().c_str());
  }
  for (const auto& c : d["columns_changed"]) {
    std::string line = "  ~ " + c["column"].get<std::string>() + ":";
    for (const auto& [k, v] : c.items()) {
      if (k == "column") continue;
      if (v.is_array()) {
        std::string cats;
        for (const auto& x : v) cats += (cats.empty() ? "" : ", ") + x.get<std::string>();
        line += " " + k + " [" + cats + "]";
      } else {
        line += " " + k + " " + FormatNumber(v["a"].get<double>()) + " -> " +
                FormatNumber(v["b"].get<double>());
      }
    }
    std::printf("%s\n", line.c_str());
  }
  return Status::OK();
}

Status Get(const CommandState& state, const std::string& ref, const std::string& out) {
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores s, OpenStores(state));
  MLPIPE_ASSIGN_OR_RETURN(store::DatasetVersion v, Resolve(*s.meta, ref));
  MLPIPE_RETURN_IF_ERROR(s.objects->CopyTo(v.hash, out));
  if (core::IsStandardOutput(out)) {
    // Standard output holds the file alone.
  } else if (state.global.json) {
    PrintJson({{"ref", Ref(v)}, {"hash", v.hash}, {"size", v.size}, {"output", out}});
  } else if (!state.global.quiet) {
    std::printf("wrote %s: %s (%s, sha256 verified)\n", out.c_str(), Ref(v).c_str(),
                FormatBytes(v.size).c_str());
  }
  return Status::OK();
}

}  // namespace

void AddDataVersionCommands(CLI::App& data, CommandState& state) {
  struct Args {
    std::string file, name, ref, ref_b, out;
  };
  auto args = std::make_shared<Args>();

  CLI::App* add = data.add_subcommand(
      "add", "Version a data file: store its exact bytes and record NAME's next version");
  add->add_option("FILE", args->file, "Data file (.csv, .tsv, .arff, .jsonl)")->required();
  add->add_option("--name", args->name, "Data set name, e.g. credit")->required();
  add->callback(
      [&state, args] { RunCommand(state, [&] { return Add(state, args->file, args->name); }); });

  CLI::App* list = data.add_subcommand(
      "list", "Data sets with their latest version, or one data set's versions");
  list->add_option("NAME", args->name, "List every version of this data set");
  list->callback([&state, args] { RunCommand(state, [&] { return List(state, args->name); }); });

  CLI::App* show =
      data.add_subcommand("show", "One data version: hash, size, rows, source and column summary");
  show->add_option("REF", args->ref, "NAME, NAME@V or NAME@latest")->required();
  show->callback([&state, args] { RunCommand(state, [&] { return Show(state, args->ref); }); });

  CLI::App* diff =
      data.add_subcommand("diff", "Schema and statistics differences between two data versions");
  diff->add_option("A", args->ref, "NAME@V")->required();
  diff->add_option("B", args->ref_b, "NAME@V")->required();
  diff->callback(
      [&state, args] { RunCommand(state, [&] { return Diff(state, args->ref, args->ref_b); }); });

  CLI::App* get = data.add_subcommand("get", "Restore the exact bytes of a data version");
  get->add_option("REF", args->ref, "NAME@V")->required();
  get->add_option("-o,--output", args->out, "Where to write the file")->required();
  get->callback(
      [&state, args] { RunCommand(state, [&] { return Get(state, args->ref, args->out); }); });
}

}  // namespace mlpipe::cli
