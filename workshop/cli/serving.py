"""``workshop serve`` and ``workshop demo``: start errors a person can act on, then serve.

The order is what makes a failed start change nothing: bind the port, then take the data
dir's lock (a second server on it is refused, naming the running one), and only then write
the token and open the database.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import click
from flask import Flask

from workshop.cli import browser
from workshop.cli.commands import DEFAULT_DATA, Command, data_dir, default_port
from workshop.cli.demo import seed_demo
from workshop.core import db as database
from workshop.core import signin, tokens
from workshop.core.errors import WorkshopError
from workshop.core.files import private_dir, secure_data_dir
from workshop.core.settings import ENVIRONMENT
from workshop.records import backups
from workshop.venue.network import lan_addresses, public_base_url
from workshop.web.app import create_app
from workshop.web.server import free_port_near, listen
from workshop.web.server import serve as run_server
from workshop.workshops import workshops

# redis-py's default pool of 100 lost broadcasts in a burst (docs/measurements.md).
REDIS_POOL = "2000"
# How often the terminal looks for workshops made meanwhile (a query on the primary key).
ANNOUNCE_SECONDS = 1.0


def with_pool_size(url: str | None) -> str | None:
    """Give a redis:// queue URL a connection pool big enough for a burst of broadcasts."""
    if not url or not url.startswith(("redis://", "rediss://", "unix://")):
        return url
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.setdefault("max_connections", REDIS_POOL)
    return urlunsplit(parts._replace(query=urlencode(query)))


