#!/usr/bin/env bash
# The main job, run by `make demo`: the declared pipeline (`mlpipe run`) of the
# two example projects, from data file to a governed model version.
#
#  1. examples/credit-risk (credit-g.csv, `sex` derived from personal_status,
#     sex / age / foreign_worker protected): every step runs and is recorded;
#     personal_status is reported as a proxy of sex; the model meets its KPI but
#     not its fairness constraints, so its gates fail (exit 1, expected) and
#     promotion is refused. A second run skips every step (cached), and
#     `mlpipe reproduce` rebuilds a byte-identical bundle.
#  2. examples/credit-data (credit_data.csv, with missing values): the model
#     passes every gate but the approval (exit 0); a credit officer approves, and it is
#     promoted to champion.
#
# The projects are copied to build/demo/ so that the repository stays clean.
set -euo pipefail
MLPIPE=$(realpath "${1:-build/bin/mlpipe}")
cd "$(dirname "$0")/.."
OUT=build/demo
rm -rf "$OUT"
mkdir -p "$OUT"
cp -r examples/credit-risk examples/credit-data examples/data "$OUT/"

expect() {  # expect STATUS COMMAND...: run, and fail the demo on another exit status
  local want=$1
  shift
  set +e
  "$@"
  local got=$?
  set -e
  if [ "$got" -ne "$want" ]; then
    echo "demo: expected exit $want from: $*, got $got" >&2
    exit 1
  fi
}

echo "== credit-risk: mlpipe run (its fairness gates fail: exit 1 expected)"
expect 1 "$MLPIPE" --project "$OUT/credit-risk" run
echo
echo "== credit-risk: mlpipe promote credit-risk@1 --to champion (refused: exit 1 expected)"
expect 1 "$MLPIPE" --project "$OUT/credit-risk" promote credit-risk@1 --to champion
echo
echo "== credit-risk: mlpipe run again (every step cached)"
expect 1 "$MLPIPE" --project "$OUT/credit-risk" -q run
"$MLPIPE" --project "$OUT/credit-risk" runs list
RUN=$("$MLPIPE" --project "$OUT/credit-risk" --json runs list |
  /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["runs"][-1]["run_id"])')
echo
echo "== credit-risk: mlpipe reproduce $RUN"
"$MLPIPE" --project "$OUT/credit-risk" reproduce "$RUN"

echo
echo "== credit-data: mlpipe run"
expect 0 "$MLPIPE" --project "$OUT/credit-data" run
echo
echo "== credit-data: a credit officer approves, then promotion to champion"
"$MLPIPE" --project "$OUT/credit-data" approve credit-scoring@1 --role credit-officer --by ana
"$MLPIPE" --project "$OUT/credit-data" promote credit-scoring@1 --to champion
"$MLPIPE" --project "$OUT/credit-data" registry show credit-scoring@champion
echo
echo "== credit-data: the audit log's hash chain"
"$MLPIPE" --project "$OUT/credit-data" audit verify
echo
echo "Reports: $OUT/credit-risk/reports/ and $OUT/credit-data/reports/ (model cards, profiles)"
