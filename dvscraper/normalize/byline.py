"""A byline line -> author names and the source it credits.

``Tin, ảnh: Minh Thùy`` -> authors ``["Minh Thùy"]``; ``Thu Hà - Quang Hưng`` ->
two authors; ``Theo baodienbienphu.com.vn`` / ``Nguồn: TTXVN`` -> ``source``.
"""

from __future__ import annotations

import re

# Role labels before a colon: Tin (news), Bài (article), Ảnh (photo), Video, Đồ họa (graphics),
# Thực hiện (produced by), Nhóm PV (reporters' group); combined as "Tin, ảnh" / "Bài và ảnh".
_ROLE = r"(?:tin|bài|ảnh|video|clip|đồ\s+họa|thực\s+hiện|trình\s+bày|phóng\s+viên|pv)"
_ROLE_LABEL = re.compile(
    r"(?<!\w)" + _ROLE + r"(?:\s*(?:,|và|\+|/|&)\s*" + _ROLE + r")*\s*:", re.IGNORECASE
)
# "Theo X" (according to X) / "Nguồn: X" (source: X), alone or in parentheses at the end.
_SOURCE = re.compile(r"(?:^|[(\[\s-])(?:theo|nguồn)\s*:?\s+(?P<src>[^()\[\]]+?)\s*[)\]]?\s*\.?\s*$", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\s*[(\[](?P<inner>[^()\[\]]{0,40})[)\]]")
# Staff titles that stand for no person: PV (reporter), Nhóm PV (reporters), CTV (contributor),
# BTV (editor), TTV (trainee reporter), Phóng viên.
# BBT (editorial board), Ban biên tập, Nhóm PV/phóng viên (reporters' group), Nhóm tác giả.
_STAFF_TITLES = frozenset(
    ("pv", "nhóm pv", "ctv", "btv", "ttv", "phóng viên", "nhóm phóng viên", "cộng tác viên", "biên tập viên",
     "bbt", "ban biên tập", "nhóm tác giả", "nhóm ctv", "ptv", "nhóm phóng viên ảnh", "tổ phóng viên")
)
# An agency in parentheses after the names, "Thu Hà - Mạnh Cường (TTXVN)": an acronym or a domain.
_AGENCY = re.compile(r"^(?:[A-ZĐ][A-ZĐ0-9+/&.-]{1,15}|[\w.-]+\.(?:vn|com|net|org)(?:\.vn)?)$")
_NAME_SPLIT = re.compile(r"\s+[-–—]\s+|\s*[,;/]\s*|\s+và\s+|\s*\|\s*", re.IGNORECASE)
_MAX_NAME_WORDS = 6


def split_byline(byline: str | None) -> tuple[list[str], str | None]:
    """Return ``(authors, source)`` for a byline string (already NFC, collapsed)."""
    if not byline:
        return [], None
    text = byline.strip()
    source = None
    match = _SOURCE.search(text)
    if match:
        source = match.group("src").strip(" .:-") or None
        text = text[: match.start()].strip(" ([-–—,;")
    for note in _PARENTHESIS.finditer(text):  # "(CTV)": a staff title; "(TTXVN)": the source
        inner = note.group("inner").strip()
        if source is None and inner.lower() not in _STAFF_TITLES and _AGENCY.match(inner):
            source = inner
    text = _PARENTHESIS.sub(" ", text)
    authors: list[str] = []
    for segment in _ROLE_LABEL.split(text):
        for name in _NAME_SPLIT.split(segment):
            name = name.strip(" .:-–—()[]\"'“”")
            if _looks_like_name(name) and name not in authors:
                authors.append(name)
    return authors, source


def _looks_like_name(name: str) -> bool:
    if not name or not name[0].isalpha() or not name[0].isupper():
        return False
    if name.lower() in _STAFF_TITLES or name.lower().startswith(("nhóm ", "ban biên tập")):
        return False  # a group or the staff: no person's name
    return len(name.split()) <= _MAX_NAME_WORDS and not any(ch.isdigit() for ch in name)
