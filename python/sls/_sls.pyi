"""Type stubs of the native module ``sls._sls`` (built from ``python/src``)."""

from typing import Optional

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
    ) -> None: ...
    def tasks(self) -> list[tuple]:
        """Every run as a tuple :func:`run_task` executes, in row order."""
    def run_local(self, jobs: int) -> list[str]:
        """Every run on ``jobs`` threads here; the summaries as JSON."""
    def table(self, summaries: list[str]) -> pyarrow.Table:
        """The rows of the runs from their summaries (each checked to be the
        run asked for)."""
    def __len__(self) -> int: ...

def check(
    script: str,
    is_path: bool,
    folder: Optional[str] = None,
    params: list[str] = ...,
    seed: Optional[int] = None,
) -> Program:
    """Checks a script (a file, or text); raises ``sls.DiagnosticError``."""

def run_task(task: tuple) -> str:
    """Executes one task of :meth:`Sweep.tasks`: its summary as JSON."""

def estimate(values: list[float]) -> tuple[float, Optional[float]]:
    """Mean and 95 % confidence half-width (Student's t) of ``values``;
    the half-width is ``None`` for fewer than two values."""
