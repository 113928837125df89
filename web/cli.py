"""``untact-shop``: serve the staff web app and the ready board from a kiosk file.

    untact-shop serve --config examples/cafe.toml [--host 0.0.0.0] [--port 8080]

A bad kiosk file is one line naming file, line and field, exit status 2.
"""

from __future__ import annotations

import argparse
import sys

from untact.accessibility.config import ConfigError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="untact-shop", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the staff page and the ready board")
    serve.add_argument("--config", required=True, help="the kiosk file (TOML)")
    serve.add_argument("--host", help="address to listen on (default: [staff_web] host)")
    serve.add_argument("--port", type=int, help="port (default: [staff_web] port, 8080)")
    args = parser.parse_args(argv)
    from .server import serve_shop

    try:
        serve_shop(args.config, args.host, args.port)
    except ConfigError as exc:
        print(f"untact-shop: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"untact-shop: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
