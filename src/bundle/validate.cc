#include "validate.h"

#include <algorithm>

#include <fmt/format.h>

namespace mlpipe::bundle::internal {
namespace {

class PartChecker {
 public:
  PartChecker(std::string_view source, std::string_view part)
      : prefix_(fmt::format("{}: part {}: ", source, part)) {}

  Status Fail(const std::string& field, const std::string& what) const {
    return InvalidArgumentError(prefix_ + field + ": " + what);
  }
  Status Expect(bool ok, const std::string& field, const char* want, const core::Json& j) const {
    if (ok) return Status::OK();
    return Fail(field, fmt::format("expected {}, found {}", want, j.type_name()));
  }

 private:
  std::string prefix_;
};

Status ValidateGolden(const ModelBundle& b, std::string_view source) {
  const PartChecker check(source, "golden.json");
  const core::Json& g = b.golden;
  MLPIPE_RETURN_IF_ERROR(check.Expect(g.is_object(), "(top level)", "an object", g));
  for (const char* key : {"rows", "expected"}) {
    if (!g.contains(key)) return check.Fail(key, "missing");
    MLPIPE_RETURN_IF_ERROR(check.Expect(g[key].is_array(), key, "a list", g[key]));
  }
  const core::Json& rows = g["rows"];
  const core::Json& expected = g["expected"];
  if (expected.size() != rows.size()) {
    return check.Fail("expected",
                      fmt::format("{} entries for {} rows", expected.size(), rows.size()));
  }
  if (g.contains("columns")) {
    const core::Json& cols = g["columns"];
    MLPIPE_RETURN_IF_ERROR(check.Expect(cols.is_array(), "columns", "a list", cols));
    for (size_t i = 0; i < cols.size(); ++i) {
      MLPIPE_RETURN_IF_ERROR(
          check.Expect(cols[i].is_string(), fmt::format("columns[{}]", i), "a string", cols[i]));
    }
  }
  if (g.contains("source_rows")) {
    const core::Json& src = g["source_rows"];
    MLPIPE_RETURN_IF_ERROR(check.Expect(src.is_array(), "source_rows", "a list", src));
    for (size_t i = 0; i < src.size(); ++i) {
      MLPIPE_RETURN_IF_ERROR(check.Expect(src[i].is_number_unsigned(),
                                          fmt::format("source_rows[{}]", i),
                                          "a non-negative integer", src[i]));
    }
  }
  const size_t ncols = b.schema.columns.size();
  for (size_t r = 0; r < rows.size(); ++r) {
    const std::string field = fmt::format("rows[{}]", r);
    MLPIPE_RETURN_IF_ERROR(check.Expect(rows[r].is_array(), field, "a list", rows[r]));
    if (rows[r].size() != ncols) {
      return check.Fail(field,
                        fmt::format("{} values for {} schema columns", rows[r].size(), ncols));
    }
    for (size_t k = 0; k < ncols; ++k) {
      const core::Json& v = rows[r][k];
      MLPIPE_RETURN_IF_ERROR(check.Expect(
          v.is_primitive(), fmt::format("{}[{}] ('{}')", field, k, b.schema.columns[k].name),
          "a value", v));
    }
  }
  const bool regression = b.task == models::Task::kRegression;
  for (size_t r = 0; r < expected.size(); ++r) {
    const std::string field = fmt::format("expected[{}]", r);
    const core::Json& e = expected[r];
    MLPIPE_RETURN_IF_ERROR(check.Expect(e.is_object(), field, "an object", e));
    // Non-finite numbers are written as null by JSON.
    auto number = [](const core::Json& j) { return j.is_number() || j.is_null(); };
    if (regression) {
      if (!e.contains("prediction")) return check.Fail(field + ".prediction", "missing");
      MLPIPE_RETURN_IF_ERROR(check.Expect(number(e["prediction"]), field + ".prediction",
                                          "a number", e["prediction"]));
      continue;
    }
    if (!e.contains("predicted")) return check.Fail(field + ".predicted", "missing");
    const core::Json& p = e["predicted"];
    MLPIPE_RETURN_IF_ERROR(check.Expect(p.is_string(), field + ".predicted", "a string", p));
    if (std::find(b.classes.begin(), b.classes.end(), p.get<std::string>()) == b.classes.end()) {
      return check.Fail(field + ".predicted", fmt::format("'{}' is not one of the bundle's classes",
                                                          p.get<std::string>()));
    }
    if (!e.contains("probabilities")) return check.Fail(field + ".probabilities", "missing");
    const core::Json& probs = e["probabilities"];
    MLPIPE_RETURN_IF_ERROR(
        check.Expect(probs.is_array(), field + ".probabilities", "a list", probs));
    if (probs.size() != b.classes.size()) {
      return check.Fail(field + ".probabilities",
                        fmt::format("{} values for {} classes", probs.size(), b.classes.size()));
    }
    for (size_t c = 0; c < probs.size(); ++c) {
      MLPIPE_RETURN_IF_ERROR(check.Expect(
          number(probs[c]), fmt::format("{}.probabilities[{}]", field, c), "a number", probs[c]));
    }
  }
  return Status::OK();
}

}  // namespace

Status ValidateParts(const ModelBundle& b, std::string_view source) {
  struct ObjectPart {
    const char* name;
    const core::Json* json;
  };
  for (const ObjectPart& p :
       {ObjectPart{"features.json", &b.features}, ObjectPart{"reference.json", &b.reference},
        ObjectPart{"metrics.json", &b.metrics}, ObjectPart{"lineage.json", &b.lineage}}) {
    MLPIPE_RETURN_IF_ERROR(PartChecker(source, p.name)
                               .Expect(p.json->is_object(), "(top level)", "an object", *p.json));
  }
  if (b.task != models::Task::kRegression && b.classes.size() < 2) {
    return InvalidArgumentError(
        fmt::format("{}: manifest: classes: {} listed, a classifier needs "
                    "at least 2",
                    source, b.classes.size()));
  }
  return ValidateGolden(b, source);
}

}  // namespace mlpipe::bundle::internal
