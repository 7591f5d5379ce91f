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

  std::string from = " FROM runs r JOIN experiments e ON e.id = r.experiment_id ";
  from.append(q.joins).append(" WHERE (").append(q.where).append(")");
  std::vector<SqlValue> params = q.join_params;
  params.insert(params.end(), q.where_params.begin(), q.where_params.end());
  if (!query.experiment.empty()) {
    from.append(" AND e.name = ?");
    params.push_back(query.experiment);
  }

  RunPage page;
  std::string count_sql = "SELECT COUNT(*)";
  count_sql.append(from);
  MLPIPE_ASSIGN_OR_RETURN(auto count, db_->Query(count_sql, params));
  page.total = count.empty() ? 0 : count[0].Int(0);

  std::string sql = "SELECT ";
  sql.append(kRunInfoColumns).append(from).append(" ORDER BY ").append(q.order_by);
  sql.append(" LIMIT ? OFFSET ?");
  params.push_back(query.limit);
  params.push_back(query.offset);
  MLPIPE_ASSIGN_OR_RETURN(auto rows, db_->Query(sql, params));
  page.runs.reserve(rows.size());
  for (const auto& r : rows) {
    MLPIPE_ASSIGN_OR_RETURN(RunInfo info, RunInfoFromRow(r));
    page.runs.push_back(std::move(info));
  }
  return page;
}

}  // namespace mlpipe::store
