"""Paper on the board: printed decks, posters and signs; cards scanned by phones and
scribes; photos of handwritten cards."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from flask import (
    Blueprint,
    Response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse  # what redirect() returns

import printables
from workshop.core.errors import Invalid, NotAllowed, NotFound
from workshop.core.i18n import N_
from workshop.core.images import MAX_UPLOAD_BYTES, StoredPhoto, clean_photo, stored_photo
from workshop.notes import edits as noteedits
from workshop.notes import notes
from workshop.paper import cards, printing, scribes
from workshop.web import guesses
from workshop.web.bodies import body
from workshop.web.context import (
    is_facilitator,
    is_scribe,
    note_allowance,
    photos_dir,
    public_url,
    require_facilitator,
    require_joined,
    services,
    sign_in_scribe,
)
from workshop.web.forgery import form_route
from workshop.web.i18n import gettext
from workshop.web.offload import photo_slots, run_blocking
from workshop.web.pages import page_data
from workshop.web.qrsvg import qr_svg
from workshop.workshops import workshops

api = Blueprint("paper_api", __name__, url_prefix="/api")
pages = Blueprint("paper_pages", __name__)

# How far each scan has got, for its page to show: per process (a scan runs in the process
# that took it; behind several processes the page's poll may find nothing, and waits).


def pdf_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def int_arg(name: str, default: int) -> int:
    value = request.args.get(name)
    if value is None or value == "":
        return default
    return int_value(value, name)


def int_value(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise Invalid("%(field)s must be a whole number", field=name) from None


# -- printed material (facilitator) -----------------------------------------------------
@api.post("/workshops/<code>/decks")
def new_deck(code: str) -> tuple[dict, int]:
    """Register a deck of new cards; its PDF is ``cards.pdf?deck=<id>`` (reprints add none)."""
    require_facilitator(N_("print note cards"))
    data = body()
    deck = _issue_deck(
        code, data.get("count", 20), data.get("layout", "letter"), data.get("prompt_id")
    )
    return {**deck, "pdf_url": url_for(".card_deck", code=code, deck=deck["id"])}, 201


@pages.post("/w/<code>/decks")
@form_route(role=lambda: require_facilitator(N_("print note cards")))
def new_deck_form(code: str) -> BaseResponse:
    """The manage page's Print button: register the deck, then open its PDF."""
    form = request.form
    count = form.get("count", "20")
    if not count.strip().isdigit():
        raise Invalid("%(field)s must be a whole number", field="count")
    deck = _issue_deck(
        code, int(count), form.get("layout", "letter"), form.get("prompt_id") or None
    )
    return redirect(url_for("paper_api.card_deck", code=code, deck=deck["id"]), code=303)


def _issue_deck(code: str, count: object, layout: object, prompt_id: object) -> dict:
    if not isinstance(layout, str):
        raise Invalid("layout must be text")
    printing.deck_data(services().store.db, code, [], public_url(), layout)  # a known layout
    if isinstance(prompt_id, str):
        prompt_id = int_value(prompt_id, "prompt_id")
    prompt_ids = None if prompt_id is None else [prompt_id]
    return cards.issue_deck(services().store, code, count, prompt_ids, layout=layout)


@api.get("/workshops/<code>/cards.pdf")
def card_deck(code: str) -> Response:
    """A deck's PDF: ``deck=<id>`` reprints a registered deck. Without it, ``count`` new
    cards are registered first (dealt across the prompts, or ``prompt_id``) — only for a
    call carrying the token (``Authorization: Bearer``), which no other site's page can make:
    from a browser, printing new cards is a POST (the manage page's Print button)."""
    require_facilitator(N_("print note cards"))
    db = services().store.db
    if request.args.get("deck"):
        deck, issued = cards.deck_cards(db, code, int_arg("deck", 0))
        layout = deck["layout"]
    else:
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            raise Invalid(
                "to print new cards, use Print on the manage page (registering cards is a POST)"
            )
        layout = request.args.get("layout", "letter")
        prompt_id = request.args.get("prompt_id")
        deck = _issue_deck(code, int_arg("count", 20), layout, prompt_id or None)
        issued = cards.deck_cards(db, code, deck["id"])[1]
    data = printing.deck_data(db, code, issued, public_url(), layout)
    pdf = run_blocking(printables.build_card_deck, data)
    return pdf_response(pdf, f"cards-{workshops.workshop_row(db, code)['code']}-{layout}.pdf")


