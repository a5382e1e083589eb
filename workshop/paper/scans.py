"""Scanning paper: every card found in a stack of scans becomes, or joins, its note.

A document-feeder PDF, JPEG or PNG pages, or phone photos of cards on a table: the worker
process (workshop/paper/scanworker.py) reads every QR code and cuts each card of this
workshop out of its page; here, each card becomes its ``paper`` note with the crop as its
photo, waiting for a scribe to type it (workshop/paper/queue.py), or, when the card was
entered already, the crop joins that note if it had no photo. A card's scanned note has the
client id ``scan-<card code>``, so scanning the same cards again adds nothing. Section signs
found in a photo say where the cards under them belong (workshop/paper/wall.py).

What could not be read is reported per image (file and page), so the scribe rescans only
those; a bad file changes nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop.core.db import Store
from workshop.core.errors import Invalid, NotFound, WorkshopError
from workshop.notes import notes
from workshop.paper import cards, wall
from workshop.workshops.workshops import now, workshop_row

MAX_FILES = 50
Progress = Callable[[int, int], None]


@dataclass
class ImageReport:
    """What one page (or one file that could not be opened: ``page`` None) gave."""

    file: str
    page: int | None
    cards: list[dict] = field(default_factory=list)
    signs: list[int] = field(default_factory=list)  # section ids of the signs in it
    unreadable: list[WorkshopError] = field(default_factory=list)


@dataclass
class ScanReport:
    images: list[ImageReport]
    placements: dict[int, int]  # note id → section id, from the signs in wall photos

    def as_json(self, translate: Callable[[WorkshopError], str]) -> dict:
        return {
            "images": [
                {
                    "file": image.file,
                    "page": image.page,
                    "cards": image.cards,
                    "signs": image.signs,
                    "unreadable": [translate(error) for error in image.unreadable],
                }
                for image in self.images
            ],
        }

    @property
    def card_count(self) -> int:
        return sum(len(image.cards) for image in self.images)


def scan_files(
    store: Store,
    code: Any,
    files: Sequence[tuple[str, Path]],
    *,
    photos: Path,
    entered_by: str,
    progress: Progress | None = None,
) -> ScanReport:
    """Scan the files (name, path on disk) for the workshop's cards; ``entered_by`` is the
    scribe or the facilitator; ``progress(done, total)`` after each page."""
    workshop = workshop_row(store.db, code)
    if not files:
        raise Invalid("send one or more scans as form fields called file")
    if len(files) > MAX_FILES:
        raise Invalid("at most %(limit)s files a scan; send the rest next", limit=MAX_FILES)
    layouts = dict(
        store.db.execute(
            "SELECT code, coalesce(layout, ?) FROM cards WHERE workshop_id = ?",
            [cards.DEFAULT_LAYOUT, workshop["id"]],
        ).fetchall()
    )
    job = {"files": [[name, str(path)] for name, path in files], "layouts": layouts}
    job["photos"] = str(photos)
    images: list[ImageReport] = []
    placements: dict[int, int] = {}
    placeholder = cards.photo_only_text(store.db, workshop["code"])
    total, finished = len(files), False
    for message in _worker(job):
        total = message.get("total", total)
        finished = finished or bool(message.get("done"))
        if "file" not in message:
            continue
        image = ImageReport(message["file"], message["page"])
        images.append(image)
        if "error" in message:
            template, params = message["error"]["template"], message["error"]["params"]
            image.unreadable.append(Invalid(template, **params))
        else:
            found = _enter_page(
                store, workshop, message["codes"], image, photos, entered_by, placeholder
            )
            placements.update(wall.file_cards(found))
        if progress is not None:
            progress(len(images), total)
    if not finished:  # the worker died (out of memory): what it reported before stands
        stopped = Invalid("the scan stopped before the end; send fewer pages at a time")
        images.append(ImageReport("", None, unreadable=[stopped]))
    return ScanReport(images, placements)


def _worker(job: dict) -> Iterator[dict]:
    """Run the scan worker; yield its messages as they come (progress as it goes)."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "workshop.paper.scanworker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        assert process.stdin is not None and process.stdout is not None
        read_all = False
        try:
            process.stdin.write(json.dumps(job))
            process.stdin.close()
            for line in process.stdout:
                yield json.loads(line)
            read_all = True
        finally:
            process.stdout.close()
            if not read_all:  # the caller stopped early (an error): so does the worker
                process.kill()
            if process.wait() != 0:  # its last words, for whoever runs the server
                errors.seek(0)
                sys.stderr.write(errors.read().decode(errors="replace")[-2000:])


