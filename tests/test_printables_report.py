import re
from concurrent.futures import ThreadPoolExecutor

import pypdfium2 as pdfium
import pytest
from PIL import Image

from printables import build_report
from printables.fonts import BUILTIN, FontSet, fonts, printable_text
from tests.pdfcheck import page_sizes, pdf_text, words

TITLE = "Riverside open data: draft plan review"
CHAPTERS = [
    "1 Participation",
    "2 The draft plan and how it changed",
    "3 What we heard, by section",
    "4 Top-voted notes",
    "5 Votes by section",
    "6 Plan check",
    "7 Card sorting",
    "8 Next steps",
    "9 What became of every note",
    "10 Moderation log",
    "11 Integrity of the record",
    "12 Ballots",
    "13 The room\u2019s paper",
    "Appendix: every note",
]
TEXTS = [
    "Publish the bus stop data before the timeline's first milestone",
    "Les données de qualité de l'air à côté de l'école, s'il vous plaît",
    "<script>alert('board')</script> & other <b>tags</b> typed on a phone",
    "More bike racks near the library \U0001f6b2 and the market",
    "公園のデータも公開してください",
    "Χρειαζόμαστε ανοιχτά δεδομένα για τις συγκοινωνίες",
    "Who keeps the data fresh after the pilot ends?",
    "Straße und Brücke: Baustellen früher ankündigen",
    "The housing authority should own the dataset",
    "Wrong order:\u200f right-to-left mark in the middle",
    "Ask the neighbourhood association to check the survey questions",
    "Translate the portal into Spanish and Vietnamese (tiếng Việt)",
]
SECTIONS = ["Timeline", "Roles and responsibilities", "Who houses and sustains the project"]
GROUPS = {"Timeline": ["Winter", "Before launch"], "Roles and responsibilities": ["Owners"]}
HIDDEN_IDS = {7, 19}


def note(number: int, **changes) -> dict:
    section = None if number % 9 == 0 else SECTIONS[number % 3]
    groups = GROUPS.get(section or "", [])
    source = ("phone", "paper", "facilitator", "phone")[number % 4]
    return {
        "id": number,
        "text": f"{TEXTS[number % len(TEXTS)]} (note {number})",
        "votes": (number * 7) % 11,
        "source": source,
        "author_label": "Zoë" if number % 5 == 0 else None,
        "card_code": f"K7PQ{number:02d}" if source == "paper" else None,
        "entered_by": "scribe" if source == "paper" else None,
        "prompt": "What is missing from the timeline?" if number % 2 else None,
        "section": section,
        "group": groups[number % len(groups)] if groups and number % 4 else None,
        "hidden": number in HIDDEN_IDS,
        "merged_into": 3 if number == 33 else None,
        "created_at": f"2026-11-26T19:{number:02d}:01.123+00:00",
        "outcome": ("answered", "merged", "out-of-scope", "noted", None)[number % 5],
        "outcome_detail": "Next step: publish the data by March" if number % 5 == 0 else None,
        "online": number in (31, 32),
        "plus_ones": 2 if number == 31 else 0,
        **changes,
    }


