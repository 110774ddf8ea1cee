"""A sweep on a real Dask cluster: a scheduler and two worker processes on
the loopback interface, each run one task; the rows equal a local run's,
byte for byte. Everything started is stopped, and the test is bounded in
time."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pandas
import pytest
from distributed import Client, get_task_stream

import sls

#: Seconds the whole test may take.
BOUND = 240


@pytest.fixture
def bounded() -> Iterator[None]:
    def expire(signum, frame):
        raise TimeoutError(f"the cluster test took more than {BOUND} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(BOUND)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def cluster(tmp_path: Path, bounded: None) -> Iterator[Path]:
    """A scheduler and two single-threaded workers, separate processes on
    127.0.0.1; yields the scheduler file clients connect with."""
    scheduler_file = tmp_path / "scheduler.json"
    logs = tmp_path / "logs"
    logs.mkdir()
    processes: list[subprocess.Popen] = []

    def start(name: str, *args: str) -> None:
        log = open(logs / f"{name}.log", "w")
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "dask", *args],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=tmp_path,
            )
        )

    try:
        start(
            "scheduler",
            "scheduler",
            "--host", "127.0.0.1",
            "--port", "0",
            "--no-dashboard",
            "--scheduler-file", str(scheduler_file),
        )
        deadline = time.monotonic() + 60
        while not scheduler_file.exists():
            if time.monotonic() > deadline or processes[0].poll() is not None:
                raise RuntimeError(f"the scheduler did not start: {(logs / 'scheduler.log').read_text()}")
            time.sleep(0.1)
        for i in range(2):
            start(
                f"worker{i}",
                "worker",
                "--scheduler-file", str(scheduler_file),
                "--host", "127.0.0.1",
                "--nthreads", "1",
                "--no-nanny",
                "--no-dashboard",
                "--name", f"worker{i}",
                "--local-directory", str(tmp_path / f"worker{i}"),
            )
        yield scheduler_file
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_a_sweep_on_a_dask_cluster_equals_the_local_run(cluster: Path, sweep_script: Path) -> None:
    with Client(scheduler_file=str(cluster), timeout=60) as client:
        client.wait_for_workers(2, timeout=60)
        assert len(client.scheduler_info()["workers"]) == 2
        with get_task_stream(client) as stream:
            remote = sls.sweep(sweep_script, executor=client, grid={"keep": ["10s", "1min"]})
        workers = {task["worker"] for task in stream.data}
    assert len(remote) == 24
    assert len(stream.data) == 24, "one task per point and repetition"
    assert len(workers) == 2, f"every task ran on {workers}"
    local = sls.sweep(sweep_script, grid={"keep": ["10s", "1min"]})
    pandas.testing.assert_frame_equal(remote, local, check_exact=True)
