"""The user-informed plan (plan.pdf): the document a city publishes at the end of the
design step.

`build_plan(plan)` takes the plain data the server gathers (workshop.plans.document) and
returns the PDF: a cover with the sessions that were held and a QR code to the public page,
then the revised plan section by section, each with what changed and why (the notes behind
each revision, quoted, with their session), the commitments with their history, and what
was heard but not taken up, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from io import BytesIO
from typing import Any

from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from printables.fonts import fonts
from printables.paper import CREATOR, INCH, page_size
from printables.qr import draw_qr, qr_matrix
from printables.report_doc import MARGIN, MUTED, Styles, plain, report_styles
from printables.words import Words
from workshop.core.i18n import N_

Plan = Mapping[str, Any]
KINDS = {"workshop": N_("workshop"), "focus-group": N_("focus group"), "online": N_("online")}
CHANNELS = {
    "phone": N_("phone"),
    "paper": N_("paper"),
    "online": N_("online"),
    "facilitator": N_("facilitator"),
}
STATUSES = {
    "planned": N_("Planned"),
    "considering": N_("Considering"),
    "declined": N_("Declined"),
    "done": N_("Done"),
}
QR_SIZE = 1.4 * INCH


class QrCode(Flowable):
    """A QR code as a flowable, `size` points square with its quiet zone."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.matrix = qr_matrix(data)
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.matrix, 0, 0, self.size)


def session_label(words: Words, note: Mapping[str, Any]) -> str:
    """Where a voice was heard: "workshop, Library, March 1, 2027 · paper"."""
    parts = [words.gettext(KINDS.get(note.get("kind") or "", "")) if note.get("kind") else ""]
    parts += [note.get("venue") or "", words.date(note["held_on"]) if note.get("held_on") else ""]
    where = ", ".join(part for part in parts if part) or str(note.get("session_title") or "")
    channel = note.get("channel")
    return f"{where} · {words.gettext(CHANNELS[channel])}" if channel in CHANNELS else where


def build_plan(plan: Plan) -> bytes:
    """plan.pdf from `plan`: ``{code, title, description, language, version, public_url,
    sessions: [{code, title, kind, venue, held_on}], sections: [{title, body, version,
    changes: [{plan_version, title, body, previous_title, previous_body, reason,
    revised_by, revised_at, notes: [{text, kind, venue, held_on, channel, session_title}]}]}],
    steps: [{text, owner, due, status, reason, notes, updates: [{status, note, on_date}]}],
    not_taken_up: [{type: "note" | "step", text, reason, ...where}], counts: {notes,
    revisions, steps, done}}``."""
    words = Words(plan.get("language"))
    styles = report_styles(fonts(), words)
    buffer = BytesIO()
    title = str(plan.get("title") or "")
    document = SimpleDocTemplate(
        buffer,
        pagesize=page_size("letter"),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=plain(words.gettext("The plan: %(title)s", title=title)),
        author=CREATOR,
        creator=CREATOR,
    )

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(styles.font.sans, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN / 2, plain(title)[:90])
        number = words.gettext("Page %(page)s", page=words.number(doc.page))
        canvas.drawRightString(doc.pagesize[0] - MARGIN, MARGIN / 2, number)
        canvas.restoreState()

    story = _cover(plan, styles)
    story += [PageBreak(), styles.para(words.gettext("The plan"), styles.chapter)]
    for section in plan.get("sections") or []:
        story += _section(section, styles)
    story += _steps(plan.get("steps") or [], styles)
    story += _not_taken_up(plan.get("not_taken_up") or [], styles)
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _cover(plan: Plan, styles: Styles) -> list[Flowable]:
    words = styles.words
    counts = plan.get("counts") or {}
    story: list[Flowable] = [
        styles.para(words.gettext("The user-informed plan"), styles.subtitle),
        styles.para(plan.get("title"), styles.title),
    ]
    if plan.get("description"):
        story.append(styles.para(plan["description"], styles.lead))
    version = words.gettext("Version %(version)s", version=words.number(plan.get("version")))
    heard = words.ngettext("%(num)s note heard", "%(num)s notes heard", counts.get("notes", 0))
    changes = words.ngettext("%(num)s revision", "%(num)s revisions", counts.get("revisions", 0))
    story.append(styles.para(" · ".join([version, heard, changes]), styles.small))
    sessions = plan.get("sessions") or []
    if sessions:
        story.append(styles.para(words.gettext("Where we heard it"), styles.section))
        for session in sessions:
            story.append(styles.para(f"• {session_label(words, session)}", styles.body))
    if plan.get("public_url"):
        story += [
            Spacer(1, 16),
            styles.para(words.gettext("Read it online, and follow the next steps:"), styles.small),
            styles.para(plan["public_url"], styles.body),
            QrCode(str(plan["public_url"]), QR_SIZE),
        ]
    return story


