"""sls.run: one run in memory. Its tables hold what the command line's
files hold (compared through the real binary), its time series adds up to
the summary's counts, its buffers come from Rust without a copy, and it
runs with the GIL released and stops on Ctrl-C."""

from __future__ import annotations

import json
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas
import pyarrow
import pytest

import sls
from conftest import long_script

EXAMPLES = [
    "examples/basic.sls",
    "examples/workflow.sls",
    "examples/sand/pipeline.sls",
    "examples/failures.sls",
    "examples/traces/azure2019.sls",
]


def csv_frame(path: Path) -> pandas.DataFrame:
    # Names stay text ("node[1]", "f0"), empty cells missing.
    return pandas.read_csv(path, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_tables_hold_what_the_command_line_writes(example: str, root: Path, cli, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    cli("run", example, "--out", out, "-q")
    monkeypatch.chdir(root)
    result = sls.run(example)
    assert result.summary == json.loads((out / "summary.json").read_text())

    rows = csv_frame(out / "invocations.csv")
    table = result.invocations
    assert table.num_rows == len(rows) == result.summary["invocations"]
    assert table.column_names == list(rows.columns)
    for column in table.column_names:
        values = table.column(column).to_pylist()
        if column in ("submit", "dispatch", "start", "end", "finish"):
            # The file rounds each date to the nanosecond.
            written = [float(v) if v else None for v in rows[column]]
            for got, want in zip(values, written):
                assert (got is None) == (want is None), column
                assert got is None or abs(got - want) <= 5e-10 * max(1.0, abs(got)), (column, got, want)
        else:
            assert ["" if v is None else str(v) for v in values] == list(rows[column]), column

    if (out / "workflows.csv").exists():
        flows = csv_frame(out / "workflows.csv")
        assert result.workflows.num_rows == len(flows) > 0
        for column in ("instance", "workflow", "service", "status", "ran", "skipped", "critical_path"):
            assert [str(v) for v in result.workflows.column(column).to_pylist()] == list(flows[column]), column
        edges = csv_frame(out / "workflow_edges.csv")
        assert result.edges.num_rows == len(edges)
        for column in ("instance", "workflow", "from", "to", "bus", "data"):
            assert [str(v) for v in result.edges.column(column).to_pylist()] == list(edges[column]), column
    else:
        assert result.workflows.num_rows == result.edges.num_rows == 0


def test_the_time_series_adds_up_to_the_run(root: Path) -> None:
    result = sls.run(root / "examples" / "failures.sls", interval=5.0)
    series = result.to_pandas("timeseries")
    s = result.summary
    assert series["time"].iloc[1] == 5.0
    assert series["submitted"].sum() == s["invocations"]
    assert series["succeeded"].sum() == s["succeeded"]
    assert series["failed"].sum() == s["failed"]
    assert series["cold_starts"].sum() == s["cold_starts"]
    assert series["started"].sum() == s["cold_starts"] + s["warm_starts"] + s["prewarmed_starts"]
    # Invocation-seconds, from each start to its finish, counted independently.
    rows = result.to_pandas()
    ran = (rows["finish"] - rows["start"]).sum()
    assert math.isclose((series["running"] * 5.0).sum(), ran, rel_tol=1e-9)
    # Each started invocation in the bin of its start date.
    started = rows.dropna(subset=["start"])
    by_bin = (started["start"] // 5.0).astype(int).value_counts().sort_index()
    assert list(series["started"][series["started"] > 0]) == list(by_bin)


def test_names_are_categories_and_polars_reads_the_same_table(root: Path) -> None:
    result = sls.run(root / "examples" / "multi_service.sls")
    frame = result.to_pandas()
    for column in ("function", "service", "node", "status", "cause", "container", "startup"):
        assert isinstance(frame[column].dtype, pandas.CategoricalDtype), column
    assert set(frame["status"].cat.categories) == {"success", "failure"}
    polars_frame = result.to_polars()
    assert polars_frame.shape == frame.shape
    assert polars_frame["id"].to_list() == frame["id"].to_list()
    assert result.invocations.schema.field("submit").metadata == {b"unit": b"s"}
    with pytest.raises(ValueError, match="no table `nodes`"):
        result.to_pandas("nodes")


def test_tables_come_from_rust_without_a_copy() -> None:
    before = pyarrow.total_allocated_bytes()
    result = sls.run(long_script(minutes=1))
    assert result.invocations.num_rows == result.summary["invocations"] > 50_000
    assert result.invocations.nbytes > 5_000_000
    # pyarrow allocated none of it: the buffers are Rust's, shared through
    # the C data interface.
    assert pyarrow.total_allocated_bytes() - before < 100_000


def test_a_sweeping_script_needs_a_point(root: Path) -> None:
    with pytest.raises(ValueError, match="sweeps 9 points"):
        sls.run(root / "examples" / "sweep.sls")
    result = sls.run(root / "examples" / "sweep.sls", point=4, repetition=2)
    run = result.summary["run"]
    assert (run["point"], run["repetition"], run["seed"]) == (4, 2, 9)
    assert run["parameters"] == {"nodes": "4", "policy": "random(3)", "seed": "7"}
    with pytest.raises(IndexError, match="no run at point 9"):
        sls.run(root / "examples" / "sweep.sls", point=9)


def test_whole_number_arguments_are_checked_by_name(root: Path) -> None:
    # Named, where the conversion to the simulator's integers said only
    # "can't convert negative int to unsigned".
    basic = root / "examples" / "basic.sls"
    with pytest.raises(ValueError, match=r"seed must be a whole number from 0 to 2\*\*64 - 1, not -1"):
        sls.run(basic, seed=-1)
    with pytest.raises(ValueError, match=r"repetition must be .*, not -1"):
        sls.run(basic, repetition=-1)
    with pytest.raises(ValueError, match=r"repetition must be .* to 2\*\*32 - 1, not 4294967296"):
        sls.run(basic, repetition=2**32)
    with pytest.raises(TypeError, match="point is a whole number, not float"):
        sls.run(basic, point=0.0)
    with pytest.raises(TypeError, match="seed is a whole number, not bool"):
        sls.check(basic, seed=True)
    with pytest.raises(TypeError, match="params maps parameter names to values"):
        sls.check(basic, params=[("nodes", 3)])
    # A NumPy integer is one.
    import numpy

    run = sls.run(basic, seed=numpy.uint64(5), repetition=numpy.int32(0)).summary["run"]
    assert (run["seed"], run["repetition"]) == (5, 0)


def test_a_script_declaring_nothing_to_run_is_refused(root: Path, cli) -> None:
    # As the command line refuses it: a file of shared parts, run by
    # mistake, is no empty result.
    platform = root / "examples" / "common" / "cluster.sls"
    message = "declares nothing to run: it has no `workload { ... }`"
    with pytest.raises(ValueError, match=re.escape(f"`{platform}` {message}")):
        sls.run(platform)
    with pytest.raises(ValueError, match=re.escape(f"`<string>` {message}")):
        sls.run("")
    with pytest.raises(ValueError, match=re.escape(message)):
        sls.sweep(platform)
    assert message in cli("run", platform, check=False).stderr


def test_a_run_error_is_a_diagnostic_pointing_at_the_script(tmp_path: Path) -> None:
    (tmp_path / "trace.csv").write_text("time,function\n0.5,nosuch\n")
    script = """platform {
  host gw { speed 1Gf/s; disk "/" { size 100MB; read 100MBps; write 100MBps } }
  host n { speed 1Gf/s; cores 2; ram 8GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l { bandwidth 100MBps; latency 1ms }
  route gw <-> n via l
}
serverless faas { head gw:"/"; compute n }
image small { size 10MB; ram 100MB }
function f { image small; body { sleep 1s } }
workload { replay csv "trace.csv" }
"""
    with pytest.raises(sls.DiagnosticError) as raised:
        sls.run(script, folder=tmp_path)
    error = raised.value
    assert error.code == "sls::run::unknown_trace_function"
    assert (error.line, error.column) == (10, 12)
    assert "invokes `nosuch`" in error.message


def test_a_bad_trace_row_is_a_diagnostic_of_the_trace(root: Path, tmp_path: Path) -> None:
    trace = root / "tests" / "traces" / "bad" / "csv_not_a_number.csv"
    script = f"""platform {{
  host gw {{ speed 1Gf/s; disk "/" {{ size 1TB; read 100MBps; write 100MBps }} }}
  host n {{ speed 1Gf/s; cores 2; ram 8GB; disk "/" {{ size 1TB; read 100MBps; write 100MBps }} }}
  link l {{ bandwidth 100MBps; latency 1ms }}
  route gw <-> n via l
}}
serverless faas {{ head gw:"/"; compute n }}
image small {{ size 10MB; ram 100MB }}
function f {{ image small; body {{ sleep 1s }} }}
workload {{ replay csv "{trace}" as f }}
"""
    with pytest.raises(sls.DiagnosticError) as raised:
        sls.run(script)
    error = raised.value
    assert error.code == "sls::trace::not_a_number"
    assert error.file is not None and error.file.endswith("csv_not_a_number.csv")
    assert error.line is not None and error.line > 1
    assert "not a number" in error.rendered


def test_the_gil_is_released_while_simulating() -> None:
    # About a second of simulation (600,000 invocations) on a quiet machine.
    script = long_script(minutes=10)
    program = sls.check(script)
    finished = threading.Event()
    ticks = 0

    def simulate() -> None:
        sls.run(program)
        finished.set()

    worker = threading.Thread(target=simulate)
    started = time.perf_counter()
    worker.start()
    while not finished.is_set():
        ticks += 1
    worker.join()
    elapsed = time.perf_counter() - started
    assert elapsed > 0.2, "the run is long enough to tell"
    # This thread kept running Python the whole time: held by the run, the
    # GIL would let it tick only between switch intervals, and then not at all.
    assert ticks > 100_000, (ticks, elapsed)


@pytest.mark.parametrize("call", ["run", "sweep"])
def test_ctrl_c_stops_a_run(call: str, tmp_path: Path) -> None:
    script = tmp_path / "long.sls"
    script.write_text(long_script(minutes=600))
    program = f"""
import sys, time, sls
print("started", flush=True)
t = time.perf_counter()
try:
    sls.{call}({str(script)!r}{", repeat=2, jobs=2" if call == "sweep" else ""})
except KeyboardInterrupt:
    print(f"interrupted after {{time.perf_counter() - t:.2f}} s", flush=True)
    sys.exit(3)
"""
    child = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "started"
        time.sleep(1.5)
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 3, out
    assert out.startswith("interrupted after"), out


def test_a_result_shows_its_headline() -> None:
    result = sls.run(long_script(minutes=1))
    assert repr(result).startswith("<sls.Result: invocations ")
    assert "cold starts" in result._repr_html_()


def test_a_run_warns_as_the_command_line_does(root: Path, cli, tmp_path: Path) -> None:
    # The example replays the small 3-application trace, and asks for
    # applications of a band that holds 2: all are replayed, and said so
    # (the warning was only in summary["warnings"]).
    script = root / "examples/notebooks/keep_alive.sls"
    with pytest.warns(sls.RunWarning) as caught:
        result = sls.run(script, point=0)
    said = [str(w.message) for w in caught]
    assert said == result.summary["warnings"] and len(said) == 1
    assert "`apps quantile(0.5..0.9, 20)` asks for more applications than its band holds" in said[0]
    # The point's four repetitions, each with the warning, said once.
    err = cli("run", script, "--point", "0", "--invocations", "none", "--out", tmp_path / "out", "-q").stderr
    assert err.splitlines() == [f"sls: warning: {said[0]} (in every run)"]


def test_a_sweep_warns_of_each_warning_once(root: Path) -> None:
    with pytest.warns(sls.RunWarning) as caught:
        frame = sls.sweep(root / "examples/notebooks/keep_alive.sls", grid={"idle_timeout": ["0s", "1min"]}, repeat=2)
    assert len(frame) == 4
    said = [str(w.message) for w in caught]
    assert len(said) == 1 and said[0].endswith("(in every run)"), said
