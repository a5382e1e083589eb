from io import BytesIO

import pypdfium2 as pdfium
import pytest
import qrcode
from reportlab.pdfgen.canvas import Canvas

from printables.qr import QUIET_ZONE_MODULES, draw_qr, qr_matrix, wifi_payload
from tests.pdfcheck import decode_qr_codes, find_qr_codes

CARD_URL = "http://192.168.1.20:5000/c/K7PQXM"


def one_qr_page(data, size=200.0, x=100.0, y=100.0, page=(400.0, 400.0)) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=page)
    draw_qr(canvas, data, x, y, size)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        "a",
        CARD_URL,
        "https://workshop.example.org/c/K7PQXM?from=poster",
        "x" * 200,
        "WIFI:T:WPA;S:Hall;P:p\\;w;;",
    ],
)
def test_version_is_the_smallest_that_fits(data):
    auto = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    auto.add_data(data, optimize=0)
    auto.make(fit=True)

    matrix = qr_matrix(data)

    assert auto.version * 4 + 17 == len(matrix)
    assert all(len(row) == len(matrix) for row in matrix)


def test_a_card_url_is_a_small_code():
    assert 29 == len(qr_matrix(CARD_URL))  # version 3


def test_the_same_data_gives_the_same_matrix():
    assert qr_matrix(CARD_URL) == qr_matrix(CARD_URL)


def test_empty_data_is_refused():
    with pytest.raises(ValueError) as error:
        qr_matrix("")
    assert "a QR code needs some data" == str(error.value)


@pytest.mark.parametrize("as_matrix", [False, True])
def test_drawn_code_decodes_to_its_data(as_matrix):
    data = qr_matrix(CARD_URL) if as_matrix else CARD_URL

    pages = decode_qr_codes(one_qr_page(data))

    assert [[CARD_URL]] == pages


def test_code_is_one_vector_path():
    document = pdfium.PdfDocument(one_qr_page(CARD_URL))
    objects = list(document[0].get_objects())

    assert [pdfium.raw.FPDF_PAGEOBJ_PATH] == [obj.type for obj in objects]
    document.close()


def test_code_fills_its_box_and_leaves_the_quiet_zone_blank():
    x, y, size = 100.0, 100.0, 185.0  # 37 modules of 5 pt for a version 3 code
    module = size / (29 + 2 * QUIET_ZONE_MODULES)
    pdf = one_qr_page(CARD_URL, size=size, x=x, y=y)

    [[found]] = find_qr_codes(pdf, dpi=144)

    quiet = QUIET_ZONE_MODULES * module
    expected = (x + quiet, y + quiet, x + size - quiet, y + size - quiet)
    assert CARD_URL == found.text
    assert all(abs(e - a) < module for e, a in zip(expected, found.box, strict=True)), found.box
    image = pdfium.PdfDocument(pdf)[0].render(scale=2, grayscale=True).to_pil()
    top = 400 - (y + size)  # image rows run top-down
    band = [
        (x, top, x + size, top + quiet),  # above
        (x, top + size - quiet, x + size, top + size),  # below
        (x, top, x + quiet, top + size),  # left
        (x + size - quiet, top, x + size, top + size),  # right
    ]
    for left, upper, right, lower in band:
        # Pixels strictly inside the band (at 2 px a point): all white.
        pixels = (int(left * 2) + 1, int(upper * 2) + 1, int(right * 2) - 1, int(lower * 2) - 1)
        assert (255, 255) == image.crop(pixels).getextrema()


@pytest.mark.parametrize(
    ("ssid", "password", "expected"),
    [
        ("Library", "books2024", "WIFI:T:WPA;S:Library;P:books2024;;"),
        ("Hall;A", "x", "WIFI:T:WPA;S:Hall\\;A;P:x;;"),
        ("a,b", "c,d", "WIFI:T:WPA;S:a\\,b;P:c\\,d;;"),
        ('say "hi"', "pw", 'WIFI:T:WPA;S:say \\"hi\\";P:pw;;'),
        ("Cafe:Guest", "p:w", "WIFI:T:WPA;S:Cafe\\:Guest;P:p\\:w;;"),
        ("back\\slash", "\\;", "WIFI:T:WPA;S:back\\\\slash;P:\\\\\\;;;"),
        ("Café Ünïcode", "pässwörd", "WIFI:T:WPA;S:Café Ünïcode;P:pässwörd;;"),
        ("spaces ok", " lead", "WIFI:T:WPA;S:spaces ok;P: lead;;"),
    ],
)
def test_wifi_payload_escapes_special_characters(ssid, password, expected):
    assert expected == wifi_payload(ssid, password)


@pytest.mark.parametrize(
    ("security", "password", "hidden", "expected"),
    [
        ("WPA", "pw", False, "WIFI:T:WPA;S:Net;P:pw;;"),
        ("wpa2", "pw", False, "WIFI:T:WPA;S:Net;P:pw;;"),
        ("WEP", "pw", False, "WIFI:T:WEP;S:Net;P:pw;;"),
        ("WPA3", "pw", False, "WIFI:T:SAE;S:Net;P:pw;;"),
        ("nopass", "", False, "WIFI:T:nopass;S:Net;;"),
        ("", "", False, "WIFI:T:nopass;S:Net;;"),
        ("WPA", "pw", True, "WIFI:T:WPA;S:Net;P:pw;H:true;;"),
    ],
)
def test_wifi_payload_security_and_hidden(security, password, hidden, expected):
    assert expected == wifi_payload("Net", password, security, hidden)


@pytest.mark.parametrize(
    ("ssid", "password", "security", "message"),
    [
        ("", "pw", "WPA", "a Wi-Fi QR code needs the network name (SSID)"),
        ("Net", "", "WPA", "a WPA network needs its password"),
        ("Net", "pw", "TKIP", "unknown Wi-Fi security 'TKIP': use WPA, WPA3, WEP or nopass"),
    ],
)
def test_wifi_payload_refuses_bad_input(ssid, password, security, message):
    with pytest.raises(ValueError) as error:
        wifi_payload(ssid, password, security)
    assert message == str(error.value)


@pytest.mark.parametrize("ssid", ["Hall;A", "Cafe:Guest", 'say "hi"', "a,b\\c"])
def test_wifi_code_decodes_to_the_exact_payload(ssid):
    payload = wifi_payload(ssid, "p;a:s,s")

    assert [[payload]] == decode_qr_codes(one_qr_page(payload))
