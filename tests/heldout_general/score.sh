#!/usr/bin/env bash
# Extract every document of tests/heldout_general/<dev|test> and score it against its gold.
# usage (from the project root): tests/heldout_general/score.sh test [KOMMUNEGRAF]
set -u
set_=${1:-test}; kg=${2:-.venv/bin/kommunegraf}
here=$(cd "$(dirname "$0")" && pwd)
t=$(mktemp -d); mkdir -p "$t/gold" "$t/pred"
for f in "$here/$set_"/*.txt "$here/$set_"/*.html; do [ -f "$f" ] || continue
  s=$(basename "${f%.*}"); cp "$here/$set_/$s.gold.json" "$t/gold/$s.json"
  "$kg" extract "$f" --format json >"$t/pred/$s.json" 2>/dev/null || echo "extract failed: $s"; done
python3 "$here/../../../shared/tools/eval_records.py" "$t/gold" "$t/pred" | grep -E "^(items|item.case_number|item.title|decisions|decision.outcome|municipality|meeting.committee|meeting.start_time|meeting.location) "
rm -rf "$t"
