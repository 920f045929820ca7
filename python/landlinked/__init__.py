"""landlinked: regional electricity grids with a fast sparse DC power flow
that matches MATPOWER, from Python.

The Rust crate ``landlinked`` does the work; this package gives its API
NumPy arrays (results are views of the buffers the solver wrote: no copy)
and pandas DataFrames. Every solve and study releases the GIL.

Conventions (the crate's): MW, MVA and degrees; an injection is positive
into the bus, a branch flow positive from its ``f_bus`` to its ``t_bus``;
results come for every element in file order; branch positions in arrays
are 0-based.

Example:
    >>> import numpy as np, landlinked
    >>> net = landlinked.read_matpower("grids/case5_tap_shift.m")
    >>> pf = landlinked.DcPowerFlow(net)
    >>> sol = pf.solve()                       # MATPOWER's rundcpf
    >>> hours = np.tile(pf.bus_injections_mw, (8760, 1))
    >>> series = pf.solve_many(hours)          # (8760, buses) in, views out
    >>> series.pf_mw.shape
    (8760, 8)
    >>> bool(np.allclose(series.pf_mw[0], sol.pf_mw))
    True

Sweeps on a Dask cluster: ``landlinked.dask.sweep`` (import
``landlinked.dask``; needs ``dask[distributed]``) runs a study in
scenario × year-chunk tasks (``Study.run_years``, picklable
``StudyPart`` objects) and merges them (``Study.merge``) into the tables of
``Study.run``.

Errors: a missing file raises ``FileNotFoundError``, a bad value
``ValueError``, anything else ``landlinked.Error``; the message is the
crate's, naming the file, line and element.
"""

from ._landlinked import (
    DcPowerFlow,
    DcSeries,
    DcSolution,
    DcState,
    Error,
    Network,
    ProfileInjections,
    RegionalGrid,
    Scenario,
    Study,
    StudyPart,
    StudyResults,
    read_matpower,
    write_matpower,
)

__version__ = "0.1.0"

__all__ = [
    "DcPowerFlow",
    "DcSeries",
    "DcSolution",
    "DcState",
    "Error",
    "Network",
    "ProfileInjections",
    "RegionalGrid",
    "Scenario",
    "Study",
    "StudyPart",
    "StudyResults",
    "read_matpower",
    "write_matpower",
]
