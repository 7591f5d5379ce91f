// The run query language of `mlpipe runs search`, compiled to SQL.
//
//   metrics.roc_auc > 0.8 and params.model = 'gbdt'
//   tags.team = 'risk' or not (attributes.status = 'FAILED')
//   params.model IN ('gbdt', 'rf') and metrics.rmse <= 500
//
// Grammar (keywords case-insensitive):
//   expr    := or
//   or      := and ('or' and)*
//   and     := unary ('and' unary)*
//   unary   := 'not' unary | '(' expr ')' | compare
//   compare := operand op literal | operand ['not'] 'in' '(' literal (',' literal)* ')'
//   op      := = | != | <> | < | <= | > | >= | like | ilike
//   operand := metrics.KEY | params.KEY | tags.KEY | attributes.NAME | NAME
//   KEY     := identifier ([A-Za-z0-9_.-] after the prefix) or a "double-quoted" or
//              `backquoted` name
//   literal := number | 'single-quoted string' (two quotes escape one)
// attributes: run_id, experiment, name, status, start_time, end_time, user, host,
// git_commit, seed (a bare NAME means attributes.NAME). metrics compare with
// numbers; params, tags and text attributes with strings (params also compare
// numerically when the literal is a number and the value parses as one).
//
// Errors are kInvalidArgument and point at the position:
//   "query: column 22: expected a value after '>', found end of query"
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/store/sql.h"

namespace mlpipe::store {

// SQL fragments for
//   SELECT ... FROM runs r JOIN experiments e ON e.id = r.experiment_id
//   <joins> WHERE <where> ORDER BY <order_by>
// Bind join_params first, then where_params. `where` is "1=1" for an empty
// filter; `order_by` defaults to "r.start_us DESC, r.run_id" and always ends
// with r.run_id so that paging is stable.
struct CompiledRunQuery {
  std::string joins;
  std::vector<SqlValue> join_params;
  std::string where;
  std::vector<SqlValue> where_params;
  std::string order_by;
};

Result<CompiledRunQuery> CompileRunQuery(std::string_view filter,
                                         const std::vector<std::string>& order_by,
                                         SqlDialect dialect);

}  // namespace mlpipe::store
