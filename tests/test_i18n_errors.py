"""Domain errors reach people in their own language, with the same status and the same numbers.

The Spanish sentences come from workshop/translations/es (i18n-staging/python-messages.json
until the catalogues are merged).
"""

from __future__ import annotations

import pytest

from workshop.core.errors import Invalid, Phrase
from workshop.core.i18n import N_
from workshop.core.text import clean_text

SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}


def notes_url(workshop: dict) -> str:
    return f"/api/workshops/{workshop['code']}/notes"


def too_long(attendee, workshop, **headers):
    return attendee.post(
        notes_url(workshop), json={"text": "x" * 281, "client_id": "long"}, headers=headers
    )


def test_a_too_long_note_is_refused_in_english_by_default(attendee, workshop):
    response = too_long(attendee, workshop)

    assert (400, "note is too long (281 characters; the limit is 280)") == (
        response.status_code,
        response.json["error"],
    )


def test_a_too_long_note_is_refused_in_spanish_with_the_limit(attendee, workshop):
    english = too_long(attendee, workshop)
    spanish = too_long(attendee, workshop, **SPANISH)

    assert english.status_code == spanish.status_code
    assert (
        "el campo «nota» es demasiado largo (281 caracteres; el límite es 280)"
        == spanish.json["error"]
    )


def test_the_switcher_choice_beats_the_browser(attendee, workshop):
    chosen = attendee.post(
        notes_url(workshop) + "?lang=es",
        json={"text": " ", "client_id": "empty"},
        headers={"Accept-Language": "en"},
    )

    assert (400, "el campo «nota» está vacío") == (chosen.status_code, chosen.json["error"])


def test_a_refused_facilitator_action_is_explained_in_spanish(attendee, workshop):
    url = f"/api/workshops/{workshop['code']}/phase"
    english = attendee.put(url, json={"phase": "vote"})
    spanish = attendee.put(url, json={"phase": "vote"}, headers=SPANISH)

    assert (403, "only the facilitator can change the phase") == (
        english.status_code,
        english.json["error"],
    )
    assert (403, "solo la persona que facilita puede cambiar la fase") == (
        spanish.status_code,
        spanish.json["error"],
    )


def test_an_attendee_editing_someone_elses_note_hears_why_in_spanish(attendee, workshop):
    note = attendee.post(notes_url(workshop), json={"text": "Mine", "client_id": "m"}).json
    refused = attendee.patch(f"/api/notes/{note['id']}", json={"hidden": True}, headers=SPANISH)

    assert (403, "solo la persona que facilita puede mover, agrupar u ocultar notas") == (
        refused.status_code,
        refused.json["error"],
    )


def test_closed_writing_names_the_phase_in_spanish(attendee, facilitator, workshop):
    facilitator.put(f"/api/workshops/{workshop['code']}/phase", json={"phase": "vote"})
    english = attendee.post(notes_url(workshop), json={"text": "Late", "client_id": "late"})
    spanish = attendee.post(
        notes_url(workshop), json={"text": "Late", "client_id": "late"}, headers=SPANISH
    )

    assert (409, "Writing is closed right now (now: Voting).") == (
        english.status_code,
        english.json["error"],
    )
    assert (
        409,
        "Ahora no se pueden escribir notas (ahora: Votando).",
    ) == (spanish.status_code, spanish.json["error"])


def test_an_unknown_workshop_is_not_found_in_spanish(client):
    english = client.get("/api/workshops/ZZZZ")
    spanish = client.get("/api/workshops/ZZZZ", headers=SPANISH)

    assert (404, "no workshop with the code 'ZZZZ'") == (english.status_code, english.json["error"])
    assert (404, "no hay ningún taller con el código «ZZZZ»") == (
        spanish.status_code,
        spanish.json["error"],
    )


def test_a_language_without_a_catalogue_gets_english(attendee, workshop):
    response = too_long(attendee, workshop, **{"Accept-Language": "de-DE,fr;q=0.8"})

    assert "note is too long (281 characters; the limit is 280)" == response.json["error"]


# -- the mechanism, without the catalogues ---------------------------------------------
FAKE_SPANISH = {
    "%(field)s is too long (%(length)s characters; the limit is %(limit)s)": (
        "el campo «%(field)s» es demasiado largo (%(length)s caracteres; el límite es %(limit)s)"
    ),
    "note": "nota",
    "section %(number)s title": "título de la sección %(number)s",
    "%(field)s must be text": "el campo «%(field)s» debe ser texto",
}


def fake_gettext(message: str) -> str:
    return FAKE_SPANISH.get(message, message)


def test_an_error_translates_its_words_along_with_its_template():
    with pytest.raises(Invalid) as raised:
        clean_text("x" * 11, field=N_("note"), max_length=10)

    error = raised.value
    assert "note is too long (11 characters; the limit is 10)" == error.message
    assert "el campo «nota» es demasiado largo (11 caracteres; el límite es 10)" == (
        error.translated(fake_gettext)
    )


def test_a_phrase_with_its_own_params_translates_and_fills_them():
    error = Invalid("%(field)s must be text", field=Phrase("section %(number)s title", number=2))

    assert "section 2 title must be text" == error.message
    assert "el campo «título de la sección 2» debe ser texto" == error.translated(fake_gettext)


def test_an_unmarked_field_name_stays_as_it_is():
    error = Invalid("%(field)s must be text", field=Phrase("client_id"))

    assert "el campo «client_id» debe ser texto" == error.translated(fake_gettext)
