"""The ``workshop`` command line: a thin layer over the library (see docs/cli.md)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import tomllib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import click

import printables
from workshop.cli.demo import seed_demo
from workshop.cli.network import lan_addresses, public_base_url
from workshop.core import db as database
from workshop.core import signin, tokens
from workshop.core.errors import WorkshopError
from workshop.core.files import open_private, private_dir, secure_data_dir, write_private
from workshop.core.settings import ENVIRONMENT
from workshop.followup import reportdata, summary
from workshop.paper import cards as card_domain
from workshop.paper import printing
from workshop.plans import plans, sessions
from workshop.records import backups, exports, privacy
from workshop.web.app import create_app
from workshop.web.server import free_port_near, listen
from workshop.web.server import serve as run_server
from workshop.workshops import workshops

Command = TypeVar("Command", bound=Callable[..., Any])

DEFAULT_DATA: str = next(s.default for s in ENVIRONMENT if s.name == "WORKSHOP_DATA")
# redis-py's default pool of 100 lost broadcasts in a burst (docs/measurements.md).
REDIS_POOL = "2000"


def data_dir(value: str | None) -> Path:
    return Path(value or os.environ.get("WORKSHOP_DATA") or DEFAULT_DATA).expanduser().resolve()


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
        click.option("--port", default=5000, show_default=True, type=int, help="Port."),
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


@click.group(help="Run an in-person planning workshop: phones and paper on one live board.")
def cli() -> None:
    pass


@cli.command(help="Serve the board, phone pages and API on the venue network.")
@server_options
def serve(
    host: str, port: int, data: str | None, message_queue: str | None, backup_minutes: float
) -> None:
    _serve(host, port, data_dir(data), message_queue, demo=False, backup_minutes=backup_minutes)


@cli.command(help="Serve, with a ready demo workshop when the data directory is empty.")
@server_options
def demo(
    host: str, port: int, data: str | None, message_queue: str | None, backup_minutes: float
) -> None:
    _serve(host, port, data_dir(data), message_queue, demo=True, backup_minutes=backup_minutes)


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
        _serve_on(listener, host, port, data, message_queue, demo, backup_minutes)
    finally:
        listener.close()


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, or one line that says why not and what to do."""
    try:
        return listen(host, port)
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
    port: int,
    data: Path,
    message_queue: str | None,
    demo: bool,
    backup_minutes: float,
) -> None:
    try:
        private_dir(data)
        secure_data_dir(data)
    except OSError as error:
        raise click.ClickException(
            f"Cannot use {data} as the data directory: {error.strerror}."
        ) from None
    per_address = _env_number("WORKSHOP_CONNECTIONS_PER_ADDRESS")
    header_seconds = _env_number("WORKSHOP_HEADER_SECONDS")
    try:  # held while serving, so `workshop restore` knows to refuse
        served = backups.hold_server_lock(data)
    except WorkshopError as error:
        raise click.ClickException(error.message) from None
    token = tokens.issue_facilitator_token(data, os.environ.get("WORKSHOP_FACILITATOR_TOKEN"))
    base = public_base_url(host, port, os.environ.get("WORKSHOP_PUBLIC_URL"))
    store = database.connect(data / "workshop.db")  # migrate before serving
    if demo and not workshops.list_workshops(store.db):
        seed_demo(store)
    existing = workshops.list_workshops(store.db)
    ticket = signin.new_ticket(store)
    store.close()

    app = create_app(
        {
            "DATA_DIR": str(data),
            "PUBLIC_URL": base,
            "FACILITATOR_TOKEN": None,
            "ASYNC_MODE": "gevent",
            "MESSAGE_QUEUE": with_pool_size(message_queue),
            "BACKUP_MINUTES": backup_minutes,
        }
    )
    click.echo(f"Workshop companion on {base}  (data: {data})")
    if host in ("0.0.0.0", "", "::") and not os.environ.get("WORKSHOP_PUBLIC_URL"):
        others = lan_addresses()[1:]
        if others:
            click.echo(
                f"  other addresses: {', '.join(others)} (set WORKSHOP_PUBLIC_URL to use one)"
            )
    for workshop in existing[:5]:
        click.echo(f"  {workshop['title']}")
        click.echo(f"    attendees join: {base}/j/{workshop['code']}   (code {workshop['code']})")
        click.echo(f"    board:          {base}/w/{workshop['code']}/board")
    if not existing:
        click.echo(f"  attendees join:  {base}/  (no workshop yet)")
    click.echo(f"Facilitator link (keep it private): {base}/facilitator?token={ticket}")
    click.echo(
        f"  it signs one browser in, once, within {signin.TICKET_HOURS} hours;"
        " `workshop token --link` makes another"
    )
    click.echo(f"Facilitator token for scripts (Authorization: Bearer): {token}")
    click.echo("Press Ctrl+C to stop.")
    try:
        run_server(
            app,
            listener,
            per_address=per_address,
            header_seconds=header_seconds,
        )
    except KeyboardInterrupt:
        with contextlib.suppress(OSError):  # the terminal or a `| tee` may be gone already
            click.echo("Stopped.")
    finally:
        served.close()