@api.get("/workshops/<code>/poster.pdf")
def poster(code: str) -> Response:
    require_facilitator(N_("print the poster"))
    data = printing.poster_data(
        services().store.db,
        code,
        public_url(),
        page_size=request.args.get("page_size", "letter"),
        wifi_ssid=request.args.get("wifi_ssid") or None,
        wifi_password=request.args.get("wifi_password") or None,
    )
    pdf = run_blocking(printables.build_poster, data)
    return pdf_response(pdf, f"poster-{data['join_code']}.pdf")


@api.get("/workshops/<code>/signs.pdf")
def signs(code: str) -> Response:
    require_facilitator(N_("print the section signs"))
    data = printing.signs_data(
        services().store.db,
        code,
        page_size=request.args.get("page_size", "letter"),
        base_url=public_url(),
    )
    return pdf_response(run_blocking(printables.build_section_signs, data), "section-signs.pdf")


@api.post("/workshops/<code>/scribe-links")
def scribe_link(code: str) -> tuple[dict, int]:
    """A link for a volunteer who types in paper cards, and may do nothing else."""
    require_facilitator(N_("hand out scribe access"))
    token = scribes.create_scribe_token(services().store, code)
    return {"url": f"{public_url()}/scribe?token={token}", "token": token}, 201


# -- a card, scanned --------------------------------------------------------------------
def card_role(card: dict) -> str:
    if is_facilitator():
        return "facilitator"
    if is_scribe(card["workshop"]):
        return "scribe"
    return "attendee"


@api.get("/cards/<card_code>")
def get_card(card_code: str) -> dict:
    db = services().store.db
    card = cards.get_card(db, card_code)
    note = cards.card_note(db, card["code"])
    role = card_role(card)
    if note is not None and note["hidden"] and role == "attendee":
        note = notes.public_json(note)
    if note is not None and role != "facilitator":
        note = notes.own_json(note, card["workshop"], db)
    return {"card": card, "note": note, "role": role}


def _note_fields() -> tuple[dict[str, Any], bytes | None]:
    """The text fields and the photo of a card note, from JSON or a multipart form."""
    if request.mimetype == "multipart/form-data":
        request.max_content_length = MAX_UPLOAD_BYTES + 64 * 1024
        upload = request.files.get("photo")
        photo = upload.read() if upload is not None and upload.filename != "" else None
        return dict(request.form.items()), photo
    if not request.is_json:
        raise Invalid("send JSON, or a form with a photo")
    return body(), None


@api.post("/cards/<card_code>/note")
def card_note(card_code: str) -> tuple[dict, int]:
    """The note for a printed card: `paper` from the facilitator or a scribe (who may add a
    photo), `phone` from an attendee holding the card."""
    store = services().store
    card = cards.get_card(store.db, card_code)
    role = card_role(card)
    fields, photo = _note_fields()
    text = fields.get("text")
    kwargs: dict[str, Any] = {"client_id": fields.get("client_id"), "color": fields.get("color")}
    if role == "attendee":
        if photo is not None:
            raise NotAllowed("only a scribe or the facilitator can add a photo of a card")
        attendee = require_joined(card["workshop"])
        aid = attendee["attendee_id"]
        kwargs.update(
            source="phone",
            attendee_id=aid,
            author_label=attendee["name"],
            allowance=note_allowance(card["workshop"], aid),
        )
    else:
        if photo is not None:
            if not isinstance(text, str) or not text.strip():  # typed later, from the queue
                text = cards.photo_only_text(store.db, card["workshop"])
                kwargs["awaiting_text"] = True
            photo = run_blocking(clean_photo, photo, slots=photo_slots)
        kwargs.update(source="paper", entered_by=role)
    stored = stored_photo(photos_dir(), photo, card["code"]) if photo else nullcontext()
    with stored as kept:
        if isinstance(kept, StoredPhoto):
            kwargs["photo"] = kept.name
        note, created = cards.enter_card_note(store, card["code"], text=text, **kwargs)
        if isinstance(kept, StoredPhoto):  # a resend answers with the note it made before
            kept.kept = note.get("photo") == kept.name
    if not is_facilitator():
        note = notes.own_json(note, card["workshop"], store.db)
    return note, 201 if created else 200


