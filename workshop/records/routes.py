"""Deleting for good (facilitator only): a note that named someone, a whole workshop.

The domain is workshop.privacy; the answer says how many backups were scrubbed too.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, jsonify

from workshop.core.i18n import N_
from workshop.records import backups, privacy
from workshop.web.bodies import body
from workshop.web.context import data_dir, photos_dir, require_facilitator, services

bp = Blueprint("privacy_api", __name__, url_prefix="/api")


def backups_dir() -> Path | None:
    folder = data_dir()
    return folder / backups.FOLDER if folder else None


@bp.delete("/notes/<int:note_id>/forever")
def delete_note_forever(note_id: int) -> Response:
    """The note, its history, dots, links and photo, here and in every backup."""
    require_facilitator(N_("delete a note for good"))
    return jsonify(
        privacy.delete_note_forever(
            services().store, note_id, photos_dir=photos_dir(), backups_dir=backups_dir()
        )
    )


@bp.delete("/workshops/<code>")
def delete_workshop(code: str) -> Response:
    """The whole workshop, its photos and its copies in the backups; the body must repeat
    the join code: ``{"confirm": CODE}``."""
    require_facilitator(N_("delete a workshop"))
    return jsonify(
        privacy.delete_workshop(
            services().store,
            code,
            confirm=body().get("confirm"),
            photos_dir=photos_dir(),
            backups_dir=backups_dir(),
        )
    )
