#include "mlpipe/profile/data_summary.h"

#include <cmath>
#include <filesystem>

#include "mlpipe/profile/profile.h"
#include "mlpipe/profile/schema.h"

namespace mlpipe::profile {
namespace {

core::Json Number(double v) { return std::isfinite(v) ? core::Json(v) : core::Json(nullptr); }

core::Json Summarise(const TableProfile& p, uint64_t rows_seen) {
  core::Json cols = core::Json::array();
  for (const auto& c : p.columns) {
    core::Json j = {{"name", c.name},
                    {"type", std::string(table::DataTypeName(c.type))},
                    {"count", c.count},
                    {"missing", c.missing},
                    {"missing_share", c.missing_share},
                    {"distinct", c.distinct}};
    if (c.numeric) {
      j["mean"] = Number(c.numeric->mean);
      j["std"] = Number(c.numeric->std);
      j["min"] = Number(c.numeric->min);
      j["median"] = Number(c.numeric->median);
      j["max"] = Number(c.numeric->max);
    }
    core::Json top = core::Json::array();
    for (const auto& v : c.top) top.push_back({{"value", v.value}, {"count", v.count}});
    j["top"] = std::move(top);
    cols.push_back(std::move(j));
  }
  return {{"rows_seen", rows_seen}, {"columns", std::move(cols)}};
}

}  // namespace

Result<core::Json> SummariseData(const table::Table& data, const std::string& path) {
  MLPIPE_ASSIGN_OR_RETURN(Schema schema, InferSchema(data));
  schema.source = std::filesystem::path(path).filename().string();
  ProfileOptions options;
  options.max_association_pairs = 0;
  MLPIPE_ASSIGN_OR_RETURN(TableProfile prof, ProfileTable(data, options, path));
  return core::Json{{"schema", schema.ToJson()}, {"summary", Summarise(prof, data.num_rows())}};
}

}  // namespace mlpipe::profile
