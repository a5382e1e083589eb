// @ts-check
// "+1 this instead?" on the phone: while the attendee types, up to three notes already on the
// board that say much the same (suggestions/similar.js). One tap gives that note this phone's
// support instead of a second copy: before the vote a "+1" (a "me too",
// POST /api/notes/<id>/plus-one), in the vote a dot (POST /api/notes/<id>/votes, the vote
// screen's own route). Which one is open now is the server's word (allowedNow(workshop):
// plus_one, vote); with neither, the notes are only shown. The draft stays in the form: the
// attendee may still send their own words.
import { bus, TOPIC } from "../core/bus.js";
import { allowedNow, el } from "../core/common.js";
import { _ } from "../core/i18n.js";
import { similarNotes } from "./similar.js";

const EXCERPT = 140; // characters of a similar note shown on the phone

/**
 * @param {import("../room/phone-room.js").PhoneRoom} room  the phone's room (workshop, join, call)
 * @param {HTMLTextAreaElement} input  the note being written
 * @returns {{clear: () => void}}
 */
export function setupPhoneSimilar(room, input) {
  const box = el("section", { class: "similar", id: "similar", "aria-live": "polite", "aria-label": _("Similar notes already on the board") });
  document.getElementById("note-count").after(box);
  const given = new Map(); // note id -> "plus-one" | "dot", given from here on this page
  const problems = new Map(); // note id -> why the server refused

  const lookup = similarNotes({
    code: room.code,
    input,
    box,
    heading: _("Already on the board — is yours one of these?"),
    ready: () => room.join(),
    item: drawNote,
  });

  /** @param {import("./similar.js").SimilarNote} note */
  function drawNote(note) {
    const li = el("li", { class: `similar-note note-${note.color}`, "data-note-id": note.id });
    const text = note.text.length > EXCERPT ? `${note.text.slice(0, EXCERPT - 1)}…` : note.text;
    li.append(el("p", { class: "text" }, text));
    const row = el("div", { class: "similar-actions" });
    const allowed = allowedNow(room.workshop);
    const kind = given.get(note.id);
    if (kind) {
      row.append(el("p", { class: "similar-done", role: "status" }, kind === "dot" ? _("Dot placed ✓") : _("+1 given ✓ — you can still send your own note.")));
      if (kind === "plus-one" && allowed.plus_one) row.append(actionButton(note, _("Take back"), "DELETE", "button quiet"));
    } else if (allowed.vote || allowed.plus_one) {
      const label = allowed.vote ? _("+1 this instead? (puts a dot on it)") : _("+1 this instead?");
      row.append(actionButton(note, label, "POST", "button primary"));
    }
    const problem = problems.get(note.id);
    if (problem) row.append(el("p", { class: "form-error", role: "alert" }, problem));
    li.append(row);
    return li;
  }

  function actionButton(note, label, method, classes) {
    const button = el("button", { type: "button", class: `${classes} similar-plus-one` }, label);
    button.setAttribute("aria-label", `${label} ${note.text.slice(0, 60)}`);
    button.addEventListener("click", () => act(note, method, button));
    return button;
  }

  async function act(note, method, button) {
    button.disabled = true;
    const vote = allowedNow(room.workshop).vote;
    problems.delete(note.id);
    try {
      await room.join();
      if (vote) {
        await room.call("POST", `/api/notes/${note.id}/votes`, {});
        given.set(note.id, "dot");
        bus.emit(TOPIC.resync); // the vote screen shows the new dot and the dots left
      } else {
        const answer = await room.call(method, `/api/notes/${note.id}/plus-one`, {});
        if (answer.mine) given.set(note.id, "plus-one");
        else given.delete(note.id);
      }
    } catch (error) {
      problems.set(note.id, error.message);
    }
    lookup.redraw();
    // The button pressed was drawn again: the focus goes to the same note's new one.
    const again = /** @type {HTMLElement | null} */ (box.querySelector(`[data-note-id="${note.id}"] button`));
    if (again) again.focus();
  }

  // The phase moves on: what each note offers changes with it.
  bus.on(TOPIC.phaseChanged, () => lookup.redraw());
  return { clear: lookup.clear };
}
