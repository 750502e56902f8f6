#!/usr/bin/env bash
# The incremental-run benchmark (docs/benchmark.md, "Incremental runs"): a 120-day, 1M-row bronze
# with one file per region, layout and day; a full run over all days but the last, then the last
# day added and an incremental run. Wall time and peak RSS of each run, on embedded Flink p=2 and on
# the DirectRunner; then the cost that does not scale with new data: a run with nothing new, and one
# new file, over 10,000 small processed files.
#
#   bench/incremental.sh [work-dir]      (default: target/incremental-bench; needs ~3 GB)
#
# Prints one line per run: label, wall seconds, peak RSS MiB, and the run's own summary line.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$here/target/incremental-bench}
tl=$here/trendlake
rows=${ROWS:-1000000}
mkdir -p "$work"

measure() { # label, then the trendlake arguments
  local label=$1
  shift
  local log=$work/$label.log
  /usr/bin/time -f '%e %M' -o "$work/$label.time" "$tl" "$@" --warehouse=none >"$log" 2>&1 ||
    { echo "$label failed:"; tail -20 "$log"; exit 1; }
  read -r secs kb <"$work/$label.time"
  printf '%-28s %8.1f s %8.0f MiB   %s\n' "$label" "$secs" "$((kb / 1024))" \
    "$(grep -m1 -E 'this run:|nothing new|read [0-9]+ records' "$log" | sed 's/^ *//' | cut -c1-110)"
}

# 1. The bronze: every day in its own files; the last day of each layout held back.
src=$work/generated
if [ ! -f "$src/_expected.json" ]; then
  "$tl" generate --rows="$rows" --output="$src" --filePerDay --overwrite >/dev/null
fi
last_days="ts=20180313 ts=20201209" # day 120 of the Kaggle and of the API layout
for runner in flink direct; do
  bronze=$work/bronze-$runner
  rm -rf "$bronze" "$work/lake-$runner"
  cp -r "$src" "$bronze"
  held=$work/held-$runner
  rm -rf "$held" && mkdir -p "$held"
  for d in $last_days; do
    find "$bronze/raw_statistics" -type d -name "${d}0000" | while read -r dir; do
      rel=${dir#"$bronze"/}
      mkdir -p "$held/$(dirname "$rel")"
      mv "$dir" "$held/$rel"
    done
  done
  opts=(--runner=DirectRunner)
  [ "$runner" = flink ] && opts=(--runner=FlinkRunner --parallelism=2)
  measure "$runner-full-119-days" run --input="$bronze" --output="$work/lake-$runner" --mode=full "${opts[@]}"
  cp -r "$held/raw_statistics/." "$bronze/raw_statistics/"
  measure "$runner-incremental-+1-day" run --input="$bronze" --output="$work/lake-$runner" "${opts[@]}"
  measure "$runner-nothing-new" run --input="$bronze" --output="$work/lake-$runner" "${opts[@]}"
done

# 2. 10,000 small processed files: what a run costs that reads nothing, and one that reads one.
small=$work/small-bronze
if [ ! -d "$small/raw_statistics" ]; then
  one=$(find "$src/raw_statistics/region=us" -name '*.csv' | sort | head -1)
  header=$(head -1 "$one")
  mkdir -p "$small/raw_statistics_reference_data"
  cp "$src"/raw_statistics_reference_data/*.json "$small/raw_statistics_reference_data/"
  # each file: the header and one record of its own day (a real row of the generated bronze)
  for i in $(seq 0 9999); do
    day=$(date -u -d "2017-11-14 + $((i / 100)) days" +%Y%m%d)
    dir=$small/raw_statistics/region=us/ts=${day}0000
    mkdir -p "$dir"
    printf '%s\r\n' "$header" >"$dir/part-$i.csv"
    sed -n "$((i % 500 + 2))p" "$one" >>"$dir/part-$i.csv"
  done
fi
rm -rf "$work/lake-small" "$small/raw_statistics/region=us/ts=201711140000/zz-new.csv"
measure "small-10k-full" run --input="$small" --output="$work/lake-small" --runner=DirectRunner --mode=full
measure "small-10k-nothing-new" run --input="$small" --output="$work/lake-small" --runner=DirectRunner
cp "$small/raw_statistics/region=us/ts=201711140000/part-0.csv" "$small/raw_statistics/region=us/ts=201711140000/zz-new.csv"
measure "small-10k-+1-file" run --input="$small" --output="$work/lake-small" --runner=DirectRunner
echo "manifest: $(du -h "$work/lake-small/_manifests/latest.json" | cut -f1) for 10,001 files; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
