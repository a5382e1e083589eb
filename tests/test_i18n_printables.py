"""Printed cards, poster, signs and report speak the workshop's language, dates included.

The builders take the language from their data (printing.py and reportdata.py put the
workshop's ``language`` setting there) or from a ``language`` keyword. The Spanish words come
from workshop/translations/es (i18n-staging/python-messages.json until the catalogues are
merged); the Spanish dates come from Babel and need no catalogue.
"""

from __future__ import annotations

import pytest

from printables import build_card_deck, build_poster, build_report, build_section_signs
from printables.words import Words
from tests.liveserver import TOKEN
from tests.pdfcheck import char_boxes, page_sizes, pdf_text, words
from workshop.followup import reportdata
from workshop.paper import printing
from workshop.workshops import workshops

BEARER = {"Authorization": f"Bearer {TOKEN}"}  # a script's call: prints new cards by GET

URL = "http://lan:5000"
SPANISH = {"language": "es"}


def text_of(pdf: bytes) -> str:
    return " ".join(words(page) for page in pdf_text(pdf))


def deck(language: str | None = None, count: int = 6) -> dict:
    cards = [
        {"code": f"K7PQ{n:02d}", "url": f"{URL}/c/K7PQ{n:02d}", "prompt": "¿Qué falta?"}
        for n in range(count)
    ]
    data = {"title": "Rutas seguras", "layout": "letter", "cards": cards}
    return {**data, "language": language} if language else data


def poster(language: str | None = None) -> dict:
    wifi = {"ssid": "Biblioteca", "password": "libros;2024", "security": "WPA"}
    data = {"title": "Rutas seguras", "join_url": f"{URL}/j/KX7P", "join_code": "KX7P"}
    data |= {"page_size": "letter", "wifi": wifi}
    return {**data, "language": language} if language else data


def report(language: str | None = None) -> dict:
    note = {
        "id": 1,
        "text": "Más bancos en la plaza",
        "votes": 3,
        "source": "paper",
        "card_code": "K7PQ01",
        "entered_by": "scribe",
        "author_label": None,
        "prompt": "¿Qué falta?",
        "section": "Calendario",
        "group": None,
        "hidden": False,
        "merged_into": None,
        "created_at": "2026-11-26T19:05:01",
        "outcome": "noted",
        "outcome_detail": None,
        "online": False,
    }
    hidden = {**note, "id": 2, "text": "Oculta", "hidden": True, "source": "phone"}
    data = {
        "workshop": {
            "title": "Rutas seguras",
            "code": "KX7P",
            "date": "2026-11-26",
            "place": "Biblioteca",
            "generated_at": "2026-11-26 21:00",
        },
        "participation": {
            "phones": 12,
            "notes": 2,
            "paper_cards": 1,
            "votes": 3,
            "timeline": [{"time": "19:05", "notes": 2, "votes": 3}],
        },
        "sections": [{"title": "Calendario", "body": "En marzo.", "groups": [], "notes": [note]}],
        "top_notes": [note],
        "next_steps": [
            {
                "text": "Publicar el calendario",
                "owner": "Obras",
                "due": "2027-03-01",
                "status": "planned",
                "notes": [note],
            }
        ],
        "outcomes": {"answered": 0, "merged": 0, "out-of-scope": 0, "noted": 1, "none": 0},
        "moderation": [
            {"action": "hide", "summary": "Hid note #2", "created_at": "2026-11-26T19:20:00"}
        ],
        "votes_by_section": [{"section": "Calendario", "votes": 3}],
        "plan_check": {
            "participants": 5,
            "sections": [{"title": "Calendario", "counts": {"workable": 3, "needs-changes": 2}}],
        },
        "notes": [note, hidden],
    }
    return {**data, "language": language} if language else data


# -- the builders ------------------------------------------------------------------------
def test_a_spanish_card_deck_prints_its_hint_and_footer_in_spanish():
    text = text_of(build_card_deck(deck("es")))

    assert "escanee o escriba K7PQ00" in text
    assert "tarjetas 1–4 de 6" in text
    assert "imprima a tamaño real (100 %) y corte por las marcas" in text
    assert "scan, or type" not in text and "print at actual size" not in text


def test_the_language_keyword_overrides_the_data():
    spanish = text_of(build_card_deck(deck(), language="es"))
    english = text_of(build_card_deck(deck("es"), language="en"))

    assert "escanee o escriba K7PQ00" in spanish
    assert "scan, or type K7PQ00" in english


def test_an_english_deck_is_unchanged():
    text = text_of(build_card_deck(deck()))

    assert "scan, or type K7PQ00" in text
    assert "cards 1–4 of 6 · print at actual size (100%), cut on the marks" in text


def test_a_spanish_poster_explains_how_to_join_in_spanish_and_stays_on_the_page():
    pdf = build_poster(poster("es"))
    text = text_of(pdf)

    for expected in (
        "Únase al taller",
        "código del taller KX7P",
        "1. Apunte la cámara de su teléfono al código grande.",
        "o abra esta dirección en su navegador",
        "Contraseña: libros;2024",
    ):
        assert expected in text
    assert "Join the workshop" not in text
    [(width, height)] = page_sizes(pdf)
    [chars] = char_boxes(pdf)
    assert all(0 <= box[0] and box[2] <= width and 0 <= box[1] <= height for _, box in chars)


