// ModelBundle <-> container parts.
#include "mlpipe/bundle/bundle.h"

#include <fmt/format.h>

#include "mlpipe/core/sha256.h"
#include "validate.h"

namespace mlpipe::bundle {
namespace {

Result<core::Json> ParsePart(const Container& c, const std::string& name, std::string_view src) {
  const std::string* text = c.Find(name);
  if (text == nullptr) return DataLossError(fmt::format("{}: part {} is missing", src, name));
  auto j = core::ParseJson(*text, fmt::format("{}: part {}", src, name));
  if (!j.ok()) return DataLossError(j.status().message());
  return std::move(*j);
}

}  // namespace

Result<std::string> EncodeBundle(const ModelBundle& b) {
  core::Json header = {{"created_by", b.created_by}, {"task", models::TaskName(b.task)},
                       {"target", b.target},         {"family", b.family},
                       {"classes", b.classes},       {"positive", b.positive},
                       {"threshold", b.threshold}};
  if (b.created_us != 0) header["created_us"] = b.created_us;
  std::vector<NamedPart> parts = {
      {"schema.json", b.schema.ToJson().dump()},
      {"features.json", b.features.dump()},
      {"model.json", b.model},
      {"reference.json", b.reference.dump()},
      {"golden.json", b.golden.dump()},
      {"metrics.json", b.metrics.dump()},
      {"lineage.json", b.lineage.is_null() ? "{}" : b.lineage.dump()},
  };
  return EncodeContainer(header, parts);
}

Result<ModelBundle> DecodeBundle(std::string_view bytes, std::string_view source) {
  MLPIPE_ASSIGN_OR_RETURN(Container c, DecodeContainer(bytes, source));
  const std::string ctx = std::string(source) + ": manifest";
  ModelBundle b;
  auto fail = [](const Status& s) { return DataLossError(s.message()); };
  const core::Json& h = c.header;
  auto version = core::GetField<int>(h, "format_version", ctx);
  auto by = core::GetField<std::string>(h, "created_by", ctx);
  auto task = core::GetField<std::string>(h, "task", ctx);
  auto target = core::GetField<std::string>(h, "target", ctx);
  auto family = core::GetFieldOr<std::string>(h, "family", ctx, "");
  auto classes = core::GetField<std::vector<std::string>>(h, "classes", ctx);
  auto positive = core::GetField<std::string>(h, "positive", ctx);
  auto threshold = core::GetField<double>(h, "threshold", ctx);
  auto created = core::GetFieldOr<int64_t>(h, "created_us", ctx, 0);
  for (const Status& s :
       {version.status(), by.status(), task.status(), target.status(), family.status(),
        classes.status(), positive.status(), threshold.status(), created.status()}) {
    if (!s.ok()) return fail(s);
  }
  auto parsed_task = models::ParseTask(*task);
  if (!parsed_task.ok()) return fail(parsed_task.status().WithContext(ctx + ".task"));
  b.format_version = *version;
  b.created_by = *by;
  b.created_us = *created;
  b.task = *parsed_task;
  b.target = *target;
  b.family = *family;
  b.classes = *classes;
  b.positive = *positive;
  b.threshold = *threshold;

  const std::string src(source);
  MLPIPE_ASSIGN_OR_RETURN(core::Json schema, ParsePart(c, "schema.json", src));
  auto parsed_schema = profile::Schema::FromJson(schema, src + ": part schema.json");
  if (!parsed_schema.ok()) return fail(parsed_schema.status());
  b.schema = std::move(*parsed_schema);
  MLPIPE_ASSIGN_OR_RETURN(b.features, ParsePart(c, "features.json", src));
  const std::string* model = c.Find("model.json");
  if (model == nullptr) return DataLossError(src + ": part model.json is missing");
  b.model = *model;
  MLPIPE_ASSIGN_OR_RETURN(b.reference, ParsePart(c, "reference.json", src));
  MLPIPE_ASSIGN_OR_RETURN(b.golden, ParsePart(c, "golden.json", src));
  MLPIPE_ASSIGN_OR_RETURN(b.metrics, ParsePart(c, "metrics.json", src));
  MLPIPE_ASSIGN_OR_RETURN(b.lineage, ParsePart(c, "lineage.json", src));
  MLPIPE_RETURN_IF_ERROR(internal::ValidateParts(b, src));
  b.parts = std::move(c.parts);
  b.sha256 = core::Sha256Hex(bytes);
  return b;
}

Result<ModelBundle> ReadBundleFile(core::Env* env, const std::string& path) {
  MLPIPE_ASSIGN_OR_RETURN(std::string bytes, env->ReadFile(path));
  return DecodeBundle(bytes, path);
}

Status WriteBundleFile(core::Env* env, const std::string& path, const ModelBundle& bundle) {
  MLPIPE_ASSIGN_OR_RETURN(std::string bytes, EncodeBundle(bundle));
  return env->WriteFileAtomic(path, bytes);
}

}  // namespace mlpipe::bundle
