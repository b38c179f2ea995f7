"""One distributed crawl, one output folder: the first worker records its folder in Redis
(``dvscraper:<crawl>:output``), a worker started with another ``--output`` is refused.

Two workers with the same start URLs but different folders would otherwise split one crawl between
two datasets, each incomplete, silently. The key goes with the crawl's other keys (the last worker
of a finished crawl deletes them all).
"""

from __future__ import annotations

from pathlib import Path

from dvscraper.distributed.coordination import CrawlKeys


def output_identity(output: Path | str) -> str:
    return str(Path(output).resolve())


def claim_output(client, crawl: str, output: Path | str) -> None:
    """Record ``output`` as the crawl's folder, or raise ``ValueError`` when another one is recorded."""
    key = CrawlKeys(crawl).key("output")
    mine = output_identity(output)
    client.set(key, mine, nx=True)
    recorded = client.get(key)
    recorded = recorded.decode("utf-8", "replace") if isinstance(recorded, bytes) else recorded
    if recorded and recorded != mine:
        raise ValueError(f"distributed crawl {crawl} writes to {recorded}, not {mine}: start every worker "
                         f"with the same --output (or give this one another --redis-crawl NAME)")