def report_data(notes: list[dict], tmp_path=None) -> dict:
    by_section = {title: [n for n in notes if n["section"] == title] for title in SECTIONS}
    sections = []
    for title in SECTIONS:
        labels = GROUPS.get(title, [])
        sections.append(
            {
                "title": title,
                "body": f"What the city proposes for {title.lower()}.\n\nA second paragraph.",
                "revisions": [
                    {
                        "title": f"{title} (first draft)",
                        "body": "The earlier wording, before the room weighed in.",
                        "revised_at": "2026-11-26T19:40:00+00:00",
                        "note_ids": [1, 4],
                    }
                ]
                if title == "Timeline"
                else [],
                "groups": [
                    {"label": label, "notes": [n for n in by_section[title] if n["group"] == label]}
                    for label in labels
                ],
                "notes": [n for n in by_section[title] if n["group"] is None],
            }
        )
    photos = []
    if tmp_path is not None:
        photo = tmp_path / "flipchart.jpg"
        Image.new("RGB", (900, 600), (200, 90, 40)).save(photo)
        photos = [
            {"path": str(photo), "caption": "Flip chart from table 3"},
            {"path": str(tmp_path / "gone.jpg"), "caption": "Diagram from table 5"},
        ]
    shown = [n for n in notes if not n["hidden"]]
    return {
        "workshop": {
            "title": TITLE,
            "description": "Residents and local experts review the city's draft plan.",
            "code": "KX7P",
            "date": "26 November 2026",
            "place": "Bibliothèque Centrale, salle Émile-Zola",
            "facilitator": "City open-data team",
            "generated_at": "2026-11-26 21:00",
        },
        "participation": {
            "phones": 40,
            "attendees_named": 12,
            "paper_cards": 9,
            "scribed_notes": 9,
            "facilitator_notes": 2,
            "online_notes": 2,
            "notes": len(notes),
            "votes": sum(n["votes"] for n in notes),
            "timeline": [
                {"time": f"{19 + m // 60}:{m % 60:02d}", "notes": m % 7, "votes": (m * 3) % 13}
                for m in range(0, 120, 5)
            ],
        },
        "ballots": {
            "dots": {"total": 41, "phones": 35, "cards": 2, "paper_dots": 4, "paper": 6},
            "ballots": {"phones": 14, "cards": 2, "total": 16},
            "addresses": [{"address": 1, "known": True, "joined": 5, "ballots": 4}],
            "shared": 1,
            "most_from_one_address": 4,
            "warning": True,
        },
        "sections": sections,
        "unsorted": [n for n in notes if n["section"] is None],
        "top_notes": sorted(shown, key=lambda n: -n["votes"])[:10],
        "next_steps": [
            {
                "text": "Publish bus stop and air quality data on the portal",
                "owner": "Transport data office",
                "due": "2027-03-01",
                "status": "planned",
                "reason": "",
                "notes": shown[:3],
            },
            {
                "text": "Translate the portal into Spanish and Vietnamese",
                "owner": "Équipe communication",
                "due": "",
                "status": "declined",
                "reason": "no budget this year",
                "notes": shown[3:4],
            },
            {
                "text": "Hold a second session",
                "owner": "",
                "due": "",
                "status": "considering",
                "reason": "",
                "notes": [],
            },
        ],
        "outcomes": {"answered": 7, "merged": 7, "out-of-scope": 6, "noted": 6, "none": 6},
        "moderation": [
            {
                "action": "hide",
                "summary": "Hid note #7",
                "created_at": "2026-11-26T19:20:00",
                "undone": False,
            },
            {
                "action": "hide",
                "summary": "Hid note #19",
                "created_at": "2026-11-26T19:31:00",
                "undone": False,
            },
            {
                "action": "edit",
                "summary": "Fixed a typo in note #4",
                "created_at": "2026-11-26T19:33:00",
                "undone": True,
            },
        ],
        "votes_by_section": [
            {"section": title, "votes": sum(n["votes"] for n in shown if n["section"] == title)}
            for title in SECTIONS
        ],
        "plan_check": {
            "participants": 14,
            "sections": [
                {
                    "title": title,
                    "counts": {"workable": 5 + i, "needs-changes": 7 - i, "not-workable": 2},
                }
                for i, title in enumerate(SECTIONS)
            ],
        },
        "photos": photos,
        "notes": notes,
    }


NOTES = [note(number) for number in range(1, 35)]
HEADER = re.compile(rf"^{re.escape(TITLE)} Post-session report\s+Page (\d+) of (\d+)\s+")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> bytes:
    return build_report(report_data(NOTES, tmp_path_factory.mktemp("photos")))


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    """Each page's text without its running header and page number, whitespace normalised."""
    pages = [words(text) for text in pdf_text(pdf)]
    return pages[:1] + [HEADER.sub("", text) for text in pages[1:]]


def appendix_start(pages: list[str]) -> int:
    return next(index for index, text in enumerate(pages) if text.startswith("Appendix:"))


def shown_as(text: str) -> str:
    """How a note's text reads once drawn: emoji and CJK become white squares in DejaVu Sans."""
    return words(printable_text(text, fonts().sans))


def test_every_visible_note_is_in_the_body_and_hidden_ones_only_in_the_appendix(pages):
    body = " ".join(pages[2 : appendix_start(pages)])

    missing = [n["id"] for n in NOTES if not n["hidden"] and shown_as(n["text"]) not in body]
    leaked = [n["id"] for n in NOTES if n["hidden"] and shown_as(n["text"]) in body]

    assert ([], []) == (missing, leaked)


