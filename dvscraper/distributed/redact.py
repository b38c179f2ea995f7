"""Secrets out of every message and file: passwords in URLs are masked, userinfo stripped.

- ``mask_secrets(text)``: ``redis://user:pa55@host`` -> ``redis://user:***@host`` in any text (a log
  line, an error message); a userinfo without a password is masked whole.
- (``strip_userinfo(url)``, which start URLs go through before ``runs/`` and ``failures/``, is in
  ``dvscraper.sites.hosts``, below this layer.)
- ``RedactingFilter``: a logging filter masking every record (Scrapy logs its overridden settings,
  ``REDIS_URL`` among them).
"""

from __future__ import annotations

import logging
import re

# scheme://[user][:password]@  (userinfo may not contain "/", "@" or whitespace)
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<user>[^/@\s:'\"]*)(?::(?P<pw>[^/@\s'\"]*))?@")


def _mask(match: re.Match) -> str:
    if match.group("pw") is not None:
        return f"{match.group('scheme')}{match.group('user')}:***@"
    return f"{match.group('scheme')}***@"


def mask_secrets(text: str) -> str:
    if not isinstance(text, str) or "@" not in text:
        return text
    return _USERINFO.sub(_mask, text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format: leave it to the handler
            return True
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def install_log_filter() -> None:
    """Mask secrets in what every handler of the root logger writes (call after Scrapy set logging up)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
