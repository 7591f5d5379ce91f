// The JSON form of a profile. Every key is documented in docs/profile.md;
// change both together and bump kFormatVersion when a key changes meaning.
#include <cmath>

#include "mlpipe/profile/profile_output.h"

namespace mlpipe::profile {
namespace {

constexpr int kFormatVersion = 1;

// NaN and infinities become null.
core::Json Num(double v) { return std::isfinite(v) ? core::Json(v) : core::Json(nullptr); }

core::Json ValueCounts(const std::vector<ValueCount>& values) {
  core::Json out = core::Json::array();
  for (const auto& v : values) out.push_back({{"value", v.value}, {"count", v.count}});
  return out;
}

core::Json NumericJson(const NumericSummary& s) {
  core::Json edges = core::Json::array();
  for (double e : s.histogram.edges) edges.push_back(Num(e));
  return {{"mean", Num(s.mean)},
          {"std", Num(s.std)},
          {"min", Num(s.min)},
          {"q1", Num(s.q1)},
          {"median", Num(s.median)},
          {"q3", Num(s.q3)},
          {"max", Num(s.max)},
          {"skewness", Num(s.skewness)},
          {"kurtosis", Num(s.kurtosis)},
          {"zeros", s.zeros},
          {"outliers_iqr", s.outliers_iqr},
          {"outliers_z", s.outliers_z},
          {"histogram", {{"edges", edges}, {"counts", s.histogram.counts}}}};
}

core::Json ColumnJson(const ColumnProfile& c) {
  core::Json j = {{"name", c.name},
                  {"type", std::string(table::DataTypeName(c.type))},
                  {"count", c.count},
                  {"missing", c.missing},
                  {"missing_share", Num(c.missing_share)},
                  {"distinct", c.distinct},
                  {"top", ValueCounts(c.top)}};
  j["numeric"] = c.numeric ? NumericJson(*c.numeric) : core::Json(nullptr);
  return j;
}

core::Json TargetJson(const TargetSummary& t) {
  return {{"column", t.column},
          {"task", t.classification ? "classification" : "regression"},
          {"learning_task", std::string(table::TaskName(t.task))},
          {"classes", ValueCounts(t.classes)},
          {"positive", t.classification ? core::Json(t.positive) : core::Json(nullptr)},
          {"positive_rate", t.classification ? Num(t.positive_rate) : core::Json(nullptr)},
          {"mean", t.classification ? core::Json(nullptr) : Num(t.mean)},
          {"missing", t.missing}};
}

core::Json ProtectedJson(const ProtectedSummary& p) {
  core::Json groups = core::Json::array();
  for (const auto& g : p.groups) {
    groups.push_back({{"group", g.group}, {"rows", g.rows}, {"rate", Num(g.rate)}});
  }
  core::Json edges = core::Json::array();
  for (double e : p.edges) edges.push_back(Num(e));
  return {{"column", p.column},
          {"binned", p.binned},
          {"edges", edges},
          {"groups", groups},
          {"missing", p.missing},
          {"max_gap", Num(p.max_gap)},
          {"min_ratio", Num(p.min_ratio)}};
}

}  // namespace

core::Json ProfileToJson(const TableProfile& p) {
  core::Json columns = core::Json::array();
  for (const auto& c : p.columns) columns.push_back(ColumnJson(c));
  core::Json pairs = core::Json::array();
  for (const auto& a : p.associations.pairs) {
    pairs.push_back({{"a", a.a},
                     {"b", a.b},
                     {"method", std::string(AssociationMethodName(a.method))},
                     {"value", Num(a.value)},
                     {"rows", a.rows}});
  }
  core::Json warnings = core::Json::array();
  for (const auto& w : p.warnings) {
    warnings.push_back({{"rule", w.rule},
                        {"severity", std::string(WarningSeverityName(w.severity))},
                        {"column", w.column.empty() ? core::Json(nullptr) : core::Json(w.column)},
                        {"message", w.message}});
  }
  core::Json groups = core::Json::array();
  for (const auto& g : p.protected_groups) groups.push_back(ProtectedJson(g));
  core::Json j;
  j["format_version"] = kFormatVersion;
  j["source"] = p.source;
  j["rows"] = p.rows;
  j["columns"] = columns;
  j["duplicate_rows"] = p.duplicate_rows;
  j["missing_cells"] = p.missing_cells;
  j["constant_columns"] = p.constant_columns;
  j["high_cardinality_columns"] = p.high_cardinality_columns;
  j["associations"] = {
      {"pairs", pairs},
      {"pairs_skipped", p.associations.pairs_skipped},
      {"excluded_columns", p.associations.excluded_columns},
      {"sample_rows",
       p.associations.sample_rows ? core::Json(p.associations.sample_rows) : core::Json(nullptr)}};
  j["target"] = p.target ? TargetJson(*p.target) : core::Json(nullptr);
  j["protected"] = groups;
  j["warnings"] = warnings;
  return j;
}

}  // namespace mlpipe::profile
