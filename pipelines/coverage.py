"""CoveragePipeline: counts which fields each written article has, and the real rejects.

It runs last (after ``ParquetPipeline`` and ``RejectPipeline``), so it sees exactly
the articles that were written and the rejects that were reported. Counters:
``dv/quality/articles``, ``dv/coverage/<field>`` (field present: not null, not an
empty string or list) and ``dv/quality/rejected_articles`` (a ``PageReject`` from
normalize/validate: the page read as an article but gave no valid record; pages the
spider found not to be articles, such as listings and the home page, do not count).
``dvscraper.runs.quality.judge_coverage`` judges them at the end of the crawl.
"""

from __future__ import annotations

from dvscraper.dataset.outcomes import STAGE_SPIDER, PageReject
from dvscraper.dataset.schemas import present_fields
from dvscraper.records import Article
from dvscraper.runs.quality import ARTICLES_SEEN, COVERAGE_PREFIX, REJECTED_ARTICLES


class CoveragePipeline:
    def __init__(self, stats=None):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(stats=crawler.stats)

    def process_item(self, item):
        if self.stats is None:
            return item
        if isinstance(item, Article):
            self.stats.inc_value(ARTICLES_SEEN)
            for name in present_fields(item.to_row()):
                self.stats.inc_value(COVERAGE_PREFIX + name)
        elif isinstance(item, PageReject) and item.stage != STAGE_SPIDER:
            self.stats.inc_value(REJECTED_ARTICLES)
        return item