@contextmanager
def existing_workshops(data: str | None) -> Iterator[database.Store]:
    """The data directory's database, for a command that reads workshops; a domain error
    becomes a one-line message and exit status 1."""
    store = _printing_store(data)
    try:
        yield store
    except WorkshopError as error:
        raise click.ClickException(error.message) from None
    finally:
        store.close()


def _printing_store(data: str | None) -> database.Store:
    path = data_dir(data) / "workshop.db"
    if not path.exists():
        raise click.ClickException(f"no workshops in {path.parent} (use --data or WORKSHOP_DATA)")
    return database.connect(path)


def printing_options(command: Command) -> Command:
    options = [
        click.argument("code"),
        click.option("-o", "--output", required=True, type=click.Path(dir_okay=False)),
        click.option("--data", "data", default=None, help=f"Data directory [{DEFAULT_DATA}]."),
        click.option(
            "--public-url",
            default=None,
            help="Base URL in the QR codes [WORKSHOP_PUBLIC_URL, else the LAN address, port 5000].",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _base(public_url: str | None) -> str:
    return public_base_url("0.0.0.0", 5000, public_url or os.environ.get("WORKSHOP_PUBLIC_URL"))


def _write(output: str, pdf: bytes, what: str) -> None:
    write_private(Path(output), pdf)  # it holds the room's words: the owner's only
    click.echo(f"{what} written to {output}")


@cli.command(help="Print a deck of note cards, each with its own QR code and card code.")
@printing_options
@click.option("--layout", default="letter", show_default=True, help="letter, a4, index-3x5, …")
@click.option("--count", default=20, show_default=True, type=int, help="How many cards.")
@click.option("--prompt-id", default=None, type=int, help="Only this prompt (default: all).")
def cards(
    code: str,
    output: str,
    data: str | None,
    public_url: str | None,
    layout: str,
    count: int,
    prompt_id: int | None,
) -> None:
    with existing_workshops(data) as store:
        printing.deck_data(store.db, code, [], _base(public_url), layout)
        issued = card_domain.issue_cards(
            store, code, count, None if prompt_id is None else [prompt_id], layout
        )
        deck = printing.deck_data(store.db, code, issued, _base(public_url), layout)
    _write(output, printables.build_card_deck(deck), f"{len(issued)} cards ({layout})")


@cli.command(help="Print the join poster (optionally with a QR code that joins the Wi-Fi).")
@printing_options
@click.option("--page-size", default="letter", show_default=True, help="letter or a4.")
@click.option("--wifi-ssid", default=None, help="The venue Wi-Fi's name.")
@click.option("--wifi-password", default=None, help="The venue Wi-Fi's password.")
def poster(
    code: str,
    output: str,
    data: str | None,
    public_url: str | None,
    page_size: str,
    wifi_ssid: str | None,
    wifi_password: str | None,
) -> None:
    with existing_workshops(data) as store:
        poster_data = printing.poster_data(
            store.db,
            code,
            _base(public_url),
            page_size=page_size,
            wifi_ssid=wifi_ssid,
            wifi_password=wifi_password,
        )
    _write(output, printables.build_poster(poster_data), "Poster")


@cli.command(help="Print one sign per plan section, for the wall where cards are sorted.")
@printing_options
@click.option("--page-size", default="letter", show_default=True, help="letter or a4.")
def signs(code: str, output: str, data: str | None, public_url: str | None, page_size: str) -> None:
    with existing_workshops(data) as store:
        signs_data = printing.signs_data(
            store.db, code, page_size=page_size, base_url=_base(public_url)
        )
    _write(output, printables.build_section_signs(signs_data), "Section signs")


@cli.command(help="Print the post-session report.")
@click.argument("code")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@click.option("--data", "data", default=None, help=f"Data directory [{DEFAULT_DATA}].")
@click.option("--place", default="", help="Where the workshop was held (for the cover).")
@click.option("--facilitator", default="", help="Who ran it (for the cover).")
def report(code: str, output: str, data: str | None, place: str, facilitator: str) -> None:
    with existing_workshops(data) as store:
        content = reportdata.report_data(
            store.db, code, data_dir(data) / "photos", place=place, facilitator=facilitator
        )
    _write(output, printables.build_report(content), "Report")


@cli.command(help="Export a workshop: json (complete, for import), csv (a row per note) or md.")
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "md"]), default="json")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False), help="[stdout]")
@click.option("--data", "data", default=None, help=f"Data directory [{DEFAULT_DATA}].")
def export(code: str, fmt: str, output: str | None, data: str | None) -> None:
    with existing_workshops(data) as store:
        chunks: Iterable[str]
        if fmt == "json":
            chunks = [exports.dumps(exports.export_json(store.db, code, data_dir(data) / "photos"))]
        elif fmt == "csv":
            chunks = exports.export_csv(store.db, code)
        else:
            chunks = [summary.markdown(store.db, code)]
        if output:
            with open_private(Path(output), "w", encoding="utf-8", newline="") as out:
                out.writelines(chunks)
        else:
            for chunk in chunks:
                click.echo(chunk, nl=False)


