"""Mistakes in a script, raised as :class:`DiagnosticError`.

Every mistake ``sls`` finds (the checker's, a trace reader's, a run's about
something the script declares) carries a stable code, the place it points
at, a label, and help saying what to write instead: the same as the
command line prints.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence


@dataclass(frozen=True)
class Diagnostic:
    """One mistake: its code (``sls::unknown_host``), message, where it is
    (``file``, 1-based ``line`` and ``column``, absent for a mistake with no
    place), the label under it, the help, and the text the command line
    prints (``rendered``; ``rendered_color`` with terminal colours).
    ``severity`` is ``"error"``, or ``"warning"`` for one of
    :attr:`Program.warnings` (allowed, likely not meant)."""

    code: Optional[str]
    message: str
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    label: Optional[str]
    help: Optional[str]
    rendered: str
    rendered_color: str = field(repr=False)
    severity: str = "error"

    def __str__(self) -> str:
        return self.rendered


class DiagnosticError(Exception):
    """A script has mistakes: ``diagnostics`` lists every one, in the order
    of the file; ``code``, ``message``, ``file``, ``line``, ``column`` and
    ``help`` are the first one's, ``rendered`` all of them as the command
    line prints them. In Jupyter the error shows as that text, in colour,
    without a Python traceback."""

    diagnostics: list[Diagnostic]

    def __init__(self, diagnostics: Sequence[Mapping[str, Any]]) -> None:
        # The fields as given are the exception's arguments, so the error
        # pickles (a cluster's worker sends it back as it is).
        super().__init__(list(diagnostics))
        self.diagnostics = [Diagnostic(**dict(d)) for d in diagnostics]

    @property
    def _first(self) -> Diagnostic:
        return self.diagnostics[0]

    @property
    def code(self) -> Optional[str]:
        return self._first.code

    @property
    def message(self) -> str:
        return self._first.message

    @property
    def file(self) -> Optional[str]:
        return self._first.file

    @property
    def line(self) -> Optional[int]:
        return self._first.line

    @property
    def column(self) -> Optional[int]:
        return self._first.column

    @property
    def help(self) -> Optional[str]:
        return self._first.help

    @property
    def rendered(self) -> str:
        return "".join(d.rendered for d in self.diagnostics)

    def __str__(self) -> str:
        n = len(self.diagnostics)
        return f"{n} mistake{'s' if n != 1 else ''} found\n{self.rendered}"

    def _render_traceback_(self) -> list[str]:
        # IPython shows these lines in place of the traceback.
        return "".join(d.rendered_color for d in self.diagnostics).splitlines()

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self.rendered)}</pre>"


class PolicyError(RuntimeError):
    """A policy stopped the run. One written in Python (``sls.run(...,
    policies=...)``) raised, or answered no decision (a node that does not
    exist, a keep-alive of NaN seconds); one written in the script (``keep_alive
    NAME { ... }``, ``placement``, ``eviction``, ``autoscaler``) divided by
    zero or gave no number. ``policy`` is its name, ``time`` the simulated
    date in seconds, ``message`` what went wrong. For a policy written in
    the script, ``file``, 1-based ``line`` and ``column`` point at the
    expression that failed and ``rendered`` is the diagnostic the command
    line prints; they are ``None`` for a policy written in Python."""

    policy: str
    time: float
    message: str
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    rendered: Optional[str]

    def __init__(
        self,
        policy: str,
        time: float,
        message: str,
        file: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        rendered: Optional[str] = None,
    ) -> None:
        # Every field is an argument, so the error pickles.
        super().__init__(policy, time, message, file, line, column, rendered)
        self.policy = policy
        self.time = time
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.rendered = rendered

    def __str__(self) -> str:
        text = f"policy `{self.policy}` failed at {self.time} s (simulated): {self.message}"
        if self.rendered is not None:
            return f"{text}\n{self.rendered}"
        return text


class RunWarning(UserWarning):
    """What went wrong without stopping a run, as the command line's
    ``sls: warning:`` lines say it: bad trace rows skipped or functions left
    out (``lenient``), a trace selection asking for more applications than
    there are, invocations that never ran. Also in ``summary["warnings"]``;
    a sweep warns of each once, with how many runs gave it."""

