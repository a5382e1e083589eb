"""``workshop scan CODE FILE…``: scanned cards into the workshop, from the laptop's shell.

The same pipeline as the paper desk's upload (workshop/paper/scans.py), as the
facilitator: wall photos file the cards under their signs too.
"""

from __future__ import annotations

from pathlib import Path

import click

from workshop.cli.commands import DEFAULT_DATA, cli, data_dir, existing_workshops
from workshop.paper import queue, scans, wall
from workshop.workshops import workshops


@cli.command(help="Scan paper cards (PDF, JPEG or PNG files): each card becomes its paper note.")
@click.argument("code")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--data", "data", default=None, help=f"Data directory [{DEFAULT_DATA}].")
@click.option(
    "--move-placed",
    is_flag=True,
    help="Also move cards a wall photo finds under another section than the board has them.",
)
def scan(code: str, files: tuple[Path, ...], data: str | None, move_placed: bool) -> None:
    with existing_workshops(data) as store:
        report = scans.scan_files(
            store,
            code,
            [(path.name, path) for path in files],
            photos=data_dir(data) / "photos",
            entered_by="facilitator",
            progress=lambda done, total: click.echo(f"page {done} of {total}", err=True),
        )
        for image in report.images:
            where = f"{image.file}, page {image.page}" if image.page else image.file
            fresh = sum(card["new"] for card in image.cards)
            click.echo(f"{where}: {len(image.cards)} cards ({fresh} new)")
            for error in image.unreadable:
                click.echo(f"  not read: {error.message}")
        filed = wall.place_notes(store, code, report.placements, confirm=move_placed)
        workshop = workshops.workshop_row(store.db, code)
        waiting = queue.waiting_count(store.db, workshop["id"])
    if filed["placed"]:
        click.echo(f"{len(filed['placed'])} cards filed under their section signs")
    if filed["to_confirm"]:
        click.echo(
            f"{len(filed['to_confirm'])} cards are under another section on the wall than on"
            " the board: run again with --move-placed to move them"
        )
    click.echo(f"{report.card_count} cards found; {waiting} waiting for their text")
    if not report.card_count and not any(image.signs for image in report.images):
        raise click.ClickException("no card was found in these files")
