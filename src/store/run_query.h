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
//   compare := operand op literal
//            | operand ['not'] 'in' '(' literal (',' literal)* ')'
//            | operand ['not'] ('like' | 'ilike') 'pattern'
//   op      := = | == | != | <> | < | <= | > | >=
//   operand := metrics.KEY | params.KEY | tags.KEY | attributes.NAME | NAME
//              (prefixes also in the singular: metric., param., tag., attribute.)
//   KEY     := [A-Za-z0-9_.-]+ after the prefix, or a "double-quoted" or
//              `backquoted` name (two quotes escape one)
//   literal := number | 'single-quoted string' (two quotes escape one)
// attributes: run_id, experiment, name, status, start_time, end_time, user,
// host, git_commit, seed (a bare NAME means attributes.NAME).
//
// Meaning:
// - metrics.KEY is the run's latest value; it compares with numbers only.
//   `metrics.k != 1` (and NOT IN) means the run has k with another value;
//   `not metrics.k = 1` also holds for runs without k.
// - params and tags compare as text with strings, and numerically with
//   numbers when the value reads as one ("10" > 4; "auto" matches no number).
// - status compares case-insensitively with RUNNING, FINISHED, FAILED, KILLED.
// - start_time / end_time take microseconds since the epoch or an ISO-8601
//   date or date-time ('2026-11-26', '2026-11-26T10:00:00Z', '... +02:00');
//   no zone means UTC.
// - LIKE is case-sensitive and ILIKE is not, on both backends (SQLite: GLOB and
//   LIKE; ILIKE folds ASCII only there). `%` and `_` are wildcards; a backslash
//   makes the next character literal. Only text operands accept them.
//
// order_by entries: `OPERAND [ASC|DESC]` (several per entry with commas).
// Each metric, param or tag key adds a LEFT JOIN; runs without the key sort
// last in both directions. Text sorts by code point on both backends.
//
// Limits: 'not' and parentheses nest at most 32 deep and a query holds at
// most 500 conditions (SQLite's parser and expression depth); a number beyond
// a double or a time beyond int64 microseconds is an error, never a bound
// that matches every run.
//
// Errors are kInvalidArgument and point at the 1-based column:
//   "query: column 18: expected a value after '>', found end of query"
//   "order-by: 'metrics.auc UP': column 13: expected ASC, DESC or ',' ..."
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"
#include "sql.h"

namespace mlpipe::store {

// SQL fragments for
//   SELECT ... FROM runs r JOIN experiments e ON e.id = r.experiment_id
//   <joins> WHERE <where> ORDER BY <order_by>
// Bind join_params first, then where_params. `where` is "1=1" for an empty
// filter and otherwise parenthesised, so it can be AND-ed with more
// conditions. `order_by` defaults to "r.start_us DESC, r.run_id" and always
// ends with r.run_id so that paging is stable. User text only ever travels in
// the parameters, and the SQL holds no `?` other than placeholders.
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
