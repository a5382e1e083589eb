// @ts-check
// Card sorting by everyone and the plan check, on the board: live results for the room, and
// for the facilitator the controls to start, close and apply them.
import { bus, TOPIC } from "../core/bus.js";
import { el } from "../core/common.js";
import { percent, RATINGS } from "./ratings.js";
import { _, formatNumber, ngettext } from "../core/i18n.js";

const LAST_SORT_KEY = (code) => `workshop:${code}:last-sort`;
const RESULTS_DELAY_MS = 300; // placements arrive in bursts: fetch the results once per burst
const MAX_SORT_NOTES = 60;
const DISPUTED_SHOWN = 5;
const SECTION_COLOURS = 8; // .sec-0 … .sec-7 in room.css

/** @param {import("../room/board-room.js").Room} room */
export function setupActivities(room) {
  setupCardSort(room);
  setupPlanCheck(room);
}

// -- card sort -------------------------------------------------------------------------
/** @param {import("../room/board-room.js").Room} room */
function setupCardSort(room) {
  let sort = null; // {id, note_ids, closed_at, participants}
  let results = null;
  let applied = false;
  let fetchTimer = null;

  const status = el("p", { class: "activity-status", id: "card-sort-status" });
  const list = el("ol", { class: "cardsort-results", id: "card-sort-results" });
  const disputed = el("ol", { class: "disputed-list", id: "most-disputed" });
  const legend = el("ul", { class: "section-legend", "aria-label": _("Sections") });
  const actions = el("div", { class: "activity-actions" });
  const root = el("div", { class: "cardsort-view" });
  const head = el("header", { class: "activity-head" });
  head.append(el("h2", {}, _("Card sort: where the room put each note")), status, actions);
  const aside = el("aside", { class: "disputed", "aria-labelledby": "disputed-title" });
  aside.append(el("h3", { id: "disputed-title" }, _("Most disputed")), disputed);
  const body = el("div", { class: "activity-body" });
  body.append(list, aside);
  root.append(head, legend, body);
  room.addView("sort", { label: _("Card sort"), root, available: () => Boolean(sort) });

  let close = null;
  let apply = null;
  if (room.facilitator) {
    close = el("button", { type: "button", class: "button", id: "close-sort" }, _("End the card sort"));
    close.addEventListener("click", async () => {
      const data = await room.call("POST", `/api/card-sorts/${sort.id}/close`);
      if (data) sort = { ...sort, ...data };
      draw();
    });
    apply = el("button", { type: "button", class: "button primary", id: "apply-sort" }, _("Place every note where most people put it"));
    apply.addEventListener("click", async () => {
      const data = await room.call("POST", `/api/card-sorts/${sort.id}/apply`);
      if (!data) return;
      applied = true;
      results = data;
      sort = { ...sort, closed_at: sort.closed_at || "now" };
      draw();
    });
    actions.append(close, apply);
    room.bar.append(startControls(room, () => sort));
  }

  function draw() {
    if (!sort) return;
    const open = !sort.closed_at;
    const people = results ? results.participants : sort.participants || 0;
    if (open) {
      status.textContent = ngettext("Open on every phone · {n} person sorting", "Open on every phone · {n} people sorting", people);
    } else if (applied) {
      status.textContent = ngettext("Ended · {n} person sorted · the notes are placed", "Ended · {n} people sorted · the notes are placed", people);
    } else {
      status.textContent = ngettext("Ended · {n} person sorted", "Ended · {n} people sorted", people);
    }
    if (close) close.hidden = !open;
    if (apply) apply.hidden = applied || !results || !results.notes.some((n) => n.top_section_id);
    drawLegend(room, legend);
    drawResults();
    room.refresh();
  }

  function drawResults() {
    if (!results) {
      list.replaceChildren();
      disputed.replaceChildren();
      return;
    }
    list.replaceChildren(...results.notes.map((item) => resultItem(room, item)));
    const byId = new Map(results.notes.map((item) => [item.note_id, item]));
    // The server lists the five notes with the lowest agreement; one everybody agreed on is
    // not disputed, however few notes there are.
    const split = results.most_disputed.filter((id) => byId.get(id).agreement < 1);
    disputed.replaceChildren(
      ...split.slice(0, DISPUTED_SHOWN).map((id) => {
        const li = el("li", { "data-note-id": id });
        li.append(
          el("span", { class: "disputed-agreement" }, percent(byId.get(id).agreement)),
          el("span", { class: "disputed-text" }, room.noteText(id)),
        );
        return li;
      }),
    );
    if (!split.length) {
      const none = results.participants ? _("The room agrees on every note.") : _("Nobody has sorted yet.");
      disputed.append(el("li", { class: "hint" }, none));
    }
  }

  async function fetchResults() {
    if (!sort) return;
    const id = sort.id;
    const data = await room.call("GET", `/api/card-sorts/${id}/results`);
    if (data && sort && sort.id === id) {
      results = data;
      draw();
    }
  }

  function fetchSoon() {
    clearTimeout(fetchTimer);
    fetchTimer = setTimeout(fetchResults, RESULTS_DELAY_MS);
  }

  bus.on(TOPIC.boardState, async () => {
    const current = await room.call("GET", `/api/workshops/${room.code}/card-sorts/current`);
    if (current && current.id) {
      if (!sort || sort.id !== current.id) applied = false;
      sort = { id: current.id, note_ids: current.notes.map((n) => n.id), closed_at: null };
    } else if (!sort) {
      const last = Number(localStorage.getItem(LAST_SORT_KEY(room.code)));
      if (last) sort = { id: last, note_ids: [], closed_at: "earlier" };
    } else if (!sort.closed_at) {
      sort = { ...sort, closed_at: "earlier" };
    }
    if (sort) fetchResults();
  });

  bus.on(TOPIC.sortChanged, (payload) => {
    if (payload.progress) {
      if (sort && payload.id === sort.id) {
        sort = { ...sort, participants: payload.participants };
        fetchSoon();
      }
      return;
    }
    const started = !sort || sort.id !== payload.id;
    if (started && payload.closed_at) return; // an older sort closing as a new one starts
    if (started) {
      results = null;
      applied = false;
      localStorage.setItem(LAST_SORT_KEY(room.code), String(payload.id));
    }
    sort = { ...payload };
    draw();
    fetchSoon();
  });
  // Notes moved or edited while the results show: their texts and sections follow.
  bus.on(TOPIC.noteUpdated, () => sort && draw());
}