def test_the_appendix_lists_every_note_with_hidden_ones_marked(pages):
    appendix = " ".join(pages[appendix_start(pages) :])

    assert [] == [n["id"] for n in NOTES if shown_as(n["text"]) not in appendix]
    marked = {int(number) for number in re.findall(r"#(\d+) HIDDEN", appendix)}
    assert HIDDEN_IDS == marked
    assert "#5 2026-11-26 19:05:01 · paper card K7PQ05 · entered by scribe · by Zoë" in appendix
    assert "8 dots · 2 +1s (me too)" in appendix[appendix.index("#31 ") :]


def test_attendee_markup_prints_as_the_characters_typed(pages):
    text = " ".join(pages)

    assert "<script>alert('board')</script> & other <b>tags</b> typed on a phone (note 2)" in text


def test_accented_text_round_trips(pages):
    text = " ".join(pages)

    expected = [
        "Bibliothèque Centrale, salle Émile-Zola",
        "Les données de qualité de l'air à côté de l'école, s'il vous plaît (note 1)",
        "Χρειαζόμαστε ανοιχτά δεδομένα για τις συγκοινωνίες (note 5)",
        "Straße und Brücke: Baustellen früher ankündigen (note 7)",
        "Équipe communication",
        "tiếng Việt",
    ]
    assert [] == [phrase for phrase in expected if phrase not in text]


def test_notes_show_their_dots_source_and_author_under_their_group(pages):
    text = " ".join(pages[2 : appendix_start(pages)])
    timeline = text[text.index("3.1 Timeline") : text.index("3.2 Roles")]

    assert "2 ● " + shown_as(NOTES[4]["text"]) + " paper card K7PQ05 · by Zoë · #5" in text
    assert "8 ● " + shown_as(NOTES[30]["text"]) + " online · 2 +1s (me too) · #31" in text
    assert (
        "0 ● " + shown_as(NOTES[32]["text"]) + " paper card K7PQ33 · merged into #3 · #33"
        in (timeline[timeline.index("Before launch ·") :])
    )
    assert timeline.startswith("3.1 Timeline 8 notes, 40 dots, 2 groups. Winter · 2 notes")


def test_every_next_step_and_owner_is_in_the_next_steps_chapter(pages):
    start = next(i for i, text in enumerate(pages) if "8 Next steps 3 next steps:" in text)
    chapter = " ".join(pages[start : start + 2])

    for step in report_data(NOTES)["next_steps"]:
        assert step["text"] in chapter
        assert step["owner"] in chapter
    assert "Declined: no budget this year" in chapter
    assert "March 1, 2027" in chapter  # the due date, written out in the report's language


def test_the_ballots_chapter_adds_paper_to_phones_and_warns_of_a_shared_address(pages):
    start = next(i for i, text in enumerate(pages) if "12 Ballots" in text and "41 dots" in text)
    chapter = " ".join(pages[start:])
    assert "41 dots: 35 from phones, 6 on paper." in chapter
    assert "Ballots from phones 14" in chapter
    assert "Physical dots counted by the facilitator 4" in chapter
    assert "Warning: one address held several phone ballots (at most 4)." in chapter


def test_contents_lists_every_chapter_at_the_page_it_starts(pdf, pages):
    lines = pdf_text(pdf)[1].splitlines()
    listed = [re.fullmatch(r"(.+?)(?: \.)+ (\d+)", line) for line in lines]
    listed = [(match.group(1), int(match.group(2))) for match in listed if match]

    sections = [f"3.{n} {title}" for n, title in enumerate([*SECTIONS, "Unsorted"], start=1)]
    assert CHAPTERS[:3] + sections + CHAPTERS[3:] == [title for title, _ in listed]
    assert [] == [(title, page) for title, page in listed if title not in pages[page - 1]]


def test_every_page_but_the_cover_has_the_header_and_its_number(pdf):
    texts = [words(text) for text in pdf_text(pdf)]
    total = len(texts)

    assert not HEADER.match(texts[0])
    numbers = [HEADER.match(text).groups() for text in texts[1:]]
    assert [(str(page), str(total)) for page in range(2, total + 1)] == numbers


