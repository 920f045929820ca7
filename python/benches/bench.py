"""Python's overhead on the DC core, and what a Python user gains.

Times, in one run on one machine:

* ``DcPowerFlow.solve_many`` on a year of hourly snapshots through the
  Python package (NumPy in, NumPy views out), against the same call in
  Rust (``bench_dcpf``'s ``series_ms``, run here as a subprocess with the
  same shape of injections): the package's overhead;
* ``DcPowerFlow.branch_stats`` on generated injections (the fused year);
* one DC power flow of the case, ``DcPowerFlow(net).solve()`` (build,
  factorise, solve; the case already read), against pandapower's
  ``rundcpp`` and PyPSA's ``lpf`` of one snapshot of the same case (see
  ``peers_dc.py``: both get the case as a PYPOWER dict made from the
  ``Network``'s tables; conversion timed apart), with the ratio a Python
  user sees and each peer's largest angle difference from landlinked's.

The peers run where they are importable; ``--peers`` makes (once) a venv
``target/peers-venv`` with ``pandapower`` and ``pypsa`` from PyPI and runs
them there (it needs no landlinked: the case goes over as an ``.npz``).
A peer that is missing or fails is reported as skipped; the rest runs.

Run from the repository root, in a venv with the package installed
(``bash .ci/test-python`` makes one at ``target/py-venv``)::

    target/py-venv/bin/python python/benches/bench.py ../shared/cases/case_ACTIVSg10k.m --snapshots 8760 --peers

Prints one JSON object per measurement; every time is the best of
``--reps`` (the peers: ``--peer-reps``). The Rust figure needs ``cargo build --release --example
bench_dcpf`` first.
"""

import argparse
import json
import math
import os
import pathlib
import subprocess
import sys
import tempfile
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


ROOT = pathlib.Path(__file__).resolve().parents[2]
PEERS = ("pandapower", "pypsa")


def peers_venv(path):
    """The peers' venv (made and filled from PyPI if missing); its python,
    or None with the reason."""
    py = path / "bin" / "python"
    try:
        if not py.exists():
            subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, capture_output=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", *PEERS],
                       check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as e:
        return None, f"making {path} failed: {(e.stderr or '')[-400:]}"
    return py, None


