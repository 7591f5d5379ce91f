// SearchRuns: the run query (run_query.h compiles the filter and the order)
// over runs joined with their experiment, with the total count of matches and
// one LIMIT/OFFSET page.
#include <string>
#include <vector>

#include "run_query.h"
#include "sql_metadata_store.h"
#include "tracking_rows.h"

namespace mlpipe::store {

Result<RunPage> SqlMetadataStore::SearchRuns(const RunQuery& query) {
  if (query.limit < 0) {
    return InvalidArgumentError("run search: limit must be >= 0, got " +
                                std::to_string(query.limit));
  }
  if (query.offset < 0) {
    return InvalidArgumentError("run search: offset must be >= 0, got " +
                                std::to_string(query.offset));
  }
  MLPIPE_ASSIGN_OR_RETURN(CompiledRunQuery q,
                          CompileRunQuery(query.filter, query.order_by, db_->dialect()));
  if (!query.experiment.empty()) {
    MLPIPE_ASSIGN_OR_RETURN(
        auto found, db_->Query("SELECT 1 FROM experiments WHERE name = ?", {query.experiment}));
    if (found.empty()) return NotFoundError("experiment '" + query.experiment + "' not found");
  }

  std::string where = " WHERE (";
  where.append(q.where).append(")");
  std::vector<SqlValue> where_params = q.where_params;
  if (!query.experiment.empty()) {
    where.append(" AND e.name = ?");
    where_params.push_back(query.experiment);
  }
  const std::string from = " FROM runs r JOIN experiments e ON e.id = r.experiment_id ";

  // One query yields the page and, through COUNT(*) OVER (), the number of
  // matches before paging, so the filter runs once. Only a page past the end
  // (or LIMIT 0) has no row to carry the count; then it is counted apart,
  // without the order-by joins (each a LEFT JOIN on a unique (run_id, key),
  // which neither adds nor removes rows).
  std::vector<SqlValue> params = q.join_params;
  params.insert(params.end(), where_params.begin(), where_params.end());
  std::string sql = "SELECT ";
  sql.append(kRunInfoColumns).append(", COUNT(*) OVER ()").append(from).append(q.joins);
  sql.append(where).append(" ORDER BY ").append(q.order_by).append(" LIMIT ? OFFSET ?");
  params.push_back(query.limit);
  params.push_back(query.offset);
  MLPIPE_ASSIGN_OR_RETURN(auto rows, db_->Query(sql, params));
  RunPage page;
  page.runs.reserve(rows.size());
  for (const auto& r : rows) {
    MLPIPE_ASSIGN_OR_RETURN(RunInfo info, RunInfoFromRow(r));
    page.runs.push_back(std::move(info));
  }
  if (!rows.empty()) {
    page.total = rows[0].Int(rows[0].values.size() - 1);
  } else if (query.offset > 0 || query.limit == 0) {
    std::string count_sql = "SELECT COUNT(*)";
    count_sql.append(from).append(where);
    MLPIPE_ASSIGN_OR_RETURN(auto count, db_->Query(count_sql, where_params));
    page.total = count.empty() ? 0 : count[0].Int(0);
  }
  return page;
}

}  // namespace mlpipe::store
