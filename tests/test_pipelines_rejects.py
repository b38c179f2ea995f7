"""RejectPipeline: rejects and failures into Parquet with reasons, and counted."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq

from dvscraper.dataset.layout import parquet_files
from dvscraper.dataset.outcomes import FetchFailure, PageReject, reason_key
from dvscraper.dataset.schemas import FAILURE_SCHEMA, REJECT_SCHEMA
from pipelines.rejects import RejectPipeline

AT = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def test_rejects_and_failures_are_written_and_counted(tmp_path, stats, make_article):
    pipeline = RejectPipeline(tmp_path, run_id="r1", stats=stats)
    items = [
        PageReject(url="https://h/a", reason="no readable meta time: '31/02/2023'", stage="normalize", at=AT),
        PageReject(url="https://h/", reason="no readable meta time", stage="spider", at=AT),
        PageReject(url="https://h/b", reason="no title", stage="spider", at=AT),
        FetchFailure(url="https://h/x", kind="http_404", reason="HTTP 404 Not Found", status=404, at=AT),
        FetchFailure(url="https://h/y", kind="timeout", reason="timeout: took too long", at=AT),
    ]
    article = make_article()
    for item in [*items, article]:
        assert pipeline.process_item(item) is item
    pipeline.close_spider()

    (rejects,) = parquet_files(tmp_path / "rejects")
    (failures,) = parquet_files(tmp_path / "failures")
    assert pq.read_schema(rejects).equals(REJECT_SCHEMA)
    assert pq.read_schema(failures).equals(FAILURE_SCHEMA)
    assert pq.read_table(rejects).column("reason_key").to_pylist() == [
        "no readable meta time", "no readable meta time", "no title"]
    rows = pq.read_table(failures).to_pylist()
    assert [(r["url"], r["kind"], r["status"]) for r in rows] == [("https://h/x", "http_404", 404),
                                                                   ("https://h/y", "timeout", None)]
    assert stats.values["dv/rejects/no readable meta time"] == 2
    assert stats.values["dv/rejects/no title"] == 1
    assert stats.values["dv/failures/http_404"] == 1
    assert stats.values["dv/failures/timeout"] == 1
    assert pq.read_schema(failures).field("at").type == pa.timestamp("us", tz="UTC")


def test_reason_key_is_the_stable_head():
    assert reason_key("no readable meta time: '31/02/2023 05:36:49 PM'") == "no readable meta time"
    assert reason_key("invalid record: url not absolute") == "invalid record"
    assert reason_key("") == "unspecified"
