#!/usr/bin/env bash
# The workflow test: workflow/Snakefile run locally (`snakemake --cores 2`)
# on workflow/test/sweep-small.toml (4 cases, 1 water year besides the
# named one, in 3 shard jobs: shard -> merge -> charts), once with CSV
# tables and once with `--format auto` (Parquet for the per-year tables).
# Each time the merged tables and the charts must equal, byte for byte,
# those of one `landlinked study` process run on the same cases. Then a
# dry run of the Slurm profile (workflow/profiles/slurm) checks that it
# loads and plans the shard jobs with their memory and time.
#
# Snakemake and its Slurm executor plugin come from PyPI into a venv at
# target/snake-venv; everything the test writes is under target/ (the
# workflow's runs in target/snake-test, snakemake's own files in
# target/snake-test/work/.snakemake and target/snake-test/cache, pip's
# downloads in target/pip-cache). The command is $LANDLINKED_BIN (.ci/run
# gives the debug build `cargo test` made), else cargo build --bin
# landlinked. Skips with a note where python3, its
# venv module or Python >= 3.11 (snakemake's) is missing. Exits non-zero
# on any difference.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=$(pwd)

if ! command -v python3 >/dev/null 2>&1; then
  echo "note: no python3: skipping the workflow test"
  exit 0
fi
if ! python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "note: python3 $(python3 -c 'import sys; print(sys.version.split()[0])') has no venv module or is older than 3.11 (snakemake needs 3.11): skipping the workflow test"
  exit 0
fi
start=$(date +%s)
venv="$here/target/snake-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check \
  --cache-dir "$here/target/pip-cache" \
  snakemake==9.27.1 snakemake-executor-plugin-slurm==2.8.0

if [ -n "${LANDLINKED_BIN:-}" ]; then
  bin=$(cd "$(dirname "$LANDLINKED_BIN")" && pwd)/$(basename "$LANDLINKED_BIN")
else
  cargo build --quiet --bin landlinked
  target=$(cargo metadata --format-version 1 --no-deps |
    "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  bin="$target/debug/landlinked"
fi

sweep="$here/workflow/test/sweep-small.toml"
out="$here/target/snake-test"
rm -rf "$out"
mkdir -p "$out/work"
snake() {
  # Absolute paths; snakemake's working directory and its source cache
  # (under XDG_CACHE_HOME) under target/.
  XDG_CACHE_HOME="$out/cache" "$venv/bin/snakemake" -s "$here/workflow/Snakefile" --directory "$out/work" \
    --configfile "$here/workflow/test/config.yaml" "$@"
}
passed=0
failed=0
check() { # check WHAT COMMAND...
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "FAIL: $what"
    failed=$((failed + 1))
  fi
}

# The same cases in one `landlinked study` process: the sweep's stages x
# hydrologies (the test sweep has no other axis), years, seed and grid.
mapfile -t study_args < <("$venv/bin/python" - "$sweep" <<'EOF'
import itertools, os, sys, tomllib
path = sys.argv[1]
with open(path, "rb") as f:
    sweep = tomllib.load(f)
head, axes = sweep["sweep"], sweep["axes"]
other = sorted(set(axes) - {"stages", "hydrology"})
if other:
    sys.exit(f"{path}: the test compares with `study`, which has no axis {other}")
print("--grid"); print(os.path.normpath(os.path.join(os.path.dirname(path), head["grid"])))
print("--years"); print(head["years"])
print("--seed"); print(head["seed"])
for stage, h in itertools.product(axes["stages"], axes.get("hydrology", ["normal"])):
    print("--scenario"); print(f"{stage} {h}:{stage}:{h}")
EOF
)

for format in csv auto; do
  snake --cores 2 --quiet all --config "landlinked=$bin" "sweep=$sweep" "out=$out/$format" "format=$format"
  "$bin" --quiet study "${study_args[@]}" --format "$format" --out "$out/study-$format" \
    >"$out/study-$format.log"
  case $format in
    csv) tables="corridor_months.csv balance_months.csv percentiles.csv congestion.csv" ;;
    auto) tables="corridor_months.parquet balance_months.parquet percentiles.csv congestion.csv" ;;
  esac
  for file in $tables exports_fan.svg congestion.svg; do
    check "$format: merged/$file is not the study's $file" \
      cmp -s "$out/$format/merged/$file" "$out/study-$format/$file"
  done
  for k in 1 2 3; do
    check "$format: no parts/$k/part.json" test -f "$out/$format/parts/$k/part.json"
  done
done

# The Slurm profile loads and plans the 3 shard jobs with their memory and
# time (a dry run: nothing is submitted).
plan=$(snake --profile "$here/workflow/profiles/slurm" --dry-run \
  --config "landlinked=$bin" "sweep=$sweep" "out=$out/slurm" 2>&1) || true
check "the Slurm profile's dry run plans no 3 shard jobs: $plan" \
  grep -qE '^shard +3$' <<<"$plan"
check "the Slurm profile's dry run gives a shard no mem_mb and runtime: $plan" \
  grep -qE 'mem_mb=[0-9]+.*runtime=[0-9]+' <<<"$plan"

echo "workflow test: $(( $(date +%s) - start )) s"
echo "workflow: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
