"""What runs inside a crawl process, around the spider: the runner (``CrawlerProcess``),
the offline re-parse, and the Scrapy extensions (run summary, progress line, coverage
alarm, output guard, raw archive). Nothing here reads HTML; nothing here parses arguments.
"""
