"""``workshop plan …``: a plan of its own, its printed outputs and its export (docs/cli.md).

Sessions of a plan are made with ``workshop new --plan CODE``; a session's export imports
into the plan on another laptop with ``workshop import`` (twice is the same as once).
"""

from __future__ import annotations

from pathlib import Path

import click

import printables
from workshop.cli.commands import (
    DEFAULT_DATA,
    _base,
    _toml,
    _write,
    data_dir,
    existing_workshops,
    printing_options,
)
from workshop.core import db as database
from workshop.core.errors import WorkshopError
from workshop.plans import document, plans


@click.group(help="Plans: one draft plan, many sessions, and the user-informed plan.")
def plan() -> None:
    pass


@plan.command(name="new", help="Create a plan from a TOML file (title, sections, language).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data", "data", default=None, help=f"Data directory [{DEFAULT_DATA}].")
def new_plan(file: Path, data: str | None) -> None:
    content = _toml(file, {"title", "description", "sections", "language"})
    store = database.connect(data_dir(data) / "workshop.db")
    try:
        made = plans.create_plan(
            store,
            title=content.get("title"),
            description=content.get("description"),
            sections=content.get("sections"),
            language=content.get("language"),
        )
    except WorkshopError as error:
        raise click.ClickException(f"{file}: {error.message}") from None
    finally:
        store.close()
    click.echo(made["code"])


@plan.command(name="list", help="List the plans and their sessions.")
@click.option("--data", "data", default=None, help=f"Data directory [{DEFAULT_DATA}].")
def list_plans(data: str | None) -> None:
    with existing_workshops(data) as store:
        for row in plans.list_plans(store.db):
            click.echo(f"{row['code']}  v{row['version']}  {row['title']}")
            for session in plans.get_plan(store.db, row["code"])["sessions"]:
                where = ", ".join(x for x in (session["venue"], session["held_on"]) if x)
                click.echo(f"  {session['code']}  {session['kind']}  {where}")


@plan.command(help="Print the user-informed plan: plan.pdf.")
@printing_options
def pdf(code: str, output: str, data: str | None, public_url: str | None) -> None:
    _write(output, printables.build_plan(_document(code, data, public_url)), "Plan")


@plan.command(help="Print the one-page “you said, we did” poster with a QR to the plan page.")
@printing_options
def poster(code: str, output: str, data: str | None, public_url: str | None) -> None:
    _write(output, printables.build_plan_poster(_document(code, data, public_url)), "Poster")


def _document(code: str, data: str | None, public_url: str | None) -> dict:
    """The published plan's data, its QR code pointing at the public plan page."""
    with existing_workshops(data) as store:
        row = plans.plan_row(store.db, code)
        return document.plan_document(store.db, code, f"{_base(public_url, data)}/p/{row['code']}")
