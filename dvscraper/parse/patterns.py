"""Regular expressions for phrases as a reader sees them: words separated by any whitespace."""

from __future__ import annotations

import re


def phrase_pattern(phrases, *, ignore_case: bool = True) -> re.Pattern:
    """A pattern for ``phrases``, their words separated by any whitespace; case-insensitive
    unless ``ignore_case=False`` (then match lower-cased text with lower-case phrases: an
    alternation scans many times faster without ``re.IGNORECASE``)."""
    ordered = sorted({p if ignore_case else p.lower() for p in phrases}, key=len, reverse=True)
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile("|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered), flags)


def trie_pattern(phrases) -> re.Pattern:
    """One pattern for lower-case ``phrases`` (their words separated by any whitespace), as a
    character trie: several times fewer attempts per position than a plain alternation, and
    the same matches (a phrase that extends another is tried first, as by length)."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in " ".join(phrase.split()):
            node = node.setdefault(ch, {})
        node[None] = {}

    def build(node: dict) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + build(child) for ch, child in sorted(
            (k, v) for k, v in node.items() if k is not None)]
        if None in node and alts:
            alts.append("")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")" if alts else ""

    return re.compile(build(trie))
