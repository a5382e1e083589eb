// @ts-check
// Card sorting by everyone and the plan check, on a phone: big tap targets, no dragging, and
// plain radio groups, so a screen reader announces "Timeline, radio button, 4 of 7".
import { bus, TOPIC } from "../core/bus.js";
import { el } from "../core/common.js";
import { _, formatNumber } from "../core/i18n.js";
import { RATINGS } from "./ratings.js";

const ADVANCE_MS = 450; // after a tap, the next note comes up once the choice has been seen
const TAP_MS = 1000; // a change this soon after a pointer press came from a tap

/** @param {import("../room/phone-room.js").PhoneRoom} ctx */
export function setupActivities(ctx) {
  setupCardSort(ctx);
  setupPlanCheck(ctx);
}

// -- card sort -----------------------------------------------------------------------------
/** @param {import("../room/phone-room.js").PhoneRoom} ctx */
function setupCardSort(ctx) {
  let sort = null; // {id, notes: [{id, text}], sections, mine: {note_id: section_id}}
  let index = 0;
  let ended = false;
  let lastTap = 0;
  let advanceTimer = null;

  const root = el("section", { class: "card-sort", id: "card-sort", "aria-labelledby": "card-sort-title", hidden: true });
  const progress = el("p", { class: "cs-progress", id: "card-sort-progress", "aria-live": "polite" });
  const bar = el("progress", { class: "cs-bar", "aria-hidden": "true" });
  const card = el("div", { class: "cs-card note-yellow" });
  const text = el("p", { class: "cs-text", id: "card-sort-note" });
  card.append(text);
  const choices = el("fieldset", { class: "cs-choices big-choices" });
  const legend = el("legend", {}, _("Which part of the plan is this note about?"));
  const saved = el("p", { class: "cs-saved", role: "status" });
  const problem = el("p", { class: "form-error", role: "alert", hidden: true });
  const previous = el("button", { type: "button", class: "button" }, _("← Previous"));
  const next = el("button", { type: "button", class: "button" }, _("Next →"));
  const nav = el("div", { class: "cs-nav" });
  nav.append(previous, next);
  const done = el("div", { class: "cs-done", hidden: true });
  const step = el("div", { class: "cs-step" });
  step.append(card, choices, saved, problem, nav);
  const title = el("h2", { id: "card-sort-title" }, _("Sort the notes"));
  const intro = el("p", { class: "hint" }, _("Put each note into the part of the plan it is about. You can change an answer at any time."));
  root.append(title, intro, progress, bar, step, done);
  ctx.area.append(root);

  choices.addEventListener("pointerdown", () => (lastTap = Date.now()));
  previous.addEventListener("click", () => go(index - 1));
  next.addEventListener("click", () => go(nextUnplaced(index) ?? index + 1));

  const placedCount = () => sort.notes.filter((n) => sort.mine[n.id] !== undefined).length;

  function nextUnplaced(from) {
    const n = sort.notes.length;
    for (let k = 1; k <= n; k++) {
      const i = (from + k) % n;
      if (sort.mine[sort.notes[i].id] === undefined) return i;
    }
    return null;
  }

  function go(target) {
    clearTimeout(advanceTimer);
    if (target === null || target >= sort.notes.length) {
      index = sort.notes.length; // the overview
    } else {
      index = Math.max(0, target);
    }
    draw();
    const focus = index < sort.notes.length ? choices.querySelector("input:checked") || choices.querySelector("input") : done.querySelector("h3");
    if (focus) focus.focus({ preventScroll: true });
  }

  function draw() {
    root.hidden = !sort && !ended;
    if (!sort) {
      if (ended) {
        step.hidden = true;
        done.hidden = false;
        progress.textContent = "";
        done.replaceChildren(el("p", { class: "phase-note" }, _("The card sort has ended. Thank you!")));
      }
      return;
    }
    const total = sort.notes.length;
    const placed = placedCount();
    bar.max = total;
    bar.value = placed;
    const overview = index >= total;
    step.hidden = overview;
    done.hidden = !overview;
    if (overview) {
      progress.textContent = _("{placed} of {total} placed", { placed: formatNumber(placed), total: formatNumber(total) });
      drawOverview();
      return;
    }
    const note = sort.notes[index];
    progress.textContent = _("Note {number} of {total} · {placed} placed", {
      number: formatNumber(index + 1),
      total: formatNumber(total),
      placed: formatNumber(placed),
    });
    text.textContent = note.text;
    if (choices.dataset.noteId === String(note.id)) {
      // The same note: only the choice changes, so keyboard focus stays where it is.
      for (const input of /** @type {NodeListOf<HTMLInputElement>} */ (choices.querySelectorAll("input"))) input.checked = Number(input.value) === sort.mine[note.id];
    } else {
      choices.replaceChildren(legend, ...sort.sections.map((section, i) => choice(note, section, i)));
      choices.dataset.noteId = String(note.id);
    }
    const chosen = sort.mine[note.id];
    saved.textContent = chosen !== undefined ? _("In “{section}” ✓", { section: sectionTitle(chosen) }) : "";
    previous.disabled = index === 0;
    next.textContent = placed === total && nextUnplaced(index) === null && index === total - 1 ? _("Done ✓") : _("Next →");
  }

  function choice(note, section, i) {
    const id = `cs-${note.id}-${section.id}`;
    const input = el("input", { type: "radio", name: `cs-note-${note.id}`, id, value: section.id, checked: sort.mine[note.id] === section.id });
    input.addEventListener("change", () => place(note, section));
    const label = el("label", { for: id, class: "big-choice" });
    label.append(input, el("span", { class: "number" }, String(i + 1)), el("span", { class: "choice-text" }, section.title));
    return label;
  }

  async function place(note, section) {
    const tapped = Date.now() - lastTap < TAP_MS;
    problem.hidden = true;
    try {
      await ctx.join();
      await ctx.call("POST", `/api/card-sorts/${sort.id}/placements`, { note_id: note.id, section_id: section.id });
      sort.mine[note.id] = section.id;
    } catch (error) {
      problem.textContent = error.message;
      problem.hidden = false;
      if (error.status === 409) refetch(); // the sort ended meanwhile
      return;
    }
    draw();
    saved.textContent = _("In “{section}” ✓", { section: section.title });
    if (tapped) {
      clearTimeout(advanceTimer);
      advanceTimer = setTimeout(() => go(nextUnplaced(index) ?? sort.notes.length), ADVANCE_MS);
    }
  }

  function drawOverview() {
    const heading = el("h3", { tabindex: "-1" }, placedCount() === sort.notes.length ? _("All sorted ✓ Thank you!") : _("Your answers"));
    const list = el("ol", { class: "cs-overview" });
    sort.notes.forEach((note, i) => {
      const chosen = sort.mine[note.id];
      const button = el("button", { type: "button", class: "cs-answer" });
      button.append(el("span", { class: "cs-answer-text" }, note.text), el("span", { class: "cs-answer-section" }, chosen === undefined ? _("not placed yet") : sectionTitle(chosen)));
      button.addEventListener("click", () => go(i));
      const li = el("li");
      li.append(button);
      list.append(li);
    });
    done.replaceChildren(heading, el("p", { class: "hint" }, _("Tap a note to change where you put it.")), list);
  }

  function sectionTitle(id) {
    const section = sort.sections.find((s) => s.id === id);
    return section ? section.title : "";
  }

  async function refetch() {
    let current;
    try {
      current = await ctx.call("GET", `/api/workshops/${ctx.code}/card-sorts/current`);
    } catch {
      return;
    }
    const fresh = current && (!sort || sort.id !== current.id);
    ended = Boolean(sort && !current) || (ended && !current);
    sort = current ? { ...current, mine: Object.fromEntries(Object.entries(current.mine).map(([k, v]) => [Number(k), v])) } : null;
    delete choices.dataset.noteId; // sections may have changed: draw the choices afresh
    if (sort && fresh) {
      ended = false;
      const first = nextUnplaced(sort.notes.length - 1);
      index = first ?? sort.notes.length;
    }
    draw();
  }

  bus.on(TOPIC.workshop, refetch);
  bus.on(TOPIC.sortChanged, refetch);
  bus.on(TOPIC.phaseChanged, () => {
    if (ended) {
      ended = false;
      draw();
    }
  });
}

