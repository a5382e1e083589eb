"""Scanning paper cards: decks printed by printables, scanned askew and JPEG-compressed, read
back into notes with their crops; rescans that add nothing; refusals, per image."""

from __future__ import annotations

import io

import pytest
import qrcode
import zxingcpp
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

import printables
from tests import scanmaker
from workshop.notes import notes
from workshop.paper import cards, printing, scans
from workshop.workshops import workshops

BASE = "http://lan:5000"


@pytest.fixture
def workshop(store):
    return workshops.create_workshop(
        store,
        title="Safer routes",
        sections=[{"title": "Timeline"}, {"title": "Roles"}],
        prompts=[{"text": "What is missing?"}, {"text": "Who runs it?", "section": "Roles"}],
    )


def deck(store, workshop, count, layout="letter"):
    issued = cards.issue_cards(store, workshop["code"], count, layout=layout)
    pdf = printables.build_card_deck(
        printing.deck_data(store.db, workshop["code"], issued, BASE, layout)
    )
    return [card["code"] for card in issued], pdf


def scan(store, workshop, tmp_path, images, by="scribe"):
    """Write the images (bytes) to files and scan them; the report, and the photos folder."""
    files = []
    for number, data in enumerate(images, start=1):
        path = tmp_path / f"upload-{number}"
        path.write_bytes(data)
        files.append((f"scan-{number}.jpg", path))
    photos = tmp_path / "photos"
    return scans.scan_files(store, workshop["code"], files, photos=photos, entered_by=by), photos


def decoded(path):
    with Image.open(path) as image:
        return {code.text for code in zxingcpp.read_barcodes(image)}


def size(path):
    with Image.open(path) as image:
        return image.size


def messages(report):
    return [[error.message for error in image.unreadable] for image in report.images]


def test_a_skewed_jpeg_scan_becomes_one_paper_note_per_card_each_with_its_own_crop(
    store, workshop, tmp_path
):
    codes, pdf = deck(store, workshop, 8)
    pages = [
        scanmaker.handwrite(page, "letter", 300, seed=n)
        for n, page in enumerate(scanmaker.render_pages(pdf, 300))
    ]
    images = [
        scanmaker.jpeg(scanmaker.scanned(pages[0], degrees=6.5, quality=60)),
        scanmaker.jpeg(
            scanmaker.scanned(pages[1], degrees=-8, tilt=10, quality=60, radius=0.8, light=0.3)
        ),
    ]

    report, photos = scan(store, workshop, tmp_path, images)

    assert [[], []] == messages(report)
    found = [card for image in report.images for card in image.cards]
    assert sorted(codes) == sorted(card["card_code"] for card in found)
    assert all(card["new"] for card in found)
    for card in found:
        note = notes.get_note_json(store.db, card["note_id"])
        assert ("paper", card["card_code"], True) == (
            note["source"],
            note["card_code"],
            note["awaiting_text"],
        )
        assert "Handwritten card (see the photo)" == note["text"]
        assert "scribe" == note["entered_by"]
        width, height = size(photos / note["photo"])
        assert width > height  # a 5×3 in card, upright
        assert {f"{BASE}/c/{card['card_code']}"} == decoded(photos / note["photo"])
    assert 8 == len(list(photos.iterdir()))


def test_scanning_the_same_cards_again_adds_no_note_and_no_photo(store, workshop, tmp_path):
    codes, pdf = deck(store, workshop, 4)
    page = scanmaker.jpeg(scanmaker.scanned(scanmaker.render_pages(pdf, 200)[0], degrees=3))
    first, photos = scan(store, workshop, tmp_path, [page])
    again, _ = scan(store, workshop, tmp_path, [page, page])

    assert 4 == store.db["notes"].count
    assert 4 == len(list(photos.iterdir()))
    assert [c["note_id"] for c in first.images[0].cards] == [
        c["note_id"] for c in again.images[0].cards
    ]
    assert not any(card["new"] for image in again.images for card in image.cards)


