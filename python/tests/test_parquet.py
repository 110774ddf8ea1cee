"""`sls run --invocations parquet` read back by pandas (through pyarrow) and
polars: every column holds what `invocations.csv` of the same run holds,
with the types the file promises (names as categories, ids as unsigned
integers, dates as float64 seconds), over examples with failures, several
services and nodes, workflows, a trace, and a run of several row groups."""

from __future__ import annotations

from pathlib import Path

import pandas
import polars
import pyarrow.parquet
import pytest

NAMES = ("function", "service", "node", "status", "cause", "container", "startup")
DATES = ("submit", "dispatch", "start", "end", "finish")

#: About 150,000 invocations: three row groups and a short last one.
LONG = """platform {
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host worker[1..3] { speed 1Gf/s; cores 4; ram 8GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan[1..3] { bandwidth 1Gbps; latency 10us }
  route gateway <-> worker[i] via lan[i]
}
serverless faas { head gateway:"/"; compute worker[*]; idle_timeout 100ms }
image base { size 10MB; ram 10MB }
function f { image base; limits { ram 64MB; time 9ms }; body { sleep exponential(5ms) } }
function g { image base; limits { ram 64MB }; body { sleep exponential(2ms) } }
workload { invoke f poisson 700/s for 150s; invoke g poisson 300/s for 150s }
"""


def both(cli, script: Path, out: Path) -> tuple[pandas.DataFrame, Path]:
    """The run's `invocations.csv` as text, and its `invocations.parquet`."""
    cli("run", script, "--out", out / "csv", "-q")
    cli("run", script, "--out", out / "parquet", "--invocations", "parquet", "-q")
    rows = pandas.read_csv(out / "csv" / "invocations.csv", dtype=str, keep_default_na=False)
    return rows, out / "parquet" / "invocations.parquet"


def same_dates(got: list, written: pandas.Series, column: str) -> None:
    # The CSV rounds each date to the nanosecond; the file keeps it exact.
    for value, text in zip(got, written, strict=True):
        assert (value is None) == (text == ""), column
        assert value is None or abs(value - float(text)) <= 5e-10 * max(1.0, abs(value)), (column, value, text)


def check(rows: pandas.DataFrame, path: Path) -> None:
    frame = pandas.read_parquet(path)
    assert list(frame.columns) == list(rows.columns)
    assert len(frame) == len(rows) > 0
    assert frame["id"].dtype == "uint64"
    assert list(frame["id"].astype(str)) == list(rows["id"])
    for column in NAMES:
        assert isinstance(frame[column].dtype, pandas.CategoricalDtype), column
        assert list(frame[column].astype(object).fillna("")) == list(rows[column]), column
    for column in DATES:
        assert frame[column].dtype == "float64", column
        same_dates([None if pandas.isna(v) else v for v in frame[column]], rows[column], column)
    instance = [None if pandas.isna(v) else str(int(v)) for v in frame["instance"]]
    assert [v or "" for v in instance] == list(rows["instance"])

    # Each row group's statistics (what readers skip row groups by) are
    # those of its rows. (pyarrow shows no minimum and maximum of float64
    # columns written by the `parquet` crate, this writer's or not: the
    # dates' are checked in Rust, `report::parquet::dates`.)
    metadata = pyarrow.parquet.ParquetFile(path).metadata
    first = 0
    for group in range(metadata.num_row_groups):
        chunks = metadata.row_group(group)
        rows_of_group = frame.iloc[first : first + chunks.num_rows]
        first += chunks.num_rows
        for index, column in enumerate(frame.columns):
            if column in ("id", "instance"):
                continue
            values = rows_of_group[column].dropna()
            statistics = chunks.column(index).statistics
            assert statistics.null_count == len(rows_of_group) - len(values), (group, column)
            if len(values) > 0 and column not in DATES:
                if column in NAMES:
                    values = values.astype(str)
                assert (statistics.min, statistics.max) == (values.min(), values.max()), (group, column)
    assert first == len(frame)

    # polars reads the same values, names as categories too.
    other = polars.read_parquet(path)
    assert other.columns == list(rows.columns)
    assert [str(v) for v in other["id"].to_list()] == list(rows["id"])
    for column in NAMES:
        assert isinstance(other[column].dtype, polars.Categorical), column
        assert [v or "" for v in other[column].to_list()] == list(rows[column]), column
    for column in DATES:
        same_dates(other[column].to_list(), rows[column], column)


@pytest.mark.parametrize(
    "example",
    ["examples/failures.sls", "examples/multi_service.sls", "examples/workflow.sls", "examples/traces/azure2019.sls"],
)
def test_every_column_reads_back_as_the_csv_holds_it(example: str, root: Path, cli, tmp_path: Path) -> None:
    rows, path = both(cli, root / example, tmp_path)
    check(rows, path)


def test_a_long_run_reads_back_across_row_groups(cli, tmp_path: Path) -> None:
    script = tmp_path / "long.sls"
    script.write_text(LONG)
    rows, path = both(cli, script, tmp_path)
    assert pyarrow.parquet.ParquetFile(path).metadata.num_row_groups >= 3
    check(rows, path)
