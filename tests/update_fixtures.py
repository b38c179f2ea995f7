"""Rewrite the fixtures' expected JSON from the CURRENT parser, for human review in git.

    python -m tests.update_fixtures                 # every fixture
    python -m tests.update_fixtures --only STEM     # one variant (repeatable)
    python -m tests.update_fixtures --only new-variant --kind articles --url https://dienbien.dcs.vn/...

The expected JSON is the independent oracle: review every hunk of ``git diff fixtures/``
before committing, and never run this in CI. Tests never call it. The page URL is read
from the existing JSON (the fixtures' convention); a new fixture needs ``--url``.
Exit status: 0 when every requested fixture was written, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dvscraper.parse import parse_article, parse_listing
from dvscraper.records import NotAnArticle
from tests.fixture_cases import FIXED_CRAWLED_AT, FIXTURES, KINDS, Case, discover

REASON_PREFIXES = ("no title", "no readable meta time")


def expected_for(case: Case, url: str) -> dict:
    """The expected JSON of one fixture as the current parser sees it."""
    html = case.html()
    if case.kind == "articles":
        record = parse_article(html, url, crawled_at=FIXED_CRAWLED_AT).to_dict()
        record.pop("crawled_at")
        return record
    if case.kind == "listings":
        return {"url": url, **parse_listing(html, url).to_dict()}
    try:
        record = parse_article(html, url, crawled_at=FIXED_CRAWLED_AT)
    except NotAnArticle as exc:
        reason = next((p for p in REASON_PREFIXES if exc.reason.startswith(p)), exc.reason)
        return {"url": url, "reason": reason}
    raise ValueError(f"parses as an article titled {record.title!r}, not a rejection")


def write_json(path: Path, document: dict) -> bool:
    """Write ``document``; True when the file changed."""
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.update_fixtures", description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="STEM", help="only this variant (repeatable)")
    parser.add_argument("--kind", choices=KINDS, help="only this kind of fixture")
    parser.add_argument("--url", help="page URL for a fixture that has no JSON yet (with one --only)")
    args = parser.parse_args(argv)
    if args.url and len(args.only or ()) != 1:
        parser.error("--url needs exactly one --only STEM")
    return args


def run(args: argparse.Namespace) -> int:
    kinds = [args.kind] if args.kind else list(KINDS)
    cases = [case for kind in kinds for case in discover(kind)
             if case.html_path.is_file() and (not args.only or case.stem in args.only)]
    if args.only:
        missing = set(args.only) - {case.stem for case in cases}
        for stem in sorted(missing):
            print(f"no such fixture: {stem}.html under {', '.join(kinds)}", file=sys.stderr)
        if missing:
            return 1
    failures = 0
    for case in cases:
        name = f"{case.kind}/{case.stem}"
        url = args.url or (case.expected()["url"] if case.json_path.is_file() else None)
        if not url:
            print(f"SKIP {name}: no JSON to read the URL from; pass --only {case.stem} --url URL", file=sys.stderr)
            failures += 1
            continue
        try:
            document = expected_for(case, url)
        except Exception as exc:  # report and go on: one broken page must not hide the others
            print(f"FAIL {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            failures += 1
            continue
        changed = write_json(case.json_path, document)
        print(f"{'updated' if changed else 'same   '} {name}.json")
    shown = FIXTURES.relative_to(Path.cwd()) if FIXTURES.is_relative_to(Path.cwd()) else FIXTURES
    print(f"review with: git diff -- {shown}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
