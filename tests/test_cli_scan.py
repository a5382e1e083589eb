"""`workshop scan CODE FILE…`: a feeder's PDF into the workshop from the shell."""

from click.testing import CliRunner

from tests import scanmaker
from workshop.cli.commands import cli
from workshop.core import db as database
from workshop.notes import notes
from workshop.workshops import workshops


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_scan_enters_every_card_of_a_printed_deck_and_says_what_it_found(tmp_path):
    data = tmp_path / "data"
    store = database.connect(data / "workshop.db")
    code = workshops.create_workshop(store, title="Safer routes")["code"]
    store.close()
    deck = tmp_path / "deck.pdf"
    assert (
        0
        == run(
            "cards", code, "--count", 4, "-o", deck, "--data", data, "--public-url", "http://lan"
        ).exit_code
    )
    page = scanmaker.scanned(scanmaker.render_pages(deck.read_bytes(), 200)[0], degrees=4)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scanmaker.pdf_of([page], 200))
    junk = tmp_path / "notes.txt"
    junk.write_text("not a scan")

    result = run("scan", code, scan, junk, "--data", data)

    assert 0 == result.exit_code, result.output
    assert [
        "scan.pdf, page 1: 4 cards (4 new)",
        "notes.txt: 0 cards (0 new)",
        "  not read: notes.txt is not a scan: send a PDF, JPEG or PNG",
        "4 cards found; 4 waiting for their text",
    ] == [line for line in result.output.splitlines() if not line.startswith("page ")]
    store = database.connect(data / "workshop.db")
    photos = [n["photo"] for n in notes.list_notes(store.db, code, include_hidden=True)]
    store.close()
    assert all((data / "photos" / photo).is_file() for photo in photos) and 4 == len(photos)

    nothing = run("scan", code, junk, "--data", data)
    assert 1 == nothing.exit_code
    assert "Error: no card was found in these files" in nothing.output