function resultItem(room, item) {
  const li = el("li", { class: "cardsort-note", "data-note-id": item.note_id });
  const text = el("p", { class: "cardsort-note-text" }, room.noteText(item.note_id));
  const bar = el("div", { class: "share-bar", role: "img" });
  const parts = [];
  room.workshop.sections.forEach((section, index) => {
    const share = item.shares[String(section.id)];
    if (!share) return;
    const segment = el("span", { class: `share sec-${index % SECTION_COLOURS}` });
    segment.style.width = `${share * 100}%`;
    segment.title = _("{label}: {value}", { label: section.title, value: percent(share) });
    if (share >= 0.15) segment.textContent = percent(share);
    bar.append(segment);
    parts.push(`${section.title} ${percent(share)}`);
  });
  bar.setAttribute("aria-label", parts.join(", ") || _("not sorted yet"));
  const agreement = el("p", { class: "sort-agreement" });
  if (item.agreement === null) {
    agreement.append(el("span", { class: "hint" }, _("Nobody has placed it yet")));
  } else {
    const people = ngettext("{n} person", "{n} people", item.people);
    agreement.append(
      ...withElements(_("{agreement} agree: {section}"), {
        agreement: el("strong", { class: "agreement-value" }, percent(item.agreement)),
        section: el("span", { class: "top-section" }, room.sectionTitle(item.top_section_id)),
      }),
      el("span", { class: "hint" }, ` · ${people}`),
    );
  }
  li.append(text, bar, agreement);
  return li;
}

