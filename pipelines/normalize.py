"""NormalizePipeline: ``RawArticle`` (strings as shown) -> ``Article`` (the typed record).

It applies ``dvscraper.normalize.to_article``, the same function ``dvscraper parse``
uses, so Parquet rows and CLI output cannot diverge. A page ``to_article`` refuses
(``NotAnArticle``) becomes a ``PageReject`` with the reason.
"""

from __future__ import annotations

from dvscraper.dataset.outcomes import STAGE_NORMALIZE, PageReject, utc_now
from dvscraper.normalize.article import to_article
from dvscraper.records import NotAnArticle, RawArticle


class NormalizePipeline:
    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_item(self, item):
        if not isinstance(item, RawArticle):
            return item
        try:
            return to_article(item, item.crawled_at or utc_now())
        except NotAnArticle as exc:
            return PageReject(url=item.url, reason=exc.reason, stage=STAGE_NORMALIZE, at=utc_now())
        except (ValueError, TypeError, OverflowError) as exc:  # a normaliser choked on odd input
            return PageReject(
                url=item.url, reason=f"normalisation error: {type(exc).__name__}: {exc}",
                stage=STAGE_NORMALIZE, at=utc_now(),
            )
