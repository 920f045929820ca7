"""Type stubs of landlinked.dask (the hourly study on a Dask cluster)."""

import os
from typing import Any, Mapping, Optional, Sequence, Tuple, Union

from . import RegionalGrid, Scenario, Study, StudyResults

__all__ = ["chunks", "sweep"]

def chunks(study: Study, chunk: int) -> list[Tuple[str, int, int]]: ...
def sweep(
    client: Any,  # dask.distributed.Client
    grid: Union[str, "os.PathLike[str]", RegionalGrid],
    scenarios: Sequence[Union[Scenario, Mapping[str, object]]],
    years: int = 30,
    chunk: int = 5,
    seed: int = 2022,
    exporter: Optional[str] = None,
    threads: int = 1,
    progress: bool = False,
) -> StudyResults: ...
