"""sls.sweep: a grid of parameter values times the script's own sweep, each
point repeated; the same rows as the command line's runs.csv, whatever runs
them (threads here, a thread pool, processes)."""

from __future__ import annotations

import concurrent.futures
import json
import warnings
from pathlib import Path

import pandas
import pytest

import sls


def runs_csv(cli, script: Path, out: Path, *args: str) -> pandas.DataFrame:
    cli("run", script, "--out", out, "-q", *args)
    return pandas.read_csv(out / "runs.csv", keep_default_na=False, na_values=[""])


def test_a_scripts_sweep_gives_the_rows_of_runs_csv(sweep_script: Path, cli, tmp_path: Path) -> None:
    frame = sls.sweep(sweep_script)
    expected = runs_csv(cli, sweep_script, tmp_path / "out").drop(columns="folder")
    assert len(frame) == 12
    assert list(frame.columns) == list(expected.columns)
    assert list(frame.columns[:6]) == ["point", "repetition", "run_seed", "startup [s]", "keep [s]", "policy"]
    # Every number read back from the file is the same double.
    pandas.testing.assert_frame_equal(frame, expected, check_dtype=False, check_exact=True)


def test_a_grid_is_points_times_repetitions_with_parameter_columns(sweep_script: Path, cli, tmp_path: Path) -> None:
    frame = sls.sweep(sweep_script, grid={"keep": ["0s", "1min"]})
    # Two grid points, times the script's four points, three times each.
    assert len(frame) == 2 * 4 * 3
    assert list(frame["point"]) == [p for p in range(8) for _ in range(3)]
    assert list(frame["repetition"]) == [0, 1, 2] * 8
    # Each grid point is the command line's sweep with the same override.
    for g, keep in enumerate(["0s", "1min"]):
        expected = runs_csv(cli, sweep_script, tmp_path / keep, "-p", f"keep={keep}").drop(columns="folder")
        ours = frame.iloc[12 * g : 12 * (g + 1)].reset_index(drop=True)
        assert list(ours["keep [s]"]) == [0.0 if g == 0 else 60.0] * 12
        expected["point"] += 4 * g
        pandas.testing.assert_frame_equal(ours, expected, check_dtype=False, check_exact=True)


def test_a_grid_value_fixes_a_parameter_the_script_sweeps(sweep_script: Path) -> None:
    frame = sls.sweep(sweep_script, grid={"startup": ["100ms", "2s"]}, repeat=2)
    # As `-p` does: `startup` leaves the script's sweep, `policy` stays.
    assert len(frame) == 2 * 2 * 2
    assert list(frame["startup [s]"]) == [0.1] * 4 + [2.0] * 4
    assert list(frame["policy"]) == ["fcfs", "fcfs", "random(3)", "random(3)"] * 2


def test_every_executor_gives_the_same_bytes(sweep_script: Path) -> None:
    local = sls.sweep(sweep_script, jobs=1)
    with concurrent.futures.ThreadPoolExecutor(2) as threads:
        pooled = sls.sweep(sweep_script, executor=threads)
    with concurrent.futures.ProcessPoolExecutor(2) as processes:
        elsewhere = sls.sweep(sweep_script, executor=processes)
    for other in (pooled, elsewhere):
        pandas.testing.assert_frame_equal(local, other, check_exact=True)


def test_a_task_is_a_plain_tuple_and_its_summary_names_its_run(sweep_script: Path) -> None:
    from sls import _sls

    plan = _sls.Sweep(str(sweep_script), True, None, [], [["keep=1min"]], None, 2, False)
    tasks = plan.tasks()
    assert len(plan) == len(tasks) == 8
    name, path, text, overrides, seed, repeat, point, sweep_point, repetition, lenient, limits = tasks[5]
    assert (overrides, repeat, point, sweep_point, repetition) == (["keep=1min"], 2, 2, 2, 1)
    # The command line's default caps: runs, hosts, invocations, output, in flight.
    assert limits == (1000, 100_000, 100_000_000, 20_000_000_000, 10_000_000)
    assert Path(path).is_absolute() and text == sweep_script.read_text()
    summary = json.loads(_sls.run_task(tasks[5]))
    assert summary["run"]["point"] == 2 and summary["run"]["repetition"] == 1
    assert summary["run"]["overrides"] == ["keep=1min"]
    # A summary of another run is refused, not laid in the wrong row.
    summaries = [_sls.run_task(t) for t in tasks]
    summaries[0], summaries[1] = summaries[1], summaries[0]
    with pytest.raises(RuntimeError, match="another run than point 0, repetition 0"):
        plan.table(summaries)


def test_mistakes_at_any_point_raise_before_anything_runs(sweep_script: Path) -> None:
    with pytest.raises(sls.DiagnosticError) as raised:
        sls.sweep(sweep_script, grid={"keep": ["1min", "5"]})
    assert raised.value.code == "sls::missing_unit"
    assert raised.value.file == "-p keep=5"
    with pytest.raises(TypeError, match="give a list of values"):
        sls.sweep(sweep_script, grid={"keep": "1min"})
    # Repetitions start at 1 (a message saying "from 0" refused 0 next).
    for repeat in [0, -1]:
        with pytest.raises(ValueError, match=f"repeat must be a whole number from 1 to 2\\*\\*32 - 1, not {repeat}"):
            sls.sweep(sweep_script, repeat=repeat)
    with pytest.raises(ValueError, match="jobs must be a whole number from 0 .*, not -2"):
        sls.sweep(sweep_script, jobs=-2)


def test_estimate_is_the_command_lines_mean_and_interval() -> None:
    mean, half = sls.estimate([1.0, 2.0, 3.0])
    assert mean == 2.0
    assert half == pytest.approx(4.303 * 1.0 / 3**0.5)
    assert sls.estimate([5.0]) == (5.0, None)


ALIKE = """
platform {
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node { speed 1Gf/s; cores 4; ram 8GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan { bandwidth 1Gbps; latency 10us }
  route gateway <-> node via lan
}
serverless faas { head gateway:"/"; compute node; container_startup 500ms; idle_timeout 10s }
image base { size 10MB; ram 10MB }
function f { image base; limits { ram 256MB }; body { sleep 1s } }
workload { invoke f every 2s count 10 }
"""


def test_repetitions_that_gave_the_same_summary_are_a_run_warning(tmp_path: Path, sweep_script: Path) -> None:
    script = tmp_path / "alike.sls"
    script.write_text(ALIKE)
    with pytest.warns(sls.RunWarning, match="the 3 repetitions gave the same summary with their own seeds") as caught:
        table = sls.sweep(script, repeat=3)
    assert len(caught) == 1 and "drop `repeat`" in str(caught[0].message)
    # What it says, checked against the rows: three seeds, one result.
    assert list(table["run_seed"]) == [0, 1, 2]
    metrics = table.drop(columns=["point", "repetition", "run_seed"])
    assert len(metrics.drop_duplicates()) == 1
    # Repetitions that differ are not told of.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sls.sweep(sweep_script, repeat=2)
    assert not [w for w in caught if "same summary" in str(w.message)]
