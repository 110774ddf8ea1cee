"""sls.check: scripts from files and from text, their points and
parameters; mistakes raised as DiagnosticError with the command line's words."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import sls


def test_a_file_and_its_text_check_alike(root: Path) -> None:
    path = root / "examples" / "sweep.sls"
    from_file = sls.check(path)
    from_text = sls.check(path.read_text(), folder=path.parent)
    assert from_file.sha256 == from_text.sha256
    assert from_file.script == str(path)
    assert from_text.script == "<string>"
    assert from_file.repeat == 5
    assert len(from_file.points) == 9
    assert from_file.points[0] == {"nodes": "2", "policy": "fcfs"}
    assert from_file.parameters[0] == {"nodes": "2", "policy": "fcfs", "seed": "7"}


def test_params_and_seed_override_as_on_the_command_line(root: Path) -> None:
    program = sls.check(root / "examples" / "basic.sls", params={"nodes": 8}, seed=5)
    assert program.parameters == [{"nodes": "8", "invocations": "200", "seed": "42"}]
    assert sls.run(program).summary["run"]["seed"] == 5
    # Text values are read as a script writes them, with units.
    program = sls.check(root / "examples" / "sweep.sls", params={"nodes": 3, "policy": "random(2)"})
    assert program.parameters[0]["policy"] == "random(2)"
    with pytest.raises(TypeError, match="give a number or the text"):
        sls.check(root / "examples" / "basic.sls", params={"nodes": [1, 2]})


def test_a_mistake_raises_a_diagnostic_error_with_the_command_lines_text(root: Path, cli) -> None:
    path = "tests/bad/unknown_host.sls"
    with pytest.raises(sls.DiagnosticError) as raised:
        sls.check(root / path)
    error = raised.value
    assert error.code == "sls::unknown_host"
    assert error.message == "no host named `gateway`"
    assert (error.file, error.line, error.column) == (str(root / path), 7, 9)
    assert error.help == "the declared hosts are `gw` or `node`"
    assert error.diagnostics[0].label == "unknown host"
    # What `sls check` prints, from the same renderer (the file as named).
    printed = cli("check", path, check=False).stderr
    assert error.rendered.replace(str(root / path), path) in printed
    assert "× no host named `gateway`" in str(error)
    # Jupyter shows the coloured text instead of a traceback.
    assert any("\x1b[" in line for line in error._render_traceback_())
    assert "<pre>" in error._repr_html_()
    # It travels between processes (a cluster's worker raises it).
    copy = pickle.loads(pickle.dumps(error))
    assert copy.diagnostics == error.diagnostics


def test_a_warning_is_the_programs_with_the_command_lines_text(root: Path, cli) -> None:
    path = "tests/warn/shared_compute_hosts.sls"
    program = sls.check(root / path)
    assert [w.code for w in program.warnings] == ["sls::shared_compute_hosts"]
    warning = program.warnings[0]
    assert warning.severity == "warning"
    assert warning.message == "service `batch` shares the compute host `node[2]` with `faas`"
    assert (warning.line, warning.column) == (10, 41)
    assert warning.label == "`node[2]` is also a compute host of `faas`"
    printed = cli("check", path).stderr
    assert warning.rendered.replace(str(root / path), path) in printed
    # The run's summary keeps it in words, and running warns of it.
    with pytest.warns(sls.RunWarning, match="service `batch` shares the compute host"):
        summary = sls.run(program).summary
    assert summary["warnings"] == [f"{warning.message}: {warning.help}"]
    assert sls.check(root / "examples" / "basic.sls").warnings == []
    # An error's severity.
    with pytest.raises(sls.DiagnosticError) as raised:
        sls.check(root / "tests/bad/unknown_host.sls")
    assert raised.value.diagnostics[0].severity == "error"


def test_every_mistake_of_a_script_is_reported() -> None:
    text = """platform {
  host a { speed 1Gf/s; cores 1; disk "/" { size 1GB; read 1MBps; write 1MBps } }
}
serverless s { head b:"/"; compute c }
"""
    with pytest.raises(sls.DiagnosticError) as raised:
        sls.check(text)
    codes = [d.code for d in raised.value.diagnostics]
    assert codes.count("sls::unknown_host") == 2, codes
    assert all(d.file == "<string>" for d in raised.value.diagnostics)
    assert [d.line for d in raised.value.diagnostics] == [4, 4]


def test_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="cannot read"):
        sls.check(tmp_path / "absent.sls")
