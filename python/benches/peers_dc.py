"""One DC power flow of a MATPOWER case in pandapower (``rundcpp``) and in
PyPSA (``lpf``, one snapshot), for ``bench.py``'s peer rows.

The case comes as a PYPOWER case dict (``ppc``: ``baseMVA``, ``bus``,
``gen``, ``branch`` in MATPOWER's columns), which ``ppc_from_network``
makes from a ``landlinked.Network``'s tables (the case as landlinked read
it; neither peer reads MATPOWER's ``.m`` text itself: pandapower's
``from_mpc`` needs ``matpowercaseframes`` or a ``.mat`` file). Then:

* pandapower: ``pandapower.converter.pypower.from_ppc`` once (timed apart), and
  ``pp.rundcpp(net)`` timed: its own net → ppc step, B matrices and solve,
  as a user calls it;
* PyPSA: a network built once (timed apart) with MATPOWER's DC model, as
  ``benches/peers/peers.py`` builds it (every in-service branch a
  ``Transformer`` on ``s_nom = baseMVA`` with ``x``, ``tap_ratio`` (0 → 1)
  and ``phase_shift``; ``Gs`` folded into the loads; the first generator
  at the reference bus the slack; isolated buses left out), one snapshot,
  and ``n.lpf()`` timed (topology, B and solve).

Each returns its time (best of ``reps``), versions and the bus angles in
degrees (bus order of the ppc; NaN where the tool has no bus) for the
angle check against landlinked's solve. Run as a script by ``bench.py
--peers`` inside the peers' venv (no landlinked there): reads the ppc
from an ``.npz``, prints one JSON line per tool and writes the angles to
``--out``.
"""

import argparse
import json
import math
import sys
import time
import warnings

import numpy as np

# MATPOWER columns (0-based)
BUS_I, BUS_TYPE, PD, GS, VA, BASE_KV = 0, 1, 2, 4, 8, 9
GEN_BUS, PG, GEN_STATUS = 0, 1, 7
F_BUS, T_BUS, BR_R, BR_X, TAP, SHIFT, BR_STATUS = 0, 1, 2, 3, 8, 9, 10


def ppc_from_network(net):
    """A PYPOWER case dict (MATPOWER version 2 columns) from a
    ``landlinked.Network``: what the DC power flow reads, the rest at
    neutral values (voltage limits 0.9–1.1, Q limits ±9999, ``Vg`` 1)."""
    b, br, g = net.buses(), net.branches(), net.generators()
    bus = np.zeros((len(b), 13))
    bus[:, :11] = b[["bus", "type", "pd_mw", "qd_mvar", "gs_mw", "bs_mvar", "area", "vm_pu", "va_deg",
                     "base_kv", "zone"]].to_numpy(dtype=float)
    bus[:, 11], bus[:, 12] = 1.1, 0.9
    gen = np.zeros((len(g), 21))
    gen[:, [0, 1, 2, 8, 9]] = g[["bus", "pg_mw", "qg_mvar", "pmax_mw", "pmin_mw"]].to_numpy(dtype=float)
    gen[:, 3], gen[:, 4], gen[:, 5], gen[:, 6] = 9999.0, -9999.0, 1.0, net.base_mva
    gen[:, 7] = g["in_service"].to_numpy(dtype=float)
    branch = np.zeros((len(br), 13))
    branch[:, :10] = br[["f_bus", "t_bus", "r_pu", "x_pu", "b_pu", "rate_a_mva", "rate_b_mva", "rate_c_mva",
                         "tap", "shift_deg"]].to_numpy(dtype=float)
    branch[:, 10] = br["in_service"].to_numpy(dtype=float)
    branch[:, 11], branch[:, 12] = -360.0, 360.0
    return {"version": "2", "baseMVA": float(net.base_mva), "bus": bus, "gen": gen, "branch": branch}


def best(reps, fn):
    out, best_s = None, math.inf
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        best_s = min(best_s, time.perf_counter() - t)
    return best_s, out


