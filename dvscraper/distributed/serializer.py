"""A JSON request serializer for scrapy-redis (``SCHEDULER_SERIALIZER = "dvscraper.distributed.serializer"``).

scrapy-redis stores the shared frontier with ``pickle`` by default: anyone who can write to the
Redis server (an open port, a shared instance) can make every worker run code of their choice
when it pops a request. This module replaces it: ``dumps`` turns the dict of
``scrapy.utils.request.request_to_dict`` into JSON (bytes, tuples and non-string keys tagged),
``loads`` reads it back and refuses anything else with ``UnsafePayload`` (a ``ValueError``);
nothing in a payload is ever executed or imported. ``RedisScheduler``
(``dvscraper/distributed/scheduler.py``) drops a refused payload with one warning and takes the next one.

Only plain data travels: str, int, float, bool, None, bytes, lists, tuples and dicts of those. A
request whose ``meta`` holds anything else cannot be shared through Redis (``TypeError`` on push).
"""

from __future__ import annotations

import base64
import json

from dvscraper.errors import UnsafePayload

TAG = "__dv__"
MAGIC = b'{"dvreq":1,'  # every payload starts so: a pickle (b"\x80...") or junk is refused at once
MAX_PAYLOAD = 1 << 20  # a request dict is a few hundred bytes; 1 MiB is refused unread


def _encode(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (bytes, bytearray)):
        return {TAG: "b", "v": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, tuple):
        return {TAG: "t", "v": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and TAG not in value:
            return {k: _encode(v) for k, v in value.items()}
        return {TAG: "d", "v": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot share a {type(value).__name__} through Redis (JSON serializer): {value!r:.80}")


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    tag = value.get(TAG)
    if tag is None:
        return {k: _decode(v) for k, v in value.items()}
    inner = value.get("v")
    if tag == "b" and isinstance(inner, str):
        return base64.b64decode(inner.encode("ascii"), validate=True)
    if tag == "t" and isinstance(inner, list):
        return tuple(_decode(v) for v in inner)
    if tag == "d" and isinstance(inner, list) and all(isinstance(p, list) and len(p) == 2 for p in inner):
        return {_hashable(_decode(k)): _decode(v) for k, v in inner}
    raise UnsafePayload(f"unknown tag {tag!r}")


def _hashable(key):
    if isinstance(key, list):
        raise UnsafePayload("a list as a dict key")
    return key


def dumps(obj: dict) -> bytes:
    body = json.dumps({"r": _encode(obj)}, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return MAGIC + body[1:].encode("ascii")


def loads(data: bytes | str) -> dict:
    """The request dict of a payload ``dumps`` wrote; ``UnsafePayload`` for anything else."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    if not isinstance(data, (bytes, bytearray)):
        raise UnsafePayload(f"not bytes: {type(data).__name__}")
    if len(data) > MAX_PAYLOAD:
        raise UnsafePayload(f"{len(data)} bytes")
    if not data.startswith(MAGIC):
        kind = "a pickle" if data[:1] == b"\x80" else "not a dvscraper JSON request"
        raise UnsafePayload(f"{kind} ({bytes(data[:12])!r}...)")
    try:
        payload = json.loads(b"{" + data[len(MAGIC):])
    except ValueError as exc:
        raise UnsafePayload(f"bad JSON: {exc}") from None
    obj = _decode(payload.get("r")) if isinstance(payload, dict) else None
    if not isinstance(obj, dict) or not isinstance(obj.get("url"), str):
        raise UnsafePayload("no request in it")
    for name in ("callback", "errback"):  # method names of the spider, looked up by Scrapy; nothing else
        if obj.get(name) is not None and not (isinstance(obj[name], str) and obj[name].isidentifier()):
            raise UnsafePayload(f"bad {name} {obj[name]!r:.40}")
    if obj.get("_class") is not None and obj["_class"] not in _REQUEST_CLASSES:
        raise UnsafePayload(f"request class {obj['_class']!r:.60} not allowed")
    return obj


# request_from_dict imports the class named by "_class": only Scrapy's own request classes.
_REQUEST_CLASSES = frozenset({
    "scrapy.http.request.Request",
    "scrapy.Request",
    "scrapy.http.Request",
    "scrapy.http.request.form.FormRequest",
    "scrapy.http.request.json_request.JsonRequest",
})