// A translated sentence with elements in its {placeholders}, as nodes to append (the
// elements keep their classes wherever the language puts them).
function withElements(text, elements) {
  return text
    .split(/(\{\w+\})/)
    .filter(Boolean)
    .map((piece) => {
      const name = /^\{(\w+)\}$/.exec(piece);
      return name && elements[name[1]] ? elements[name[1]] : document.createTextNode(piece);
    });
}

function drawLegend(room, legend) {
  legend.replaceChildren(
    ...room.workshop.sections.map((section, index) => {
      const item = el("li");
      item.append(el("span", { class: `swatch-dot sec-${index % SECTION_COLOURS}`, "aria-hidden": "true" }), document.createTextNode(section.title));
      return item;
    }),
  );
}

// The facilitator picks the notes: every unsorted one with one click, or any of them by hand.
function startControls(room, currentSort) {
  const open = el("button", { type: "button", class: "button small", id: "start-sort" }, _("Card sort…"));
  const dialog = el("dialog", { class: "cardsort-dialog", "aria-labelledby": "cardsort-dialog-title" });
  const form = el("form", { method: "dialog", class: "stack" });
  const boxes = el("div", { class: "cardsort-choices" });
  const problem = el("p", { class: "form-error", role: "alert", hidden: true });
  const count = el("span", { class: "hint" });
  const unsorted = el("button", { type: "button", class: "button" }, _("Choose every unsorted note"));
  const none = el("button", { type: "button", class: "button quiet" }, _("Clear"));
  const start = el("button", { type: "submit", class: "button primary", value: "start" }, _("Start the card sort"));
  const cancel = el("button", { type: "submit", class: "button quiet", value: "cancel" }, _("Cancel"));
  const quick = el("div", { class: "dialog-row" });
  quick.append(unsorted, none, count);
  const buttons = el("div", { class: "dialog-row" });
  buttons.append(start, cancel);
  form.append(
    el("h2", { id: "cardsort-dialog-title" }, _("Sort notes on every phone")),
    el("p", { class: "hint" }, _("Each phone puts each chosen note into a part of the plan. Starting a sort ends the one before.")),
    quick, boxes, problem, buttons,
  );
  dialog.append(form);
  document.body.append(dialog);

  const candidates = () => [...room.notes.values()].filter((n) => typeof n.text === "string" && !n.hidden && !n.withdrawn && !n.merged_into);
  const inputs = () => /** @type {HTMLInputElement[]} */ ([...boxes.querySelectorAll("input")]);
  const chosen = () => inputs().filter((input) => input.checked).map((input) => Number(input.value));
  const recount = () => {
    const n = chosen().length;
    count.textContent = ngettext("{n} chosen", "{n} chosen", n);
    start.disabled = n === 0 || n > MAX_SORT_NOTES;
    problem.hidden = n <= MAX_SORT_NOTES;
    problem.textContent = _("A card sort takes at most {max} notes.", { max: formatNumber(MAX_SORT_NOTES) });
  };
  boxes.addEventListener("change", recount);
  unsorted.addEventListener("click", () => {
    for (const input of inputs()) input.checked = input.dataset.unsorted === "yes";
    recount();
  });
  none.addEventListener("click", () => {
    for (const input of inputs()) input.checked = false;
    recount();
  });
  open.addEventListener("click", () => {
    const notes = candidates().sort((a, b) => Number(a.section_id !== null) - Number(b.section_id !== null) || a.id - b.id);
    const already = new Set((currentSort() && !currentSort().closed_at && currentSort().note_ids) || []);
    boxes.replaceChildren(
      ...notes.map((note) => {
        const id = `sort-pick-${note.id}`;
        const input = el("input", { type: "checkbox", id, value: note.id, checked: already.has(note.id) });
        input.dataset.unsorted = note.section_id === null ? "yes" : "no";
        const label = el("label", { for: id, class: "cardsort-choice" });
        label.append(input, el("span", { class: "cardsort-choice-text" }, note.text), el("span", { class: "hint" }, room.sectionTitle(note.section_id)));
        return label;
      }),
    );
    if (!notes.length) boxes.append(el("p", { class: "hint" }, _("There are no notes yet.")));
    recount();
    dialog.showModal();
  });
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "start") return;
    await room.call("POST", `/api/workshops/${room.code}/card-sorts`, { note_ids: chosen() });
  });
  return open;
}