def test_the_photo_is_embedded_the_missing_one_noted_and_charts_are_vectors(pdf, pages):
    document = pdfium.PdfDocument(pdf)
    try:
        images = sum(
            1 for page in document for _ in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])
        )
    finally:
        document.close()
    text = " ".join(pages)

    assert 1 == images
    assert "Flip chart from table 3" in text
    assert "Photo “Diagram from table 5” could not be included: its file is missing." in text
    labels = ["notes posted", "dots placed", "needs changes", "not workable"]
    assert [] == [label for label in labels if label not in text]


def test_an_empty_workshop_builds_with_a_line_for_each_empty_chapter():
    data = report_data([])
    data.update(next_steps=[], moderation=[], plan_check=None, votes_by_section=[])
    data["participation"]["timeline"] = []

    text = " ".join(words(page) for page in pdf_text(build_report(data)))

    for expected in [
        "No timeline was recorded.",
        "No notes received any dots.",
        "No dots were placed.",
        "No plan check was held in this session.",
        "No next steps were recorded.",
        "The facilitator took no moderation actions.",
        "No note was edited, withdrawn, merged or hidden after it was posted.",
        "No photos of flip charts or drawings were added.",
        "All 0 notes by note number",
    ]:
        assert expected in text


def test_any_text_and_oversized_input_keep_inside_the_page():
    odd = "Ok \U0001f44d\U0001f3fd \u05e9\u05dc\u05d5\u05dd \u200f\u202e\x00\x07 "
    odd += "\u4e2d\u6587 e\u0301 \ufffe"
    notes = [note(1, text=odd), note(2, text="x" * 3000), note(3, text="long " * 600)]
    data = report_data(notes)
    data["sections"][0]["title"] = "A very long section title " * 12
    data["next_steps"] = [
        {
            "text": "y " * 2000,
            "owner": "o" * 400,
            "due": "",
            "status": "declined",
            "reason": "r " * 500,
            "notes": notes * 30,
        }
    ]
    data["moderation"] = [
        {"action": "edit", "summary": "s " * 2000, "created_at": "not a time", "undone": True}
    ]

    many = [{"title": f"Section {n}", "counts": {"workable": n}} for n in range(60)]
    data["plan_check"]["sections"] = many
    data["votes_by_section"] = [{"section": f"Section {n}", "votes": n} for n in range(60)]
    data["participation"]["timeline"] = [
        {"time": f"{n // 12 % 24}:{n % 12 * 5:02d}", "notes": 1, "votes": 2} for n in range(2000)
    ]

    pdf = build_report(data)

    text = " ".join(words(page) for page in pdf_text(pdf))
    assert "Notes posted and dots placed in each 210-minute interval." in text
    # Emoji and CJK become white squares; marks, controls and non-characters are dropped.
    # (Hebrew prints in stored order: reportlab has no bidi reordering without extra packages.)
    assert "Ok □□" in text
    assert "□□ é paper card" in text
    assert "and 85 more (see chapter 8)" in text
    assert all(size == (612.0, 792.0) for size in page_sizes(pdf))


@pytest.mark.parametrize(
    ("size", "expected"), [("letter", (612.0, 792.0)), ("a4", (595.28, 841.89))]
)
def test_pages_are_the_asked_size(size, expected):
    data = report_data(NOTES[:5])

    assert {expected} == set(page_sizes(build_report({**data, "page_size": size})))


def test_a_thousand_note_report_builds():
    pdf = build_report(report_data([note(number) for number in range(1, 1001)]))

    assert len(page_sizes(pdf)) > 100


def test_reports_build_side_by_side_in_threads():
    # The server builds reports off the event loop; each build must own its document.
    data = [report_data(NOTES[:count]) for count in (5, 12, 20)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        together = list(pool.map(build_report, data * 2))

    one_by_one = [build_report(d) for d in data]
    assert [pdf_text(pdf) for pdf in one_by_one * 2] == [pdf_text(pdf) for pdf in together]


def test_report_prints_without_unicode_fonts(monkeypatch):
    monkeypatch.setattr("printables.report.fonts", lambda: FontSet(**BUILTIN, unicode=False))

    text = " ".join(words(page) for page in pdf_text(build_report(report_data(NOTES))))

    assert "Les données de qualité de l'air à côté de l'école, s'il vous plaît (note 1)" in text
    assert "10 • More bike racks near the library ? and the market (note 3)" in text
    greek = printable_text(TEXTS[5], "Helvetica")
    assert f"{greek} (note 5)" in text
    assert greek.startswith("????????????")
