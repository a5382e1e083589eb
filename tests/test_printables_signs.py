import pytest

from printables import build_section_signs
from tests.pdfcheck import char_boxes, inside, page_sizes, pdf_text, words

INCH = 72.0
TITLE = "Riverside open data: draft plan review"
SECTIONS = [
    {"title": "Timeline", "number": 1},
    {"title": "Who houses and sustains the project", "number": 2},
    {
        "title": "Roles, responsibilities and the people who will carry out the "
        "intervention over the next three years and beyond",
        "number": 3,
    },
    {"title": "Unsorted", "number": None},
]


def signs(**changes) -> dict:
    return {"title": TITLE, "page_size": "letter", "sections": SECTIONS, **changes}


@pytest.mark.parametrize(
    ("page_size", "expected"), [("letter", (792.0, 612.0)), ("a4", (841.89, 595.28))]
)
def test_one_landscape_page_per_section(page_size, expected):
    assert [expected] * len(SECTIONS) == page_sizes(build_section_signs(signs(page_size=page_size)))


def test_each_sign_has_its_number_title_and_the_workshop():
    pages = [words(text) for text in pdf_text(build_section_signs(signs()))]

    for section, text in zip(SECTIONS, pages, strict=True):
        assert section["title"] in text
        assert TITLE in text
        if section["number"] is not None:
            assert text.startswith(f"{section['number']} ")


def test_titles_shrink_and_wrap_inside_the_page():
    pdf = build_section_signs(signs())

    pages = char_boxes(pdf)

    margin = 0.5 * INCH
    for chars in pages:
        assert all(inside(box, (margin, margin, 792 - margin, 612 - margin)) for _, box in chars)
    # Tallest letter on each page: the section title's size.
    heights = [max(box[3] - box[1] for char, box in chars if char.isalpha()) for chars in pages]
    assert heights[0] > heights[1] > heights[2]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sections": []}, "section signs need at least one section"),
        ({"page_size": "legal"}, "unknown page size 'legal': use one of a4, letter"),
    ],
)
def test_bad_signs_are_refused(changes, message):
    with pytest.raises(ValueError) as error:
        build_section_signs(signs(**changes))
    assert message == str(error.value)


def test_a_sign_with_a_url_carries_it_as_a_qr_code_and_one_without_none():
    from tests.pdfcheck import decode_qr_codes

    url = "http://lan:5000/w/KX7P/board#section-12"
    sections = [{**SECTIONS[2], "url": url}, SECTIONS[0]]
    assert [[url], []] == decode_qr_codes(build_section_signs(signs(sections=sections)), dpi=72)
