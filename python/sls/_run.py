"""One run in memory: :func:`run` and its :class:`Result`."""

from __future__ import annotations

import html
import json
import os
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Optional, Union

import pyarrow

from . import _sls
from ._errors import RunWarning
from ._script import Script, check, whole

if TYPE_CHECKING:
    import pandas
    import polars

#: The tables of a result.
TABLES = ("invocations", "workflows", "edges", "timeseries")


@dataclass(frozen=True, repr=False)
class Result:
    """What happened in one run.

    ``invocations`` (one row per invocation: the columns of
    ``invocations.csv``, dates in seconds, names as dictionary columns),
    ``workflows`` (one row per workflow instance), ``edges`` (one row per
    edge of each instance) and ``timeseries`` (per interval of simulated
    time: invocations submitted, started, cold-started, succeeded, failed,
    and the mean number running) are ``pyarrow.Table``s; ``summary`` is the
    run's ``summary.json`` as a dict.
    """

    invocations: pyarrow.Table
    workflows: pyarrow.Table
    edges: pyarrow.Table
    timeseries: pyarrow.Table
    summary: dict[str, Any]

    def _table(self, table: str) -> pyarrow.Table:
        if table not in TABLES:
            raise ValueError(f"no table `{table}`: a result has {', '.join(TABLES)}")
        return getattr(self, table)

    def to_pandas(self, table: str = "invocations") -> "pandas.DataFrame":
        """A table (``invocations`` unless named) as a pandas DataFrame;
        names become categories."""
        return self._table(table).to_pandas()

    def to_polars(self, table: str = "invocations") -> "polars.DataFrame":
        """A table (``invocations`` unless named) as a polars DataFrame."""
        import polars

        return polars.from_arrow(self._table(table))

    def _headline(self) -> list[tuple[str, str]]:
        s = self.summary
        latency = s.get("latency", {})
        starts = s["cold_starts"] + s["warm_starts"] + s["prewarmed_starts"]

        def seconds(v: Optional[float]) -> str:
            return "-" if v is None else f"{v:.6g} s"

        return [
            ("invocations", str(s["invocations"])),
            ("succeeded", str(s["succeeded"])),
            ("failed", str(s["failed"])),
            ("cold starts", f"{s['cold_starts']} of {starts}"),
            ("latency p50", seconds(latency.get("p50"))),
            ("latency p99", seconds(latency.get("p99"))),
            ("makespan", seconds(s["makespan"])),
        ]

    def __repr__(self) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in self._headline())
        return f"<sls.Result: {parts}>"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in self._headline()
        )
        return f"<table><caption>sls run</caption>{rows}</table>"


def run(
    script: Union[Script, _sls.Program],
    params: Optional[Mapping[str, Any]] = None,
    seed: Optional[int] = None,
    *,
    point: Optional[int] = None,
    repetition: int = 0,
    interval: float = 1.0,
    lenient: bool = False,
    folder: Optional[Union[str, "os.PathLike[str]"]] = None,
    policies: Optional[Mapping[str, Any]] = None,
    limits: Optional[Mapping[str, int]] = None,
) -> Result:
    """Runs a script (a path, its text, or a checked :class:`Program`) and
    returns its :class:`Result`.

    ``params``, ``seed`` and ``limits`` are as for :func:`check`. A script that sweeps
    needs ``point`` (from 0, as ``Program.points`` lists them); a repetition
    ``k`` runs with seed ``seed + k``. The time series has one row per
    ``interval`` seconds (longer intervals once a run outlasts 131072 of
    them). ``lenient`` counts and skips bad trace rows (and Azure 2019
    functions without the percentiles their template draws from).

    ``policies`` registers policies written in Python under names the
    script chooses (``keep_alive mine``, ``scheduler mine``):

    - an object with ``keep_alive(self, obs) -> float`` is a keep-alive
      policy: asked each time a container goes idle, it returns the seconds
      the container stays (0 or less: shut down at once); ``obs`` has
      ``function``, ``node`` (index), ``now``, ``container`` and
      ``prewarmed``;
    - an object with ``place(self, obs)`` is a placement: asked for each
      waiting invocation, it returns a node's index (from 0, in the
      service's ``compute`` order) or name, or ``None`` to wait; ``obs`` has
      ``function``, ``invocation``, ``now``, ``submit``, ``nodes`` (names),
      ``free_slots``, ``warm`` and ``up`` (per node; a failed node is not
      up and has no free slot until it is back). On the chosen node the
      invocation reuses an idle container, else starts one (its image
      loaded or copied first); on a full or failed node it waits.

    A registered policy takes no arguments in the script. An exception in
    one, or an answer that is no decision, stops the run with
    :class:`sls.PolicyError` (the policy's name and the simulated date).
    Each decision takes the GIL (about a microsecond or two of overhead,
    see the package's README).

    The simulation runs with the GIL released; Ctrl-C stops it
    (``KeyboardInterrupt``). Raises :class:`sls.DiagnosticError` for
    mistakes, in the script or found while running (a bad trace row);
    warns with :class:`sls.RunWarning` of what went wrong without stopping
    the run.
    """
    point = whole("point", point, 0, 64)
    repetition = whole("repetition", repetition, 0, 32)
    if isinstance(script, _sls.Program):
        if params is not None or seed is not None or policies is not None or limits is not None:
            raise ValueError("a Program is checked already: give params, seed, policies and limits to sls.check")
        program = script
    else:
        program = check(script, params, seed, folder=folder, policies=policies, limits=limits)
    if point is None:
        if len(program.points) > 1:
            raise ValueError(
                f"the script sweeps {len(program.points)} points: give point= "
                f"(0 to {len(program.points) - 1}), or run them all with sls.sweep"
            )
        point = 0
    invocations, workflows, edges, timeseries, summary = program.run(point, repetition, interval, lenient)
    result = Result(invocations, workflows, edges, timeseries, json.loads(summary))
    for warning in result.summary.get("warnings", []):
        warnings.warn(warning, RunWarning, stacklevel=2)
    return result