@api.put("/cards/<card_code>/note")
def fix_card_note(card_code: str) -> dict:
    """A scribe or the facilitator corrects the transcription of a card."""
    store = services().store
    card = cards.get_card(store.db, card_code)
    if card_role(card) == "attendee":
        raise NotAllowed("only a scribe or the facilitator can correct a card's transcription")
    note = cards.card_note(store.db, card["code"])
    if note is None:
        raise NotFound("this card has no note yet")
    role = card_role(card)
    corrected = noteedits.correct_text(store, note["id"], body().get("text"), by=role)
    # A scribe is the room: no tally while tallies are hidden (the sign-out that came before
    # this route in tests/test_hidden_tallies.py's walk used to hide that it had one).
    return (
        corrected
        if role == "facilitator"
        else notes.own_json(corrected, card["workshop"], store.db)
    )


# -- pages ------------------------------------------------------------------------------
@pages.get("/c/<card_code>")
def card_page(card_code: str) -> str | BaseResponse:
    db = services().store.db
    card = cards.get_card(db, card_code)
    if card["code"] != card_code:
        return redirect(url_for("paper_pages.card_page", card_code=card["code"]))
    workshop = workshops.get_workshop(db, card["workshop"])
    role = card_role(card)
    return render_template(
        "card.html",
        card=card,
        workshop=workshop,
        role=role,
        data=page_data(card=card, workshop=workshop, role=role, colors=list(notes.COLORS)),
    )


@pages.get("/scribe")
def scribe_sign_in() -> BaseResponse:
    """The scribe link: signs this phone in as a scribe of one workshop."""
    code = scribes.scribe_workshop(services().store.db, request.args.get("token"))
    if code is None:
        guesses.missed()  # 429 instead, once this address has tried too many
        raise NotAllowed("That scribe link is not valid. Ask the facilitator for a new one.")
    sign_in_scribe(code)
    return redirect(url_for("paper_pages.card_lookup"))


@pages.get("/card")
def card_lookup() -> str | tuple[str, int] | BaseResponse:
    """Type a card's code (a scribe between scans, or anyone whose camera will not scan)."""
    typed = request.args.get("code", "")
    if typed:
        try:
            card = cards.get_card(services().store.db, typed)
        except NotFound:
            guesses.missed_card()  # 429 instead, once this address has tried too many
            message = gettext(
                "No card has the code %(code)s. Check the letters and try again.", code=typed[:12]
            )
            return render_template("scribe.html", typed=typed[:12], message=message), 404
        return redirect(url_for("paper_pages.card_page", card_code=card["code"]))
    return render_template("scribe.html")


@pages.get("/w/<code>/scribe-qr.svg")
def scribe_qr(code: str) -> Response:
    """The scribe link as a QR code, for a volunteer's phone to scan off the laptop."""
    require_facilitator(N_("show scribe links"))
    token = request.args.get("token", "")
    workshop = workshops.workshop_row(services().store.db, code)
    if scribes.scribe_workshop(services().store.db, token) != workshop["code"]:
        raise NotFound("no such scribe link for this workshop")
    response = Response(qr_svg(f"{public_url()}/scribe?token={token}"), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-store"
    return response


@pages.get("/photos/<name>")
def photo(name: str) -> Response:
    response = send_from_directory(photos_dir(), name, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response
