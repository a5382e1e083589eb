import pytest

from printables import build_poster, wifi_payload
from printables.qr import QUIET_ZONE_MODULES, qr_matrix
from tests.pdfcheck import char_boxes, find_qr_codes, inside, page_sizes, pdf_text, words

INCH = 72.0
JOIN_URL = "http://192.168.1.20:5000/j/KX7P"
WIFI = {"ssid": "Riverside Library", "password": "books;2024", "security": "WPA"}


def poster(**changes) -> dict:
    return {
        "title": "Riverside open data: draft plan review",
        "join_url": JOIN_URL,
        "join_code": "KX7P",
        "page_size": "letter",
        "wifi": None,
        **changes,
    }


@pytest.mark.parametrize(
    ("page_size", "expected"), [("letter", (612.0, 792.0)), ("a4", (595.28, 841.89))]
)
def test_one_page_of_the_asked_size(page_size, expected):
    assert [expected] == page_sizes(build_poster(poster(page_size=page_size)))


@pytest.mark.parametrize("wifi", [None, WIFI])
@pytest.mark.parametrize("title", ["Riverside", "A very long workshop title " * 6])
def test_join_code_is_big_and_opens_the_join_page(wifi, title):
    pdf = build_poster(poster(wifi=wifi, title=title))

    [codes] = find_qr_codes(pdf, dpi=72)

    [join] = [code for code in codes if code.text == JOIN_URL]
    modules = len(qr_matrix(JOIN_URL))
    dark_width = join.box[2] - join.box[0]
    with_quiet_zone = dark_width * (modules + 2 * QUIET_ZONE_MODULES) / modules
    assert with_quiet_zone >= 6 * INCH
    assert inside(join.box, (0, 0, 612, 792))


def test_wifi_code_decodes_to_the_exact_wifi_string():
    pdf = build_poster(poster(wifi=WIFI))

    [codes] = find_qr_codes(pdf)

    expected = {JOIN_URL, "WIFI:T:WPA;S:Riverside Library;P:books\\;2024;;"}
    assert expected == {code.text for code in codes}
    assert wifi_payload("Riverside Library", "books;2024") in {code.text for code in codes}


def test_open_network_has_no_password():
    pdf = build_poster(poster(wifi={"ssid": "Guest", "password": "", "security": None}))

    [codes] = find_qr_codes(pdf)
    [text] = pdf_text(pdf)

    assert {JOIN_URL, "WIFI:T:nopass;S:Guest;;"} == {code.text for code in codes}
    assert "open network, no password" in words(text)


@pytest.mark.parametrize("wifi", [None, WIFI])
def test_poster_says_how_to_join_in_words(wifi):
    [text] = pdf_text(build_poster(poster(wifi=wifi)))
    text = words(text)

    for expected in (
        "Join the workshop",
        "Riverside open data: draft plan review",
        JOIN_URL,
        "KX7P",
        "1. Point your phone's camera at the big code.",
        "2. Tap the link, or type the address above.",
        "3. Post your ideas as notes: no app, no account.",
    ):
        assert expected in text
    if wifi:
        assert "Wi-Fi: Riverside Library" in text
        assert "Password: books;2024" in text
    else:
        assert "Wi-Fi" not in text


@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_long_title_and_address_stay_on_the_page(page_size):
    title = "A very long workshop title " * 6
    url = "https://planning-workshops.riverside-county.example.org/j/KX7P"
    pdf = build_poster(poster(title=title, join_url=url, page_size=page_size, wifi=WIFI))
    [(width, height)] = page_sizes(pdf)

    [chars] = char_boxes(pdf)
    [codes] = find_qr_codes(pdf)

    assert url in "".join(pdf_text(pdf)[0].split())  # wrapped onto two lines
    assert {url, wifi_payload(WIFI["ssid"], WIFI["password"])} == {code.text for code in codes}
    margin = 0.4 * INCH
    assert all(inside(box, (margin, margin, width - margin, height - margin)) for _, box in chars)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"page_size": "tabloid"}, "unknown page size 'tabloid': use one of a4, letter"),
        ({"join_url": ""}, "a join poster needs the join URL and the join code"),
        ({"join_code": None}, "a join poster needs the join URL and the join code"),
        ({"wifi": {"ssid": "", "password": "x"}}, "a Wi-Fi QR code needs the network name (SSID)"),
        (
            {"wifi": {"ssid": "Net", "password": "x", "security": "TKIP"}},
            "unknown Wi-Fi security 'TKIP': use WPA, WPA3, WEP or nopass",
        ),
    ],
)
def test_bad_posters_are_refused(changes, message):
    with pytest.raises(ValueError) as error:
        build_poster(poster(**changes))
    assert message == str(error.value)
