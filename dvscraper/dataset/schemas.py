"""The Parquet schemas of the output folder, their version, and reading older files.

One explicit ``pa.schema`` per dataset (never inferred from a batch): ``ARTICLE_SCHEMA``
(``articles/``, one column per ``Article`` field, in contract order), ``READ_COUNT_SCHEMA``
(``read_counts/``), ``REJECT_SCHEMA`` (``rejects/``) and ``FAILURE_SCHEMA`` (``failures/``).

Schema evolution: every schema carries ``SCHEMA_VERSION`` in its metadata (written into each
file's footer, key ``dvscraper.schema_version``; the run summary holds it too). A column added
later must be nullable; files written before it are read through ``conform``, which gives the
missing column as nulls and drops columns the schema no longer has, so reading, loading and
compaction work on a folder that mixes old and new files (tests/test_schema_evolution.py).
"""

from __future__ import annotations

import pyarrow as pa

from dvscraper.dataset.layout import site_dir
from dvscraper.normalize.dates import VN_TZ
from dvscraper.records import ARTICLE_FIELDS

SCHEMA_VERSION = 2  # 1: the layout before schema versions (no metadata); 2: versioned, conformed on read
SCHEMA_VERSION_KEY = b"dvscraper.schema_version"


def _versioned(fields: list[pa.Field]) -> pa.Schema:
    return pa.schema(fields, metadata={SCHEMA_VERSION_KEY: str(SCHEMA_VERSION).encode()})


IMAGE_TYPE = pa.struct(
    [pa.field("src", pa.string(), nullable=False), pa.field("caption", pa.string()), pa.field("alt", pa.string())]
)

ARTICLE_SCHEMA = _versioned(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("site", pa.string(), nullable=False),
        pa.field("title", pa.string(), nullable=False),
        pa.field("category", pa.string()),
        pa.field("breadcrumb", pa.list_(pa.string()), nullable=False),
        pa.field("published_at", pa.timestamp("us", tz="Asia/Ho_Chi_Minh"), nullable=False),
        pa.field("published_at_raw", pa.string()),
        pa.field("read_count", pa.int64()),
        pa.field("summary", pa.string()),
        pa.field("event_date", pa.date32()),
        pa.field("body_text", pa.string(), nullable=False),
        pa.field("headings", pa.list_(pa.string()), nullable=False),
        pa.field("images", pa.list_(IMAGE_TYPE), nullable=False),
        pa.field("byline", pa.string()),
        pa.field("authors", pa.list_(pa.string()), nullable=False),
        pa.field("source", pa.string()),
        pa.field("word_count", pa.int32(), nullable=False),
        pa.field("content_sha256", pa.string(), nullable=False),
        pa.field("crawled_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)
assert tuple(ARTICLE_SCHEMA.names) == ARTICLE_FIELDS, "schema columns must be the contract fields"

READ_COUNT_SCHEMA = _versioned(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("crawled_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("read_count", pa.int64()),
        pa.field("url", pa.string(), nullable=False),
        pa.field("published_at", pa.timestamp("us", tz="Asia/Ho_Chi_Minh"), nullable=False),
    ]
)

REJECT_SCHEMA = _versioned(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("reason_key", pa.string(), nullable=False),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)

FAILURE_SCHEMA = _versioned(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("status", pa.int32()),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)


def schema_version(schema: pa.Schema) -> int:
    """The version a file was written with (its footer metadata); 1 for files from before versions."""
    raw = (schema.metadata or {}).get(SCHEMA_VERSION_KEY)
    try:
        return int(raw) if raw is not None else 1
    except ValueError:
        return 1


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` in ``schema``'s columns and types: a column it lacks (a file written before the
    column was added) is all null, a column the schema no longer has is dropped. A missing
    column that may not be null is an error: only nullable columns can be added later."""
    columns = []
    for field in schema:
        if field.name in table.column_names:
            columns.append(table.column(field.name).cast(field.type))
        elif field.nullable:
            columns.append(pa.nulls(table.num_rows, field.type))
        else:
            raise ValueError(f"a file without the required column {field.name!r} (not a dvscraper dataset?)")
    return pa.Table.from_arrays(columns, schema=schema)


def partition_of(row: dict) -> str:
    """``dienbien.dcs.vn/year=2023/month=01``: the site, then the local publication month."""
    local = row["published_at"].astimezone(VN_TZ)
    return f"{site_dir(row['site'])}/year={local.year:04d}/month={local.month:02d}"


def field_present(value: object) -> bool:
    """A field counts as present unless it is null, an empty/blank string or an empty list."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, dict)):
        return bool(value)
    return True


def present_fields(row: dict) -> list[str]:
    """The contract fields ``row`` has (``field_present``): what field coverage counts."""
    return [name for name in ARTICLE_FIELDS if field_present(row.get(name))]
