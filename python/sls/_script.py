"""Scripts as Python gives them, and parameter values as a script reads them."""

from __future__ import annotations

import operator
import os
from typing import Any, Mapping, Optional, Union

from . import _sls

#: A script: a path (``str`` or ``os.PathLike``) to a ``.sls`` file, or its text.
Script = Union[str, "os.PathLike[str]"]


def source(script: Script) -> tuple[str, bool]:
    """The script's path or text, and whether it is a path.

    A path-like object is a path; a string is a script's text when it holds
    a line break, a path when it ends in ``.sls`` or names a file, and text
    otherwise.
    """
    if isinstance(script, os.PathLike):
        return os.fspath(script), True
    if not isinstance(script, str):
        raise TypeError(f"a script is a path or its text, not {type(script).__name__}")
    if "\n" not in script and (script.endswith(".sls") or os.path.isfile(script)):
        return script, True
    return script, False


def value_text(name: str, value: Any) -> str:
    """A parameter's value as a script would write it: text as it is
    (``"10min"``, ``"random(3)"``), numbers as numbers."""
    if isinstance(value, bool):
        raise TypeError(f"parameter `{name}`: give {value!r} as the text a script would write")
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    raise TypeError(
        f"parameter `{name}`: give a number or the text a script would write "
        f"(such as '10min' or 'random(3)'), not {type(value).__name__}"
    )


def overrides(params: Optional[Mapping[str, Any]]) -> list[str]:
    """``-p name=value`` overrides of ``params``."""
    if params is None:
        return []
    if not isinstance(params, Mapping):
        raise TypeError(f"params maps parameter names to values ({{'nodes': 8}}), not {type(params).__name__}")
    return [f"{name}={value_text(name, value)}" for name, value in params.items()]


def caps(limits: Optional[Mapping[str, int]]) -> list[tuple[str, int]]:
    """``limits`` as the simulator takes them: each key a cap the command
    line's ``--max-...`` flag of the same name sets (``max_runs``,
    ``max_hosts``, ``max_invocations``, ``max_output``, ``max_in_flight``),
    each value a whole number."""
    if limits is None:
        return []
    if not isinstance(limits, Mapping):
        raise TypeError(f"limits maps caps to numbers ({{'max_in_flight': 20_000_000}}), not {type(limits).__name__}")
    items = []
    for key, value in limits.items():
        if not isinstance(key, str):
            raise TypeError(f"limits' keys are the caps' names, such as 'max_in_flight', not {type(key).__name__}")
        items.append((key, whole(f"limits[{key!r}]", value, 0, 64)))
    return items


def whole(name: str, value: Optional[int], minimum: int, bits: int) -> Optional[int]:
    """``value`` as the whole number the simulator takes: an integer (a
    NumPy one too) from ``minimum`` below ``2**bits``, else a ``TypeError``
    or ``ValueError`` naming the argument; ``None`` stays ``None``."""
    if value is None:
        return None
    try:
        number = None if isinstance(value, bool) else operator.index(value)
    except TypeError:
        number = None
    if number is None:
        raise TypeError(f"{name} is a whole number, not {type(value).__name__}")
    if not minimum <= number < 2**bits:
        raise ValueError(f"{name} must be a whole number from {minimum} to 2**{bits} - 1, not {number}")
    return number


def check(
    script: Script,
    params: Optional[Mapping[str, Any]] = None,
    seed: Optional[int] = None,
    *,
    folder: Optional[Union[str, "os.PathLike[str]"]] = None,
    policies: Optional[Mapping[str, Any]] = None,
    limits: Optional[Mapping[str, int]] = None,
) -> _sls.Program:
    """Checks a script and returns its :class:`Program`.

    ``script`` is a path to a ``.sls`` file or the script's text (whose
    relative paths, to included files and traces, start from ``folder``, by
    default the current one). ``params`` overrides parameters as ``-p``
    does (``{"nodes": 8, "idle_timeout": "10min"}``); ``seed`` is the seed
    of every random draw (over ``param seed``).

    ``policies`` registers policies written in Python under names the
    script may choose (``{"mine": Mine()}``, then ``keep_alive mine`` or
    ``scheduler mine``): an object with a ``keep_alive(obs)`` method is a
    keep-alive policy, one with ``place(obs)`` a placement (see
    :func:`sls.run`). The program's runs use them.

    ``limits`` raises (or lowers) the caps on the work a script declares,
    as ``sls check``'s flags do, by their names: ``max_runs`` (sweep points
    times repetitions, 1000 by default), ``max_hosts`` (100000),
    ``max_invocations`` (over all runs, 100 million), ``max_output`` (bytes
    of results, 20 GB) and ``max_in_flight`` (invocations waiting, starting
    or running at once in a run, 10 million, some 300 bytes each: a burst
    over it is refused, a backlog past it stops the run). A script over a
    cap is refused before anything runs, its help naming the key to raise
    (``limits={"max_in_flight": 20000000}``). The program's runs hold
    ``max_in_flight``.

    Raises :class:`sls.DiagnosticError` with every mistake of the script.
    """
    text, is_path = source(script)
    return _sls.check(
        text,
        is_path,
        None if folder is None else os.fspath(folder),
        overrides(params),
        whole("seed", seed, 0, 64),
        None if policies is None else dict(policies),
        caps(limits),
    )
