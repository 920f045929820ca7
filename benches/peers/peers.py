#!/usr/bin/env python3
"""Time peer tools on the DC power flow of a MATPOWER case (optional, not run by CI).

    python benches/peers/peers.py CASE.m [--snapshots N] [--pypsa-snapshots M]
                                         [--reps R] [--reference DIR] [--skip TOOL ...]

Tools and what is timed (each figure is the best of R repetitions, wall clock,
`time.perf_counter`):

* pandapower: `pp.rundcpp(net)` on a net made by `from_ppc` (conversion excluded;
  rundcpp's own internal net->ppc step is included, as a user would see it).
* CHOLMOD (scikit-sparse < 0.5, Debian's libsuitesparse-dev): the reduced B built
  exactly as MATPOWER's makeBdc/dcpf does it (b = 1/(x*tap), tap 0 -> 1, in-service
  branches, isolated type-4 buses dropped, reference bus removed); timed:
  analyse+factor+solve of one RHS, factor+solve alone (symbolic reused), one solve,
  and the solve of an n x N RHS matrix (hourly injections = base * shape(t), the
  same daily x seasonal shape as examples/bench_dcpf.rs), plus branch flows of
  that series by a sparse product Bf*theta.
* PyPSA: a Network built from the ppc (every branch a Transformer on s_nom =
  baseMVA with x, tap_ratio, phase_shift, which is MATPOWER's DC model; Gs folded
  into the loads), loads and generators scaled by shape(t); `n.lpf(snapshots)`.
  When --pypsa-snapshots is smaller than --snapshots, per_snapshot_us is what to
  compare.

One JSON line per measurement on stdout; lines starting with '#' are comments
(versions, threads, load average). Angles of pandapower, CHOLMOD and PyPSA (base
case, shape 1) are compared with REFERENCE/<case>/bus.csv (va_deg) when present.
"""
import argparse
import json
import math
import os
import re
import sys
import time
import warnings

import logging

import numpy as np
import scipy.sparse as sp

warnings.filterwarnings("ignore")
logging.getLogger("pypsa").setLevel(logging.WARNING)

# MATPOWER column indices (0-based)
BUS_I, BUS_TYPE, PD, QD, GS, BS, BUS_AREA, VM, VA, BASE_KV = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9
GEN_BUS, PG, GEN_STATUS = 0, 1, 7
F_BUS, T_BUS, BR_R, BR_X, BR_B, RATE_A, TAP, SHIFT, BR_STATUS = 0, 1, 2, 3, 4, 5, 8, 9, 10


def now():
    return time.perf_counter()


LAST_CPU_MS = [0.0]


def best_of(reps, fn):
    """Best wall time (ms) of reps calls; LAST_CPU_MS[0] = process CPU time of that call."""
    best, out = math.inf, None
    for _ in range(reps):
        c0, t0 = time.process_time(), now()
        out = fn()
        dt = now() - t0
        if dt < best:
            best, LAST_CPU_MS[0] = dt, (time.process_time() - c0) * 1e3
    return best * 1e3, out