def test_a_card_already_typed_in_gets_the_scan_as_its_photo_and_no_second_note(
    store, workshop, tmp_path
):
    codes, pdf = deck(store, workshop, 4)
    typed, _ = cards.enter_card_note(
        store, codes[0], text="More benches", client_id="typed-1", source="paper"
    )
    page = scanmaker.jpeg(scanmaker.scanned(scanmaker.render_pages(pdf, 200)[0], degrees=-2))

    report, photos = scan(store, workshop, tmp_path, [page])

    entry = next(card for card in report.images[0].cards if card["card_code"] == codes[0])
    assert {"card_code": codes[0], "note_id": typed["id"], "new": False} == entry
    note = notes.get_note_json(store.db, typed["id"])
    assert ("More benches", False) == (note["text"], note["awaiting_text"])
    assert {f"{BASE}/c/{codes[0]}"} == decoded(photos / note["photo"])
    assert 4 == store.db["notes"].count


def test_sticky_note_cards_are_cut_out_square(store, workshop, tmp_path):
    codes, pdf = deck(store, workshop, 6, layout="sticky-3x3")
    page = scanmaker.jpeg(scanmaker.scanned(scanmaker.render_pages(pdf, 200)[0], degrees=4))

    report, photos = scan(store, workshop, tmp_path, [page])

    assert sorted(codes) == sorted(card["card_code"] for card in report.images[0].cards)
    for card in report.images[0].cards:
        width, height = size(photos / notes.get_note(store.db, card["note_id"])["photo"])
        assert abs(width - height) < 5
        assert {f"{BASE}/c/{card['card_code']}"} == decoded(
            photos / notes.get_note(store.db, card["note_id"])["photo"]
        )


def qr_png(text):
    image = qrcode.make(text, border=4).get_image().convert("RGB")
    return scanmaker.png(image.resize((image.width * 2, image.height * 2)))


def blank_pdf(pages):
    out = io.BytesIO()
    canvas = Canvas(out)
    for _ in range(pages):
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_each_bad_image_gets_its_own_message_and_changes_nothing(store, workshop, tmp_path):
    other = workshops.create_workshop(store, title="Elsewhere")
    theirs = cards.issue_cards(store, other["code"], 1)[0]["code"]
    bomb = io.BytesIO()
    Image.new("1", (9000, 9000)).save(bomb, "PNG")  # 81 million pixels in a few kB
    images = [
        b"%PDF-1.4 not really",
        b"GIF89a not a scan either",
        bomb.getvalue(),
        blank_pdf(200),
        qr_png(f"{BASE}/c/{theirs}"),
        qr_png("https://example.org/menu"),
        scanmaker.png(Image.new("RGB", (600, 400), "white")),
    ]

    report, photos = scan(store, workshop, tmp_path, images)

    assert [
        ["the PDF scan-1.jpg cannot be read (damaged, or protected by a password)"],
        ["scan-2.jpg is not a scan: send a PDF, JPEG or PNG"],
        ["the image scan-3.jpg has too many pixels (81 million; the limit is 40 million)"],
        ["the PDF scan-4.jpg has 200 pages; the limit is 100 a file: split it"],
        [f"card {theirs} belongs to another workshop"],
        ["a QR code that is not one of this workshop's cards: https://example.org/menu"],
        ["no card was found on this page"],
    ] == messages(report)
    assert [None, None, None, None, 1, 1, 1] == [image.page for image in report.images]
    assert 0 == store.db["notes"].count
    assert not photos.exists() or not list(photos.iterdir())


def test_too_many_files_or_none_are_refused_before_anything_is_read(store, workshop, tmp_path):
    with pytest.raises(scans.Invalid) as none:
        scans.scan_files(store, workshop["code"], [], photos=tmp_path, entered_by="scribe")
    assert "send one or more scans as form fields called file" == none.value.message
    many = [(f"{n}.png", tmp_path / "x") for n in range(scans.MAX_FILES + 1)]
    with pytest.raises(scans.Invalid) as too_many:
        scans.scan_files(store, workshop["code"], many, photos=tmp_path, entered_by="scribe")
    assert "at most 50 files a scan; send the rest next" == too_many.value.message


