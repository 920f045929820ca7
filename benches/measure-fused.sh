#!/usr/bin/env bash
# Issue 16's sitting: the fused year (reduce_many), generated injections,
# the year by superposition (--superpose),
# year-long N-1 and one DC power flow, for three builds of bench_dcpf
# (native = AVX-512 here, x86-64-v3 = AVX2 only, portable = x86-64 SSE2),
# beside CHOLMOD (benches/peers/peers.py, needs scikit-sparse) in the same
# rounds. Ratios are taken within a round.
#   bash benches/measure-fused.sh [CASES_DIR] [ROUNDS] > benches/results-$(date +%F)-fused.txt
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-${LANDLINKED_CASES:-../shared/cases}}
rounds=${2:-2}
py=${PEERS_PYTHON:-python3}
cargo build --release --example bench_dcpf 2>/dev/null
RUSTFLAGS="-C target-cpu=x86-64-v3" CARGO_TARGET_DIR=${AVX2_TARGET:=target/avx2} \
  cargo build --release --example bench_dcpf 2>/dev/null
CARGO_TARGET_DIR=${PORTABLE_TARGET:=target/portable} \
  cargo build --release --example bench_dcpf --config 'build.rustflags=[]' 2>/dev/null
declare -A bin=([native]=target/release/examples/bench_dcpf
                [avx2]=$AVX2_TARGET/release/examples/bench_dcpf
                [portable]=$PORTABLE_TARGET/release/examples/bench_dcpf)
echo "# $(date -u +%FT%TZ) $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2); flags: $(grep -o 'avx512[a-z]*\|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')"
for r in $(seq "$rounds"); do
  echo "## round $r"
  for c in case_ACTIVSg10k case9241pegase; do
    for kind in native avx2 portable; do
      for mode in "" "--reduce" "--reduce --profiles" "--reduce --profiles --superpose"; do
        echo "# $kind $mode"
        ${bin[$kind]} "$cases/$c.m" --snapshots 8760 --reps 3 $mode
      done
    done
    $py benches/peers/peers.py "$cases/$c.m" --snapshots 8760 --reps 3 --skip pandapower pypsa 2>/dev/null | grep -v "^#" || true
  done
  for s in "" "--superpose"; do
    echo "# native --n1 200 --profiles $s"
    /usr/bin/time -f "# peak_rss_kb %M wall_s %e" ${bin[native]} "$cases/case9241pegase.m" --n1 200 --profiles $s --reps 1
  done
done
[ -n "${SKIP_SCALING:-}" ] && exit 0
echo "## scaling of the fused year with size (synthetic, generated injections, 512 snapshots)"
for n in 10000 100000 1000000; do
  for s in "" "--superpose"; do
    /usr/bin/time -f "# peak_rss_kb %M wall_s %e" ${bin[native]} --synthetic $n --snapshots 512 --reps 1 --reduce --profiles $s
  done
done
echo "## a whole year of the 1,000,000-bus grid by superposition"
/usr/bin/time -f "# peak_rss_kb %M wall_s %e" ${bin[native]} --synthetic 1000000 --snapshots 8760 --reps 1 --reduce --profiles --superpose
