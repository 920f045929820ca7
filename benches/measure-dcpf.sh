#!/usr/bin/env bash
# One DC power flow (issue 16, item 5): `bench_dcpf`'s dcpf_ms (validation,
# build, ordering, factorisation, one solve; parse excluded) beside
# CHOLMOD's analyse+factor+solve of the reduced B (benches/peers/peers.py),
# interleaved per case and round so that each ratio is taken seconds apart.
#   bash benches/measure-dcpf.sh [ROUNDS] [BINARY ...] > benches/results-DATE-dcpf.txt
# Cases: case9241pegase, case_ACTIVSg10k and synthetic grids of 30,000 and
# 70,000 buses written as MATPOWER files by examples/synthetic_case (so
# CHOLMOD factors the same matrix). BINARY: bench_dcpf builds to compare
# (default target/release/examples/bench_dcpf); PEERS_PYTHON: a Python
# with scikit-sparse.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${LANDLINKED_CASES:-../shared/cases}
rounds=${1:-3}
shift || true
bins=("$@")
[ ${#bins[@]} -eq 0 ] && bins=(target/release/examples/bench_dcpf)
py=${PEERS_PYTHON:-python3}
synth=${SYNTH_DIR:-target/synthetic-cases}
mkdir -p "$synth"
for n in 30000 70000; do
  [ -f "$synth/synth$n.m" ] || target/release/examples/synthetic_case $n "$synth/synth$n.m" >/dev/null
done
files=("$cases/case9241pegase.m" "$cases/case_ACTIVSg10k.m" "$synth/synth30000.m" "$synth/synth70000.m")
echo "# $(date -u +%FT%TZ) $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2); flags: $(grep -o 'avx512[a-z]*\|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')"
for r in $(seq "$rounds"); do
  echo "## round $r; load: $(cut -d' ' -f1-3 /proc/loadavg)"
  for f in "${files[@]}"; do
    for b in "${bins[@]}"; do
      echo "# bin $b"
      "$b" "$f" --snapshots 16 --threads 2 --reps 20
    done
    $py benches/peers/peers.py "$f" --snapshots 0 --reps 20 --skip pandapower pypsa 2>/dev/null \
      | grep 'analyse+factor+solve' || true
  done
done
