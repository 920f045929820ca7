#!/usr/bin/env bash
# Sharded sweep against one process, measured in one sitting (issue 14's
# performance target): the sweep of workflow/sweep.toml (18 cases) with
# YEARS stochastic years per case,
#   single:  landlinked sweep --shard 1/1 --threads 2
#   sharded: landlinked sweep --shard 1/2 --threads 1 & --shard 2/2 --threads 1
#            (both at once, wall time until the second ends)
#   merge:   landlinked merge of the two parts
# alternated ROUNDS times (single, sharded, merge, single, ...) so that the
# machine's drift falls on both. Prints one JSON line per round and a
# summary with the medians and the ratios sharded / single and
# merge / sharded. Run on a quiet machine:
#
#   bash benches/measure-sweep.sh [YEARS=5] [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
years=${1:-5}
rounds=${2:-3}
cargo build --release -q --bin landlinked
bin=${CARGO_TARGET_DIR:-target}/release/landlinked
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grid=$(pwd)/grids/central_asia/central_asia.toml
sed -e "s|^grid = .*|grid = \"$grid\"|" -e "s|^years = .*|years = $years|" \
  workflow/sweep.toml >"$work/sweep.toml"

now() { date +%s.%N; }
single=() sharded=() merge=()
for r in $(seq 1 "$rounds"); do
  rm -rf "$work/single" "$work/p1" "$work/p2" "$work/merged"
  t0=$(now)
  "$bin" --quiet --threads 2 sweep "$work/sweep.toml" --shard 1/1 --out "$work/single"
  t1=$(now)
  "$bin" --quiet --threads 1 sweep "$work/sweep.toml" --shard 1/2 --out "$work/p1" &
  a=$!
  "$bin" --quiet --threads 1 sweep "$work/sweep.toml" --shard 2/2 --out "$work/p2" &
  b=$!
  wait $a
  wait $b
  t2=$(now)
  "$bin" --quiet merge "$work/p1" "$work/p2" --out "$work/merged"
  t3=$(now)
  s=$(echo "$t1 - $t0" | bc -l)
  h=$(echo "$t2 - $t1" | bc -l)
  m=$(echo "$t3 - $t2" | bc -l)
  single+=("$s") sharded+=("$h") merge+=("$m")
  printf '{"round": %d, "years": %d, "single_2_threads_s": %.3f, "two_shards_1_thread_s": %.3f, "merge_s": %.3f}\n' \
    "$r" "$years" "$s" "$h" "$m"
done
# The merged tables are the single run's (tests/cli.rs proves it; checked
# here on the last round's CSV tables too).
for f in "$work"/single/*.csv; do
  cmp -s "$f" "$work/merged/$(basename "$f")" || { echo "merged $(basename "$f") differs from the single run" >&2; exit 1; }
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ms=$(median "${single[@]}")
mh=$(median "${sharded[@]}")
mm=$(median "${merge[@]}")
printf '{"summary": true, "cases": 18, "years": %d, "rounds": %d, "single_s": %.3f, "sharded_s": %.3f, "merge_s": %.3f, "sharded_over_single": %.3f, "merge_over_sharded": %.4f, "cpu": "%s", "cores": %d}\n' \
  "$years" "$rounds" "$ms" "$mh" "$mm" "$(echo "$mh / $ms" | bc -l)" "$(echo "$mm / $mh" | bc -l)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" "$(nproc)"
