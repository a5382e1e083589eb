// @ts-check
// What the projector shows, as the facilitator chose it (workshop/workshops/projection.py).
// Every public board follows the workshop's projection: the view it names, shown within a
// moment of projection.changed; while it is frozen a public board keeps what it shows (the
// notes still arrive, the drawing waits) and draws everything once it is shown again. The
// facilitator's laptop always shows the projection's view: frozen, it is the preview of what
// the room will see once the facilitator shows it.
// What a view may show is the server's: the public board is answered as the room.
// This module also adds the question view: one prompt big, with the live count of answers.
import { allowedNow, el } from "../core/common.js";
import { bus, TOPIC } from "../core/bus.js";
import { _, formatNumber, ngettext } from "../core/i18n.js";

/** The room view (board-room.js) that shows each projected view. */
export const VIEW_KEYS = {
  board: "board",
  question: "question",
  ranked: "ranked",
  sort: "sort",
  check: "check",
  "next-steps": "steps",
  closing: "closed",
};

const LATEST_ANSWERS = 6;

let frozenHere = false;

/** Whether this screen holds its drawing: a public board while the projection is frozen. */
export function projectionFrozen() {
  return frozenHere;
}

/** @param {import("../core/types.js").Workshop} workshop */
export function projectionOf(workshop) {
  return workshop.projection || { view: "board", prompt_id: null, frozen: false };
}

/** @param {import("./board-room.js").Room} room */
export function setupProjection(room) {
  const questionRoot = el("div", { class: "question-view" });
  room.addView("question", {
    label: _("Question"),
    root: questionRoot,
    available: () => Boolean(shownPrompt()),
    update: drawQuestion,
  });

  function shownPrompt() {
    const projection = projectionOf(room.workshop);
    return room.workshop.prompts.find((p) => p.id === projection.prompt_id) || null;
  }

  function drawQuestion() {
    const prompt = shownPrompt();
    if (!prompt) return;
    // During blind writing the room's notes carry no text (public_json): only their count.
    const answers = [...room.notes.values()].filter((note) => note.prompt_id === prompt.id && !note.hidden && !note.withdrawn && !note.merged_into);
    const count = el("p", { class: "question-count", id: "question-count" });
    count.append(
      el("span", { class: "question-number" }, formatNumber(answers.length)),
      el("span", { class: "question-unit" }, ngettext("answer so far", "answers so far", answers.length)),
    );
    const latest = el("ul", { class: "question-latest", "aria-label": _("The latest answers") });
    const readable = answers.filter((note) => typeof note.text === "string").sort((a, b) => b.id - a.id);
    for (const note of readable.slice(0, LATEST_ANSWERS)) {
      latest.append(el("li", { class: `note note-${note.color}`, "data-note-id": note.id }, note.text));
    }
    const how = allowedNow(room.workshop).write
      ? _("Answer on your phone or on a paper card.")
      : "";
    questionRoot.replaceChildren(
      el("p", { class: "question-eyebrow" }, _("The question")),
      el("h2", { class: "question-text", id: "question-text" }, prompt.text),
      count,
      el("p", { class: "question-how" }, how),
      latest,
    );
  }

  // The view this screen should show for the projection (the laptop follows it too, unless
  // the facilitator froze the projector to look elsewhere in private).
  // A screen that opens (or fetches the state again) during a freeze shows the room as it is:
  // only a freeze it saw happen holds its picture.
  function follow(projection, { live = false } = {}) {
    const wasFrozen = frozenHere;
    frozenHere = !room.facilitator && projection.frozen && (live || frozenHere);
    document.body.dataset.projected = projection.view;
    document.body.dataset.frozen = String(projection.frozen);
    if (frozenHere) return; // hold the picture
    room.chosen = VIEW_KEYS[projection.view] || "board"; // the laptop previews what it will show
    if (wasFrozen) bus.emit(TOPIC.projectionShown); // the board draws what it held back
    room.refresh();
  }

  bus.on(TOPIC.projectionChanged, ({ view, prompt_id, frozen }) => {
    room.workshop = { ...room.workshop, projection: { view, prompt_id, frozen } };
    follow(room.workshop.projection, { live: true });
  });
  bus.on(TOPIC.boardState, ({ workshop }) => follow(projectionOf(workshop)));
  follow(projectionOf(room.workshop));
}