def test_a_scanned_pdf_reports_each_page_and_its_progress(store, workshop, tmp_path):
    codes, pdf = deck(store, workshop, 12)
    pages = [
        scanmaker.scanned(page, degrees=2 * n - 2)
        for n, page in enumerate(scanmaker.render_pages(pdf, 150))
    ]
    path = tmp_path / "feeder.pdf"
    path.write_bytes(scanmaker.pdf_of(pages, 150))
    seen = []

    report = scans.scan_files(
        store,
        workshop["code"],
        [("feeder.pdf", path)],
        photos=tmp_path / "photos",
        entered_by="facilitator",
        progress=lambda done, total: seen.append((done, total)),
    )

    assert [("feeder.pdf", 1), ("feeder.pdf", 2), ("feeder.pdf", 3)] == [
        (i.file, i.page) for i in report.images
    ]
    assert [4, 4, 4] == [len(image.cards) for image in report.images]
    assert [(1, 3), (2, 3), (3, 3)] == seen
    assert sorted(codes) == sorted(c["card_code"] for i in report.images for c in i.cards)


def signs_of(store, workshop, ppi):
    data = printing.signs_data(store.db, workshop["code"], base_url=BASE)
    return scanmaker.render_pages(printables.build_section_signs(data), ppi)


def test_a_wall_photo_files_each_card_under_its_sign_once_and_undoably(store, workshop, tmp_path):
    from workshop.board import moderation, sorting, undo
    from workshop.paper import wall

    codes, pdf = deck(store, workshop, 12)
    ppi = 90
    card_images = scanmaker.deck_cards(pdf, "letter", ppi)
    sections = workshops.get_workshop(store.db, workshop["code"])["sections"]
    columns = [card_images[0:7], card_images[7:12]]
    photo, placed = scanmaker.wall(signs_of(store, workshop, ppi), columns, ppi)
    image = scanmaker.jpeg(scanmaker.scanned(photo, degrees=3, tilt=8, quality=60, light=0.25))

    report, _ = scan(store, workshop, tmp_path, [image], by="facilitator")

    assert [[]] == messages(report)
    assert [s["id"] for s in sections] == sorted(report.images[0].signs)
    by_code = {card["card_code"]: card["note_id"] for card in report.images[0].cards}
    expected = {
        by_code[codes[index]]: sections[column]["id"]
        for column, indexes in enumerate(placed)
        for index in indexes
    }
    assert expected == report.placements

    # The facilitator had already put one card in another section: it waits for a yes.
    moved = by_code[codes[0]]
    sorting.move_note(store, moved, section_id=sections[1]["id"])
    before = {n: notes.get_note(store.db, n)["section_id"] for n in expected}
    # (cards for the prompt about Roles start in Roles: those under its sign stay put)
    to_move = sorted(n for n, s in expected.items() if n != moved and before[n] != s)
    result = wall.place_notes(store, workshop["code"], report.placements, confirm=False)
    assert [
        {"note_id": moved, "section_id": sections[0]["id"], "from_section_id": sections[1]["id"]}
    ] == result["to_confirm"]
    assert to_move == [item["note_id"] for item in result["placed"]]
    for note_id, section_id in expected.items():
        if note_id != moved:
            assert section_id == notes.get_note(store.db, note_id)["section_id"]
    log = moderation.moderation_log(store.db, workshop["code"])
    assert f"Cards placed from a wall photo ({len(to_move)})" == log[-1]["summary"]
    # The same photo again moves nothing more.
    assert {"placed": [], "to_confirm": result["to_confirm"]} == wall.place_notes(
        store, workshop["code"], report.placements, confirm=False
    )
    undo.undo_last(store, workshop["code"])
    assert before == {n: notes.get_note(store.db, n)["section_id"] for n in expected}
