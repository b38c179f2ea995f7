"""The Scrapy stage after the spider: normalise, validate, dedupe, store.

Order (``ITEM_PIPELINES``): normalize 100 -> validate 200 -> read_counts 250 -> dedupe 300 ->
parquet 900 -> rejects 950 -> coverage 990. A record that fails a stage becomes a
``PageReject`` carrying its reason and ends in ``rejects/``; nothing is dropped
silently (duplicates are counted as ``dv/duplicates_skipped``).
"""
