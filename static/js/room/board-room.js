// @ts-check
// Running the room on the board: the phase as a banner, live tallies and a ranked view, the
// count that blind writing shows, reveals and room settings, presence, and the closing screen.
// The timer (board-timer.js) and the card sort and plan check (activities/board-activities.js) plug in
// here. board/board.js draws the notes and calls setupRoom() once; this module follows the
// same events on the bus (core/bus.js), and adds each drawn note's dots to it. What the room
// may see now (blind writing, tallies, the phases that count dots) is the server's word:
// allowedNow(workshop).
import { setupActivities } from "../activities/board-activities.js";
import { bus, TOPIC } from "../core/bus.js";
import { allowedNow, api, el, pageData } from "../core/common.js";
import { _, formatNumber, ngettext } from "../core/i18n.js";
import { revealControls, settingsControls } from "./board-controls.js";
import { setupClosing } from "./board-closing.js";
import { projectorConsole } from "./board-console.js";
import { setupTimer } from "./board-timer.js";
import { projectionFrozen, setupProjection } from "./projection.js";
import { setupSteps } from "../followup/board-steps.js";

const RANKED_LIMIT = 20;
const MESSAGE_MS = 8000;

/**
 * @typedef {object} RoomView
 * @property {string} label
 * @property {HTMLElement} root
 * @property {() => boolean} available
 * @property {() => void} [update]
 */

/**
 * What the board's room modules share (made by setupRoom, handed to the timer, the room
 * controls, the card sort and the plan check): the workshop as last fetched, the notes, the
 * views, and the calls they make. News comes on the bus, not through this.
 * @typedef {object} Room
 * @property {string} code
 * @property {boolean} facilitator
 * @property {import("../core/types.js").Workshop} workshop
 * @property {Map<number, import("../core/types.js").Note>} notes  as this view may see them ({id, blind: true} during blind writing)
 * @property {Map<number, import("../core/types.js").Group>} groups  each with its tally (its notes' dots and its own; null while hidden)
 * @property {Map<string, RoomView>} views
 * @property {string} chosen  the view shown
 * @property {HTMLElement | null} bar  the facilitator's row of room controls
 * @property {() => void} resync
 * @property {(method: string, path: string, body?: unknown) => Promise<any>} call  the answer's data, or null after saying why not
 * @property {(key: string, view: RoomView) => void} addView
 * @property {() => void} refresh
 * @property {(workshop: Partial<import("../core/types.js").Workshop>) => void} applyWorkshop
 * @property {(id: number) => string} noteText
 * @property {(id: number | null) => string} sectionTitle
 */