def _section(section: Mapping[str, Any], styles: Styles) -> list[Flowable]:
    words = styles.words
    story: list[Flowable] = [styles.para(section.get("title"), styles.section)]
    if section.get("body"):
        story.append(styles.para(section["body"], styles.body))
    changes: Sequence[Mapping[str, Any]] = section.get("changes") or []
    if not changes:
        story.append(styles.para(words.gettext("Unchanged since the draft."), styles.small))
        return story
    story.append(styles.para(words.gettext("What changed and why"), styles.minor))
    for change in changes:
        story.append(KeepTogether(_change(change, styles)))
    return story


def _change(change: Mapping[str, Any], styles: Styles) -> list[Flowable]:
    words = styles.words
    meta = words.gettext(
        "Version %(version)s, %(date)s, by %(who)s",
        version=words.number(change.get("plan_version")),
        date=words.date(change.get("revised_at")),
        who=change.get("revised_by") or "",
    )
    parts: list[Flowable] = [
        styles.para(meta, styles.small_lead),
        styles.para(
            words.gettext("Why: %(reason)s", reason=change.get("reason") or ""), styles.body
        ),
    ]
    if change.get("previous_title") and change.get("previous_title") != change.get("title"):
        before = words.gettext("Was called: %(title)s", title=change["previous_title"])
        parts.append(styles.para(before, styles.revision))
    if change.get("previous_body") != change.get("body"):
        before = words.gettext("Before: %(text)s", text=change.get("previous_body") or "—")
        parts.append(styles.para(before, styles.revision))
    for note in change.get("notes") or []:
        parts.append(_quote(note, styles))
    return parts


def _quote(note: Mapping[str, Any], styles: Styles) -> Paragraph:
    words = styles.words
    text = words.gettext(
        "“%(text)s” — %(where)s", text=note.get("text") or "", where=session_label(words, note)
    )
    return styles.para(text, styles.note)


def _steps(steps: Sequence[Mapping[str, Any]], styles: Styles) -> list[Flowable]:
    words = styles.words
    story: list[Flowable] = [styles.para(words.gettext("What we will do"), styles.chapter)]
    if not steps:
        story.append(styles.para(words.gettext("No next steps yet."), styles.body))
    for step in steps:
        status = words.gettext(STATUSES.get(step.get("status") or "", "Planned"))
        meta = [status]
        if step.get("owner"):
            meta.append(str(step["owner"]))
        if step.get("due"):
            meta.append(words.gettext("by %(date)s", date=words.date(step["due"])))
        parts: list[Flowable] = [
            styles.para(step.get("text"), styles.minor),
            styles.para(" · ".join(meta), styles.small),
        ]
        if step.get("status") == "declined" and step.get("reason"):
            parts.append(
                styles.para(
                    words.gettext("Why not: %(reason)s", reason=step["reason"]), styles.body
                )
            )
        for note in step.get("notes") or []:
            parts.append(_quote(note, styles))
        updates = step.get("updates") or []
        if updates:
            parts.append(styles.para(words.gettext("Progress"), styles.small_lead))
        for update in updates:
            line = f"{words.date(update.get('on_date'))}: "
            line += words.gettext(STATUSES.get(update.get("status") or "", "Planned"))
            if update.get("note"):
                line += f" — {update['note']}"
            parts.append(styles.para(line, styles.revision))
        story.append(KeepTogether(parts))
    return story


def _not_taken_up(items: Sequence[Mapping[str, Any]], styles: Styles) -> list[Flowable]:
    words = styles.words
    story: list[Flowable] = [styles.para(words.gettext("Heard, but not taken up"), styles.chapter)]
    if not items:
        story.append(styles.para(words.gettext("Everything we heard was taken up."), styles.body))
    for item in items:
        if item.get("type") == "note":
            story.append(_quote(item, styles))
        else:
            story.append(styles.para(item.get("text"), styles.minor))
        reason = words.gettext("Why not: %(reason)s", reason=item.get("reason") or "")
        story.append(styles.para(reason, styles.revision))
    return story
