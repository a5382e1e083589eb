// @ts-check
// "Where does it go?" on the facilitator's board: each unsorted note the server has a hint
// for (the section its sorted notes and the plan's own text point to, GET
// /api/workshops/<code>/suggestions: `sections`) carries a small label and a "Place
// suggested" button, which is the board's own move (POST /api/notes/<id>/move: logged, and
// undone with Undo like any move). The hints are asked again a moment after the notes change;
// the server works them out off its event loop (about a second of CPU at 2,000 notes).
import { bus, TOPIC } from "../core/bus.js";
import { api, el } from "../core/common.js";
import { _ } from "../core/i18n.js";

const SETTLE_MS = 1500; // after the last change: one lookup for a burst of notes

/** @param {import("../board/sort.js").SortContext} ctx */
export function setupBoardHints(ctx) {
  const { board, code, notes } = ctx;
  /** @type {Map<number, number>} */
  let hints = new Map(); // unsorted note id -> the suggested section's id
  let timer = null;
  let asking = false;
  let again = false;

  async function load() {
    // Nothing unsorted, nothing to hint: the lookup (the server's heaviest) is not asked.
    const loose = [...notes.values()].some((note) => note.section_id === null && !note.hidden && !note.withdrawn);
    if (!loose) {
      hints = new Map();
      return decorate();
    }
    if (asking) {
      again = true;
      return;
    }
    asking = true;
    try {
      const { data } = await api("GET", `/api/workshops/${code}/suggestions`);
      hints = new Map(data.sections.map((hint) => [hint.note_id, hint.section_id]));
      decorate();
    } catch {
      // Offline or busy: the hints stay as they were until the next change asks again.
    } finally {
      asking = false;
      if (again) {
        again = false;
        loadSoon();
      }
    }
  }

  function loadSoon() {
    clearTimeout(timer);
    timer = setTimeout(load, SETTLE_MS);
  }

  // Each unsorted card as drawn now gets the label and button for its hint (and loses them
  // when it has none): board.js keeps cards that did not change, so this runs after every drawing.
  function decorate() {
    // Not while a card is picked up: a label appearing would move the cards under the
    // pointer (the next drawing, after the drop, adds it).
    if (board.classList.contains("is-dragging")) return;
    for (const item of board.querySelectorAll(".column.is-unsorted .note[data-note-id]")) {
      const id = Number(item.dataset.noteId);
      const note = notes.get(id);
      const sectionId = note && note.section_id === null && !note.hidden ? hints.get(id) : undefined;
      const title = sectionId === undefined ? null : ctx.sectionTitle(sectionId);
      let hint = /** @type {HTMLElement | null} */ (item.querySelector(":scope > .note-hint"));
      if (!title) {
        if (hint) hint.remove();
        continue;
      }
      if (hint && hint.dataset.sectionId === String(sectionId)) continue;
      if (hint) hint.remove();
      hint = el("div", { class: "note-hint", "data-section-id": sectionId });
      const place = el("button", { type: "button", class: "button small place-suggested", "aria-label": _("Place note {id} in {section}", { id, section: title }) }, _("Place suggested"));
      place.addEventListener("click", async (event) => {
        event.stopPropagation(); // not a click that selects the card
        if (await ctx.moveNote(id, { sectionId })) hints.delete(id);
      });
      hint.append(el("span", { class: "note-hint-label" }, _("Goes in: {section}?", { section: title })), place);
      item.querySelector(".note-text").after(hint);
    }
  }

  bus.on(TOPIC.boardDrawn, decorate);
  bus.on(TOPIC.boardState, loadSoon);
  for (const topic of [TOPIC.noteCreated, TOPIC.noteUpdated, TOPIC.noteDeleted, TOPIC.sectionChanged]) {
    bus.on(topic, loadSoon);
  }
}