def shape(t):
    """Load factor of hour t (same as examples/bench_dcpf.rs)."""
    t = np.asarray(t)
    h = (t % 24).astype(float)
    d = (t // 24).astype(float)
    daily = 0.85 + 0.15 * np.sin(2 * np.pi * (h - 7.0) / 24.0)
    seasonal = 1.0 + 0.1 * np.cos(2 * np.pi * d / 365.0)
    return daily * seasonal


# ---------------------------------------------------------------- reading .m
def read_m(path):
    """Minimal MATPOWER v2 case reader: baseMVA, bus, gen, branch (numeric matrices)."""
    text = open(path).read()
    text = re.sub(r"%[^\n]*", "", text)  # comments
    ppc = {"version": "2"}
    m = re.search(r"mpc\.baseMVA\s*=\s*([-+0-9.eE]+)\s*;", text)
    ppc["baseMVA"] = float(m.group(1))
    for name in ("bus", "gen", "branch"):
        m = re.search(r"mpc\.%s\s*=\s*\[(.*?)\]\s*;" % name, text, re.S)
        rows = []
        for row in re.split(r"[;\n]", m.group(1)):
            row = row.strip()
            if row:
                rows.append([float(v) for v in row.replace(",", " ").split()])
        width = max(len(r) for r in rows)
        ppc[name] = np.array([r + [0.0] * (width - len(r)) for r in rows])
    return ppc


# ---------------------------------------------------------------- MATPOWER's DC model
def build_dc(ppc):
    """Reduced B and RHS exactly as MATPOWER's rundcpf (ext2int + makeBdc + dcpf)."""
    base = ppc["baseMVA"]
    bus, gen, br = ppc["bus"], ppc["gen"], ppc["branch"]
    on_bus = bus[:, BUS_TYPE] != 4
    ids = bus[:, BUS_I].astype(np.int64)
    idx = np.full(ids.max() + 1, -1, dtype=np.int64)
    keep = np.flatnonzero(on_bus)
    idx[ids[keep]] = np.arange(keep.size)
    nb = keep.size
    b_ = bus[keep]
    f = idx[br[:, F_BUS].astype(np.int64)]
    t = idx[br[:, T_BUS].astype(np.int64)]
    on_br = (br[:, BR_STATUS] > 0) & (f >= 0) & (t >= 0)
    br = br[on_br]
    f, t = f[on_br], t[on_br]
    gb = idx[gen[:, GEN_BUS].astype(np.int64)]
    on_gen = (gen[:, GEN_STATUS] > 0) & (gb >= 0)
    nl = br.shape[0]

    tap = br[:, TAP].copy()
    tap[tap == 0] = 1.0
    b = 1.0 / (br[:, BR_X] * tap)
    rows = np.r_[np.arange(nl), np.arange(nl)]
    Cft = sp.csr_matrix((np.r_[np.ones(nl), -np.ones(nl)], (rows, np.r_[f, t])), shape=(nl, nb))
    Bf = sp.diags(b) @ Cft
    Bbus = (Cft.T @ Bf).tocsc()
    Pfinj = b * (-br[:, SHIFT] * np.pi / 180.0)
    Pbusinj = Cft.T @ Pfinj

    Pg = np.bincount(gb[on_gen], weights=gen[on_gen, PG], minlength=nb)
    Pbus = (Pg - b_[:, PD] - b_[:, GS]) / base - Pbusinj

    has_gen = np.bincount(gb[on_gen], minlength=nb) > 0
    refs = np.flatnonzero((b_[:, BUS_TYPE] == 3) & has_gen)
    if refs.size == 0:  # MATPOWER's bustypes: first PV bus becomes the reference
        refs = np.flatnonzero((b_[:, BUS_TYPE] == 2) & has_gen)[:1]
    ref = int(refs[0])
    va_ref = b_[ref, VA] * np.pi / 180.0
    nonref = np.r_[0:ref, ref + 1:nb]
    B = Bbus[nonref][:, nonref].tocsc()
    B.sort_indices()
    # Solving only for the reduced part: rhs = Pbus(nonref) - Bbus(nonref,ref)*Va(ref)
    rhs = Pbus[nonref] - Bbus[nonref][:, ref].toarray().ravel() * va_ref
    return dict(B=B, rhs=rhs, Bf=Bf.tocsr(), Pfinj=Pfinj, nonref=nonref, ref=ref,
                va_ref=va_ref, bus_ids=b_[:, BUS_I].astype(np.int64), nb=nb, nl=nl,
                base=base, Pbus=Pbus)


def full_angles(dc, x):
    va = np.empty(dc["nb"])
    va[dc["nonref"]] = x
    va[dc["ref"]] = dc["va_ref"]
    return va


def load_reference(ref_dir, case):
    path = os.path.join(ref_dir, case, "bus.csv")
    if not os.path.exists(path):
        return None
    a = np.genfromtxt(path, delimiter=",", names=True)
    return dict(zip(a["bus_i"].astype(np.int64), a["va_deg"]))


def max_diff(ref, ids, va_deg):
    if ref is None:
        return None
    return float(max(abs(ref[i] - v) for i, v in zip(ids, va_deg) if i in ref))


def emit(**kw):
    print(json.dumps(kw), flush=True)


# ---------------------------------------------------------------- tools
def run_pandapower(ppc, case, reps, ref):
    import pandapower as pp
    from pandapower.converter.pypower import from_ppc

    t0 = now()
    net = from_ppc(ppc, f_hz=60, validate_conversion=False)
    conv_ms = (now() - t0) * 1e3
    ms, _ = best_of(reps, lambda: pp.rundcpp(net))
    # from_ppc keeps the ppc bus order; net.bus.name holds the MATPOWER bus number
    ids = np.asarray(net.bus.name.values, dtype=np.int64) if net.bus.name.notna().all() \
        else ppc["bus"][:, BUS_I].astype(np.int64)
    va = net.res_bus.va_degree.loc[net.bus.index].values
    # rundcpp references angles to the ext_grid's va_degree (taken from the file)
    emit(tool="pandapower", case=case, what="rundcpp", ms=round(ms, 3), n=len(net.bus),
         convert_ms=round(conv_ms, 1), max_abs_dva_deg_vs_matpower=max_diff(ref, ids, va),
         version=pp.__version__)


def run_cholmod(ppc, case, reps, snapshots, ref):
    import sksparse
    from sksparse import cholmod

    build_ms, dc = best_of(reps, lambda: build_dc(ppc))
    B, rhs = dc["B"], dc["rhs"]
    n = B.shape[0]
    emit(tool="scipy", case=case, what="build reduced B + rhs (MATPOWER makeBdc), numpy/scipy",
         ms=round(build_ms, 3), n=n)

    # Which CHOLMOD mode handles this B? (supernodal is always LL', simplicial is LDL')
    modes = {}
    for mode in ("supernodal", "simplicial"):
        try:
            f = cholmod.analyze(B, mode=mode)
            f.cholesky_inplace(B)
            x = f(rhs)
            modes[mode] = float(np.abs(B @ x - rhs).max())
        except Exception as e:  # CholmodNotPositiveDefiniteError on indefinite B
            modes[mode] = "%s: %s" % (type(e).__name__, str(e)[:80])
    mode = "simplicial" if isinstance(modes["simplicial"], float) else "supernodal"
    f = cholmod.analyze(B, mode=mode)
    f.cholesky_inplace(B)
    D = f.D()
    n_neg = int((D < 0).sum()) if mode == "simplicial" else 0
    L = f.L() if mode == "supernodal" else f.LD()
    nnz_L = int(L.nnz)  # includes the diagonal
    x = f(rhs)
    va_deg = full_angles(dc, x) * 180.0 / np.pi
    emit(tool="cholmod", case=case, what="mode check", n=n, modes_residual_or_error=modes,
         used_mode=mode, negative_pivots=n_neg, nnz_L_incl_diag=nnz_L,
         max_abs_dva_deg_vs_matpower=max_diff(ref, dc["bus_ids"], va_deg),
         version=getattr(sksparse, "__version__", "?"))

    def afs():
        g = cholmod.analyze(B, mode=mode)
        g.cholesky_inplace(B)
        return g(rhs)

    def fs():
        f.cholesky_inplace(B)
        return f(rhs)

    ms, _ = best_of(reps, afs)
    emit(tool="cholmod", case=case, what="analyse+factor+solve (%s, default ordering)" % mode,
         ms=round(ms, 3), n=n)
    ms, _ = best_of(reps, fs)
    emit(tool="cholmod", case=case, what="factor+solve (symbolic reused)", ms=round(ms, 3), n=n)
    ms, _ = best_of(max(reps, 20), lambda: f(rhs))
    emit(tool="cholmod", case=case, what="solve one rhs", ms=round(ms, 4), n=n)

    if snapshots:
        s = shape(np.arange(snapshots))
        RHS = np.asfortranarray(np.outer(rhs, s))  # n x N, column-major as CHOLMOD wants
        sreps = max(2, min(reps, 3))
        ms, X = best_of(sreps, lambda: f(RHS))
        err = float(np.abs(X[:, 0] - x * s[0]).max())
        emit(tool="cholmod", case=case, what="solve n x N rhs, factor(RHS) (angles only)",
             ms=round(ms, 2), per_snapshot_us=round(ms * 1e3 / snapshots, 3), n=n,
             snapshots=snapshots, cpu_ms=round(LAST_CPU_MS[0], 1), col0_err=err)
        # flows of the whole series from the angles: Pf = (Bf*theta + Pfinj)*baseMVA
        Bf_red = dc["Bf"][:, dc["nonref"]].tocsr()
        const = (dc["Bf"][:, [dc["ref"]]].toarray().ravel() * dc["va_ref"] + dc["Pfinj"])

        def flows():
            F = Bf_red @ X
            F += const[:, None]
            F *= dc["base"]
            return F

        ms2, _ = best_of(sreps, flows)
        emit(tool="cholmod", case=case, what="branch flows of the series, scipy Bf@theta",
             ms=round(ms2, 2), per_snapshot_us=round(ms2 * 1e3 / snapshots, 3), n=n,
             branches=dc["nl"], snapshots=snapshots)
        del X, RHS
    return dc


def build_pypsa(ppc, snapshots):
    import pandas as pd
    import pypsa

    base = ppc["baseMVA"]
    bus, gen, br = ppc["bus"], ppc["gen"], ppc["branch"]
    on_bus = bus[:, BUS_TYPE] != 4
    bus = bus[on_bus]
    names = bus[:, BUS_I].astype(np.int64).astype(str)
    alive = set(names)
    n = pypsa.Network()
    n.set_snapshots(pd.RangeIndex(len(snapshots)))
    vnom = np.where(bus[:, BASE_KV] > 0, bus[:, BASE_KV], 1.0)
    n.add("Bus", names, v_nom=vnom)
    f = br[:, F_BUS].astype(np.int64).astype(str)
    t = br[:, T_BUS].astype(np.int64).astype(str)
    on = (br[:, BR_STATUS] > 0) & np.array([a in alive and b in alive for a, b in zip(f, t)])
    br, f, t = br[on], f[on], t[on]
    tap = br[:, TAP].copy()
    tap[tap == 0] = 1.0
    # PyPSA Transformer: x in p.u. of s_nom, b = 1/(x*tap), shift in degrees: MATPOWER's DC model
    n.add("Transformer", ["br%d" % i for i in range(len(br))], bus0=f, bus1=t,
          s_nom=base, x=br[:, BR_X], r=br[:, BR_R], tap_ratio=tap, phase_shift=br[:, SHIFT],
          model="pi", tap_side=0)
    s = shape(np.asarray(snapshots))
    pd_ = bus[:, PD] + bus[:, GS]
    lnames = ["ld" + x for x in names]
    n.add("Load", lnames, bus=names, p_set=pd.DataFrame(np.outer(s, pd_), columns=lnames))
    g_on = (gen[:, GEN_STATUS] > 0) & np.isin(gen[:, GEN_BUS].astype(np.int64).astype(str), names)
    gen = gen[g_on]
    gnames = ["g%d" % i for i in range(len(gen))]
    gbus = gen[:, GEN_BUS].astype(np.int64).astype(str)
    refbus = set(names[bus[:, BUS_TYPE] == 3])
    control = ["PQ"] * len(gen)
    for i, b in enumerate(gbus):
        if b in refbus:
            control[i] = "Slack"
            break
    n.add("Generator", gnames, bus=gbus, control=control,
          p_set=pd.DataFrame(np.outer(s, gen[:, PG]), columns=gnames))
    return n


def run_pypsa(ppc, case, reps, nsnap, ref):
    import pypsa

    t0 = now()
    n = build_pypsa(ppc, list(range(nsnap)))
    build_ms = (now() - t0) * 1e3
    ms, _ = best_of(reps, lambda: n.lpf())
    cpu = LAST_CPU_MS[0]
    del n
    # one snapshot, base case (shape 1): lpf's fixed cost (topology, B), and the angle check
    m = build_pypsa(ppc, [0])
    m.loads_t.p_set.iloc[0] = (m.loads_t.p_set.iloc[0] / shape(0))
    m.generators_t.p_set.iloc[0] = (m.generators_t.p_set.iloc[0] / shape(0))
    ms1, _ = best_of(reps, lambda: m.lpf())
    emit(tool="pypsa", case=case, what="lpf over N snapshots", ms=round(ms, 1),
         per_snapshot_us=round(ms * 1e3 / nsnap, 1), n=len(m.buses), snapshots=nsnap,
         cpu_ms=round(cpu, 1), build_ms=round(build_ms, 1), version=pypsa.__version__)
    emit(tool="pypsa", case=case, what="lpf, 1 snapshot (fixed cost: topology, B)",
         ms=round(ms1, 1), n=len(m.buses), snapshots=1,
         marginal_per_snapshot_us=round((ms - ms1) * 1e3 / max(nsnap - 1, 1), 1))
    if ref is not None:
        va = m.buses_t.v_ang.iloc[0] * 180.0 / np.pi
        bus = ppc["bus"]
        refrow = bus[bus[:, BUS_TYPE] == 3][0]
        va = va + refrow[VA] - va[str(int(refrow[BUS_I]))]
        d = max_diff(ref, va.index.astype(np.int64), va.values)
        emit(tool="pypsa", case=case, what="base-case angle check", n=len(m.buses),
             max_abs_dva_deg_vs_matpower=d)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("case")
    ap.add_argument("--snapshots", type=int, default=8760)
    ap.add_argument("--pypsa-snapshots", type=int, default=None,
                    help="snapshots for PyPSA lpf (default: --snapshots)")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--pypsa-reps", type=int, default=2)
    ap.add_argument("--reference", default=os.path.join(here, "..", "..", "..", "shared", "reference"))
    ap.add_argument("--skip", nargs="*", default=[], choices=["pandapower", "cholmod", "pypsa"])
    a = ap.parse_args()

    case = os.path.splitext(os.path.basename(a.case))[0]
    ref = load_reference(a.reference, case)
    t0 = now()
    ppc = read_m(a.case)
    try:
        import threadpoolctl
        blas = [(i.get("internal_api"), i.get("num_threads"), i.get("architecture"))
                for i in threadpoolctl.threadpool_info()]
    except ImportError:
        blas = "?"
    print("# %s: read in %.0f ms; %d buses, %d branches; uptime: %s; numpy BLAS %s; "
          "OPENBLAS_CORETYPE=%s OMP_NUM_THREADS=%s" % (
              case, (now() - t0) * 1e3, ppc["bus"].shape[0], ppc["branch"].shape[0],
              os.popen("uptime").read().strip(), blas, os.environ.get("OPENBLAS_CORETYPE"),
              os.environ.get("OMP_NUM_THREADS")), flush=True)
    if "cholmod" not in a.skip:
        run_cholmod(ppc, case, a.reps, a.snapshots, ref)
    if "pandapower" not in a.skip:
        run_pandapower(ppc, case, a.reps, ref)
    if "pypsa" not in a.skip:
        run_pypsa(ppc, case, a.pypsa_reps, a.pypsa_snapshots or a.snapshots, ref)
    print("# %s done; uptime: %s" % (case, os.popen("uptime").read().strip()), flush=True)


if __name__ == "__main__":
    sys.exit(main())
