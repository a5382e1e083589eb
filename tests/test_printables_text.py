import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from printables.fonts import MISSING_GLYPH, fonts, printable_text
from printables.text import ELLIPSIS, fit_block, fit_line, wrap

SANS = fonts().sans


@pytest.mark.parametrize(
    ("text", "font", "expected"),
    [
        ("tab\there\nnew line", SANS, "tab here new line"),
        ("zero\u200bwidth\x00 and bell\x07", SANS, "zerowidth and bell"),
        ("caf\u0065\u0301", SANS, "café"),  # combining accent composed (NFC)
        ("emoji 🙂", SANS, f"emoji {MISSING_GLYPH}"),
        ("Łódź 漢", "Helvetica", "?ód? ?"),  # the built-in font has WinAnsi only
        ("fine in WinAnsi: é € “quotes”", "Helvetica", "fine in WinAnsi: é € “quotes”"),
    ],
)
def test_printable_text_degrades_instead_of_failing(text, font, expected):
    assert expected == printable_text(text, font)


def test_wrap_keeps_lines_inside_the_width_and_breaks_long_words():
    text = "see https://planning.example.org/a/very/long/address/that/will/not/fit here"

    lines = wrap(text, SANS, 10, 120)

    assert all(stringWidth(line, SANS, 10) <= 120 for line in lines)
    assert text.replace(" ", "") == "".join(lines).replace(" ", "")
    assert "see" == lines[0]
    assert all(line[-1] in "/." for line in lines[1:-1])  # a URL breaks after / or .


def test_wrap_keeps_paragraph_breaks():
    assert ["one", "", "two"] == wrap("one\n\ntwo", SANS, 10, 200)


def test_fit_block_shrinks_before_it_cuts():
    text = "What is missing from the timeline, and who should we ask about it?"

    block = fit_block(text, SANS, 150, 0, 14, 8, max_lines=3)

    assert 8 <= block.size < 14
    assert text == " ".join(block.lines)
    assert len(block.lines) <= 3


def test_fit_block_ends_with_an_ellipsis_when_nothing_fits():
    block = fit_block("word " * 200, SANS, 100, 0, 10, 8, max_lines=2)

    assert (8, 2) == (block.size, len(block.lines))
    assert block.lines[-1].endswith(ELLIPSIS)
    assert all(stringWidth(line, SANS, 8) <= 100 for line in block.lines)


def test_fit_line_shrinks_to_the_width():
    line = fit_line("http://192.168.1.20:5000/j/KX7P", SANS, 200, 30, 8)

    assert line.size < 30
    assert stringWidth(line.lines[0], SANS, line.size) <= 200.01
