#!/usr/bin/env bash
# Reproduces the figures in benches/README.md: run on a quiet machine.
#   bash benches/measure.sh [CASES_DIR] > benches/results-$(date +%F).txt
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-${LANDLINKED_CASES:-../shared/cases}}
cargo build --release --examples 2>/dev/null
bin=target/release/examples
echo "# $(date -u +%FT%TZ) $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## factorisations and many right-hand sides"
$bin/factor_compare "$cases/case2383wp.m" "$cases/case9241pegase.m" "$cases/case_ACTIVSg10k.m" --synthetic 100000 --rhs 8760
echo "## bench_dcpf: one DC power flow and a year of hourly snapshots"
for c in case2383wp case9241pegase case_ACTIVSg10k; do
  for t in 1 2; do $bin/bench_dcpf "$cases/$c.m" --snapshots 8760 --reps 5 --threads $t; done
done
echo "## scaling on synthetic grids (2 threads)"
for n in 1000 3000 10000 30000 100000 200000; do
  $bin/bench_dcpf --synthetic $n --snapshots 1024 --reps 3
done
echo "## bounded memory: 200,000 buses, 8,760 snapshots, streamed"
$bin/bench_dcpf --synthetic 200000 --snapshots 8760 --reps 1 --stream
echo "## N-1 screening (every in-service branch out, every branch monitored)"
for c in case2383wp case9241pegase; do
  /usr/bin/time -f "peak_rss_kb %M wall_s %e" $bin/n_minus_1 "$cases/$c.m" --top 0 2>&1 | grep -E "^time|peak_rss" || true
done
