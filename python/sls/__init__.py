"""``sls``: simulate serverless platforms from ``.sls`` experiment scripts.

The simulator runs natively, with the GIL released; results come back as
pyarrow Tables (no copy) and pandas DataFrames::

    import sls
    result = sls.run("examples/basic.sls", params={"nodes": 8})
    result.to_pandas().groupby("node")["end"].count()

:func:`check` checks a script, :func:`run` runs one run of it in memory,
:func:`sweep` runs a grid of parameter values, locally or on a cluster
(``executor=`` a ``dask.distributed.Client``). Mistakes raise
:class:`DiagnosticError`. :func:`estimate` gives a mean and its 95 %
confidence interval over repetitions. Policies written in Python (a class
with ``keep_alive(obs)`` or ``place(obs)``) run by name:
``sls.run(script, policies={"mine": Mine()})``.
"""

from ._errors import Diagnostic, DiagnosticError, PolicyError, RunWarning
from ._run import Result, run
from ._script import check
from ._sls import Program, __version__, estimate
from ._sweep import sweep

__all__ = [
    "Diagnostic",
    "DiagnosticError",
    "PolicyError",
    "Program",
    "Result",
    "RunWarning",
    "__version__",
    "check",
    "estimate",
    "run",
    "sweep",
]
