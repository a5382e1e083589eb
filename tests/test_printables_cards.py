import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from printables import LAYOUTS, build_card_deck, calibration_page
from printables.cards import group_code
from printables.fonts import BUILTIN, FontSet, fonts
from printables.layouts import CardLayout
from printables.qr import QUIET_ZONE_MODULES, qr_matrix
from tests.pdfcheck import char_boxes, find_qr_codes, inside, overlaps, page_sizes, pdf_text, words

INCH = 72.0
TITLE = "Riverside open data: draft plan review"
PROMPTS = [
    ("What is missing from the timeline?", "Timeline"),
    ("Who should house the project once the pilot ends?", "Roles"),
    ("Anything else we should know?", None),
]
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def make_cards(count: int, prompts=PROMPTS) -> list[dict]:
    """`count` cards with distinct random-looking codes, cycling through `prompts`."""
    rng = random.Random(count)
    codes: list[str] = []
    while len(codes) < count:
        code = "".join(rng.choice(ALPHABET) for _ in range(6))
        if code not in codes:
            codes.append(code)
    return [
        {
            "code": code,
            "url": f"http://192.168.1.20:5000/c/{code}",
            "prompt": prompts[number % len(prompts)][0],
            "section": prompts[number % len(prompts)][1],
        }
        for number, code in enumerate(codes)
    ]


def deck(layout: str, cards: list[dict]) -> dict:
    return {"title": TITLE, "layout": layout, "cards": cards}


def card_box(layout: CardLayout, slot: int) -> tuple[float, float, float, float]:
    x, y = layout.card_origin(slot)
    return (x, y, x + layout.card_width, y + layout.card_height)


