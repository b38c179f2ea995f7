"""Scrapy settings of dvscraper: only what we set. Project knobs are prefixed ``DV_``.

The defaults are polite to the live portal (a small public site): robots.txt
obeyed, an honest User-Agent, AutoThrottle, 2 requests at a time per host and at
least 1 s between them. A crawl whose start URLs are all on loopback (the replay
site) drops the delay and raises per-host concurrency (``DV_LOOPBACK_FAST``; see
``PortalSpider.push_settings``); the live host always keeps these defaults.
"""

BOT_NAME = "dvscraper"
SPIDER_MODULES = ["dvscraper.spiders"]
NEWSPIDER_MODULE = "dvscraper.spiders"

# -- politeness ---------------------------------------------------------------------------------
USER_AGENT = "dvscraper/0.1 (+https://github.com/dvscraper/dvscraper)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0  # seconds; also AutoThrottle's floor
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# -- limits -------------------------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # an article page is ~100 kB; anything this big is not one
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 5

# -- retries: 429/5xx/timeouts, with backoff that honours Retry-After ----------------------------
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 520, 521, 522, 524, 408]
DV_RETRY_BACKOFF_BASE = 2.0  # seconds before the 1st retry, doubled for each next one ...
DV_RETRY_BACKOFF_MAX = 60.0  # ... up to this
DV_RETRY_AFTER_MAX = 120.0  # a server's Retry-After up to this is waited for; longer: no retry this run
DV_RETRY_WAIT_MAX_PER_URL = 180.0  # all the retry waits of one URL together

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "dvscraper.middlewares.offsite.HostOffsiteMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "dvscraper.middlewares.retry.RetryAfterMiddleware": 550,
    "dvscraper.middlewares.offsite.OffsiteRedirectMiddleware": 650,  # sees 3xx before RedirectMiddleware
    "dvscraper.middlewares.redirect_loop.RedirectLoopMiddleware": 640,  # a loop: recorded, not dropped
    "dvscraper.middlewares.host_limit.HostLimitMiddleware": 950,  # per-host limit (over all workers with --redis)
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
    "dvscraper.middlewares.cookies.CappedCookiesMiddleware": 700,  # only with COOKIES_ENABLED: capped, offline
}
# The portal needs no cookies: a cookie flood (300 x 3 KB -> 431 on every request) cannot happen, and
# no Set-Cookie makes tldextract fetch the public suffix list from a public host.
COOKIES_ENABLED = False
DV_COOKIES_MAX = 50  # with COOKIES_ENABLED: cookies per jar ...
DV_COOKIES_MAX_BYTES = 4096  # ... and bytes of names and values per jar

# Crawl traps (issue 17): a page budget per URL pattern and per run (dvscraper/middlewares/trap_guard.py)
SPIDER_MIDDLEWARES = {"dvscraper.middlewares.trap_guard.TrapGuardMiddleware": 950}
DV_MAX_PAGES_PER_PATTERN = 2000  # distinct URLs of one path + query names (/calendar?pageindex); 0: none
DV_MAX_PAGES_PER_RUN = 200_000  # responses per run, then the spider closes (closespider_pagecount); 0: none

# -- items: normalise -> validate -> dedupe -> store ---------------------------------------------
ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.read_counts.ReadCountPipeline": 250,  # closes after parquet: compacts refetched partitions
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.parquet.ParquetPipeline": 900,
    "pipelines.rejects.RejectPipeline": 950,
    "pipelines.coverage.CoveragePipeline": 990,  # counts fields of written articles (coverage alarm)
}
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,  # no open console port on a scheduled crawler
    "dvscraper.runs.summary.RunSummaryExtension": 500,
    # --redis: worker set, idle stop, last-out compaction; closes before the guard (state.json, lock)
    "dvscraper.distributed.worker.DistributedCrawlExtension": 90,
    "dvscraper.runs.output_guard.OutputGuardExtension": 100,  # output lock, .tmp cleanup, state.json
    "dvscraper.runs.progress.ProgressExtension": 510,  # live progress line / periodic lines (DV_PROGRESS)
    "dvscraper.runs.archive.WarcArchiveExtension": 520,  # --archive: every response into output/warc/
    "dvscraper.spiders.oversize.OversizeExtension": 530,  # an endless body is "too_large", not a retryable "cancelled"
}

REMOTE_CONTROL_ENABLED = False  # nor a remote code-execution endpoint (enable with -s when wanted)

# -- logging ------------------------------------------------------------------------------------
LOG_LEVEL = "INFO"

