"""CoveragePipeline: counts which fields each written article has, and the real rejects.

It runs last (after ``ParquetPipeline`` and ``RejectPipeline``), so it sees exactly
the articles that were written and the rejects that were reported. Counters:
``dv/quality/articles``, ``dv/coverage/<field>`` (field present: not null, not an
empty string or list) and ``dv/quality/rejected_articles`` (a ``PageReject`` from
normalize/validate: the page read as an article but gave no valid record; pages the
spider found not to be articles, such as listings and the home page, do not count).

For the judgement against history it also keeps, per group (site and page kind), the
articles, the fields present and the first URLs missing each field (``dv/quality/groups``),
and reads at the start, before anything is written, the dataset's own history of each
group (``dv/quality/history``, ``dvscraper.dataset.history``).
``dvscraper.runs.quality.judge_coverage`` judges them at the end of the crawl.
"""

from __future__ import annotations

from pathlib import Path

from dvscraper import settings as defaults
from dvscraper.dataset.history import field_history, group_of
from dvscraper.dataset.layout import OutputLayout
from dvscraper.dataset.outcomes import STAGE_SPIDER, PageReject
from dvscraper.dataset.schemas import present_fields
from dvscraper.records import ARTICLE_FIELDS, Article
from dvscraper.runs.quality import ARTICLES_SEEN, COVERAGE_PREFIX, GROUPS, HISTORY, MAX_URLS, REJECTED_ARTICLES


class CoveragePipeline:
    def __init__(self, stats=None, *, out_dir: str | Path | None = None,
                 history_size: int = defaults.DV_COVERAGE_HISTORY):
        self.stats = stats
        self.out_dir = Path(out_dir) if out_dir else None
        self.history_size = history_size
        self.groups: dict[str, dict] = {}

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(stats=crawler.stats, out_dir=settings.get("DV_OUTPUT_DIR"),
                   history_size=settings.getint("DV_COVERAGE_HISTORY", defaults.DV_COVERAGE_HISTORY))

    def open_spider(self) -> None:
        if self.stats is None:
            return
        history = {}
        if self.out_dir is not None:
            history = field_history(OutputLayout(self.out_dir).articles, per_group=self.history_size)
        self.stats.set_value(HISTORY, history)
        self.stats.set_value(GROUPS, self.groups)

    def process_item(self, item):
        if self.stats is None:
            return item
        if isinstance(item, Article):
            self.stats.inc_value(ARTICLES_SEEN)
            present = present_fields(item.to_row())
            for name in present:
                self.stats.inc_value(COVERAGE_PREFIX + name)
            self._count(item, set(present))
        elif isinstance(item, PageReject) and item.stage != STAGE_SPIDER:
            self.stats.inc_value(REJECTED_ARTICLES)
        return item

    def _count(self, article: Article, present: set[str]) -> None:
        group = self.groups.setdefault(group_of(article.site, article.url), {
            "articles": 0, "present": dict.fromkeys(ARTICLE_FIELDS, 0), "missing_urls": {}})
        group["articles"] += 1
        for name in ARTICLE_FIELDS:
            if name in present:
                group["present"][name] += 1
            else:
                urls = group["missing_urls"].setdefault(name, [])
                if len(urls) < MAX_URLS:
                    urls.append(article.url)
        if self.stats.get_value(GROUPS) is not self.groups:
            self.stats.set_value(GROUPS, self.groups)
