"""Type stubs of the native module ``sls._sls`` (built from ``python/src``)."""

from typing import Any, Optional

import pyarrow

__version__: str
#: The name a script given as text has in diagnostics and results.
TEXT_NAME: str

class Program:
    """A checked script: its sweep points, their parameters, its
    repetitions. Made by :func:`sls.check`; run with :func:`sls.run`."""

    @property
    def script(self) -> str:
        """The script as given: its path, or ``<string>``."""
    @property
    def sha256(self) -> str:
        """SHA-256 of the script's text and the files it includes."""
    @property
    def warnings(self) -> list[Any]:
        """What the check warned of (allowed, likely not meant), each a
        :class:`sls.Diagnostic` with ``severity == "warning"``; every run's
        summary keeps them, and running warns of them (:class:`sls.RunWarning`)."""
    @property
    def repeat(self) -> int:
        """Repetitions of each point (repetition ``k`` with seed ``seed + k``)."""
    @property
    def points(self) -> list[dict[str, str]]:
        """The sweep's points: the values each sets, as written (one empty
        dict for a script without a sweep)."""
    @property
    def parameters(self) -> list[dict[str, str]]:
        """Every parameter's value at each point, as written."""
    def run(
        self, point: int = 0, repetition: int = 0, interval: float = 1.0, lenient: bool = False
    ) -> tuple[pyarrow.Table, pyarrow.Table, pyarrow.Table, pyarrow.Table, str]:
        """Runs one run in memory, the GIL released (Ctrl-C stops it):
        invocations, workflows, workflow edges, time series, and the summary
        as JSON. :func:`sls.run` wraps it."""

class Sweep:
    """A checked sweep: every run as a task. :func:`sls.sweep` drives it."""

    def __init__(
        self,
        script: str,
        is_path: bool,
        folder: Optional[str],
        params: list[str],
        grid: list[list[str]],
        seed: Optional[int] = None,
        repeat: Optional[int] = None,
        lenient: bool = False,
        limits: list[tuple[str, int]] = ...,
    ) -> None: ...
    def tasks(self) -> list[tuple]:
        """Every run as a tuple :func:`run_task` executes, in row order."""
    def run_local(self, jobs: int) -> list[str]:
        """Every run on ``jobs`` threads here; the summaries as JSON."""
    def table(self, summaries: list[str]) -> tuple[pyarrow.Table, Optional[str]]:
        """The rows of the runs from their summaries (each checked to be the
        run asked for), and what to say of points whose repetitions all gave
        the same summary, if any did."""
    def __len__(self) -> int: ...

def check(
    script: str,
    is_path: bool,
    folder: Optional[str] = None,
    params: list[str] = ...,
    seed: Optional[int] = None,
    policies: Optional[dict[str, Any]] = None,
    limits: list[tuple[str, int]] = ...,
) -> Program:
    """Checks a script (a file, or text) with ``policies`` (objects with
    ``keep_alive(obs)`` or ``place(obs)``) registered under names it may
    choose, under the caps ``limits`` sets (``("max_in_flight", 20000000)``,
    the defaults otherwise); raises ``sls.DiagnosticError``."""

class KeepAliveObs:
    """What a Python keep-alive policy's ``keep_alive(obs)`` sees: a
    container going idle."""

    @property
    def function(self) -> str:
        """The function it last served (a trace's: ``app/function``)."""
    @property
    def node(self) -> int:
        """Its node's index in the service's ``compute`` list (from 0)."""
    @property
    def now(self) -> float:
        """The simulated date, in seconds."""
    @property
    def container(self) -> int:
        """The container's id (unique in the service)."""
    @property
    def prewarmed(self) -> bool:
        """Whether it has just been prewarmed (rather than ended an invocation)."""

class PlaceObs:
    """What a Python placement's ``place(obs)`` sees: a waiting invocation
    and the service's nodes (lists indexed like ``nodes``)."""

    @property
    def function(self) -> str:
        """The function invoked."""
    @property
    def invocation(self) -> Optional[int]:
        """The invocation's id, or ``None`` for a container prewarmed ahead of invocations."""
    @property
    def now(self) -> float:
        """The simulated date, in seconds."""
    @property
    def submit(self) -> float:
        """When the invocation was submitted, in seconds."""
    @property
    def nodes(self) -> tuple[str, ...]:
        """The nodes' host names, in the service's ``compute`` order."""
    @property
    def free_slots(self) -> list[int]:
        """Each node's slots free for this round's decisions."""
    @property
    def warm(self) -> list[bool]:
        """Whether each node has an idle container that can serve it."""
    @property
    def up(self) -> list[bool]:
        """Whether each node is up: a node whose host has failed has no
        free slot until it is back, as a busy node, but nothing frees one."""

def run_task(task: tuple) -> str:
    """Executes one task of :meth:`Sweep.tasks`: its summary as JSON."""

def estimate(values: list[float]) -> tuple[float, Optional[float]]:
    """Mean and 95 % confidence half-width (Student's t) of ``values``;
    the half-width is ``None`` for fewer than two values."""
