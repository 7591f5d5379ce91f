#!/usr/bin/env bash
# The main job, run by `make demo`: profile the credit data, infer its schema,
# validate the file against it, then validate a new batch with problems in it.
set -euo pipefail
MLPIPE=${1:-build/bin/mlpipe}
cd "$(dirname "$0")/.."
OUT=build/demo
mkdir -p "$OUT"
DATA=examples/data/credit_data.csv

echo "== mlpipe data profile $DATA"
"$MLPIPE" data profile "$DATA" --target Status --protected Marital \
  --html "$OUT/credit_data_profile.html" --json "$OUT/credit_data_profile.json"

echo
echo "== mlpipe data schema $DATA"
"$MLPIPE" data schema "$DATA" -o "$OUT/credit_data.schema.json"

echo
echo "== mlpipe data validate $DATA (the data the schema came from)"
"$MLPIPE" data validate "$DATA" --schema "$OUT/credit_data.schema.json"

# A new batch: the same file with an unseen category, impossible ages and a
# missing Income column, as a data feed that changed upstream would look.
awk -F, 'BEGIN{OFS=","}
  NR==1 { for (i = 1; i <= NF; i++) if ($i == "Income" || $i == "\"Income\"") inc = i }
  { if (NR > 1 && NR % 97 == 0) $3 = "leasehold"
    if (NR > 1 && NR % 211 == 0) $5 = 150
    line = ""
    for (i = 1; i <= NF; i++) if (i != inc) line = line (line == "" ? "" : ",") $i
    print line }' "$DATA" > "$OUT/credit_data_new_batch.csv"

echo
echo "== mlpipe data validate $OUT/credit_data_new_batch.csv (a changed feed; exit 1 expected)"
set +e
"$MLPIPE" data validate "$OUT/credit_data_new_batch.csv" --schema "$OUT/credit_data.schema.json" \
  --json "$OUT/new_batch_validation.json"
status=$?
set -e
if [ "$status" -ne 1 ]; then
  echo "demo: expected validation to find errors (exit 1), got exit $status" >&2
  exit 1
fi
echo
echo "Reports: $OUT/credit_data_profile.html, $OUT/new_batch_validation.json"
