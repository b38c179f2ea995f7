"""DedupePipeline: one row per article_id within a run and against the dataset on disk."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem

from dvscraper.dataset.layout import read_article_ids
from dvscraper.dataset.outcomes import PageReject
from pipelines.dedupe import DedupePipeline
from pipelines.parquet import ParquetPipeline


def test_duplicates_within_a_run_are_counted_and_skipped(make_article, stats):
    pipeline = DedupePipeline(stats=stats)
    pipeline.open_spider()
    first = make_article(1)
    assert pipeline.process_item(first) is first
    with pytest.raises(DropItem, match="duplicate article_id"):
        pipeline.process_item(make_article(1, title="Tiêu đề khác"))
    assert stats.values["dv/duplicates_skipped"] == 1


def test_ids_already_in_the_dataset_are_skipped(tmp_path, make_article, stats):
    """Without ``replace_known`` (``-s DV_REPLACE_KNOWN=False``): an article of an earlier run is a duplicate."""
    writer = ParquetPipeline(tmp_path, run_id="r1")
    for i in range(3):
        writer.process_item(make_article(i))
    writer.close_spider()
    assert read_article_ids(tmp_path / "articles") == {make_article(i).article_id for i in range(3)}

    pipeline = DedupePipeline(tmp_path, stats=stats, replace_known=False)
    pipeline.open_spider()
    assert stats.values["dv/known_articles_at_start"] == 3
    with pytest.raises(DropItem):
        pipeline.process_item(make_article(2))
    new = make_article(3)
    assert pipeline.process_item(new) is new


def test_empty_or_missing_output_is_fine(tmp_path):
    pipeline = DedupePipeline(tmp_path / "nothing-here")
    pipeline.open_spider()
    assert pipeline.preloaded == 0


def test_other_items_pass(tmp_path, stats):
    pipeline = DedupePipeline(stats=stats)
    reject = PageReject(url="https://x/", reason="no title", stage="spider", at=None)
    assert pipeline.process_item(reject) is reject
    assert pipeline.process_item(reject) is reject


def test_by_default_a_refetched_article_of_an_earlier_run_passes(tmp_path, make_article, stats):
    """The default is the settings' (``DV_REPLACE_KNOWN = True``): its newer row replaces the old one."""
    writer = ParquetPipeline(tmp_path, run_id="r1")
    writer.process_item(make_article(2))
    writer.close_spider()
    pipeline = DedupePipeline(tmp_path, stats=stats)
    pipeline.open_spider()
    again = make_article(2)
    assert pipeline.process_item(again) is again
    assert stats.values["dv/articles_replaced"] == 1
    with pytest.raises(DropItem):  # twice in one run is still a duplicate
        pipeline.process_item(make_article(2))