def test_an_english_poster_is_unchanged():
    text = text_of(build_poster(poster()))

    assert "Join the workshop" in text and "join code KX7P" in text


def test_section_signs_take_a_language():
    pdf = build_section_signs({"title": "T", "sections": [{"title": "Calendario"}], **SPANISH})

    assert "Calendario" in text_of(pdf)


@pytest.fixture(scope="module")
def spanish_report() -> str:
    return text_of(build_report(report("es")))


def test_a_spanish_report_has_spanish_headings_and_page_numbers(spanish_report):
    for expected in (
        "INFORME POSTERIOR A LA SESIÓN",
        "Índice",
        "1 Participación",
        "3 Lo que escuchamos, por sección",
        "Anexo: todas las notas",
        "Página 2 de",
        "Teléfonos que se unieron",
        "notas enviadas",
        "puntos colocados",
        "necesita cambios",
        "1 previsto",
        "tarjeta de papel K7PQ01",
        "transcrita por un voluntario",
        "OCULTA",
        "Anotada",
    ):
        assert expected in spanish_report, expected
    for english in ("Contents", "Post-session report", "Page 2 of", "Participation"):
        assert english not in spanish_report


def test_a_spanish_report_writes_its_dates_in_spanish(spanish_report):
    assert "26 de noviembre de 2026" in spanish_report
    assert "Informe generado el 26 de noviembre de 2026, 21:00." in spanish_report


def test_an_english_report_writes_its_dates_in_english():
    text = text_of(build_report(report()))

    assert "November 26, 2026" in text
    assert "Report generated November 26, 2026, 9:00" in text
    assert "Post-session report" in text and "Contents" in text


def test_dates_and_numbers_follow_the_language():
    spanish, english = Words("es"), Words("en")

    assert ("26 de noviembre de 2026", "November 26, 2026") == (
        spanish.date("2026-11-26"),
        english.date("2026-11-26"),
    )
    assert ("1.234,5", "1,234.5") == (spanish.number(1234.5, 1), english.number(1234.5, 1))
    assert "26 November 2026" == spanish.date("26 November 2026")  # already written out
    assert "en" == Words("xx").language


# -- a workshop whose language is Spanish, end to end -------------------------------------
@pytest.fixture
def spanish_workshop(app):
    return workshops.create_workshop(
        app.extensions["workshop"].store,
        title="Rutas seguras",
        sections=[{"title": "Calendario"}],
        prompts=[{"text": "¿Qué falta?", "section": "Calendario"}],
        settings={"language": "es"},
    )


def test_the_printing_data_carries_the_workshops_language(app, spanish_workshop, workshop):
    db = app.extensions["workshop"].store.db
    code = spanish_workshop["code"]

    assert "es" == printing.poster_data(db, code, URL)["language"]
    assert "es" == printing.signs_data(db, code)["language"]
    assert "es" == printing.deck_data(db, code, [], URL, "letter")["language"]
    assert "es" == reportdata.report_data(db, code, None)["language"]
    assert "en" == printing.poster_data(db, workshop["code"], URL)["language"]


def test_a_spanish_workshops_card_without_a_prompt_asks_in_spanish(app, spanish_workshop):
    db = app.extensions["workshop"].store.db
    card = {"code": "K7PQXM", "prompt": None, "section": None}

    [printed] = printing.deck_data(db, spanish_workshop["code"], [card], URL, "letter")["cards"]

    assert "Su idea, pregunta o inquietud sobre el plan" == printed["prompt"]


def test_the_server_prints_a_spanish_workshops_deck_poster_and_report_in_spanish(
    facilitator, spanish_workshop
):
    api = f"/api/workshops/{spanish_workshop['code']}"

    cards = text_of(facilitator.get(f"{api}/cards.pdf?count=2", headers=BEARER).data)
    poster_text = text_of(facilitator.get(f"{api}/poster.pdf").data)
    report_text = text_of(facilitator.get(f"{api}/report.pdf").data)

    assert "escanee o escriba" in cards
    assert "Únase al taller" in poster_text
    assert "INFORME POSTERIOR A LA SESIÓN" in report_text and "Índice" in report_text
    months = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto")
    months += ("septiembre", "octubre", "noviembre", "diciembre")
    assert any(f" de {month} de " in report_text for month in months)


def test_the_server_prints_an_english_workshop_in_english(facilitator, workshop):
    api = f"/api/workshops/{workshop['code']}"

    assert "scan, or type" in text_of(
        facilitator.get(f"{api}/cards.pdf?count=2", headers=BEARER).data
    )
    assert "Join the workshop" in text_of(facilitator.get(f"{api}/poster.pdf").data)
    assert "Post-session report" in text_of(facilitator.get(f"{api}/report.pdf").data)
