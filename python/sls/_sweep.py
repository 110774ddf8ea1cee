"""Sweeps: a script at every point of a grid of parameter values, each
point repeated, on local threads or on any executor (a Dask cluster)."""

from __future__ import annotations

import itertools
import json
import os
import warnings
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional, Protocol, Union

from . import _sls
from ._errors import RunWarning
from ._script import Script, caps, overrides, source, value_text, whole

if TYPE_CHECKING:
    import pandas


class Future(Protocol):
    def result(self) -> Any: ...

    def cancel(self) -> Any: ...


class Executor(Protocol):
    """What ``executor=`` takes: anything with ``submit(fn, *args)``
    returning a future, as ``concurrent.futures.Executor`` and
    ``dask.distributed.Client`` have."""

    def submit(self, fn: Any, /, *args: Any) -> Future: ...


def run_task(task: tuple) -> str:
    """Executes one run of a sweep anywhere ``sls`` is installed (a
    cluster's worker): checks the script again and returns the run's
    summary as JSON. A plain function of this module, so it pickles."""
    return _sls.run_task(task)


def grid_points(grid: Optional[Mapping[str, Iterable[Any]]]) -> list[list[str]]:
    """Every combination of the grid's values (the last name varying
    fastest), each as ``-p`` overrides."""
    if not grid:
        return []
    names = list(grid)
    values = []
    for name in names:
        choices = grid[name]
        if isinstance(choices, (str, bytes)) or not isinstance(choices, Iterable):
            raise TypeError(f"grid `{name}`: give a list of values, not {choices!r}")
        values.append([f"{name}={value_text(name, v)}" for v in choices])
        if not values[-1]:
            raise ValueError(f"grid `{name}` has no value")
    return [list(point) for point in itertools.product(*values)]


def gather(executor: Executor, tasks: list[tuple]) -> list[str]:
    """Submits every task to ``executor``, returns their results in order;
    on any error (Ctrl-C too) cancels those not done and raises it."""
    futures = [executor.submit(run_task, task) for task in tasks]
    try:
        return [f.result() for f in futures]
    except BaseException:
        for f in futures:
            f.cancel()
        raise


def sweep(
    script: Script,
    grid: Optional[Mapping[str, Iterable[Any]]] = None,
    repeat: Optional[int] = None,
    executor: Optional[Executor] = None,
    *,
    params: Optional[Mapping[str, Any]] = None,
    seed: Optional[int] = None,
    jobs: Optional[int] = None,
    lenient: bool = False,
    folder: Optional[Union[str, "os.PathLike[str]"]] = None,
    limits: Optional[Mapping[str, int]] = None,
) -> "pandas.DataFrame":
    """Runs a script at every point of ``grid`` and returns one row per
    point and repetition.

    ``grid`` maps parameter names to lists of values
    (``{"idle_timeout": ["0s", "1min", "10min"], "nodes": [2, 4]}``): every
    combination is a point, times the points of the script's own ``sweep``
    statement. Each point runs ``repeat`` times (the script's ``repeat``
    when not given), repetition ``k`` with seed ``seed + k``. ``params``,
    ``seed``, ``folder`` and ``limits`` are as for :func:`check` (the caps
    hold each grid point's check, as ``sls check`` of the script with its
    values would, and each run's invocations in flight).

    The runs go to ``executor`` when given, one task per point and
    repetition: a ``concurrent.futures.Executor`` or a
    ``dask.distributed.Client`` (so a Slurm, PBS or Kubernetes cluster
    through dask-jobqueue or dask-kubernetes); its workers need ``sls``
    installed and the script's included files and traces at the same paths.
    Without one they run on ``jobs`` threads here (one per core by
    default), the GIL released; Ctrl-C stops them. Either way the rows are
    the same, byte for byte.

    The frame has the columns of ``runs.csv`` but its folder: ``point``,
    ``repetition``, ``run_seed``, every parameter (quantities in SI units,
    the unit in the name: ``idle_timeout [s]``), then every metric of the
    run's summary (``cold_start_ratio``, ``latency_p99 [s]``, ...).

    Each distinct warning of the runs is an :class:`sls.RunWarning`, once;
    so is a point whose repetitions all gave the same summary (nothing in
    the model depends on the seed: one sample, not ``repeat``).

    Raises :class:`sls.DiagnosticError` before anything runs if the script
    has a mistake at any point.
    """
    text, is_path = source(script)
    plan = _sls.Sweep(
        text,
        is_path,
        None if folder is None else os.fspath(folder),
        overrides(params),
        grid_points(grid),
        whole("seed", seed, 0, 64),
        whole("repeat", repeat, 1, 32),
        lenient,
        caps(limits),
    )
    if executor is None:
        summaries = plan.run_local(whole("jobs", jobs, 0, 64) or os.cpu_count() or 1)
    else:
        summaries = gather(executor, plan.tasks())
    table, alike = plan.table(summaries)
    warn_once(summaries)
    if alike is not None:
        warnings.warn(alike, RunWarning, stacklevel=2)
    return table.to_pandas()


def warn_once(summaries: list[str]) -> None:
    """Warns of each distinct warning of the runs once, with how many of
    them gave it (a sweep's runs of one trace say the same of it)."""
    counts: dict[str, int] = {}
    for summary in summaries:
        for warning in json.loads(summary).get("warnings", []):
            counts[warning] = counts.get(warning, 0) + 1
    for warning, count in counts.items():
        runs = "every run" if count == len(summaries) else f"{count} of the {len(summaries)} runs"
        warnings.warn(f"{warning} (in {runs})", RunWarning, stacklevel=3)
