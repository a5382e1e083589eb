"""The post-session report: what the room said, what changed, and what will be done about it.

`build_report(report)` takes the plain data the server gathers (see its docstring) and returns
the PDF: a cover, a table of contents, ten chapters and an appendix of every note. Page numbers
read "Page 3 of 12", so the document is laid out until both the contents and the total agree
(two passes for almost every workshop).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from io import BytesIO
from typing import Any

from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
)

from printables.fonts import fonts
from printables.paper import INCH, page_size
from printables.report_charts import (
    chunked,
    coarsen,
    participation_chart,
    plan_check_chart,
    verdicts_of,
    votes_by_section_chart,
)
from printables.report_doc import (
    Heading,
    PageTotal,
    ReportDocument,
    Styles,
    contents,
    markup_lines,
    report_styles,
    shorten,
    table,
)
from printables.report_notes import (
    appendix,
    dots,
    note_paragraph,
    outcomes_chapter,
    plural,
    visible,
    what_we_heard,
    when,
)
from printables.report_sorts import card_sorting

Report = Mapping[str, Any]
Chapter = Callable[[Report, Styles, float], list[Flowable]]
STATUSES = {
    "planned": "Planned",
    "considering": "Considering",
    "declined": "Declined",
    "done": "Done",
}
LINKED_NOTES_SHOWN = 6  # in a next step's row; a table row cannot break across pages
PHOTO_PIXELS = 1600  # longest side embedded: sharp in print, small in the file


def build_report(report: Report) -> bytes:
    """The post-session report as PDF bytes.

    `report` holds `workshop` (title, description, code, date, place, facilitator,
    generated_at), `participation` (counts and a `timeline` of five-minute buckets),
    `sections` (the plan: title, body, revisions, groups of notes and ungrouped notes),
    `unsorted`, `top_notes`, `next_steps`, `outcomes`, `moderation`, `votes_by_section`,
    `plan_check` (or None), `photos` (path, caption) and `notes` (every note, for the
    appendix). An optional `page_size` is "letter" (the default) or "a4".
    """
    workshop = report.get("workshop") or {}
    styles = report_styles(fonts())
    total = PageTotal()
    buffer = BytesIO()
    size = page_size(report.get("page_size") or "letter")
    document = ReportDocument(buffer, size, str(workshop.get("title") or ""), styles, total)
    width = document.width
    story: list[Flowable] = [total, *cover(report, styles, width)]
    story += [NextPageTemplate("body"), PageBreak(), Paragraph("Contents", styles.chapter)]
    story += [contents(styles), PageBreak()]
    for number, (title, chapter) in enumerate(CHAPTERS, start=1):
        if number > 1:
            story.append(CondPageBreak(document.height * 0.3))
        story.append(Heading(f"{number} {title}", styles.chapter, 0, f"chapter-{number}"))
        story += chapter(report, styles, width)
    story += [PageBreak(), Heading("Appendix: every note", styles.chapter, 0, "appendix")]
    story += appendix(report.get("notes") or [], styles)
    document.multiBuild(story)
    return buffer.getvalue()


def cover(report: Report, styles: Styles, width: float) -> list[Flowable]:
    workshop = report.get("workshop") or {}
    people = report.get("participation") or {}
    details = [
        ("Date", workshop.get("date")),
        ("Place", workshop.get("place")),
        ("Facilitator", workshop.get("facilitator")),
        ("Join code", workshop.get("code")),
    ]
    rows = [
        [styles.cell(label, style=styles.cell_head), styles.cell(value, style=styles.body)]
        for label, value in details
        if value
    ]
    online = int(people.get("online_notes") or 0)
    summary = (
        f"{people.get('notes', 0)} notes from {people.get('phones', 0)} phones and "
        f"{people.get('paper_cards', 0)} paper cards"
        + (f" ({online} posted online afterwards)" if online else "")
        + f"; {dots(people.get('votes'))} placed; "
        f"{plural(report.get('next_steps') or [], 'next step')} recorded."
    )
    story: list[Flowable] = [
        Spacer(1, 1.1 * INCH),
        styles.para("POST-SESSION REPORT", styles.minor),
        styles.para(workshop.get("title") or "Workshop", styles.title),
    ]
    if workshop.get("description"):
        story.append(styles.para(workshop["description"], styles.subtitle))
    if rows:
        story.append(table(rows, [width * 0.22, width * 0.6], styles, header=False))
    story += [Spacer(1, 0.2 * INCH), styles.para(summary)]
    if workshop.get("generated_at"):
        story.append(styles.para(f"Report generated {workshop['generated_at']}.", styles.small))
    return story


def participation(report: Report, styles: Styles, width: float) -> list[Flowable]:
    people = report.get("participation") or {}
    figures = [
        ("Phones that joined", people.get("phones")),
        ("\u2026 of which gave a name", people.get("attendees_named")),
        ("Paper cards written", people.get("paper_cards")),
        ("Notes typed in from paper by a scribe", people.get("scribed_notes")),
        ("Notes added by the facilitator", people.get("facilitator_notes")),
        ("Notes posted online after the session", people.get("online_notes")),
        ("Notes in all", people.get("notes")),
        ("Dots placed (votes)", people.get("votes")),
    ]
    rows = [[styles.cell(label), styles.cell(int(value or 0))] for label, value in figures]
    figures_table = table(rows, [width * 0.5, width * 0.15], styles, header=False)
    heading = styles.para("Participation over time", styles.section)
    timeline = people.get("timeline") or []
    if not timeline:
        return [figures_table, heading, styles.para("No timeline was recorded.", styles.small)]
    timeline, merged = coarsen(timeline)
    chart = participation_chart(timeline, width, styles.font)
    interval = f"{5 * merged}-minute" if merged > 1 else "five-minute"
    caption = styles.para(
        f"Notes posted and dots placed in each {interval} interval.", styles.caption
    )
    return [figures_table, KeepTogether([heading, chart, caption])]


def draft_plan(report: Report, styles: Styles, width: float) -> list[Flowable]:
    sections = report.get("sections") or []
    story: list[Flowable] = [
        styles.para(
            "Each section of the draft plan as it stood at the end of the session, followed by "
            "the versions it went through while the room discussed it."
        )
    ]
    for number, section in enumerate(sections, start=1):
        story.append(styles.para(f"2.{number} {section.get('title') or ''}", styles.section))
        story += _text_blocks(section.get("body"), styles) or [styles.para("(No text.)")]
        revisions = section.get("revisions") or []
        if not revisions:
            story.append(styles.para("Not changed during the session.", styles.small))
            continue
        story.append(styles.para("Changes during the session", styles.minor))
        for revision in revisions:
            line = f"Revised {when(revision.get('revised_at'))}"
            if revision.get("note_ids"):
                line += ", prompted by notes " + ", ".join(f"#{i}" for i in revision["note_ids"])
            story.append(styles.para(line, styles.small_lead))
            heading = styles.bold(revision.get("title") or "")
            body = markup_lines(revision.get("body"), styles.revision.fontName)
            story.append(Paragraph(f"{heading}<br/>{body}", styles.revision))
    if not sections:
        story.append(styles.para("The workshop had no plan sections."))
    return story


def _text_blocks(text: Any, styles: Styles) -> list[Flowable]:
    blocks = re.split(r"\n\s*\n", str(text or "").strip())
    return [styles.para(block) for block in blocks if block.strip()]


def heard(report: Report, styles: Styles, width: float) -> list[Flowable]:
    return what_we_heard(report.get("sections") or [], report.get("unsorted") or [], styles)


def top_notes(report: Report, styles: Styles, width: float) -> list[Flowable]:
    notes = visible(report.get("top_notes") or [])
    if not notes:
        return [styles.para("No notes received any dots.")]
    lead = styles.para(f"The {len(notes)} notes with the most dots, most first.", styles.lead)
    return [lead, *(note_paragraph(note, styles, with_section=True) for note in notes)]


def votes_by_section(report: Report, styles: Styles, width: float) -> list[Flowable]:
    sections = report.get("votes_by_section") or []
    if not sections:
        return [styles.para("No dots were placed.")]
    votes = [int(section.get("votes") or 0) for section in sections]
    where = f"Where the room's {dots(sum(votes))} went, by the section each note was in."
    story: list[Flowable] = [styles.para(where, styles.lead)]
    for part in chunked(sections):
        story.append(votes_by_section_chart(part, width, styles.font, largest=max(votes)))
    return story


def plan_check(report: Report, styles: Styles, width: float) -> list[Flowable]:
    check = report.get("plan_check")
    if not check or not check.get("sections"):
        return [styles.para("No plan check was held in this session.")]
    sections = check["sections"]
    story: list[Flowable] = [
        styles.para(
            f"{check.get('participants', 0)} people said of each section whether the plan is "
            "workable as it stands, needs changes, or is not workable.",
            styles.lead,
        )
    ]
    verdicts = verdicts_of(sections)
    counts = [section.get("counts") or {} for section in sections]
    largest = max(sum(int(value or 0) for value in count.values()) for count in counts)
    for part in chunked(sections):
        story.append(plan_check_chart(part, verdicts, width, styles.font, largest))
    head = ["Section", *(verdict.replace("-", " ").capitalize() for verdict in verdicts)]
    rows = [[styles.cell(text, style=styles.cell_head) for text in head]]
    for section, count in zip(sections, counts, strict=True):
        rows.append(
            [styles.cell(section.get("title"), limit=120)]
            + [styles.cell(int(count.get(verdict) or 0)) for verdict in verdicts]
        )
    column = width * 0.5 / len(verdicts)
    return [*story, table(rows, [width * 0.4] + [column] * len(verdicts), styles)]


def next_steps(report: Report, styles: Styles, width: float) -> list[Flowable]:
    steps = report.get("next_steps") or []
    if not steps:
        return [styles.para("No next steps were recorded.")]
    by_status = Counter(str(step.get("status") or "planned") for step in steps)
    counts = ", ".join(f"{count} {status}" for status, count in by_status.items())
    story: list[Flowable] = [styles.para(f"{plural(steps, 'next step')}: {counts}.")]
    head = ["What", "Owner", "Due", "Status", "Answers"]
    rows = [[styles.cell(text, style=styles.cell_head) for text in head]]
    for step in steps:
        status = str(step.get("status") or "planned")
        label = STATUSES.get(status, status)
        if status == "declined" and step.get("reason"):
            label += f": {step['reason']}"
        notes = step.get("notes") or []
        answers = [f"#{note.get('id')} {shorten(note.get('text'), 60)}" for note in notes]
        if len(answers) > LINKED_NOTES_SHOWN:
            extra = len(answers) - LINKED_NOTES_SHOWN + 1
            answers = answers[: LINKED_NOTES_SHOWN - 1] + [f"and {extra} more (see chapter 8)"]
        rows.append(
            [
                styles.cell(step.get("text"), limit=700),
                styles.cell(step.get("owner") or "", limit=120),
                styles.cell(step.get("due") or ""),
                styles.cell(label, limit=300),
                styles.cell("\n".join(answers)),
            ]
        )
    shares = (0.31, 0.15, 0.12, 0.15, 0.27)
    return [*story, table(rows, [width * share for share in shares], styles)]


def outcomes(report: Report, styles: Styles, width: float) -> list[Flowable]:
    return outcomes_chapter(report.get("outcomes") or {}, report.get("notes") or [], styles, width)


def moderation(report: Report, styles: Styles, width: float) -> list[Flowable]:
    entries = report.get("moderation") or []
    if not entries:
        return [styles.para("The facilitator took no moderation actions.")]
    actions = Counter(str(entry.get("action") or "") for entry in entries)
    undone = Counter(str(entry.get("action") or "") for entry in entries if entry.get("undone"))
    head = [styles.cell(text, style=styles.cell_head) for text in ("Action", "Times", "Undone")]
    rows = [head] + [
        [styles.cell(action), styles.cell(count), styles.cell(undone[action])]
        for action, count in actions.most_common()
    ]
    story: list[Flowable] = [table(rows, [width * 0.4, width * 0.15, width * 0.15], styles)]
    head = [styles.cell(text, style=styles.cell_head) for text in ("When", "Action", "What")]
    rows = [head + [styles.cell("Undone", style=styles.cell_head)]]
    for entry in entries:
        rows.append(
            [
                styles.cell(when(entry.get("created_at"))),
                styles.cell(entry.get("action")),
                styles.cell(entry.get("summary"), limit=300),
                styles.cell("undone" if entry.get("undone") else ""),
            ]
        )
    shares = (0.24, 0.14, 0.5, 0.12)
    return [*story, table(rows, [width * share for share in shares], styles)]


def photos(report: Report, styles: Styles, width: float) -> list[Flowable]:
    items = report.get("photos") or []
    if not items:
        return [styles.para("No photos of flip charts or drawings were added.")]
    story: list[Flowable] = []
    for item in items:
        caption = str(item.get("caption") or "")
        image = _photo(str(item.get("path") or ""), width, 5.2 * INCH)
        if image is None:
            missing = f"Photo \u201c{caption}\u201d could not be included: its file is missing."
            story.append(styles.para(missing, styles.small))
            continue
        image.keepWithNext = 1
        story += [image, styles.para(caption, styles.caption), Spacer(1, 8)]
    return story


def _photo(path: str, max_width: float, max_height: float) -> Image | None:
    """The photo upright and scaled down for print, or None if it cannot be read."""
    try:
        with PILImage.open(path) as original:
            original.draft("RGB", (PHOTO_PIXELS, PHOTO_PIXELS))  # JPEG: decode at a lower scale
            picture = ImageOps.exif_transpose(original).convert("RGB")
    except Exception:  # a missing or unreadable photo is noted, never fails the report
        return None
    picture.thumbnail((PHOTO_PIXELS, PHOTO_PIXELS))
    data = BytesIO()
    picture.save(data, "JPEG", quality=85)
    data.seek(0)
    scale = min(max_width / picture.width, max_height / picture.height)
    return Image(data, width=picture.width * scale, height=picture.height * scale)


CHAPTERS: tuple[tuple[str, Chapter], ...] = (
    ("Participation", participation),
    ("The draft plan and how it changed", draft_plan),
    ("What we heard, by section", heard),
    ("Top-voted notes", top_notes),
    ("Votes by section", votes_by_section),
    ("Plan check", plan_check),
    ("Card sorting", card_sorting),
    ("Next steps", next_steps),
    ("What became of every note", outcomes),
    ("Moderation log", moderation),
    ("The room\u2019s paper", photos),
)
