"""The hourly export study on a Dask cluster: scenario × year-chunk tasks,
merged into the tables of the serial ``Study.run``.

Entry point: ``sweep(client, grid, scenarios, years, chunk=5, seed=2022)``.
It makes the ``Study`` on the client (the grid file is read there and its
text travels with the study: workers need no copy of it), sends the study
to every worker once, maps one task onto each scenario and chunk of
``chunk`` consecutive water years (``Study.run_years``), gathers the
picklable ``StudyPart`` results and merges them with ``Study.merge``, the
crate's own merge. The result is a ``StudyResults`` equal value for value
to ``Study(grid, scenarios, years, seed).run()`` (``dc_seconds`` aside):

* year k of a scenario is the same whichever task runs it: the seed fixes
  its inflows (year k of the seeded ensemble does not depend on how many
  years are drawn), and a task chains the monthly water of the stochastic
  years before its chunk (cheap) to start from the same storage;
* ``Study.run`` itself runs each scenario as one part of all its years and
  finishes it with the code ``Study.merge`` runs on the parts (rows in
  year order, branch statistics folded in year order, percentiles from the
  rows), so nothing is re-added in another order.

Cost: each task builds and factorises its scenario's grid and prepares its
N-1 sensitivities once, as ``Study.run`` does once per scenario. On the
Central Asia grid that is about one water year's hours (25–30 ms on one
core, a year 25–30 ms too), so chunks of 5 or more years keep it under a
fifth of the work; ``chunk=years + 1`` runs one task per scenario.

Each task runs its years on ``threads`` threads (default 1): Dask runs one
task per worker thread, so workers with one thread per core
(``threads_per_worker=1``, or ``processes=cores`` on Slurm) keep every core
busy without oversubscribing it.

Example (a local cluster of two single-threaded worker processes):
    >>> from dask.distributed import Client, LocalCluster
    >>> import landlinked, landlinked.dask
    >>> with LocalCluster(n_workers=2, threads_per_worker=1, processes=False) as cluster, \\
    ...         Client(cluster) as client:
    ...     r = landlinked.dask.sweep(client, "grids/central_asia/central_asia.toml",
    ...                               [landlinked.Scenario("2022", "2022")], years=2, chunk=2)
    >>> sorted(set(r.balance_months["year"]))
    ['1', '2', 'normal']

Slurm with dask-jobqueue (``pip install dask-jobqueue``; run on a login
node or in a small job of its own; every Slurm job starts ``processes``
single-threaded workers in a Python environment with ``landlinked``
installed)::

    from dask.distributed import Client
    from dask_jobqueue import SLURMCluster
    import landlinked, landlinked.dask

    cluster = SLURMCluster(
        cores=32, processes=32,            # 32 single-threaded workers per job
        memory="64GB", walltime="02:00:00",
        job_extra_directives=["--account=my_project"],
        job_script_prologue=["source ~/venvs/landlinked/bin/activate"],
    )
    cluster.scale(jobs=4)                  # 4 Slurm jobs: 128 workers
    client = Client(cluster)
    scenarios = [landlinked.Scenario(f"{stage} {h}", stage, hydrology=h)
                 for stage in ("2022", "casa", "full_build")
                 for h in ("dry", "normal", "wet")]
    r = landlinked.dask.sweep(client, "grids/central_asia/central_asia.toml",
                              scenarios, years=300, chunk=10, seed=2022)
    r.percentiles.to_csv("percentiles.csv", index=False)
    cluster.close()

``cluster.adapt(minimum_jobs=1, maximum_jobs=8)`` in place of ``scale``
lets Dask ask Slurm for jobs as the tasks need them.
"""

import uuid

from . import Study

__all__ = ["chunks", "sweep"]


def chunks(study, chunk):
    """The tasks of ``sweep``: ``(scenario name, first year, end year)``
    for every scenario of ``study`` and every run of ``chunk`` consecutive
    years of its ``study.years + 1`` (year 0 is the named year), scenario
    by scenario, years in order; the last chunk of a scenario may be
    shorter.

    Example:
        >>> import landlinked, landlinked.dask
        >>> study = landlinked.Study("grids/central_asia/central_asia.toml",
        ...                          [landlinked.Scenario("s", "2022")], years=4)
        >>> landlinked.dask.chunks(study, 2)
        [('s', 0, 2), ('s', 2, 4), ('s', 4, 5)]
    """
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ValueError(f"chunk must be a whole number of years, at least 1 (got {chunk!r})")
    total = study.years + 1
    return [
        (s.name, first, min(first + chunk, total))
        for s in study.scenarios
        for first in range(0, total, chunk)
    ]


def _run_years(study, scenario, first, end, threads):
    """One task: the years ``first..end`` of ``scenario`` (on a worker)."""
    return study.run_years(scenario, first, end, threads=threads)


def sweep(client, grid, scenarios, years=30, chunk=5, seed=2022, exporter=None,
          threads=1, progress=False):
    """Runs ``Study(grid, scenarios, years, seed, exporter)`` on the Dask
    cluster of ``client`` in scenario × year-chunk tasks and returns the
    ``StudyResults`` of ``Study.run()`` (equal tables; ``dc_seconds`` is
    the tasks' sum).

    Arguments:
        client: a ``dask.distributed.Client``.
        grid: a grid file path (read here; its text travels to the workers)
            or a ``RegionalGrid`` (sent as grid file text, built back equal).
        scenarios: ``Scenario`` objects or dicts of their arguments.
        years: stochastic water years per scenario (besides its named year).
        chunk: consecutive years per task (see ``chunks``); ``years + 1``
            makes one task per scenario.
        seed: seed of the inflow generator (year k is the same in any chunk).
        exporter: country code of the exporter (None: the grid's,
            ``[grid] exporter`` in its file).
        threads: threads per task (1: Dask runs one task per worker thread).
        progress: True shows ``dask.distributed.progress`` of the tasks.

    The scenarios are checked here before any task starts (unique names,
    stages, options and outages known), raising as ``Study.run`` would. A
    task's error is raised here (a ``ValueError``, ``landlinked.Error``…
    with the crate's message); Ctrl-C cancels the tasks.

    Example:
        >>> from dask.distributed import Client, LocalCluster
        >>> import landlinked, landlinked.dask
        >>> grid = "grids/central_asia/central_asia.toml"
        >>> s = [landlinked.Scenario("casa", "casa", hydrology="dry")]
        >>> with LocalCluster(n_workers=2, threads_per_worker=1, processes=False) as cluster, \\
        ...         Client(cluster) as client:
        ...     r = landlinked.dask.sweep(client, grid, s, years=3, chunk=2, seed=7)
        >>> serial = landlinked.Study(grid, s, years=3, seed=7).run()
        >>> r.percentiles.equals(serial.percentiles)
        True
    """
    study = Study(grid, scenarios, years=years, seed=seed, exporter=exporter)
    study.check()
    tasks = chunks(study, chunk)
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"threads must be a whole number, at least 1 (got {threads!r})")
    [remote] = client.scatter([study], broadcast=True, hash=False)
    run = uuid.uuid4().hex[:8]
    futures = [
        client.submit(_run_years, remote, name, first, end, threads,
                      key=f"landlinked-years-{run}-{i}", pure=False)
        for i, (name, first, end) in enumerate(tasks)
    ]
    try:
        if progress:
            from distributed import progress as show

            show(futures)
        parts = client.gather(futures)
    except BaseException:
        client.cancel(futures)
        raise
    return study.merge(parts)