@cli.command(name="import", help="Restore a workshop from an export.json (another laptop's).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data", "data", default=None, help=f"Data directory [{DEFAULT_DATA}].")
def import_(file: Path, data: str | None) -> None:
    try:
        content = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{file} is not valid JSON: {error}") from None
    store = database.connect(data_dir(data) / "workshop.db")
    try:
        code = exports.import_json(store, content, data_dir(data) / "photos")
    except WorkshopError as error:
        raise click.ClickException(f"{file}: {error.message}") from None
    finally:
        store.close()
    click.echo(code)


@cli.command(help="Create a workshop from a TOML file (title, sections, prompts, settings).")
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--data", "data", default=None, help=f"Data directory [{DEFAULT_DATA}].")
@click.option("--plan", "plan_code", default=None, help="Make it a session of this plan (code).")
@click.option(
    "--kind",
    default=None,
    type=click.Choice(plans.KINDS),
    help="With --plan: workshop, focus-group or online [workshop].",
)
@click.option("--venue", default=None, help="With --plan: where the session is held.")
@click.option("--date", "held_on", default=None, help="With --plan: when (YYYY-MM-DD).")
def new(
    file: Path | None,
    data: str | None,
    plan_code: str | None,
    kind: str | None,
    venue: str | None,
    held_on: str | None,
) -> None:
    if file is None and plan_code is None:
        raise click.UsageError("give a TOML file, or --plan CODE for a session of a plan")
    keys = {"title", "description", "prompts", "settings"}
    if plan_code is None:
        keys.add("sections")
        if kind or venue or held_on:
            raise click.UsageError("--kind, --venue and --date describe a session: add --plan")
    else:  # a session takes its sections from the plan; the file may say the rest
        keys |= {"kind", "venue", "date"}
    content = _toml(file, keys) if file else {}
    store = database.connect(data_dir(data) / "workshop.db")
    try:
        if plan_code is None:
            workshop = workshops.create_workshop(
                store,
                title=content.get("title"),
                description=content.get("description"),
                sections=content.get("sections"),
                prompts=content.get("prompts"),
                settings=content.get("settings"),
            )
        else:
            workshop = sessions.create_session(
                store,
                plan_code,
                kind=kind or content.get("kind"),
                venue=venue or content.get("venue"),
                held_on=held_on or content.get("date"),
                title=content.get("title"),
                description=content.get("description"),
                prompts=content.get("prompts"),
                settings=content.get("settings"),
            )
    except WorkshopError as error:
        raise click.ClickException(f"{file or plan_code}: {error.message}") from None
    finally:
        store.close()
    click.echo(workshop["code"])