// -- plan check --------------------------------------------------------------------------
/** @param {import("../room/board-room.js").Room} room */
function setupPlanCheck(room) {
  let check = null; // {id, open, participants, sections: [{section_id, title, counts, comment_note_ids}]}
  const status = el("p", { class: "activity-status", id: "check-status" });
  const list = el("ol", { class: "check-results", id: "check-results" });
  const legend = el("ul", { class: "section-legend rating-legend", "aria-label": _("Ratings") });
  legend.append(...RATINGS.map((r) => {
    const item = el("li");
    item.append(el("span", { class: `swatch-dot rating-${r.value}`, "aria-hidden": "true" }), document.createTextNode(r.label));
    return item;
  }));
  const head = el("header", { class: "activity-head" });
  head.append(el("h2", {}, _("Plan check: is each part workable?")), status);
  const root = el("div", { class: "check-view" });
  root.append(head, legend, list);
  room.addView("check", { label: _("Plan check"), root, available: () => Boolean(check) });

  let toggle = null;
  if (room.facilitator) {
    toggle = el("button", { type: "button", class: "button small", id: "toggle-check" }, _("Open the plan check"));
    toggle.addEventListener("click", async () => {
      const data = await room.call(check && check.open ? "DELETE" : "POST", `/api/workshops/${room.code}/plan-check`);
      if (data) show(data);
    });
    room.bar.append(toggle);
  }

  function show(data) {
    check = data;
    draw();
  }

  function draw() {
    if (toggle) toggle.textContent = check && check.open ? _("Close the plan check") : _("Open the plan check");
    if (!check) return;
    status.textContent = check.open
      ? ngettext("Open on every phone · {n} person rated", "Open on every phone · {n} people rated", check.participants)
      : ngettext("Closed · {n} person rated", "Closed · {n} people rated", check.participants);
    list.replaceChildren(...check.sections.map((section, index) => checkItem(room, section, index)));
    room.refresh();
  }

  bus.on(TOPIC.boardState, async () => {
    const data = await room.call("GET", `/api/workshops/${room.code}/plan-check`);
    if (!data) return;
    check = data.check;
    draw();
  });
  bus.on(TOPIC.checkChanged, show);
  bus.on(TOPIC.noteCreated, () => check && draw()); // a comment's text arrives as a note
}

function checkItem(room, section, index) {
  const li = el("li", { class: "check-section", "data-section-id": section.section_id });
  const title = el("h3", {});
  title.append(el("span", { class: "number" }, formatNumber(index + 1)), document.createTextNode(section.title));
  const total = RATINGS.reduce((sum, r) => sum + section.counts[r.value], 0);
  const bar = el("div", { class: "share-bar rating-bar", role: "img" });
  bar.setAttribute("aria-label", RATINGS.map((r) => `${r.label} ${formatNumber(section.counts[r.value])}`).join(", "));
  for (const rating of RATINGS) {
    const n = section.counts[rating.value];
    if (!n) continue;
    const segment = el("span", { class: `share rating-${rating.value}`, "data-rating": rating.value }, formatNumber(n));
    segment.style.width = `${(100 * n) / total}%`;
    segment.title = _("{label}: {value}", { label: rating.label, value: formatNumber(n) });
    bar.append(segment);
  }
  if (!total) bar.append(el("span", { class: "share-empty" }, _("No ratings yet")));
  li.append(title, bar);
  if (section.comment_note_ids.length) {
    const comments = el("ul", { class: "check-comments" });
    for (const id of section.comment_note_ids) comments.append(el("li", {}, room.noteText(id)));
    li.append(comments);
  }
  return li;
}