// -- plan check ----------------------------------------------------------------------------
/** @param {import("../room/phone-room.js").PhoneRoom} ctx */
function setupPlanCheck(ctx) {
  let check = null;
  let mine = {};
  let closed = false;
  const sent = new Set(); // sections this phone has commented on in this check
  const drafts = new Map(); // section id -> comment being written (kept across redraws)

  const root = el("section", { class: "plan-check", id: "plan-check", "aria-labelledby": "plan-check-title", hidden: true });
  const progress = el("p", { class: "cs-progress", "aria-live": "polite" });
  const list = el("div", { class: "check-list" });
  root.append(
    el("h2", { id: "plan-check-title" }, _("Plan check")),
    el("p", { class: "hint" }, _("Is each part of the plan workable? One tap per part; a comment is optional.")),
    progress,
    list,
  );
  ctx.area.append(root);

  function draw() {
    root.hidden = !check && !closed;
    if (!check) {
      if (closed) {
        progress.textContent = "";
        list.replaceChildren(el("p", { class: "phase-note" }, _("The plan check is closed. Thank you!")));
      }
      return;
    }
    const rated = check.sections.filter((s) => mine[s.section_id]).length;
    progress.textContent = _("{rated} of {total} rated", { rated: formatNumber(rated), total: formatNumber(check.sections.length) });
    const focused = document.activeElement && root.contains(document.activeElement) ? document.activeElement.id : null;
    list.replaceChildren(...check.sections.map((section, i) => sectionBox(section, i)));
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus({ preventScroll: true });
  }

  function sectionBox(section, i) {
    const box = el("fieldset", { class: "check-box big-choices", "data-section-id": section.section_id });
    const legend = el("legend", {});
    legend.append(el("span", { class: "number" }, String(i + 1)), document.createTextNode(section.title));
    box.append(legend);
    const status = el("p", { class: "check-saved", role: "status" });
    const row = el("div", { class: "rating-row" });
    for (const rating of RATINGS) {
      const id = `check-${section.section_id}-${rating.value}`;
      const input = el("input", { type: "radio", name: `check-${section.section_id}`, id, value: rating.value, checked: mine[section.section_id] === rating.value });
      input.addEventListener("change", () => rate(section, rating.value, null, status));
      const label = el("label", { for: id, class: `big-choice rating-choice rating-${rating.value}` });
      label.append(input, el("span", { class: "choice-text" }, rating.label));
      row.append(label);
    }
    box.append(row);
    const commentId = `check-comment-${section.section_id}`;
    const comment = el("textarea", { id: commentId, rows: "2", maxlength: String(ctx.workshop.settings.note_max_length) });
    const send = el("button", { type: "button", class: "button", id: `check-send-${section.section_id}` }, _("Send comment"));
    const already = sent.has(section.section_id);
    comment.disabled = already;
    comment.value = drafts.get(section.section_id) || "";
    comment.addEventListener("input", () => drafts.set(section.section_id, comment.value));
    send.hidden = already;
    send.addEventListener("click", () => {
      if (!mine[section.section_id]) {
        status.textContent = _("Choose an answer above first.");
        return;
      }
      if (!comment.value.trim()) {
        comment.focus();
        return;
      }
      rate(section, mine[section.section_id], comment.value, status);
    });
    // The comment folds away: most people only tap, and seven open text boxes make a long page.
    const more = el("details", { class: "check-comment", open: already || drafts.has(section.section_id) });
    more.append(
      el("summary", {}, already ? _("Your comment was sent ✓") : _("Add a comment")),
      el("label", { for: commentId, class: "comment-label" }, _("Comment (optional)")),
      comment,
      send,
    );
    box.append(more, status);
    return box;
  }

  async function rate(section, rating, comment, status) {
    status.textContent = _("Saving…");
    try {
      await ctx.join();
      const body = { section_id: section.section_id, rating };
      if (comment) body.comment = comment;
      await ctx.call("POST", `/api/workshops/${ctx.code}/plan-check/ratings`, body);
      mine[section.section_id] = rating;
      if (comment) {
        sent.add(section.section_id);
        drafts.delete(section.section_id);
      }
      draw();
      const fresh = root.querySelector(`[data-section-id="${section.section_id}"] .check-saved`);
      if (fresh) fresh.textContent = comment ? _("Comment sent ✓") : _("Saved ✓");
    } catch (error) {
      status.textContent = error.message;
      if (error.status === 409) refetch();
    }
  }

  async function refetch() {
    let data;
    try {
      data = await ctx.call("GET", `/api/workshops/${ctx.code}/plan-check`);
    } catch {
      return;
    }
    const open = data.check && data.check.open ? data.check : null;
    if (open && (!check || check.id !== open.id)) {
      sent.clear();
      drafts.clear();
    }
    closed = Boolean(check && !open);
    check = open;
    mine = Object.fromEntries(Object.entries(data.mine || {}).map(([k, v]) => [Number(k), v]));
    draw();
  }

  bus.on(TOPIC.workshop, refetch);
  bus.on(TOPIC.checkChanged, refetch);
}