@pytest.mark.parametrize(
    ("layout", "cards", "pages", "size"),
    [
        ("letter", 10, 3, (792.0, 612.0)),
        ("a4", 10, 3, (841.89, 595.28)),
        ("index-3x5", 3, 3, (360.0, 216.0)),
        ("avery-5388", 10, 4, (612.0, 792.0)),
        ("sticky-3x3", 10, 2, (612.0, 792.0)),
        ("letter", 1, 1, (792.0, 612.0)),
        ("sticky-3x3", 6, 1, (612.0, 792.0)),
    ],
)
def test_page_count_and_size(layout, cards, pages, size):
    pdf = build_card_deck(deck(layout, make_cards(cards)))

    assert [size] * pages == page_sizes(pdf)


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        # name: (columns, rows, card w, card h, first card left, top, pitch x, pitch y) in inches
        ("letter", (2, 2, 5, 3, 0.5, 1.25, 5, 3)),
        ("a4", (2, 2, 5, 3, (297 / 25.4 - 10) / 2, (210 / 25.4 - 6) / 2, 5, 3)),
        ("index-3x5", (1, 1, 5, 3, 0, 0, 5, 3)),
        ("avery-5388", (1, 3, 5, 3, 1.75, 1, 5, 3)),  # gLabels: 1.75 in / 1 in, no gaps
        ("sticky-3x3", (2, 3, 3, 3, 1, 0.625, 3.5, 3.375)),
    ],
)
def test_layout_geometry_matches_the_stock(layout, expected):
    geometry = LAYOUTS[layout]
    actual = (
        geometry.columns,
        geometry.rows,
        *(
            round(value / INCH, 4)
            for value in (
                geometry.card_width,
                geometry.card_height,
                geometry.left,
                geometry.top,
                geometry.pitch_x,
                geometry.pitch_y,
            )
        ),
    )
    assert tuple(round(value, 4) for value in expected) == actual


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_card_fits_on_the_page(layout):
    geometry = LAYOUTS[layout]
    page = (0, 0, geometry.page_width, geometry.page_height)
    boxes = [card_box(geometry, slot) for slot in range(geometry.per_page)]

    assert all(inside(box, page, tolerance=0.01) for box in boxes)
    assert not any(overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_card_url_decodes_on_its_own_card(layout):
    geometry = LAYOUTS[layout]
    cards = make_cards(2 * geometry.per_page + 1 if geometry.per_page > 1 else 3)
    pdf = build_card_deck(deck(layout, cards))

    pages = find_qr_codes(pdf)

    assert {card["url"] for card in cards} == {code.text for page in pages for code in page}
    for number, card in enumerate(cards):
        page, slot = divmod(number, geometry.per_page)
        [found] = [code for code in pages[page] if code.text == card["url"]]
        assert inside(found.box, card_box(geometry, slot)), (card["code"], found.box)


def test_sticky_note_codes_decode_at_72_dpi():
    cards = make_cards(6)
    pdf = build_card_deck(deck("sticky-3x3", cards))

    assert [sorted(card["url"] for card in cards)] == [
        sorted(page) for page in ([c.text for c in p] for p in find_qr_codes(pdf, dpi=72))
    ]


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_codes_prompts_and_sections_are_text(layout):
    cards = make_cards(7)
    pdf = build_card_deck(deck(layout, cards))

    text = words(" ".join(pdf_text(pdf)))

    for card in cards:
        assert card["code"] in text
        assert group_code(card["code"]) in text
        assert card["prompt"] in text
        if card["section"]:
            assert card["section"] in text
    assert TITLE in text


def test_card_code_is_grouped_for_reading_aloud():
    assert ["K7P QXM", "ABCD EFGH", "KX7P"] == [
        group_code("K7PQXM"),
        group_code("ABCDEFGH"),
        group_code("KX7P"),
    ]


NEEDS_UNICODE_FONT = pytest.mark.skipif(
    not fonts().unicode, reason="no DejaVu fonts here: non-Latin text prints as boxes"
)


@pytest.mark.parametrize(
    "prompt",
    [
        "¿Qué datos faltan? <script>alert(1)</script> — «bien» & ‘ok’",
        pytest.param("Ωμέγα, Привет, Łódź, Nguyễn Thị", marks=NEEDS_UNICODE_FONT),
        "Fish & chips > \"quotes\" 'apostrophes' {braces} %s \\n",
    ],
)
def test_prompt_is_drawn_as_text(prompt):
    cards = [{"code": "K7PQXM", "url": "http://h/c/K7PQXM", "prompt": prompt, "section": None}]
    pdf = build_card_deck(deck("index-3x5", cards))

    assert prompt in words(pdf_text(pdf)[0])


def test_characters_the_font_lacks_do_not_break_the_deck():
    prompt = "Ideas 🙂 for 漢字 signage\u200b?\x00"
    cards = [{"code": "K7PQXM", "url": "http://h/c/K7PQXM", "prompt": prompt, "section": None}]
    pdf = build_card_deck(deck("letter", cards))

    text = words(pdf_text(pdf)[0])
    assert "Ideas" in text
    assert "signage?" in text
    assert [["http://h/c/K7PQXM"]] == [[c.text for c in page] for page in find_qr_codes(pdf)]


LONG_PROMPT = (
    "Looking at the roles, the timeline and the list of activities together, who in your "
    "neighbourhood should we talk to before the pilot starts, and what would make it easy "
    "for them to take part?"
)


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_long_prompt_wraps_inside_the_card_and_clear_of_the_qr_code(layout):
    geometry = LAYOUTS[layout]
    prompts = [(LONG_PROMPT, "Who houses and sustains the project over the coming years")]
    cards = make_cards(geometry.per_page, prompts)
    pdf = build_card_deck(deck(layout, cards))
    [found] = find_qr_codes(pdf)
    [chars] = char_boxes(pdf)
    modules = len(qr_matrix(cards[0]["url"]))
    card_boxes = [card_box(geometry, slot) for slot in range(geometry.per_page)]
    below_cards = min(box[1] for box in card_boxes)

    assert LONG_PROMPT in words(pdf_text(pdf)[0])
    for code in found:
        module = (code.box[2] - code.box[0]) / modules
        quiet = QUIET_ZONE_MODULES * module - 0.5
        left, bottom, right, top = code.box
        symbol = (left - quiet, bottom - quiet, right + quiet, top + quiet)
        assert not [char for char, box in chars if overlaps(box, symbol)]
    for char, box in chars:
        if box[3] < below_cards:
            continue  # the sheet's footer line, in the margin
        assert any(inside(box, card) for card in card_boxes), (char, box)


@pytest.mark.parametrize(
    ("bad_deck", "message"),
    [
        (
            {"title": "T", "layout": "tiny", "cards": make_cards(1)},
            "unknown card layout 'tiny': use one of letter, a4, index-3x5, avery-5388, sticky-3x3",
        ),
        ({"title": "T", "layout": "letter", "cards": []}, "a card deck needs at least one card"),
        (
            {"title": "T", "layout": "letter", "cards": [{"code": "K7PQXM", "prompt": "?"}]},
            "card 1 has no url",
        ),
        (
            {"title": "T", "layout": "letter", "cards": [*make_cards(2), {"url": "http://h/c/X"}]},
            "card 3 has no code",
        ),
    ],
)
def test_bad_decks_are_refused(bad_deck, message):
    with pytest.raises(ValueError) as error:
        build_card_deck(bad_deck)
    assert message == str(error.value)


def test_layout_defaults_to_letter():
    pdf = build_card_deck({"title": TITLE, "cards": make_cards(1)})

    assert [(792.0, 612.0)] == page_sizes(pdf)


def test_decks_build_side_by_side_in_threads():
    # The server builds decks off the event loop; each build must own its canvas.
    decks = [deck(layout, make_cards(9)) for layout in ("letter", "sticky-3x3", "avery-5388")]
    with ThreadPoolExecutor(max_workers=3) as pool:
        together = list(pool.map(build_card_deck, decks * 2))

    one_by_one = [build_card_deck(d) for d in decks]
    assert [pdf_text(pdf) for pdf in one_by_one * 2] == [pdf_text(pdf) for pdf in together]


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_calibration_page_outlines_every_card_position(layout):
    geometry = LAYOUTS[layout]
    pdf = calibration_page(layout)

    [text] = pdf_text(pdf)
    assert [tuple(round(v, 2) for v in geometry.page_size)] == page_sizes(pdf)
    for slot in range(geometry.per_page):
        assert f"{layout} · card {slot + 1}" in text


def test_deck_prints_without_unicode_fonts(monkeypatch):
    # A machine without DejaVu falls back to reportlab's built-in fonts; nothing may crash.
    monkeypatch.setattr("printables.cards.fonts", lambda: FontSet(**BUILTIN, unicode=False))
    cards = make_cards(2, [("Ωμέγα, Привет, Łódź 🙂 — café?", "Séction")])

    pdf = build_card_deck(deck("letter", cards))

    text = words(pdf_text(pdf)[0])
    assert "café?" in text
    assert {card["url"] for card in cards} == {code.text for code in find_qr_codes(pdf)[0]}
