"""The raw archive's files: gzip WARC written under a temporary name, and reading it back.

``WarcWriterFile`` writes ``response`` records to ``<output>/warc/<run_id>.warc.gz``
(``dvscraper.runs.archive.WarcArchiveExtension`` feeds it every response of a crawl
run with ``--archive``); the file is written under a hidden temporary name and renamed
on close, like the Parquet files. Bodies are stored as Scrapy hands them over (already
decompressed), so ``Content-Encoding`` and ``Transfer-Encoding`` are dropped and
``Content-Length`` is the stored length.

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

from dvscraper.dataset.layout import TEMP_SUFFIX, OutputLayout

_DROPPED_HEADERS = {b"content-encoding", b"transfer-encoding", b"content-length"}


def warc_dir(output: Path) -> Path:
    return OutputLayout(Path(output)).warc


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
