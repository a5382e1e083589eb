"""Entry point of the ``workshop`` command.

Kept free of imports so that ``serve`` and ``demo`` can monkey-patch the standard library
for gevent before anything imports socket or threading; the commands are in
workshop.commands.
"""

from __future__ import annotations

import sys

SERVING_COMMANDS = ("serve", "demo")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in SERVING_COMMANDS:
        from workshop.web.server import patch

        patch()
    from workshop.cli.commands import cli

    cli()


if __name__ == "__main__":
    main()