# -- dvscraper knobs ----------------------------------------------------------------------------
DV_START_URLS = []  # empty: the sites' own start URLs (dvscraper/sites/<name>.toml)
DV_SITES = []  # site profiles to crawl (-a site=NAME / --site NAME); empty: DV_SITES_FILE's, else dienbien
DV_SITES_FILE = None  # a TOML file of [[site]] profiles (--sites-file)
DV_OUTPUT_DIR = "output"
DV_RUN_ID = None  # set per run (PortalSpider) unless given
DV_SINCE = None
DV_UNTIL = None
DV_MAX_PAGES = None
DV_LOOPBACK_FAST = True  # start URLs all on loopback: DOWNLOAD_DELAY 0, no AutoThrottle, ...
DV_LOOPBACK_CONCURRENCY = 16  # ... and this many requests per host
DV_PARQUET_ROW_GROUP_SIZE = 1000  # rows per row group; also the flush threshold per partition
DV_PARQUET_FILE_ROWS = 100_000  # a file is closed (renamed) after this many rows
DV_PARQUET_MAX_OPEN_FILES = 16  # partitions written at once; the least recently used is closed
DV_PARQUET_COMPRESSION = "zstd"

# -- field-coverage alarm (dvscraper/runs/quality.py): a breach exits 4 ------------------------------
DV_COVERAGE_CHECK = True  # False: coverage is reported in the summary, never judged
DV_COVERAGE_MIN = {  # share of written articles where the field is present (null/empty = missing)
    "title": 1.0,
    "published_at": 1.0,
    "body_text": 0.95,
    "read_count": 0.9,  # intro pages have none; a template change loses it everywhere
}
DV_MAX_REJECT_RATE = 0.05  # article pages refused by normalize/validate, over articles + those
DV_COVERAGE_MIN_ARTICLES = 30  # the fixed minimums judge only runs that wrote this many articles
# Every run, small ones too, is also judged against the dataset's own history: the newest
# DV_COVERAGE_HISTORY articles of each site and page kind; a field breaches when this run's
# misses have a probability below DV_COVERAGE_ALPHA under the history's miss rate (binomial).
DV_COVERAGE_HISTORY = 200
DV_COVERAGE_HISTORY_MIN = 4  # fewer articles of history: that kind of page is judged by the minimums only
DV_COVERAGE_ALPHA = 0.001

# -- progress (dvscraper/runs/progress.py) and raw archive (dvscraper/runs/archive.py) ---------------------
DV_PROGRESS = "auto"  # auto: a live line on a terminal, plain lines otherwise; "log"; "off"
DV_PROGRESS_INTERVAL = 10.0  # seconds between plain progress lines (not a terminal)
DV_ARCHIVE = False  # --archive: write every fetched response to output/warc/<run_id>.warc.gz

# -- incremental crawls, read-count history, lock (issue 4) ---------------------------------------
DV_FULL = False  # True (--full): fetch every article again, known or not
DV_REFRESH_READ_COUNTS_DAYS = None  # N (--refresh-read-counts N): refetch known articles of the last N days
DV_REPLACE_KNOWN = True  # a refetched known article replaces its row (compacted at close)
DV_COMPACT_ON_CLOSE = True  # compact the partitions a refetch wrote a second row into
DV_LOCK_HELD = False  # set by `dvscraper crawl`, which takes <output>/.lock itself
DV_TEMP_FILES_REMOVED = 0  # set by `dvscraper crawl`: .tmp leftovers it removed on taking the lock

# -- distributed crawls on scrapy-redis (dvscraper/distributed/) --------------------------------
DV_REDIS_URL = None  # --redis URL: this process is one worker of a crawl shared through Redis
DV_REDIS_CRAWL = None  # --redis-crawl NAME: the crawl's name in Redis (default: from the start URLs)
DV_REDIS_IDLE_SECONDS = 5.0  # a worker stops once the frontier stayed empty, all workers idle, this long
DV_WORKER_ID = None  # default: host-pid-random
DV_REDIS_MAX_PAGES = 0  # set from --max-pages in a distributed crawl: the budget of all workers together
DV_REDIS_HOST_LIMIT = True  # the per-host limit holds over all workers (False: per worker only)
DV_HOST_LIMIT = True  # HostLimitMiddleware holds the per-host limit (Scrapy 2.19's slots don't without a delay)

# -- reliability (issue 17; docs/RELIABILITY.md) ---------------------------------------------------
# Bounded work per page: refused before libxml2 sees it (dvscraper/parse/limits.py) ...
DV_PAGE_MAX_BYTES = 8 * 1024 * 1024
DV_PAGE_MAX_ELEMENTS = 200_000
DV_PAGE_MAX_ATTRIBUTES = 256  # per element
DV_PARSE_TIME_BUDGET = 10.0  # ... and seconds per parse in the crawl (dvscraper/spiders/budget.py); 0: none
DV_PUBLISHED_FLOOR = None  # earliest publish date accepted (YYYY-MM-DD); None: 1995-01-01 (normalize/dates.py)
