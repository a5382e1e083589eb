"""``workshop check``: before the doors open, the same findings as the facilitator's "Check
the room" panel, in the terminal (docs/venue.md)."""

from __future__ import annotations

import os
import sys
import textwrap

import click

from workshop.cli.commands import DEFAULT_DATA, data_dir, default_port
from workshop.records import backups
from workshop.venue import checks, network


@click.command(help="Check the room: the address in the QR codes, and whether it answers.")
@click.option("--port", default=None, type=int, help="Port [the running server's, else 5000].")
@click.option("--data", "data", default=None, help=f"Data directory [{DEFAULT_DATA}].")
@click.option(
    "--public-url",
    default=None,
    help="Base URL in the QR codes [WORKSHOP_PUBLIC_URL, else the running server's, else the"
    " LAN address and the port].",
)
def check(port: int | None, data: str | None, public_url: str | None) -> None:
    running = backups.running_server(data_dir(data))
    chosen = public_url or os.environ.get("WORKSHOP_PUBLIC_URL")
    if chosen:
        qr_url = chosen.rstrip("/")
    elif running and running.get("url") and port is None:
        qr_url = str(running["url"])
    else:
        qr_url = network.public_base_url("0.0.0.0", default_port() if port is None else port)
    host, qr_port = checks.qr_address(qr_url)
    answers = network.server_answers(host, qr_port) if network.is_address(host) else None
    interfaces = network.lan_interfaces()
    report = checks.report(
        qr_url=qr_url,
        listen_host=None,
        interfaces=interfaces,
        answers=answers,
        platform=sys.platform,
    )
    click.echo(f"The QR codes send phones to {qr_url}")
    if running:
        click.echo(f"  served by process {running.get('pid')} since {running.get('since')}")
    click.echo("This laptop's network addresses:")
    for item in report["addresses"]:
        used = "   <- in the QR codes" if item["used"] else ""
        click.echo(f"  {item['address']:<16} {item['adapter']}{used}")
    if not interfaces:
        click.echo("  (none)")
    marks = {"ok": "ok  ", "warn": "note", "fail": "FAIL"}
    for finding in report["findings"]:
        line = f"[{marks[finding['level']]}] {finding['text']}"
        click.echo(textwrap.fill(line, width=96, subsequent_indent="       "))
    for paragraph in (
        "A phone on the venue Wi-Fi is the only real test: open Check the room on the"
        " facilitator's home page and scan its test QR code with your own phone.",
        f"If phones cannot reach the laptop: {report['isolation']}",
        f"Firewall: {report['firewall']}",
    ):
        click.echo(textwrap.fill(paragraph, width=96, subsequent_indent="  "))
    if any(finding["level"] == "fail" for finding in report["findings"]):
        sys.exit(1)
