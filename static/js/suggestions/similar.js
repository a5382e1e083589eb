// @ts-check
// While someone types a note, the notes already on the board that say much the same
// (GET /api/workshops/<code>/similar, workshop/suggestions/similar.py): asked a moment after
// the last key, once the draft has a few words. The server offers only what the public board
// shows (never a hidden or withdrawn note, never the asker's own, nothing while writing is
// blind), at most three. What a screen offers beside each note is its own: the phone's
// "+1 this instead?" (suggestions/phone-similar.js), the scribe's "this may be a duplicate of …"
// (paper/card.js).
import { api, el } from "../core/common.js";

const PAUSE_MS = 450; // after the last key: a lookup per pause, not per letter
const MIN_WORDS = 3; // "a few words": fewer say too little to compare

/**
 * @typedef {object} SimilarNote
 * @property {number} id
 * @property {string} text
 * @property {string} color
 * @property {number} score
 */

/**
 * Watch `input` and keep `box` (hidden while there is nothing to offer) filled with the
 * similar notes: `heading` above them, and for each one what `item(note)` makes.
 * @param {{code: string, input: HTMLTextAreaElement, box: HTMLElement, heading: string,
 *   item: (note: SimilarNote) => HTMLElement, ready?: () => Promise<void>}} options
 *   `ready` runs before the first lookup (a phone joins first).
 * @returns {{clear: () => void, redraw: () => void}}  redraw: the same notes again (what
 *   each offers may have changed), without asking the server
 */
export function similarNotes({ code, input, box, heading, item, ready }) {
  let timer = null;
  let asked = 0; // the latest lookup: an older answer arriving late is dropped
  let shownFor = "";
  let prepared = null;
  /** @type {SimilarNote[]} */
  let last = [];
  box.hidden = true;

  function words(text) {
    return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
  }

  async function lookup() {
    const text = input.value.trim();
    if (words(text) < MIN_WORDS) return clear();
    if (text === shownFor) return;
    const mine = ++asked;
    try {
      if (ready) await (prepared = prepared || ready());
      const { data } = await api("GET", `/api/workshops/${code}/similar?text=${encodeURIComponent(text)}`);
      if (mine !== asked) return;
      shownFor = text;
      draw(data.notes);
    } catch {
      prepared = null; // offline, or not joined yet: the next pause asks again
      if (mine === asked) clear();
    }
  }

  /** @param {SimilarNote[]} notes */
  function draw(notes) {
    last = notes;
    box.replaceChildren();
    box.hidden = !notes.length;
    if (!notes.length) return;
    const list = el("ul", { class: "similar-notes" });
    for (const note of notes) list.append(item(note));
    box.append(el("p", { class: "similar-heading" }, heading), list);
  }

  function clear() {
    asked += 1;
    shownFor = "";
    last = [];
    box.replaceChildren();
    box.hidden = true;
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(lookup, PAUSE_MS);
  });

  return {
    clear,
    redraw: () => draw(last),
  };
}