def run_peers(net, tools, reps, venv):
    """Each peer's result dict (or {'skipped': why}), with its angles."""
    import peers_dc

    ppc = peers_dc.ppc_from_network(net)
    if venv is None:
        out = {}
        for tool in tools:
            try:
                out[tool] = peers_dc.RUNNERS[tool](ppc, reps)
            except ImportError as e:
                out[tool] = {"skipped": f"not installed ({e.name}); --peers installs it"}
            except Exception as e:
                out[tool] = {"skipped": f"failed: {type(e).__name__}: {e}"}
        return out
    py, why = peers_venv(venv)
    if py is None:
        return {t: {"skipped": why} for t in tools}
    with tempfile.TemporaryDirectory() as tmp:
        case, angles = os.path.join(tmp, "ppc.npz"), os.path.join(tmp, "angles.npz")
        np.savez(case, baseMVA=ppc["baseMVA"], bus=ppc["bus"], gen=ppc["gen"], branch=ppc["branch"])
        run = subprocess.run([str(py), str(pathlib.Path(__file__).with_name("peers_dc.py")), "--ppc", case,
                              "--out", angles, "--reps", str(reps), "--tools", *tools],
                             capture_output=True, text=True)
        lines = [json.loads(x) for x in run.stdout.splitlines() if x.startswith("{")]
        out = {t: {"skipped": f"no result (exit {run.returncode}): {run.stderr[-400:]}"} for t in tools}
        va = dict(np.load(angles)) if os.path.exists(angles) else {}
        for r in lines:
            tool = r.pop("tool")
            out[tool] = {"skipped": f"failed: {r['error']}"} if "error" in r else {**r, "va_deg": va.get(tool)}
        return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("case")
    ap.add_argument("--snapshots", type=int, default=8760)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--peer-reps", type=int, default=2, help="repetitions of each peer's flow")
    ap.add_argument("--rust", default="target/release/examples/bench_dcpf")
    ap.add_argument("--peers", action="store_true",
                    help="run pandapower and PyPSA in target/peers-venv (made from PyPI if missing)")
    ap.add_argument("--peers-venv", default=str(ROOT / "target" / "peers-venv"))
    ap.add_argument("--skip", nargs="*", default=[], choices=["series", "rust", *PEERS])
    a = ap.parse_args()
    case = os.path.basename(a.case)

    net = landlinked.read_matpower(a.case)
    if "series" not in a.skip:
        series(a, net, case)
    # One DC power flow, from the Network: build, factorise, solve.
    s, sol = best(a.reps, lambda: landlinked.DcPowerFlow(net).solve())
    ll_ms = s * 1e3
    emit(tool="landlinked (Python)", case=case, what="DcPowerFlow(net).solve(): build + factor + solve",
         ms=round(ll_ms, 3), buses=net.n_buses, branches=net.n_branches)
    tools = [t for t in PEERS if t not in a.skip]
    if tools:
        peers = run_peers(net, tools, a.peer_reps, pathlib.Path(a.peers_venv) if a.peers else None)
        what = {"pandapower": "rundcpp (one DC power flow)", "pypsa": "lpf (one snapshot)"}
        for tool in tools:
            r = peers[tool]
            if "skipped" in r:
                emit(tool=tool, case=case, skipped=r["skipped"])
                continue
            va = r.get("va_deg")
            ok = None if va is None else np.isfinite(va) & np.isfinite(sol.va_deg)
            emit(tool=tool, version=r["version"], case=case, what=what[tool], ms=round(r["ms"], 2),
                 landlinked_ms=round(ll_ms, 3), ratio=round(r["ms"] / ll_ms, 1),
                 prepare_ms=round(r.get("convert_ms", r.get("build_ms", 0.0)), 1),
                 max_abs_dva_deg_vs_landlinked=None if ok is None else float(np.abs(va[ok] - sol.va_deg[ok]).max()))


def series(a, net, case):
    """solve_many and branch_stats of a year through Python, and the same
    solve_many in Rust (bench_dcpf)."""
    pf = landlinked.DcPowerFlow(net)
    base = np.asarray(pf.bus_injections_mw, dtype=np.float64)
    t = np.arange(a.snapshots)
    inj = np.ascontiguousarray(shape(t)[:, None] * base[None, :])  # (periods, buses)
    pf.solve_many(inj[:32])  # warm the kernel's layout
    s, _ = best(a.reps, lambda: pf.solve_many(inj))
    py_ms = s * 1e3
    emit(tool="landlinked (Python)", case=case, what="solve_many",
         ms=round(py_ms, 2), per_snapshot_us=round(py_ms * 1e3 / a.snapshots, 3),
         threads=os.cpu_count())
    profiles = landlinked.ProfileInjections(len(base), a.snapshots)
    p = profiles.add_profile("all", shape(t).astype(np.float64))
    for b, v in enumerate(base):
        if v != 0.0:
            profiles.add_term(b, float(v), p)
    s, _ = best(a.reps, lambda: pf.branch_stats(profiles))
    emit(tool="landlinked (Python)", case=case,
         what="branch_stats on generated injections (fused year)",
         ms=round(s * 1e3, 2), per_snapshot_us=round(s * 1e6 / a.snapshots, 3))

    if "rust" not in a.skip and os.path.exists(a.rust):
        # bench_dcpf --fresh reports the best of --reps of solve_many on the
        # same shape of injections, output allocated by each call as in
        # Python: the call without Python around it.
        out = subprocess.run([a.rust, a.case, "--snapshots", str(a.snapshots), "--reps", str(a.reps),
                              "--fresh"], capture_output=True, text=True, check=True).stdout
        rust = json.loads(out.strip().splitlines()[-1])
        emit(tool="landlinked (Rust)", case=case, what="solve_many (fresh output)",
             ms=rust["series_ms"], per_snapshot_us=rust["per_snapshot_us"],
             python_overhead_pct=round((py_ms / rust["series_ms"] - 1.0) * 100.0, 1))


if __name__ == "__main__":
    sys.exit(main())
