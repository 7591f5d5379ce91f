// `mlpipe registry list | show MODEL[@V|@ALIAS] | history MODEL [--at TIME]`:
// the registered models, their versions and every move of their aliases
// (docs/tracking.md has the JSON shapes).
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "cli_store.h"
#include "mlpipe/core/time.h"
#include "mlpipe/store/lookup.h"
#include "mlpipe/store/metadata_store.h"

namespace mlpipe::cli {
namespace {

struct RegistryArgs {
  std::string ref;
  std::string at;
};

std::string VersionText(int64_t v) { return v == 0 ? "-" : std::to_string(v); }

// The aliases of `model` that point at `version`, in name order.
std::vector<std::string> AliasesOf(const store::RegisteredModel& model, int64_t version) {
  std::vector<std::string> out;
  for (const auto& [alias, v] : model.aliases) {
    if (v == version) out.push_back(alias);
  }
  return out;
}

std::string Join(const std::vector<std::string>& xs, const char* sep = ", ") {
  std::string s;
  for (const auto& x : xs) {
    if (!s.empty()) s.append(sep);
    s.append(x);
  }
  return s;
}

core::Json VersionJson(const store::ModelVersion& v, const std::vector<std::string>& aliases) {
  return {{"model", v.model},
          {"version", v.version},
          {"status", std::string(store::ModelVersionStatusName(v.status))},
          {"bundle_hash", v.bundle_hash},
          {"run_id", v.run_id.empty() ? core::Json() : core::Json(v.run_id)},
          {"metrics", JsonOrText(v.metrics_json)},
          {"description", v.description},
          {"tags", v.tags},
          {"aliases", aliases},
          {"created_time", FormatTime(v.created_us)},
          {"created_us", v.created_us}};
}

Status RegistryList(const CommandState& state, const RegistryArgs&) {
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores stores, OpenStores(state));
  MLPIPE_ASSIGN_OR_RETURN(auto models, stores.meta->ListModels());
  core::Json out = core::Json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : models) {
    MLPIPE_ASSIGN_OR_RETURN(auto versions, stores.meta->ListModelVersions(m.name));
    int64_t latest = versions.empty() ? 0 : versions.back().version;
    for (const auto& v : versions) latest = std::max(latest, v.version);
    out.push_back({{"name", m.name},
                   {"description", m.description},
                   {"versions", versions.size()},
                   {"latest_version", latest == 0 ? core::Json() : core::Json(latest)},
                   {"aliases", m.aliases},
                   {"created_time", FormatTime(m.created_us)},
                   {"created_us", m.created_us}});
    std::vector<std::string> aliases;
    for (const auto& [alias, v] : m.aliases) aliases.push_back(alias + "=" + std::to_string(v));
    rows.push_back({m.name, std::to_string(versions.size()), VersionText(latest), Join(aliases),
                    FormatTime(m.created_us), m.description});
  }
  if (state.global.json) {
    PrintJson({{"models", out}});
  } else if (models.empty()) {
    std::printf("no registered models\n");
  } else {
    PrintTable({"MODEL", "VERSIONS", "LATEST", "ALIASES", "CREATED", "DESCRIPTION"}, rows);
  }
  return Status::OK();
}

Status ShowModel(const CommandState& state, store::MetadataStore& meta, const std::string& name) {
  MLPIPE_ASSIGN_OR_RETURN(store::RegisteredModel model, store::FindModel(meta, name));
  MLPIPE_ASSIGN_OR_RETURN(auto versions, meta.ListModelVersions(name));
  if (state.global.json) {
    core::Json vs = core::Json::array();
    for (const auto& v : versions) vs.push_back(VersionJson(v, AliasesOf(model, v.version)));
    PrintJson({{"model",
                {{"name", model.name},
                 {"description", model.description},
                 {"aliases", model.aliases},
                 {"created_time", FormatTime(model.created_us)},
                 {"created_us", model.created_us},
                 {"versions", vs}}}});
    return Status::OK();
  }
  std::printf("model %s%s%s\n", model.name.c_str(), model.description.empty() ? "" : ": ",
              model.description.c_str());
  std::printf("created %s\n\n", FormatTime(model.created_us).c_str());
  std::vector<std::vector<std::string>> rows;
  for (const auto& v : versions) {
    rows.push_back({std::to_string(v.version), std::string(store::ModelVersionStatusName(v.status)),
                    Join(AliasesOf(model, v.version)), FormatTime(v.created_us),
                    v.run_id.substr(0, 12), v.bundle_hash.substr(0, 12)});
  }
  if (rows.empty()) {
    std::printf("no versions yet\n");
  } else {
    PrintTable({"VERSION", "STATUS", "ALIASES", "CREATED", "RUN", "BUNDLE"}, rows);
  }
  return Status::OK();
}

