// @ts-check
// The public board fits the screen: the room cannot scroll a projector, so every note it may
// see is drawn inside the window. After each drawing the board tries its fit levels (type
// size, card width, lines of text, the notes' labels) from the current one, larger while
// the next one still fits, smaller until one does (fit.css); it says so when even the
// smallest cannot hold them all. Measured in the same frame as the drawing, before it is
// painted, so the room never sees a level that did not fit (no layout shift).
import { el } from "../core/common.js";
import { ngettext } from "../core/i18n.js";

/** @type {Array<[number, number, number, boolean]>} [type size in rem, card's least width in rem, lines of text (0: all), labels shown]. */
// At 1080p 1 rem is 16.3 px (app.css: 0.85vw): 22 px text at level 0, 7.3 px at the last
// (300 notes on a 1280×720 screen need it; docs/browser.md has the figures).
const LEVELS = [
  [1.35, 13, 0, true],
  [1.2, 11.5, 0, true],
  [1.08, 10, 6, true],
  [0.98, 9, 5, true],
  [0.9, 8, 4, false],
  [0.82, 7, 3, false],
  [0.74, 6.2, 3, false],
  [0.68, 5.6, 2, false],
  [0.62, 5, 2, false],
  [0.56, 4.6, 2, false],
  [0.5, 4.2, 2, false],
  [0.45, 3.8, 1, false],
];

/** @param {HTMLElement} board */
export function boardFitter(board) {
  let level = 0;
  const warning = el("p", { class: "fit-warning", id: "fit-warning", role: "status", hidden: true });
  board.after(warning);

  function apply(index) {
    const [size, width, lines, labels] = LEVELS[index];
    board.style.setProperty("--fit-size", String(size));
    board.style.setProperty("--fit-width", String(width));
    board.style.setProperty("--fit-lines", String(lines || 999));
    board.dataset.fit = String(index);
    board.classList.toggle("fit-labels", labels);
  }

  function fits() {
    if (board.scrollWidth > board.clientWidth + 1) return false;
    for (const column of board.querySelectorAll(".column-notes")) {
      if (column.scrollHeight > column.clientHeight + 1) return false;
    }
    return true;
  }

  /** Fit what was just drawn; returns the level used. */
  function fit() {
    if (board.hidden) return level;
    board.classList.add("is-fitted");
    apply(level);
    if (fits()) {
      while (level > 0) {
        apply(level - 1);
        if (!fits()) {
          apply(level);
          break;
        }
        level -= 1;
      }
    } else {
      while (level < LEVELS.length - 1 && !fits()) apply(++level);
    }
    const hidden = fits() ? 0 : offScreen();
    warning.hidden = hidden === 0;
    warning.textContent = hidden
      ? ngettext("{n} note does not fit on this screen", "{n} notes do not fit on this screen", hidden)
      : "";
    return level;
  }

  function offScreen() {
    let count = 0;
    for (const note of board.querySelectorAll(".note")) {
      const box = note.getBoundingClientRect();
      if (box.bottom > innerHeight || box.right > innerWidth) count += 1;
    }
    return count;
  }

  return { fit };
}
