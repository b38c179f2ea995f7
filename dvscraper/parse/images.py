"""Pair each picture with its caption, the way a reader does.

In order: the caption the markup ties to the image (``figcaption``, the next
row of a one-column table); else the line right after the image when it reads
as a caption (centred, italic, a caption class, or a short plain line); else
the image's ``alt`` or ``title`` unless that is only a file name.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from dvscraper.normalize.urls import absolute_url
from dvscraper.parse.blocks import Line, Picture
from dvscraper.records import RawImage

_FILE_NAME = re.compile(r"^[\w\-. ()]*\.(?:jpe?g|png|gif|webp|bmp|tiff?|svg)$|^[\w\-]+$", re.I)
# Image URLs that are page furniture, not article photos (share/print icons, spacers).
_FURNITURE = re.compile(
    r"(?:icon|share|print|facebook|zalo|twitter|email|spacer|blank|pixel|logo|loading)[\w-]*\.", re.I
)
_MAX_CAPTION_WORDS = 60
_MAX_PLAIN_CAPTION_WORDS = 25


def is_furniture(picture: Picture) -> bool:
    src = picture.src or ""
    if not src or src.startswith("data:"):
        return True
    width = picture.element.get("width") or ""
    height = picture.element.get("height") or ""
    if (width.isdigit() and int(width) <= 32) or (height.isdigit() and int(height) <= 32):
        return True
    return bool(_FURNITURE.search(src.rsplit("/", 1)[-1]))


def links_offsite(img, page_url: str) -> bool:
    """Is the image inside a link to another site (a banner, an advertisement)?"""
    for link in img.iterancestors("a"):
        href = (link.get("href") or "").strip()
        if not href.lower().startswith(("http://", "https://", "//")):
            return False  # a relative link stays on the site
        target = absolute_url(page_url, href)
        if target is None:
            return False
        host, own = urlsplit(target).hostname or "", urlsplit(page_url).hostname or ""
        return host.removeprefix("www.") != own.removeprefix("www.")
    return False


def reads_as_caption(line: Line, *, standalone: bool) -> bool:
    """Is the line right after an image its caption?"""
    if line.heading_tag or line.link_only or line.words > _MAX_CAPTION_WORDS:
        return False
    if line.caption_hint or line.tag in ("figcaption", "em", "i"):
        return True
    if line.italic or line.align == "center":
        return True
    return standalone and not line.bold and line.words <= _MAX_PLAIN_CAPTION_WORDS and line.align != "right"


def meaningful_text(text: str | None, title: str | None) -> str | None:
    """alt/title text fit to stand as a caption: not a file name, not the article title."""
    if not text or _FILE_NAME.match(text) or len(text) < 4:
        return None
    if title and text.casefold() == title.casefold():
        return None
    return text


def to_raw_image(picture: Picture, caption: str | None, base_url: str, title: str | None) -> RawImage | None:
    src = absolute_url(base_url, picture.src)
    if src is None:
        return None
    if caption is None:
        caption = meaningful_text(picture.alt, title) or meaningful_text(picture.title, title)
    return RawImage(src=src, alt=picture.alt, title=picture.title, caption=caption)