Status RegistryShow(const CommandState& state, const RegistryArgs& args) {
  MLPIPE_ASSIGN_OR_RETURN(store::VersionRef ref, store::ParseVersionRef(args.ref, true));
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores stores, OpenStores(state));
  if (args.ref.find('@') == std::string::npos) return ShowModel(state, *stores.meta, ref.name);
  MLPIPE_ASSIGN_OR_RETURN(store::ModelVersion v, stores.meta->ResolveModel(ref));
  MLPIPE_ASSIGN_OR_RETURN(store::RegisteredModel model, store::FindModel(*stores.meta, v.model));
  const std::vector<std::string> aliases = AliasesOf(model, v.version);
  if (state.global.json) {
    PrintJson({{"version", VersionJson(v, aliases)}});
    return Status::OK();
  }
  std::vector<std::vector<std::string>> info = {
      {"model", v.model + "@" + std::to_string(v.version)},
      {"status", std::string(store::ModelVersionStatusName(v.status))},
      {"aliases", aliases.empty() ? "none" : Join(aliases)},
      {"bundle", "sha256:" + v.bundle_hash},
      {"run", v.run_id.empty() ? "-" : v.run_id},
      {"created", FormatTime(v.created_us)},
  };
  if (!v.description.empty()) info.push_back({"description", v.description});
  PrintTable({}, info);
  core::Json metrics = JsonOrText(v.metrics_json);
  std::printf("\nmetrics%s\n", metrics.empty() ? ": none" : "");
  if (metrics.is_object()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, val] : metrics.items()) {
      rows.push_back({"  " + k, val.is_number() ? FormatMetric(val.get<double>()) : val.dump()});
    }
    PrintTable({}, rows);
  } else if (!metrics.empty()) {
    std::printf("  %s\n", metrics.dump().c_str());
  }
  std::printf("\ntags%s\n", v.tags.empty() ? ": none" : "");
  std::vector<std::vector<std::string>> rows;
  for (const auto& [k, val] : v.tags) rows.push_back({"  " + k, val});
  if (!rows.empty()) PrintTable({}, rows);
  return Status::OK();
}

Status RegistryHistory(const CommandState& state, const RegistryArgs& args) {
  std::optional<int64_t> at;
  if (!args.at.empty()) {
    auto t = core::ParseTimeOrMicros(args.at);
    if (!t.ok()) return t.status().WithContext("--at");
    at = *t;
  }
  MLPIPE_ASSIGN_OR_RETURN(store::VersionRef ref, store::ParseVersionRef(args.ref, false));
  if (ref.version.has_value() || args.ref.find('@') != std::string::npos) {
    return InvalidArgumentError("registry history: expected a model name, got '" + args.ref + "'");
  }
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores stores, OpenStores(state));
  MLPIPE_ASSIGN_OR_RETURN(auto moves, stores.meta->AliasHistory(ref.name, at));
  const std::map<std::string, int64_t> held = store::AliasesAfter(moves);
  if (state.global.json) {
    core::Json js = core::Json::array();
    for (const auto& m : moves) {
      js.push_back(
          {{"time", FormatTime(m.time_us)},
           {"time_us", m.time_us},
           {"alias", m.alias},
           {"from_version", m.from_version == 0 ? core::Json() : core::Json(m.from_version)},
           {"to_version", m.to_version == 0 ? core::Json() : core::Json(m.to_version)},
           {"actor", m.actor},
           {"reason", m.reason}});
    }
    core::Json out = {{"model", ref.name}, {"moves", js}};
    if (at.has_value()) {
      out["at"] = FormatTime(*at);
      out["at_us"] = *at;
      out["aliases"] = held;
    }
    PrintJson(out);
    return Status::OK();
  }
  if (at.has_value()) {
    std::printf("aliases of %s at %s:\n", ref.name.c_str(), FormatTime(*at).c_str());
    if (held.empty()) {
      std::printf("  none\n");
    } else {
      std::vector<std::vector<std::string>> rows;
      for (const auto& [alias, v] : held) {
        rows.push_back({"  " + alias, "->", ref.name + "@" + std::to_string(v)});
      }
      PrintTable({}, rows);
    }
    std::printf("\nmoves up to then:\n");
  }
  if (moves.empty()) {
    std::printf("no alias moves\n");
    return Status::OK();
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : moves) {
    rows.push_back({FormatTime(m.time_us), m.alias,
                    VersionText(m.from_version) + " -> " + VersionText(m.to_version), m.actor,
                    m.reason});
  }
  PrintTable({"TIME", "ALIAS", "FROM -> TO", "ACTOR", "REASON"}, rows);
  return Status::OK();
}

template <typename Fn>
void SetCallback(CLI::App* cmd, CommandState& state, std::shared_ptr<RegistryArgs> args, Fn fn) {
  cmd->fallthrough();
  cmd->callback([&state, args, fn] { RunCommand(state, [&] { return fn(state, *args); }); });
}

}  // namespace

void AddRegistryCommands(CLI::App& parent, CommandState& state) {
  CLI::App* registry =
      parent.add_subcommand("registry", "Registered models, their versions and alias history");
  registry->require_subcommand(1);
  registry->fallthrough();

  auto list_args = std::make_shared<RegistryArgs>();
  CLI::App* list = registry->add_subcommand("list", "Registered models with their aliases");
  SetCallback(list, state, list_args, RegistryList);

  auto show_args = std::make_shared<RegistryArgs>();
  CLI::App* show = registry->add_subcommand(
      "show", "A model (its versions) or one version (MODEL@V, MODEL@ALIAS, MODEL@latest)");
  show->add_option("REF", show_args->ref, "MODEL, MODEL@VERSION or MODEL@ALIAS")->required();
  SetCallback(show, state, show_args, RegistryShow);

  auto history_args = std::make_shared<RegistryArgs>();
  CLI::App* history =
      registry->add_subcommand("history", "Every alias move of a model: when, who, from, to, why");
  history->add_option("MODEL", history_args->ref, "Model name")->required();
  history->add_option("--at", history_args->at,
                      "Also show which version held each alias at this time (ISO 8601)");
  SetCallback(history, state, history_args, RegistryHistory);
}

}  // namespace mlpipe::cli
