"""``python -m dvscraper.replay [--port 0] [--generate N]``: serve a replay site until killed.

The first line on stdout is the base URL (``http://127.0.0.1:PORT/``), printed once
the port is bound; tests and benchmarks read it to know where to crawl.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dvscraper.replay import DEFAULT_FIXTURES, build_site
from dvscraper.replay.faults import make_fault_factory
from dvscraper.replay.generated import THEMES
from dvscraper.replay.server import make_server_factory


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m dvscraper.replay", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: a free one)")
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES, help="fixtures folder")
    parser.add_argument("--generate", type=int, metavar="N", help="serve a generated site of N articles")
    parser.add_argument("--page-size", type=int, default=20, help="teasers per listing page (--generate)")
    parser.add_argument("--request-log", type=Path, help="append 'METHOD URI STATUS' per request to this file")
    parser.add_argument("--link-to", metavar="URL", help="add a link to URL on every page (off-site link tests)")
    parser.add_argument("--template-variant", choices=("no-read-count",),
                        help="serve the site as after a template change (dvscraper/replay/variants.py)")
    parser.add_argument("--theme", choices=THEMES,
                        help="--generate: the markup (default fixture; sibling: a sibling portal on the same CMS "
                             "in other markup, 60 articles unless --generate)")
    parser.add_argument("--first", type=int, default=0,
                        help="--generate: articles FIRST..N-1 online (a later --first 0 adds the FIRST newest)")
    parser.add_argument("--read-epoch", type=int, default=0, help="--generate: read counts grow with this number")
    parser.add_argument("--faults", action="store_true", help="inject faults (dvscraper/replay/faults.py)")
    parser.add_argument("--fault-delay", type=float, default=5.0, help="seconds a 'slow' response waits")
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds every answer waits (a slow host); see /__replay__/stats")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from twisted.internet import reactor
    from twisted.internet.error import CannotListenError

    site = build_site(fixtures=args.fixtures, generate=args.generate, page_size=args.page_size,
                      link_to=args.link_to, template_variant=args.template_variant,
                      first=args.first, read_epoch=args.read_epoch, theme=args.theme)
    log = args.request_log.open("a", encoding="utf-8") if args.request_log else None
    try:
        if args.faults:
            factory = make_fault_factory(site, log, delay=args.fault_delay)
        else:
            factory = make_server_factory(site, log, latency=args.latency)
        listening = reactor.listenTCP(args.port, factory, interface=args.host)
    except CannotListenError as exc:
        print(f"replay: cannot listen on {args.host}:{args.port}: {exc.socketError}", file=sys.stderr)
        return 2
    address = listening.getHost()
    host = f"[{address.host}]" if ":" in address.host else address.host
    base_url = f"http://{host}:{address.port}/"
    site.bind(base_url)
    sys.stdout.write(base_url + "\n")
    sys.stdout.flush()
    reactor.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
