"""The room's paper: photos of flip charts and diagrams the groups drew, with captions."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from workshop.core import protocol
from workshop.core.db import Store, new_id
from workshop.core.errors import NotFound
from workshop.core.i18n import N_
from workshop.core.text import clean_text
from workshop.workshops.workshops import now, workshop_row

CAPTION_MAX = 200


def add_photo(store: Store, code: Any, file: str, caption: Any) -> dict:
    """Record a stored photo file (see workshop.photos.save_photo) with its caption."""
    caption = clean_text(caption, field=N_("caption"), max_length=CAPTION_MAX, required=False)
    with store.transaction() as db:
        workshop = workshop_row(db, code)
        photo_id = new_id(
            db.table("room_photos").insert(
                {
                    "workshop_id": workshop["id"],
                    "file": file,
                    "caption": caption,
                    "created_at": now(),
                }
            )
        )
        photo = get_photo(db, photo_id)
        store.record(workshop["id"], protocol.PHOTO_CHANGED, photo)
    return photo


def get_photo(db: Database, photo_id: Any) -> dict:
    if isinstance(photo_id, bool) or not isinstance(photo_id, int):
        raise NotFound("no such photo")
    row = db.execute(
        "SELECT id, workshop_id, file, caption, created_at FROM room_photos WHERE id = ?",
        [photo_id],
    ).fetchone()
    if row is None:
        raise NotFound("no photo %(id)s", id=photo_id)
    return dict(zip(("id", "workshop_id", "file", "caption", "created_at"), row, strict=True))


def list_photos(db: Database, code: Any) -> list[dict]:
    workshop = workshop_row(db, code)
    rows = db.execute(
        "SELECT id FROM room_photos WHERE workshop_id = ? ORDER BY id", [workshop["id"]]
    ).fetchall()
    return [get_photo(db, row[0]) for row in rows]


def caption_photo(store: Store, photo_id: Any, caption: Any) -> dict:
    caption = clean_text(caption, field=N_("caption"), max_length=CAPTION_MAX, required=False)
    with store.transaction() as db:
        photo = get_photo(db, photo_id)
        db.table("room_photos").update(photo["id"], {"caption": caption})
        fresh = get_photo(db, photo["id"])
        store.record(photo["workshop_id"], protocol.PHOTO_CHANGED, fresh)
    return fresh


def remove_photo(store: Store, photo_id: Any) -> dict:
    with store.transaction() as db:
        photo = get_photo(db, photo_id)
        db.table("room_photos").delete(photo["id"])
        gone = {"id": photo["id"], "deleted": True}
        store.record(photo["workshop_id"], protocol.PHOTO_CHANGED, gone)
    return gone


def photo_in_use(db: Database, file: str) -> bool:
    """Whether a room photo or a note still names this photo file."""
    row = db.execute(
        "SELECT 1 FROM room_photos WHERE file = ? UNION ALL SELECT 1 FROM notes WHERE photo = ?",
        [file, file],
    ).fetchone()
    return row is not None