/** @returns {Room} */
export function setupRoom() {
  const DATA = pageData();

  const boardEl = document.getElementById("board");
  const phaseBanner = document.getElementById("phase");

  /** @type {Room} */
  const room = {
    code: DATA.workshop.code,
    facilitator: Boolean(DATA.facilitator),
    workshop: DATA.workshop,
    notes: new Map(),
    groups: new Map(),
    views: new Map(),
    chosen: "board", // the projection's view (room/projection.js)
    bar: null,
    resync() {
      bus.emit(TOPIC.resync);
    },
    // A facilitator action: the answer's data, or null after showing the server's message.
    async call(method, path, body) {
      try {
        return (await api(method, path, body)).data ?? {};
      } catch (error) {
        say(error.message || _("That did not go through."));
        return null;
      }
    },
    addView(key, view) {
      this.views.set(key, view);
      view.root.classList.add("room-panel");
      view.root.dataset.view = key;
      view.root.hidden = true;
      viewArea.append(view.root);
    },
    refresh: () => refresh(),
    applyWorkshop: (workshop) => applyWorkshop(workshop),
    noteText(id) {
      const note = this.notes.get(id);
      return note && typeof note.text === "string" ? note.text : _("Note {id}", { id });
    },
    sectionTitle(id) {
      const section = this.workshop.sections.find((s) => s.id === id);
      return section ? section.title : _("Unsorted");
    },
  };

  // -- the page's frame: a hint under the phase and the view area (what it shows is the
  // projection's: room/projection.js; the facilitator chooses it in board-console.js) ------
  const phaseHint = el("p", { class: "phase-hint", id: "phase-hint" });
  phaseBanner.after(phaseHint);
  const viewArea = el("section", { class: "room-view", id: "room-view", "aria-live": "polite" });
  boardEl.after(viewArea);
  const tookPart = document.querySelector(".took-part"); // in the page, so nothing moves when it fills

  let message = null;
  if (room.facilitator) {
    room.bar = el("nav", { class: "room-bar", "aria-label": _("Running the room") });
    document.querySelector(".facilitator-bar").after(room.bar);
    // The phase is what the room is doing: it leads the room's row (the page puts it in the
    // facilitator's bar, where it also works without this script).
    const phase = document.getElementById("console-phase");
    if (phase) room.bar.append(phase);
    message = el("p", { class: "room-message", role: "status" });
  }

  let messageTimer = null;
  function say(text) {
    if (!message) return;
    message.textContent = text;
    clearTimeout(messageTimer);
    messageTimer = setTimeout(() => (message.textContent = ""), MESSAGE_MS);
  }

  const PHASE_HINTS = {
    gather: () => _("Write a note on your phone or on a paper card."),
    sort: () => _("We sort the notes into the parts of the plan."),
    vote: (w) => ngettext("Put your {n} dot on the notes that matter most.", "Put your {n} dots on the notes that matter most.", w.settings.votes_per_attendee),
    "next-steps": () => _("What we will do next, and who does it."),
    closed: () => "",
  };

  // -- views ---------------------------------------------------------------------------
  function available() {
    // Blind writing: the room sees the count (and a question's count), not the notes.
    if (!room.facilitator && allowedNow(room.workshop).blind) return room.chosen === "question" ? ["question"] : ["blind"];
    return [...room.views].filter(([, view]) => view.available()).map(([key]) => key);
  }

  let refreshQueued = false;
  function refresh() {
    if (refreshQueued) return;
    refreshQueued = true;
    requestAnimationFrame(() => {
      refreshQueued = false;
      draw();
    });
  }

  function draw() {
    if (projectionFrozen()) return; // the projector holds its picture (room/projection.js)
    const keys = available();
    const current = keys.includes(room.chosen) ? room.chosen : keys[0];
    document.body.dataset.roomView = current;
    boardEl.hidden = current !== "board";
    viewArea.hidden = current === "board";
    for (const [key, view] of room.views) {
      view.root.hidden = key !== current;
      if (key === current && view.update) view.update();
    }
    const w = room.workshop;
    phaseBanner.dataset.phase = w.phase;
    phaseHint.textContent = (PHASE_HINTS[w.phase] || (() => ""))(w);
    decorate();
    bus.emit(TOPIC.roomDrawn);
  }

  // The board's own columns.
  room.addView("board", { label: _("Board"), root: el("div"), available: () => true });

  // Blind writing: the public board shows how many notes have come in, not what they say.
  const blindCount = el("p", { class: "blind-count", id: "blind-count" });
  const blindRoot = el("div", { class: "blind-view" });
  blindRoot.append(
    blindCount,
    el("p", { class: "blind-why" }, _("Notes stay hidden until the facilitator reveals them, so early ideas do not steer later ones.")),
  );
  room.addView("blind", {
    label: _("Notes so far"),
    root: blindRoot,
    available: () => false, // only ever forced (see available())
    update() {
      const count = [...room.notes.values()].filter((note) => !note.hidden && !note.withdrawn).length;
      blindCount.textContent = ngettext("{n} note so far", "{n} notes so far", count);
    },
  });

  // Ranked: the notes with the most dots first.
  const rankedList = el("ol", { class: "ranked-list" });
  const rankedNote = el("p", { class: "ranked-note" });
  const rankedRoot = el("div", { class: "ranked-view" });
  rankedRoot.append(el("h2", {}, _("Most dots")), rankedNote, rankedList);
  room.addView("ranked", {
    label: _("Ranked"),
    root: rankedRoot,
    available: () => allowedNow(room.workshop).counting,
    update: drawRanked,
  });

  function tallyNotes() {
    return [...room.notes.values()].filter(
      (note) => typeof note.text === "string" && !note.hidden && !note.withdrawn && !note.merged_into,
    );
  }

  function drawRanked() {
    const notes = tallyNotes();
    const hiddenTallies = notes.some((note) => note.votes === null);
    rankedNote.textContent = hiddenTallies
      ? _("The tallies are hidden until the facilitator reveals them.")
      : tallyHiddenFromRoom()
        ? _("The room does not see these tallies yet.")
        : "";
    if (hiddenTallies) {
      rankedList.replaceChildren();
      return;
    }
    const top = rankedItems(notes);
    if (!top.length) rankedNote.textContent = rankedNote.textContent || _("No dots yet.");
    const most = Math.max(1, ...top.map((item) => item.votes));
    rankedList.replaceChildren(
      ...top.map((item) => {
        const first = item.kind === "note" ? item.note : item.members[0];
        const text = item.kind === "note" ? item.note.text : item.group.label || item.members.map((note) => note.text).join(" / ");
        const attrs = item.kind === "note" ? { "data-note-id": item.id } : { "data-group-id": item.id };
        const li = el("li", { class: `ranked-item note-${first.color}${item.kind === "group" ? " ranked-group" : ""}`, ...attrs });
        const bar = el("span", { class: "ranked-bar", "aria-hidden": "true" });
        bar.style.width = `${(100 * item.votes) / most}%`;
        li.append(
          el("span", { class: "ranked-votes", "aria-label": ngettext("{n} dot", "{n} dots", item.votes) }, formatNumber(item.votes)),
          el("span", { class: "ranked-text" }, text),
          el("span", { class: "ranked-section" }, room.sectionTitle(item.kind === "note" ? first.section_id : item.group.section_id)),
          bar,
        );
        return li;
      }),
    );
  }

  // The ranked items, as the server ranks them (workshop/voting/tally.py): a group is one
  // item holding every dot of its notes and its own; a note in no group is one item.
  function rankedItems(notes) {
    const shown = new Map(notes.map((note) => [note.id, note]));
    /** @type {Array<{kind: string, id: number, votes: number, note?: any, group?: any, members?: any[]}>} */
    const items = [];
    for (const group of room.groups.values()) {
      const members = group.note_ids.map((id) => shown.get(id)).filter(Boolean);
      if (members.length && group.votes > 0) items.push({ kind: "group", id: group.id, votes: group.votes, group, members });
    }
    for (const note of notes) {
      if (note.group_id == null && note.votes > 0) items.push({ kind: "note", id: note.id, votes: note.votes, note });
    }
    const order = (item) => (item.kind === "note" ? 0 : 1);
    return items.sort((a, b) => b.votes - a.votes || order(a) - order(b) || a.id - b.id).slice(0, RANKED_LIMIT);
  }

  function tallyHiddenFromRoom() {
    return !allowedNow(room.workshop).tallies;
  }

  // -- dots on the drawn notes ---------------------------------------------------------
  function decorate() {
    const show = allowedNow(room.workshop).counting;
    for (const item of boardEl.querySelectorAll(".note[data-note-id]")) {
      const note = room.notes.get(Number(item.dataset.noteId));
      const votes = show && note ? note.votes : null;
      let badge = item.querySelector(":scope > .note-dots");
      if (!votes) { // no dots yet (or tallies hidden): nothing to draw
        if (badge) badge.remove();
        continue;
      }
      const label = ngettext("{n} dot", "{n} dots", votes);
      const shown = formatNumber(votes);
      if (badge && badge.textContent === shown) continue;
      if (!badge) {
        badge = el("span", { class: "note-dots" });
        item.prepend(badge);
      }
      badge.textContent = shown;
      badge.setAttribute("aria-label", label);
    }
  }
  // board/board.js redraws its columns whenever notes change; put the dots back on each time.
  new MutationObserver(() => decorate()).observe(boardEl, { childList: true, subtree: true });

  // -- following the room --------------------------------------------------------------
  function applyWorkshop(workshop) {
    room.workshop = { ...room.workshop, ...workshop };
    showTookPart(workshop.participants);
    bus.emit(TOPIC.workshop, room.workshop);
    refresh();
  }

  function upsert(note) {
    if ((note.hidden || note.withdrawn) && note.text === undefined) room.notes.delete(note.id);
    else room.notes.set(note.id, note);
  }

  bus.on(TOPIC.boardState, ({ workshop, notes, groups }) => {
    room.notes = new Map(notes.map((note) => [note.id, note]));
    room.groups = new Map((groups || []).map((group) => [group.id, group]));
    applyWorkshop(workshop);
  });
  bus.on(TOPIC.groupChanged, (group) => room.groups.set(group.id, group));
  bus.on(TOPIC.groupDeleted, (payload) => room.groups.delete(payload.id));

  bus.on(TOPIC.noteCreated, upsert);
  bus.on(TOPIC.noteUpdated, upsert);
  bus.on(TOPIC.noteDeleted, (payload) => room.notes.delete(payload.id));
  bus.on(TOPIC.votesChanged, (payload) => {
    const note = room.notes.get(payload.note_id);
    if (note) room.notes.set(note.id, { ...note, votes: payload.votes });
  });
  bus.on(TOPIC.phaseChanged, (payload) => {
    room.workshop = { ...room.workshop, phase: payload.phase };
    // Blind writing applies during gather only: what the room may see changes with the phase.
    if (room.workshop.settings.blind_writing) room.resync();
  });
  bus.on(TOPIC.workshopChanged, () => room.resync()); // settings or reveals: fetch the state again
  bus.on(TOPIC.presence, (payload) => showTookPart(payload.participants));

  // How many have taken part (a note or a dot): shown once the server counts it (see the
  // presence event); the board cannot work it out, as notes and dots carry no attendee.
  function showTookPart(count) {
    if (typeof count !== "number") return;
    tookPart.hidden = false;
    document.getElementById("count-took-part").textContent = formatNumber(count);
  }

  // After every event, and after the parts' own handlers (they subscribe below, the
  // catch-all topic comes after each event's own): draw again.
  bus.on(TOPIC.serverEvent, () => refresh());

  setupTimer(room);
  if (room.bar) room.bar.append(revealControls(room));
  setupActivities(room);
  if (room.bar) room.bar.append(settingsControls(room), message);
  setupClosing(room);
  setupProjection(room);
  setupSteps(room);
  if (room.bar) room.bar.before(projectorConsole(room));
  refresh();
  return room;
}
