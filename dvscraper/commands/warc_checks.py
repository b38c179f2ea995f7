"""Is this file a WARC archive? Checked before ``dvscraper reparse`` reads it (exit 2 if not)."""

from __future__ import annotations

from pathlib import Path


def check_warc(path: Path) -> str | None:
    """None when ``path`` opens as a WARC file (gzip or not) with a first record; else why not."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if not record.rec_headers.protocol.upper().startswith("WARC/"):
                    return f"a {record.rec_headers.protocol} record, not WARC"
                return None
    except OSError as exc:
        return exc.strerror or str(exc)
    except Exception as exc:  # warcio's ArchiveLoadFailed and friends
        return str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
    return "no record in it"