def server_options(command: Command) -> Command:
    options = [
        click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on."),
        click.option(
            "--port", default=None, type=int, help="Port [WORKSHOP_PORT, else 5000; 0: any free]."
        ),
        click.option("--data", "data", default=None, help=f"Data directory [{DEFAULT_DATA}]."),
        click.option(
            "--message-queue",
            default=None,
            help="redis://host:port to share broadcasts between several server processes.",
        ),
        click.option(
            "--backup-minutes",
            default=float(backups.DEFAULT_MINUTES),
            show_default=True,
            type=click.FloatRange(min=0),
            help="Back up the database this often while it changes, and at close (0: off).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command(help="Serve the board, phone pages and API on the venue network.")
@server_options
def serve(
    host: str, port: int | None, data: str | None, message_queue: str | None, backup_minutes: float
) -> None:
    _serve(
        host, _port(port), data_dir(data), message_queue, demo=False, backup_minutes=backup_minutes
    )


@click.command(help="Serve, with a ready demo workshop when the data directory is empty.")
@server_options
@click.option(
    "--no-browser", is_flag=True, help="Do not open the facilitator page [WORKSHOP_NO_BROWSER]."
)
def demo(
    host: str,
    port: int | None,
    data: str | None,
    message_queue: str | None,
    backup_minutes: float,
    no_browser: bool,
) -> None:
    _serve(
        host,
        _port(port),
        data_dir(data),
        message_queue,
        demo=True,
        backup_minutes=backup_minutes,
        open_browser=browser.reason_not_to_open(no_browser) is None,
    )


def _port(port: int | None) -> int:
    return default_port() if port is None else port


def _env_number(name: str) -> int:
    """A whole-number setting from the environment (docs/settings.md), or its default."""
    default = next(s.default for s in ENVIRONMENT if s.name == name)
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return int(default)
    if not raw.strip().isdigit() or int(raw) < 1:
        raise click.ClickException(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


def _serve(
    host: str,
    port: int,
    data: Path,
    message_queue: str | None,
    *,
    demo: bool,
    backup_minutes: float = backups.DEFAULT_MINUTES,
    open_browser: bool = False,
) -> None:
    _env_number("WORKSHOP_CONNECTIONS_PER_ADDRESS")  # a bad value is refused before anything
    _env_number("WORKSHOP_HEADER_SECONDS")
    if message_queue and not os.environ.get("WORKSHOP_FACILITATOR_TOKEN"):
        # Each process would make its own token, and only the last one's link would work.
        raise click.ClickException(
            "With --message-queue, several processes must accept one facilitator link: set "
            "WORKSHOP_FACILITATOR_TOKEN to the same secret for each (docs/deploy.md)."
        )
    listener = _listen(host, port)
    try:
        _serve_on(listener, host, data, message_queue, demo, backup_minutes, open_browser)
    finally:
        listener.close()


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, or one line that says why not and what to do."""
    try:
        return listen(host, port)
    except OverflowError:  # a port past 65535
        raise click.ClickException(f"{port} is not a port: use one from 1 to 65535.") from None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            free = free_port_near(host, port)
            hint = f" Port {free} is free: add --port {free}." if free else ""
            raise click.ClickException(
                f"Port {port} is already in use (is another workshop server running?).{hint}"
            ) from None
        raise click.ClickException(f"Cannot listen on {host}:{port}: {error.strerror}.") from None


def _serve_on(
    listener: socket.socket,
    host: str,
    data: Path,
    message_queue: str | None,
    demo: bool,
    backup_minutes: float,
    open_browser: bool,
) -> None:
    port = listener.getsockname()[1]  # the one bound (--port 0 takes any free one)
    try:
        private_dir(data)
        secure_data_dir(data)
    except OSError as error:
        raise click.ClickException(
            f"Cannot use {data} as the data directory: {error.strerror}."
        ) from None
    per_address = _env_number("WORKSHOP_CONNECTIONS_PER_ADDRESS")
    header_seconds = _env_number("WORKSHOP_HEADER_SECONDS")
    base = public_base_url(host, port, os.environ.get("WORKSHOP_PUBLIC_URL"))
    try:  # held while serving: a second server and `workshop restore` are refused
        served = backups.hold_server_lock(data, shared=bool(message_queue), url=base)
    except WorkshopError as error:
        raise click.ClickException(error.message) from None
    token = tokens.issue_facilitator_token(data, os.environ.get("WORKSHOP_FACILITATOR_TOKEN"))
    store = database.connect(data / "workshop.db")  # migrate before serving
    if demo and not workshops.list_workshops(store.db):
        seed_demo(store)
    existing = workshops.list_workshops(store.db)
    ticket = signin.new_ticket(store)
    browser_ticket = signin.new_ticket(store) if open_browser else None
    store.close()

    app = create_app(
        {
            "DATA_DIR": str(data),
            "PUBLIC_URL": base,
            "FACILITATOR_TOKEN": None,
            "ASYNC_MODE": "gevent",
            "MESSAGE_QUEUE": with_pool_size(message_queue),
            "BACKUP_MINUTES": backup_minutes,
            "LISTEN_HOST": host,
            "LISTEN_PORT": port,
        }
    )
    click.echo(f"Workshop companion on {base}  (data: {data})")
    if host in ("0.0.0.0", "", "::") and not os.environ.get("WORKSHOP_PUBLIC_URL"):
        others = lan_addresses()[1:]
        if others:
            click.echo(
                f"  other addresses: {', '.join(others)} (set WORKSHOP_PUBLIC_URL to use one,"
                " or choose in the facilitator's Check the room)"
            )
    for workshop in existing[:5]:
        _echo_workshop(base, workshop)
    if not existing:
        click.echo(f"  attendees join:  {base}/  (no workshop yet)")
    click.echo(f"Facilitator link (keep it private): {base}/facilitator?token={ticket}")
    click.echo(
        f"  it signs one browser in, once, within {signin.TICKET_HOURS} hours;"
        " `workshop token --link` makes another"
    )
    click.echo(f"Facilitator token for scripts (Authorization: Bearer): {token}")
    click.echo(f"Before the doors open: `workshop check --port {port}`, or Check the room.")
    click.echo("Press Ctrl+C to stop.")
    _announce_new_workshops(app)
    if browser_ticket and browser.open_page(f"{base}/facilitator?token={browser_ticket}"):
        # The socket is listening already: the browser's request waits for the server.
        click.echo("Opened the facilitator page in your browser (--no-browser: not).")
    try:
        run_server(app, listener, per_address=per_address, header_seconds=header_seconds)
    except KeyboardInterrupt:
        with contextlib.suppress(OSError):  # the terminal or a `| tee` may be gone already
            click.echo("Stopped.")
    finally:
        served.close()


def _echo_workshop(base: str, workshop: dict, *, new: bool = False) -> None:
    click.echo(f"  {'New workshop: ' if new else ''}{workshop['title']}")
    click.echo(f"    attendees join: {base}/j/{workshop['code']}   (code {workshop['code']})")
    click.echo(f"    board:          {base}/w/{workshop['code']}/board")


def _announce_new_workshops(app: Flask) -> None:
    """Say in the terminal each workshop made while serving, with its links (a thread of its
    own: a greenlet under gevent)."""
    services = app.extensions["workshop"]
    known = workshops.workshops_after(services.store.db, 0)
    last = known[-1]["id"] if known else 0

    def watch() -> None:
        nonlocal last
        while not services.store.closed:
            time.sleep(ANNOUNCE_SECONDS)
            with services.store.lock:  # between transactions, never inside one
                if services.store.closed:
                    return
                made = workshops.workshops_after(services.store.db, last)
            for workshop in made:
                last = workshop["id"]
                with contextlib.suppress(OSError):  # the terminal may be gone
                    _echo_workshop(services.public_url, workshop, new=True)

    threading.Thread(target=watch, name="announce-workshops", daemon=True).start()