def _enter_page(
    store: Store,
    workshop: dict,
    found: list[dict],
    image: ImageReport,
    photos: Path,
    entered_by: str,
    placeholder: str,
) -> list[wall.Placed]:
    """Enter the cards of one page; return where each card and sign lies in it."""
    placed: list[wall.Placed] = []
    for item in found:
        crop = item.get("crop")
        try:
            if "sign" in item:
                section_id = _sign_section(store, workshop, item["sign"])
                image.signs.append(section_id)
                placed.append(wall.Placed("sign", section_id, item["paper"]))
            elif item.get("card_code") is None:
                raise Invalid(
                    "a QR code that is not one of this workshop's cards: %(text)s",
                    text=item["text"][:60],
                )
            elif crop is None:
                _refuse_card(store, workshop, item["card_code"])
            else:
                entry = _enter_card(store, item["card_code"], crop, entered_by, placeholder)
                image.cards.append(entry)
                placed.append(wall.Placed("card", entry["note_id"], item["paper"]))
                crop = None if entry.pop("kept_photo") else crop
        except WorkshopError as error:
            image.unreadable.append(error)
        if crop is not None:  # not needed: the card's note has its photo already
            (photos / crop).unlink(missing_ok=True)
    if not found:
        image.unreadable.append(Invalid("no card was found on this page"))
    return placed


def _sign_section(store: Store, workshop: dict, sign: list) -> int:
    join_code, section_id = sign
    if join_code != workshop["code"]:
        raise Invalid("a section sign of another workshop (%(code)s)", code=join_code)
    try:
        notes.check_section(store.db, workshop["id"], section_id)
    except NotFound:
        raise Invalid("a sign for a section that is no longer in the plan") from None
    return int(section_id)


def _refuse_card(store: Store, workshop: dict, card_code: str) -> None:
    card = cards.get_card(store.db, card_code)  # NotFound: no such card anywhere
    if card["workshop"] != workshop["code"]:
        raise Invalid("card %(code)s belongs to another workshop", code=card_code)
    raise Invalid("card %(code)s was found but could not be cut out: scan it again", code=card_code)


def _enter_card(store: Store, card_code: str, crop: str, entered_by: str, text: str) -> dict:
    """The card's note: new with the crop, or the one already entered (the crop added when it
    had no photo). ``kept_photo``: whether the crop is now a note's photo."""
    existing = cards.card_note(store.db, card_code)
    if existing is None:
        try:
            note, created = cards.enter_card_note(
                store,
                card_code,
                text=text,
                client_id=f"scan-{card_code}",
                source="paper",
                entered_by=entered_by,
                photo=crop,
                awaiting_text=True,
            )
            return {
                "card_code": card_code,
                "note_id": note["id"],
                "new": created,
                "kept_photo": created,
            }
        except cards.CardUsed as used:  # entered meanwhile, by another scribe
            existing = used.note
    added = _attach_photo(store, existing["id"], crop)
    return {"card_code": card_code, "note_id": existing["id"], "new": False, "kept_photo": added}


def _attach_photo(store: Store, note_id: int, photo: str) -> bool:
    """Give a note entered without a photo the scan of its card; False if it has one."""
    with store.transaction() as db:
        note = notes.get_note(db, note_id)
        if note["photo"] or note["withdrawn_at"] is not None:
            return False
        db.table("notes").update(note_id, {"photo": photo, "updated_at": now()})
        notes.emit_note(store, db, note_id)
    return True