def _toml(file: Path, keys: set[str]) -> dict:
    """A TOML file's table, with only ``keys`` allowed at the top."""
    try:
        content = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{file} is not valid TOML: {error}") from None
    unknown = sorted(set(content) - keys)
    if unknown:
        raise click.ClickException(f"{file}: unknown keys: {', '.join(unknown)}")
    return content


# -- backups, restore, the facilitator token, retention (docs/cli.md) --------------------
@cli.command(help="Back up the database now: a consistent snapshot, safe while serving.")
@click.option("--data", "data", default=None, help=f"Data directory [{DEFAULT_DATA}].")
@click.option(
    "--keep",
    default=backups.DEFAULT_KEEP,
    show_default=True,
    type=click.IntRange(min=1),
    help="How many backups to keep; older ones are deleted.",
)
@click.option("--list", "list_only", is_flag=True, help="List the backups instead.")
def backup(data: str | None, keep: int, list_only: bool) -> None:
    folder = data_dir(data) / backups.FOLDER
    if list_only:
        found = backups.list_backups(folder)
        for item in found:
            click.echo(f"{item.path.name}  {max(1, item.size // 1024)} KB")
        if not found:
            click.echo(f"No backups in {folder}")
        return
    store = _printing_store(data)
    try:
        path = backups.backup(store, folder)
    finally:
        store.close()
    backups.prune(folder, keep)
    content = backups.check_backup(path)
    click.echo(
        f"Backup written to {path} ({content['workshops']} workshops, {content['notes']} notes)"
    )


def _find_backup(name: str, folder: Path) -> Path:
    """BACKUP is a path, a file name in the backups folder, or ``latest``."""
    if name == "latest":
        found = [b for b in backups.list_backups(folder) if b.label is None]
        if not found:
            raise click.ClickException(f"no backups in {folder}")
        return found[0].path
    path = Path(name).expanduser()
    if not path.exists() and (folder / name).exists():
        path = folder / name
    return path


@cli.command(help="Replace the database with a backup. Stop the server first.")
@click.argument("backup_name", metavar="BACKUP")
@click.option("--data", "data", default=None, help=f"Data directory [{DEFAULT_DATA}].")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(backup_name: str, data: str | None, yes: bool) -> None:
    folder = data_dir(data)
    path = _find_backup(backup_name, folder / backups.FOLDER)
    try:
        content = backups.check_backup(path)
        if not yes:
            click.confirm(
                f"Replace {folder / 'workshop.db'} with {path.name} ({content['workshops']}"
                f" workshops, {content['notes']} notes)? The current database is kept as a"
                " backup.",
                abort=True,
            )
        kept = backups.restore(path, folder / "workshop.db")
    except WorkshopError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Restored {path.name}.")
    if kept:
        click.echo(f"The database it replaced is kept as {kept}")


