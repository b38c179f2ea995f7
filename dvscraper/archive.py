"""The raw archive: every fetched response into a gzip WARC file, and reading it back.

``WarcArchiveExtension`` (on with ``dvscraper crawl --archive``, i.e. ``DV_ARCHIVE``)
writes each response Scrapy receives (``response_received``: after retries and
redirects, error pages and robots.txt included) as a WARC ``response`` record to
``<output>/warc/<run_id>.warc.gz``. The file is written under a hidden temporary
name and renamed when the crawl closes, like the Parquet files. Bodies are stored
as Scrapy hands them over (already decompressed), so ``Content-Encoding`` and
``Transfer-Encoding`` are dropped and ``Content-Length`` is the stored length.

``iter_archived_responses(paths)`` reads them back (``dvscraper reparse``).
"""

from __future__ import annotations

import datetime as dt
import http
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured

from dvscraper.dataset import TEMP_SUFFIX, OutputLayout

WARC = "warc"
_DROPPED_HEADERS = {b"content-encoding", b"transfer-encoding", b"content-length"}


def warc_dir(output: Path) -> Path:
    return OutputLayout(Path(output)).root / WARC


def _http_headers(status: int, headers, body_length: int):
    from warcio.statusandheaders import StatusAndHeaders

    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown"
    pairs = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        if name.lower() not in _DROPPED_HEADERS
        for value in values
    ]
    pairs.append(("Content-Length", str(body_length)))
    return StatusAndHeaders(f"{status} {phrase}", pairs, protocol="HTTP/1.1")


class WarcWriterFile:
    """One gzip WARC file written under a temporary name, renamed on ``close``."""

    def __init__(self, path: Path, *, software: str = "dvscraper"):
        from warcio.warcwriter import WARCWriter

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.path.with_name(f".{self.path.name}{TEMP_SUFFIX}")
        self._file = open(self.tmp, "wb")  # noqa: SIM115 - closed in close()
        self.writer = WARCWriter(self._file, gzip=True)
        self.records = 0
        info = self.writer.create_warcinfo_record(self.path.name, {"software": software, "format": "WARC/1.0"})
        self.writer.write_record(info)

    def write_response(self, url: str, status: int, headers, body: bytes, at: dt.datetime) -> None:
        from warcio.timeutils import datetime_to_iso_date

        record = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body),
            http_headers=_http_headers(status, headers, len(body)),
            warc_headers_dict={"WARC-Date": datetime_to_iso_date(at.astimezone(dt.timezone.utc).replace(tzinfo=None))},
        )
        self.writer.write_record(record)
        self.records += 1

    def close(self) -> Path:
        self._file.close()
        os.replace(self.tmp, self.path)
        return self.path


class WarcArchiveExtension:
    def __init__(self, output: Path | str, run_id: str, stats=None):
        self.path = warc_dir(Path(output)) / f"{run_id}.warc.gz"
        self.stats = stats
        self.archive: WarcWriterFile | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("DV_ARCHIVE"):
            raise NotConfigured
        ext = cls(settings.get("DV_OUTPUT_DIR") or "output", settings.get("DV_RUN_ID") or "unknown",
                  stats=crawler.stats)
        ext.crawler = crawler
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider=None) -> None:
        # the run id and output are final once the spider pushed its settings
        settings = self.crawler.settings
        self.path = warc_dir(Path(settings.get("DV_OUTPUT_DIR") or "output")) / f"{settings.get('DV_RUN_ID')}.warc.gz"
        self.archive = WarcWriterFile(self.path)

    def response_received(self, response, request=None, **kwargs) -> None:
        if self.archive is None:
            return
        self.archive.write_response(response.url, response.status, response.headers, response.body,
                                    dt.datetime.now(dt.timezone.utc))
        if self.stats is not None:
            self.stats.inc_value("dv/archive/records")

    def spider_closed(self, spider=None, reason: str | None = None) -> None:
        if self.archive is not None:
            self.archive.close()
            self.archive = None


# -- reading --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ArchivedResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    at: dt.datetime


def iter_archived_responses(paths: Iterable[Path | str]) -> Iterator[ArchivedResponse]:
    """The ``response`` records of WARC files (gzip or not), in file order."""
    from warcio.archiveiterator import ArchiveIterator

    for path in paths:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                at = dt.datetime.fromisoformat(record.rec_headers.get_header("WARC-Date").replace("Z", "+00:00"))
                yield ArchivedResponse(
                    url=record.rec_headers.get_header("WARC-Target-URI"),
                    status=int(record.http_headers.get_statuscode() or 0),
                    headers=list(record.http_headers.headers),
                    body=record.content_stream().read(),
                    at=at,
                )
