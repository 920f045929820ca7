"""Python's overhead on the DC core, and what a Python user gains.

Times, in one run on one machine:

* ``DcPowerFlow.solve_many`` on a year of hourly snapshots through the
  Python package (NumPy in, NumPy views out), against the same call in
  Rust (``bench_dcpf``'s ``series_ms``, run here as a subprocess with the
  same shape of injections): the package's overhead;
* ``DcPowerFlow.branch_stats`` on generated injections (the fused year);
* pandapower's ``rundcpp`` and PyPSA's ``lpf`` of the same case, when they
  are installed (``pip install pandapower pypsa``), for the ratio a Python
  user sees.

Run from the repository root, in a venv with the package installed
(``bash .ci/test-python`` makes one at ``target/py-venv``)::

    target/py-venv/bin/python python/benches/bench.py ../shared/cases/case_ACTIVSg10k.m --snapshots 8760

Prints one JSON object per measurement; every time is the best of
``--reps``. The Rust figure needs ``cargo build --release --example
bench_dcpf`` first.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time

import numpy as np

import landlinked


def shape(t):
    """bench_dcpf's hourly shape: a daily wave times a seasonal one."""
    h = t % 24
    d = t // 24
    daily = 0.85 + 0.15 * np.sin(2 * math.pi * (h - 7.0) / 24.0)
    seasonal = 1.0 + 0.1 * np.cos(2 * math.pi * d / 365.0)
    return daily * seasonal


def best(reps, fn):
    out, best_s = None, math.inf
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        best_s = min(best_s, time.perf_counter() - t)
    return best_s, out


def emit(**kw):
    print(json.dumps(kw), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("case")
    ap.add_argument("--snapshots", type=int, default=8760)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--rust", default="target/release/examples/bench_dcpf")
    ap.add_argument("--skip", nargs="*", default=[], choices=["rust", "pandapower", "pypsa"])
    a = ap.parse_args()

    net = landlinked.read_matpower(a.case)
    pf = landlinked.DcPowerFlow(net)
    base = np.asarray(pf.bus_injections_mw, dtype=np.float64)
    t = np.arange(a.snapshots)
    inj = np.ascontiguousarray(shape(t)[:, None] * base[None, :])  # (periods, buses)
    pf.solve_many(inj[:32])  # warm the kernel's layout
    s, series = best(a.reps, lambda: pf.solve_many(inj))
    py_ms = s * 1e3
    emit(tool="landlinked (Python)", case=os.path.basename(a.case), what="solve_many",
         ms=round(py_ms, 2), per_snapshot_us=round(py_ms * 1e3 / a.snapshots, 3),
         threads=os.cpu_count())
    profiles = landlinked.ProfileInjections(len(base), a.snapshots)
    p = profiles.add_profile("all", shape(t).astype(np.float64))
    for b, v in enumerate(base):
        if v != 0.0:
            profiles.add_term(b, float(v), p)
    s, _ = best(a.reps, lambda: pf.branch_stats(profiles))
    emit(tool="landlinked (Python)", case=os.path.basename(a.case),
         what="branch_stats on generated injections (fused year)",
         ms=round(s * 1e3, 2), per_snapshot_us=round(s * 1e6 / a.snapshots, 3))

    if "rust" not in a.skip and os.path.exists(a.rust):
        # bench_dcpf --fresh reports the best of --reps of solve_many on the
        # same shape of injections, output allocated by each call as in
        # Python: the call without Python around it.
        out = subprocess.run([a.rust, a.case, "--snapshots", str(a.snapshots), "--reps", str(a.reps),
                              "--fresh"], capture_output=True, text=True, check=True).stdout
        rust = json.loads(out.strip().splitlines()[-1])
        emit(tool="landlinked (Rust)", case=os.path.basename(a.case), what="solve_many (fresh output)",
             ms=rust["series_ms"], per_snapshot_us=rust["per_snapshot_us"],
             python_overhead_pct=round((py_ms / rust["series_ms"] - 1.0) * 100.0, 1))

    if "pandapower" not in a.skip:
        try:
            import pandapower as pp
            import pandapower.converter as pc
        except ImportError:
            emit(tool="pandapower", skipped="not installed")
        else:
            ppn = pc.from_mpc(a.case, casename_mpc_file="mpc")
            s, _ = best(a.reps, lambda: pp.rundcpp(ppn))
            s1, _ = best(a.reps, lambda: landlinked.DcPowerFlow(landlinked.read_matpower(a.case)).solve())
            emit(tool="pandapower", case=os.path.basename(a.case), what="rundcpp", ms=round(s * 1e3, 2),
                 landlinked_read_and_solve_ms=round(s1 * 1e3, 2), ratio=round(s / s1, 1))

    if "pypsa" not in a.skip:
        try:
            import pypsa  # noqa: F401
        except ImportError:
            emit(tool="pypsa", skipped="not installed")
        else:
            emit(tool="pypsa", note="see benches/peers/peers.py for PyPSA's lpf of a year on the same case")


if __name__ == "__main__":
    sys.exit(main())