def run_pandapower(ppc, reps):
    """``rundcpp`` of the case: ms, conversion ms, version, angles (deg)."""
    import pandapower as pp
    from pandapower.converter.pypower import from_ppc

    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = from_ppc(ppc, f_hz=60, validate_conversion=False)
    convert_s = time.perf_counter() - t
    s, _ = best(reps, lambda: pp.rundcpp(net))
    # from_ppc keeps the ppc's bus order (net.bus.name: the bus numbers)
    va = net.res_bus.va_degree.loc[net.bus.index].to_numpy(dtype=float)
    return {"ms": s * 1e3, "convert_ms": convert_s * 1e3, "version": pp.__version__, "va_deg": va}


def build_pypsa(ppc):
    """A one-snapshot PyPSA network with MATPOWER's DC model (see the
    module docstring)."""
    import pypsa

    bus, gen, br = ppc["bus"], ppc["gen"], ppc["branch"]
    bus = bus[bus[:, BUS_TYPE] != 4]
    names = bus[:, BUS_I].astype(np.int64).astype(str)
    alive = set(names)
    n = pypsa.Network()
    n.add("Bus", names, v_nom=np.where(bus[:, BASE_KV] > 0, bus[:, BASE_KV], 1.0))
    f = br[:, F_BUS].astype(np.int64).astype(str)
    t = br[:, T_BUS].astype(np.int64).astype(str)
    on = (br[:, BR_STATUS] > 0) & np.array([a in alive and b in alive for a, b in zip(f, t)])
    br, f, t = br[on], f[on], t[on]
    tap = np.where(br[:, TAP] == 0, 1.0, br[:, TAP])
    n.add("Transformer", [f"br{i}" for i in range(len(br))], bus0=f, bus1=t, s_nom=ppc["baseMVA"],
          x=br[:, BR_X], r=br[:, BR_R], tap_ratio=tap, phase_shift=br[:, SHIFT], model="pi", tap_side=0)
    n.add("Load", ["ld" + x for x in names], bus=names, p_set=bus[:, PD] + bus[:, GS])
    gbus = gen[:, GEN_BUS].astype(np.int64).astype(str)
    on = (gen[:, GEN_STATUS] > 0) & np.isin(gbus, names)
    gen, gbus = gen[on], gbus[on]
    refs = set(names[bus[:, BUS_TYPE] == 3])
    control = ["PQ"] * len(gen)
    first = next((i for i, b in enumerate(gbus) if b in refs), None)
    if first is not None:
        control[first] = "Slack"
    n.add("Generator", [f"g{i}" for i in range(len(gen))], bus=gbus, control=control, p_set=gen[:, PG])
    return n


def run_pypsa(ppc, reps):
    """``lpf`` of one snapshot: ms, build ms, version, angles (deg, the
    reference bus at its file angle as MATPOWER and landlinked give it)."""
    import pypsa

    t = time.perf_counter()
    n = build_pypsa(ppc)
    build_s = time.perf_counter() - t
    s, _ = best(reps, lambda: n.lpf())
    bus = ppc["bus"]
    ids = bus[:, BUS_I].astype(np.int64).astype(str)
    ang = n.buses_t.v_ang.iloc[0] * 180.0 / math.pi
    ref = bus[bus[:, BUS_TYPE] == 3][0]
    ang = ang + ref[VA] - ang[str(int(ref[BUS_I]))]
    va = np.array([ang.get(i, np.nan) for i in ids], dtype=float)
    return {"ms": s * 1e3, "build_ms": build_s * 1e3, "version": pypsa.__version__, "va_deg": va}


RUNNERS = {"pandapower": run_pandapower, "pypsa": run_pypsa}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ppc", required=True, help=".npz with baseMVA, bus, gen, branch")
    ap.add_argument("--out", required=True, help=".npz to write each tool's angles to")
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--tools", nargs="+", default=list(RUNNERS), choices=list(RUNNERS))
    a = ap.parse_args()
    z = np.load(a.ppc)
    ppc = {"version": "2", "baseMVA": float(z["baseMVA"]), "bus": z["bus"], "gen": z["gen"], "branch": z["branch"]}
    angles = {}
    for tool in a.tools:
        try:
            r = RUNNERS[tool](ppc, a.reps)
        except Exception as e:  # a peer that fails is reported, not fatal
            print(json.dumps({"tool": tool, "error": f"{type(e).__name__}: {e}"}), flush=True)
            continue
        angles[tool] = r.pop("va_deg")
        print(json.dumps({"tool": tool, **r}), flush=True)
    np.savez(a.out, **angles)


if __name__ == "__main__":
    sys.exit(main())
