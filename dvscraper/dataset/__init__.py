"""The output folder: its layout, the record schemas (Parquet), writing, compaction, the
raw archive (WARC), the lock and the state that incremental crawls read back.

No Scrapy here: the pipelines (``pipelines/``) and the crawl's extensions
(``dvscraper.runs``) use these pieces; ``dvscraper compact`` and the analysis read with them.
"""
