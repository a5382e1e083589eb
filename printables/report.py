"""The post-session report: what the room said, what changed, and what will be done about it.

`build_report(report)` takes the plain data the server gathers (see its docstring) and returns
the PDF: a cover, a table of contents, the chapters (CHAPTERS) and an appendix of every note.
Page numbers read "Page 3 of 12", so the document is laid out until both the contents and the
total agree (two passes for almost every workshop).
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
from printables.report_ballots import ballots_chapter
from printables.report_charts import (
    chunked,
    coarsen,
    participation_chart,
    plan_check_chart,
    verdict_label,
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
from printables.report_integrity import integrity
from printables.report_notes import (
    appendix,
    dots,
    note_paragraph,
    notes_count,
    outcomes_chapter,
    visible,
    what_we_heard,
    when,
)
from printables.report_sorts import card_sorting
from printables.words import Words
from workshop.core.i18n import N_

Report = Mapping[str, Any]
Chapter = Callable[[Report, Styles, float], list[Flowable]]
STATUSES = {  # translated where printed
    "planned": N_("Planned"),
    "considering": N_("Considering"),
    "declined": N_("Declined"),
    "done": N_("Done"),
}
ACTIONS = {  # the moderation log's actions
    "hide": N_("hide"),
    "show": N_("show"),
    "edit": N_("edit"),
    "move": N_("move"),
    "group": N_("group"),
    "ungroup": N_("ungroup"),
    "merge": N_("merge"),
    "section": N_("section"),
    "card-sort": N_("card sort"),
}
LINKED_NOTES_SHOWN = 6  # in a next step's row; a table row cannot break across pages
PHOTO_PIXELS = 1600  # longest side embedded: sharp in print, small in the file


def build_report(report: Report, *, language: str | None = None) -> bytes:
    """The post-session report as PDF bytes.

    `report` holds `workshop` (title, description, code, date, place, facilitator,
    generated_at), `participation` (counts and a `timeline` of five-minute buckets),
    `sections` (the plan: title, body, revisions, groups of notes and ungrouped notes),
    `unsorted`, `top_notes`, `next_steps`, `outcomes`, `moderation`, `integrity` (edited,
    withdrawn, merged and hidden notes), `votes_by_section`, `ballots` (dots and ballots by
    channel, addresses holding several: report_ballots.py), `plan_check` (or None),
    `photos` (path, caption) and `notes` (every note, for the appendix). An optional
    `page_size` is "letter" (the default) or "a4". The report's words, its date (an ISO
    `date` or `generated_at` is written out) and numbers are in `language`, else the
    report's `language`, else English.
    """
    workshop = report.get("workshop") or {}
    words = Words(language or report.get("language"))
    styles = report_styles(fonts(), words)
    total = PageTotal()
    buffer = BytesIO()
    size = page_size(report.get("page_size") or "letter")
    document = ReportDocument(buffer, size, str(workshop.get("title") or ""), styles, total)
    width = document.width
    story: list[Flowable] = [total, *cover(report, styles, width)]
    heading = Paragraph(words.gettext("Contents"), styles.chapter)
    story += [NextPageTemplate("body"), PageBreak(), heading]
    story += [contents(styles), PageBreak()]
    for number, (title, chapter) in enumerate(CHAPTERS, start=1):
        if number > 1:
            story.append(CondPageBreak(document.height * 0.3))
        title = f"{number} {words.gettext(title)}"
        story.append(Heading(title, styles.chapter, 0, f"chapter-{number}"))
        story += chapter(report, styles, width)
    appendix_title = words.gettext("Appendix: every note")
    story += [PageBreak(), Heading(appendix_title, styles.chapter, 0, "appendix")]
    story += appendix(report.get("notes") or [], styles)
    document.multiBuild(story)
    return buffer.getvalue()


def cover(report: Report, styles: Styles, width: float) -> list[Flowable]:
    workshop = report.get("workshop") or {}
    people = report.get("participation") or {}
    words = styles.words
    details = [
        (words.gettext("Date"), words.date(workshop.get("date"))),
        (words.gettext("Place"), workshop.get("place")),
        (words.gettext("Facilitator"), workshop.get("facilitator")),
        (words.gettext("Join code"), workshop.get("code")),
    ]
    rows = [
        [styles.cell(label, style=styles.cell_head), styles.cell(value, style=styles.body)]
        for label, value in details
        if value
    ]
    online = int(people.get("online_notes") or 0)
    phones = int(people.get("phones") or 0)
    cards = int(people.get("paper_cards") or 0)
    # The numbers as the board counts them (docs/numbers.md): the notes it shows, the
    # phones that joined, and who took part.
    notes = words.gettext(
        "%(notes)s on the board (%(cards)s); %(phones)s joined, %(people)s took part",
        notes=notes_count(int(people.get("notes") or 0), words),
        cards=words.ngettext("%(num)s from a paper card", "%(num)s from paper cards", cards),
        phones=words.ngettext("%(num)s phone", "%(num)s phones", phones),
        people=words.number(int(people.get("took_part") or 0)),
    )
    if online:
        notes += " " + words.gettext("(%(count)s posted online afterwards)", count=online)
    steps = len(report.get("next_steps") or [])
    summary = words.gettext(
        "%(notes)s; %(dots)s placed; %(steps)s recorded.",
        notes=notes,
        dots=dots(people.get("votes"), words),
        steps=words.ngettext("%(num)s next step", "%(num)s next steps", steps),
    )
    story: list[Flowable] = [
        Spacer(1, 1.1 * INCH),
        styles.para(words.gettext("POST-SESSION REPORT"), styles.minor),
        styles.para(workshop.get("title") or words.gettext("Workshop"), styles.title),
    ]
    if workshop.get("description"):
        story.append(styles.para(workshop["description"], styles.subtitle))
    if rows:
        story.append(table(rows, [width * 0.22, width * 0.6], styles, header=False))
    story += [Spacer(1, 0.2 * INCH), styles.para(summary)]
    if workshop.get("generated_at"):
        generated = words.datetime(workshop["generated_at"])
        line = words.gettext("Report generated %(when)s.", when=generated)
        story.append(styles.para(line, styles.small))
    return story


def participation(report: Report, styles: Styles, width: float) -> list[Flowable]:
    people = report.get("participation") or {}
    words = styles.words
    figures = [
        (words.gettext("Phones that joined"), people.get("phones")),
        (words.gettext("\u2026 of which gave a name"), people.get("attendees_named")),
        (words.gettext("Notes from paper cards"), people.get("paper_cards")),
        (words.gettext("Notes typed in from paper by a scribe"), people.get("scribed_notes")),
        (words.gettext("Notes added by the facilitator"), people.get("facilitator_notes")),
        (words.gettext("Notes posted online after the session"), people.get("online_notes")),
        (words.gettext("People who took part (a note or a dot)"), people.get("took_part")),
        (words.gettext("Notes on the board"), people.get("notes")),
        (words.gettext("Dots placed (votes)"), people.get("votes")),
    ]
    rows = [
        [styles.cell(label), styles.cell(words.number(int(value or 0)))] for label, value in figures
    ]
    figures_table = table(rows, [width * 0.5, width * 0.15], styles, header=False)
    heading = styles.para(words.gettext("Participation over time"), styles.section)
    timeline = people.get("timeline") or []
    if not timeline:
        empty = styles.para(words.gettext("No timeline was recorded."), styles.small)
        return [figures_table, heading, empty]
    timeline, merged = coarsen(timeline)
    chart = participation_chart(timeline, width, styles.font, words)
    if merged > 1:
        text = words.gettext(
            "Notes posted and dots placed in each %(minutes)s-minute interval.",
            minutes=5 * merged,
        )
    else:
        text = words.gettext("Notes posted and dots placed in each five-minute interval.")
    caption = styles.para(text, styles.caption)
    return [figures_table, KeepTogether([heading, chart, caption])]


def draft_plan(report: Report, styles: Styles, width: float) -> list[Flowable]:
    sections = report.get("sections") or []
    words = styles.words
    story: list[Flowable] = [
        styles.para(
            words.gettext(
                "Each section of the draft plan as it stood at the end of the session, followed "
                "by the versions it went through while the room discussed it."
            )
        )
    ]
    for number, section in enumerate(sections, start=1):
        story.append(styles.para(f"2.{number} {section.get('title') or ''}", styles.section))
        no_text = [styles.para(words.gettext("(No text.)"))]
        story += _text_blocks(section.get("body"), styles) or no_text
        revisions = section.get("revisions") or []
        if not revisions:
            unchanged = words.gettext("Not changed during the session.")
            story.append(styles.para(unchanged, styles.small))
            continue
        story.append(styles.para(words.gettext("Changes during the session"), styles.minor))
        for revision in revisions:
            revised = when(revision.get("revised_at"))
            if revision.get("note_ids"):
                line = words.gettext(
                    "Revised %(when)s, prompted by notes %(notes)s",
                    when=revised,
                    notes=", ".join(f"#{i}" for i in revision["note_ids"]),
                )
            else:
                line = words.gettext("Revised %(when)s", when=revised)
            story.append(styles.para(line, styles.small_lead))
            heading = styles.bold(revision.get("title") or "")
            body = markup_lines(revision.get("body"), styles.revision.fontName)
            story.append(Paragraph(f"{heading}<br/>{body}", styles.revision))
    if not sections:
        story.append(styles.para(words.gettext("The workshop had no plan sections.")))
    return story


def _text_blocks(text: Any, styles: Styles) -> list[Flowable]:
    blocks = re.split(r"\n\s*\n", str(text or "").strip())
    return [styles.para(block) for block in blocks if block.strip()]


def heard(report: Report, styles: Styles, width: float) -> list[Flowable]:
    return what_we_heard(report.get("sections") or [], report.get("unsorted") or [], styles)


def top_notes(report: Report, styles: Styles, width: float) -> list[Flowable]:
    notes = visible(report.get("top_notes") or [])
    words = styles.words
    if not notes:
        return [styles.para(words.gettext("No notes received any dots."))]
    text = words.ngettext(
        "The note with the most dots.",
        "The %(num)s notes with the most dots, most first.",
        len(notes),
    )
    lead = styles.para(text, styles.lead)
    return [lead, *(note_paragraph(note, styles, with_section=True) for note in notes)]


def votes_by_section(report: Report, styles: Styles, width: float) -> list[Flowable]:
    sections = report.get("votes_by_section") or []
    words = styles.words
    if not sections:
        return [styles.para(words.gettext("No dots were placed."))]
    votes = [int(section.get("votes") or 0) for section in sections]
    where = words.gettext(
        "Where the room's %(dots)s went, by the section each note was in.",
        dots=dots(sum(votes), words),
    )
    story: list[Flowable] = [styles.para(where, styles.lead)]
    for part in chunked(sections):
        chart = votes_by_section_chart(part, width, styles.font, max(votes), words)
        story.append(chart)
    return story


def plan_check(report: Report, styles: Styles, width: float) -> list[Flowable]:
    check = report.get("plan_check")
    words = styles.words
    if not check or not check.get("sections"):
        return [styles.para(words.gettext("No plan check was held in this session."))]
    sections = check["sections"]
    story: list[Flowable] = [
        styles.para(
            words.gettext(
                "%(count)s people said of each section whether the plan is workable as it "
                "stands, needs changes, or is not workable.",
                count=words.number(check.get("participants", 0)),
            ),
            styles.lead,
        )
    ]
    verdicts = verdicts_of(sections)
    counts = [section.get("counts") or {} for section in sections]
    largest = max(sum(int(value or 0) for value in count.values()) for count in counts)
    for part in chunked(sections):
        story.append(plan_check_chart(part, verdicts, width, styles.font, largest, words))
    head = [
        words.gettext("Section"),
        *(_capitalised(verdict_label(verdict, words)) for verdict in verdicts),
    ]
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
    words = styles.words
    if not steps:
        return [styles.para(words.gettext("No next steps were recorded."))]
    by_status = Counter(str(step.get("status") or "planned") for step in steps)
    counts = ", ".join(_status_count(status, count, words) for status, count in by_status.items())
    total = words.ngettext("%(num)s next step", "%(num)s next steps", len(steps))
    story: list[Flowable] = [styles.para(f"{total}: {counts}.")]
    head = [
        words.gettext("What"),
        words.gettext("Owner"),
        words.gettext("Due"),
        words.gettext("Status"),
        words.gettext("Answers"),
    ]
    rows = [[styles.cell(text, style=styles.cell_head) for text in head]]
    for step in steps:
        status = str(step.get("status") or "planned")
        label = words.gettext(STATUSES[status]) if status in STATUSES else status
        if status == "declined" and step.get("reason"):
            label += f": {step['reason']}"
        notes = step.get("notes") or []
        answers = [f"#{note.get('id')} {shorten(note.get('text'), 60)}" for note in notes]
        if len(answers) > LINKED_NOTES_SHOWN:
            extra = len(answers) - LINKED_NOTES_SHOWN + 1
            more = words.gettext("and %(count)s more (see chapter 8)", count=extra)
            answers = answers[: LINKED_NOTES_SHOWN - 1] + [more]
        rows.append(
            [
                styles.cell(step.get("text"), limit=700),
                styles.cell(step.get("owner") or "", limit=120),
                styles.cell(words.date(step.get("due")) if step.get("due") else ""),
                styles.cell(label, limit=300),
                styles.cell("\n".join(answers)),
            ]
        )
    shares = (0.31, 0.15, 0.12, 0.15, 0.27)
    return [*story, table(rows, [width * share for share in shares], styles)]


def _status_count(status: str, count: int, words: Words) -> str:
    """ "2 planned": how many next steps have a status."""
    if status == "planned":
        return words.ngettext("%(num)s planned", "%(num)s planned", count)
    if status == "considering":
        return words.ngettext("%(num)s considering", "%(num)s considering", count)
    if status == "declined":
        return words.ngettext("%(num)s declined", "%(num)s declined", count)
    if status == "done":
        return words.ngettext("%(num)s done", "%(num)s done", count)
    return f"{words.number(count)} {status}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def outcomes(report: Report, styles: Styles, width: float) -> list[Flowable]:
    return outcomes_chapter(report.get("outcomes") or {}, report.get("notes") or [], styles, width)


def moderation(report: Report, styles: Styles, width: float) -> list[Flowable]:
    entries = report.get("moderation") or []
    words = styles.words
    if not entries:
        return [styles.para(words.gettext("The facilitator took no moderation actions."))]

    def action_of(entry: Mapping[str, Any]) -> str:
        action = str(entry.get("action") or "")
        return words.gettext(ACTIONS[action]) if action in ACTIONS else action

    actions = Counter(action_of(entry) for entry in entries)
    undone = Counter(action_of(entry) for entry in entries if entry.get("undone"))
    heads = (words.gettext("Action"), words.gettext("Times"), words.gettext("Undone"))
    head = [styles.cell(text, style=styles.cell_head) for text in heads]
    rows = [head] + [
        [styles.cell(action), styles.cell(count), styles.cell(undone[action])]
        for action, count in actions.most_common()
    ]
    story: list[Flowable] = [table(rows, [width * 0.4, width * 0.15, width * 0.15], styles)]
    heads = (words.gettext("When"), words.gettext("Action"), words.gettext("What"))
    head = [styles.cell(text, style=styles.cell_head) for text in heads]
    rows = [head + [styles.cell(words.gettext("Undone"), style=styles.cell_head)]]
    for entry in entries:
        rows.append(
            [
                styles.cell(when(entry.get("created_at"))),
                styles.cell(action_of(entry)),
                styles.cell(entry.get("summary"), limit=300),
                styles.cell(words.gettext("undone") if entry.get("undone") else ""),
            ]
        )
    shares = (0.24, 0.14, 0.5, 0.12)
    return [*story, table(rows, [width * share for share in shares], styles)]


def photos(report: Report, styles: Styles, width: float) -> list[Flowable]:
    items = report.get("photos") or []
    words = styles.words
    if not items:
        return [styles.para(words.gettext("No photos of flip charts or drawings were added."))]
    story: list[Flowable] = []
    for item in items:
        caption = str(item.get("caption") or "")
        image = _photo(str(item.get("path") or ""), width, 5.2 * INCH)
        if image is None:
            missing = words.gettext(
                "Photo \u201c%(caption)s\u201d could not be included: its file is missing.",
                caption=caption,
            )
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


CHAPTERS: tuple[tuple[str, Chapter], ...] = (  # titles translated where printed
    (N_("Participation"), participation),
    (N_("The draft plan and how it changed"), draft_plan),
    (N_("What we heard, by section"), heard),
    (N_("Top-voted notes"), top_notes),
    (N_("Votes by section"), votes_by_section),
    (N_("Plan check"), plan_check),
    (N_("Card sorting"), card_sorting),
    (N_("Next steps"), next_steps),
    (N_("What became of every note"), outcomes),
    (N_("Moderation log"), moderation),
    (N_("Integrity of the record"), integrity),
    (N_("Ballots"), ballots_chapter),
    (N_("The room\u2019s paper"), photos),
)