@cli.command(
    help="The facilitator token: --link signs one more browser in; --rotate signs all out."
)
@click.option("--rotate", is_flag=True, help="Make a new token now and sign every browser out.")
@click.option("--link", is_flag=True, help="Print a new one-time sign-in link.")
@click.option("--data", "data", default=None, help=f"Data directory [{DEFAULT_DATA}].")
@click.option(
    "--public-url",
    default=None,
    help="Base URL of the printed link [WORKSHOP_PUBLIC_URL, else the LAN address, port 5000].",
)
def token(rotate: bool, link: bool, data: str | None, public_url: str | None) -> None:
    folder = data_dir(data)
    if not rotate and not link:
        state = "set" if tokens.stored_token_hash(folder) else "not made yet (serve makes one)"
        rotations = tokens.token_generation(folder)
        click.echo(f"The facilitator token is {state}; rotated {rotations} time(s).")
        if (folder / "workshop.db").exists():
            with contextlib.closing(database.connect(folder / "workshop.db")) as store:
                signed_in = len(signin.open_sessions(store.db))
            click.echo(f"Browsers signed in as the facilitator: {signed_in}.")
        click.echo("Use --link for a new sign-in link, --rotate to sign every browser out.")
        return
    with contextlib.closing(database.connect(folder / "workshop.db")) as store:
        if rotate:
            new_token, _ = tokens.rotate_facilitator_token(folder)
            closed = signin.close_sessions(store)
        ticket = signin.new_ticket(store)
    click.echo(
        f"Facilitator link (keep it private): {_base(public_url)}/facilitator?token={ticket}"
    )
    click.echo(f"  it signs one browser in, once, within {signin.TICKET_HOURS} hours")
    if not rotate:
        return
    click.echo(f"Facilitator token for scripts (Authorization: Bearer): {new_token}")
    click.echo(f"Every browser signed in before ({closed}) is signed out, at once if serving.")
    if os.environ.get("WORKSHOP_FACILITATOR_TOKEN"):
        click.echo(
            "WORKSHOP_FACILITATOR_TOKEN is set: the next `workshop serve` would bring that token"
            " back. Unset it.",
            err=True,
        )


@cli.command(help="Delete workshops older than DAYS for good, with their photos and backups.")
@click.option("--older-than", "days", required=True, type=click.FloatRange(min=0), metavar="DAYS")
@click.option("--data", "data", default=None, help=f"Data directory [{DEFAULT_DATA}].")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge(days: float, data: str | None, yes: bool) -> None:
    folder = data_dir(data)
    with existing_workshops(data) as store:
        old = privacy.workshops_older_than(store.db, days)
        if not old:
            click.echo(f"No workshop is older than {days:g} days.")
            return
        for workshop in old:
            click.echo(f"  {workshop['code']}  {workshop['created_at'][:10]}  {workshop['title']}")
        if not yes:
            click.confirm(
                f"Delete these {len(old)} workshop(s) for good, with their photos and their"
                " copies in the backups?",
                abort=True,
            )
        scrubbed = 0
        for workshop in old:
            result = privacy.delete_workshop(
                store,
                workshop["code"],
                confirm=workshop["code"],
                photos_dir=folder / "photos",
                backups_dir=folder / backups.FOLDER,
            )
            scrubbed = max(scrubbed, result["backups_scrubbed"])
    click.echo(f"Deleted {len(old)} workshop(s); {scrubbed} backup(s) scrubbed.")


# The plan commands use this module's helpers, so they are added last (workshop/cli/plans.py).
from workshop.cli.plans import plan  # noqa: E402

cli.add_command(plan)
from workshop.cli import scanning  # noqa: E402,F401  (adds `workshop scan` to the group)
