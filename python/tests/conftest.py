"""What the tests of the Python package share: the repository's paths, the
command-line binary `cargo test --release` built (to compare the package's
results with the command line's files), and small scripts."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sls_binary() -> Path:
    """The `sls` command line, built by `cargo build --release` (or named by
    $SLS_BIN)."""
    binary = Path(os.environ.get("SLS_BIN", ROOT / "target" / "release" / "sls"))
    if not binary.is_file():
        raise FileNotFoundError(f"{binary} is missing: run `cargo build --release` first")
    return binary


@pytest.fixture
def cli(sls_binary: Path):
    """Runs the command line from the repository's root."""

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([str(sls_binary), *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=300)
        if check and done.returncode != 0:
            raise AssertionError(f"sls {' '.join(map(str, args))} exited {done.returncode}: {done.stderr}")
        return done

    return run


#: Two start-up times x two schedulers, three repetitions each: 12 runs,
#: each a fraction of a second (the sweep of tests/sweeps.rs).
SWEEP = """param startup = 500ms
param keep = 10s
param policy = fcfs
param seed = 3
platform {
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 8GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan[1..2] { bandwidth 1Gbps; latency 10us }
  route gateway <-> node[i] via lan[i]
}
serverless faas { head gateway:"/"; compute node[*]; scheduler policy; container_startup startup; idle_timeout keep }
image base { size 10MB; ram 10MB }
function f { image base; limits { ram 256MB }; body { sleep exponential(200ms) } }
workload { invoke f poisson 20/s for 1min }
sweep startup in [500ms, 2s] x policy in [fcfs, random(3)] repeat 3
"""


@pytest.fixture
def sweep_script(tmp_path: Path) -> Path:
    path = tmp_path / "sweep.sls"
    path.write_text(SWEEP)
    return path


def long_script(minutes: int) -> str:
    """A run of tens of millions of events: long enough to interrupt."""
    return f"""platform {{
  host gateway {{ speed 1Gf/s; cores 1; disk "/" {{ size 1TB; read 1GBps; write 1GBps }} }}
  host node[1..8] {{ speed 1Gf/s; cores 64; ram 512GB; disk "/" {{ size 100GB; read 1GBps; write 1GBps }} }}
  link lan[1..8] {{ bandwidth 1Gbps; latency 10us }}
  route gateway <-> node[i] via lan[i]
}}
serverless faas {{ head gateway:"/"; compute node[*]; container_startup 100ms; idle_timeout 1min }}
image base {{ size 10MB; ram 10MB }}
function f {{ image base; limits {{ ram 128MB }}; body {{ sleep exponential(100ms) }} }}
workload {{ invoke f poisson 1000/s for {minutes}min }}
"""
