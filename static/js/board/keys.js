// @ts-check
// The keyboard path for sorting (also the screen-reader one). Each column is one stop for
// Tab; the arrow keys walk its cards. Enter or Space picks a card up; then a number moves it
// to Unsorted (0) or section N, the arrows move it within its column (left and right: to the
// next column), Enter or Space puts it down and Escape puts it back where it was picked up.
// Every move is announced in the live region ("Moved to Timeline, position 2").
import { bus, TOPIC } from "../core/bus.js";
import { columnItems } from "./groups.js";
import { _, formatNumber } from "../core/i18n.js";

const ITEM = ".note, .group";
const CONTROLS = ".note-controls select, .note-controls button, .note-meta button, .group-header button";

/** @param {import("./sort.js").SortContext} ctx */
export function setupKeys(ctx) {
  const { board, notes, store } = ctx;
  let picked = null; // {key, origin, moved}
  let queue = Promise.resolve();

  // -- one Tab stop per column: the card last focused there ---------------------------------
  ctx.rove = (item) => {
    const column = item.closest(".column");
    if (!column) return;
    for (const other of column.querySelectorAll(`${ITEM}[tabindex="0"]`)) {
      if (other === item) continue;
      other.tabIndex = -1;
      setControls(other, false);
    }
    item.tabIndex = 0;
    setControls(item, true);
  };

  function setControls(item, reachable) {
    for (const control of item.querySelectorAll(CONTROLS)) {
      if (control.closest(ITEM) !== item) continue;
      if (reachable) control.removeAttribute("tabindex");
      else control.tabIndex = -1;
    }
  }

  bus.on(TOPIC.boardDrawn, () => {
    // Cards kept from the last drawing keep their place in the Tab order; new ones come
    // with tabindex -1 (sort.js), and so do the buttons on them.
    for (const column of board.querySelectorAll(".column")) {
      const current = column.querySelector(`${ITEM}[tabindex="0"]`) || column.querySelector(ITEM);
      if (current) ctx.rove(current);
    }
    if (picked) {
      const item = ctx.findItem(picked.key);
      if (item) item.classList.add("is-picked");
    }
  });
  // Controls made later (sort.js) join the Tab order only on the column's current card.
  bus.on(TOPIC.noteControls, ({ item }) => setControls(item, item.tabIndex === 0));
  board.addEventListener("focusin", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const item = target.closest && target.closest(ITEM);
    if (item && item === target) ctx.rove(item);
  });

  // -- where a card is ------------------------------------------------------------------------
  function locate(key) {
    const [kind, raw] = key.split(":");
    const id = Number(raw);
    if (kind === "group") {
      const group = store.get(id);
      if (!group) return null;
      const items = columnItems(notes, store, group.section_id);
      return { kind, id, sectionId: group.section_id, groupId: null, index: items.findIndex((i) => i.kind === "group" && i.id === id), count: items.length };
    }
    const note = notes.get(id);
    if (!note) return null;
    const group = store.of(note);
    if (group) {
      const members = store.members(notes, group.id);
      return { kind, id, sectionId: group.section_id, groupId: group.id, index: members.findIndex((n) => n.id === id), count: members.length };
    }
    const items = columnItems(notes, store, note.section_id);
    return { kind, id, sectionId: note.section_id, groupId: null, index: items.findIndex((i) => i.kind === "note" && i.id === id), count: items.length };
  }

  function columnOrder() {
    return [null, ...ctx.workshop().sections.map((s) => s.id)];
  }

  // Moves run one after another, each computed from the state the previous one left.
  function enqueue(task) {
    queue = queue.then(task).catch(() => {});
    return queue;
  }

  function move(key, where) {
    return enqueue(async () => {
      const here = locate(key);
      if (!here) return;
      const target = typeof where === "function" ? where(here) : where;
      if (!target) return;
      ctx.focusNext = key;
      const answer =
        here.kind === "group"
          ? await ctx.moveGroup(here.id, { sectionId: target.sectionId, index: target.index, back: target.back })
          : await ctx.moveNote(here.id, { sectionId: target.sectionId, groupId: target.groupId ?? null, index: target.index, back: target.back });
      if (answer && picked && picked.key === key) picked.moved = true;
    });
  }

  function toColumn(key, sectionId) {
    move(key, () => ({ sectionId, groupId: null, index: null }));
  }

  function step(key, delta) {
    move(key, (here) => {
      if (here.sectionId === null && here.groupId === null) {
        ctx.say(_("Unsorted keeps the order notes arrived in: press a number to move this to a section."));
        return null;
      }
      const index = here.index + delta;
      if (index < 0 || index >= here.count) {
        ctx.say(delta < 0 ? _("Already at the top") : _("Already at the bottom"));
        return null;
      }
      return { sectionId: here.sectionId, groupId: here.groupId, index };
    });
  }

  function sideways(key, delta) {
    const here = locate(key);
    if (!here) return;
    const order = columnOrder();
    const next = order.indexOf(here.sectionId) + delta;
    if (next < 0 || next >= order.length) return ctx.say(delta < 0 ? _("This is the first column") : _("This is the last column"));
    toColumn(key, order[next]);
  }

  // -- picking up and putting down ----------------------------------------------------------
  function pickUp(item) {
    const key = ctx.itemKey(item);
    const origin = locate(key);
    if (!origin) return;
    clearPicked();
    picked = { key, origin, moved: false };
    ctx.setSelection([key]);
    item.classList.add("is-picked");
    const last = ctx.workshop().sections.length;
    ctx.say(_("Picked up. Press 0 for Unsorted or 1 to {last} for a section, the arrow keys to move it, Enter to put it down, Escape to cancel.", { last: Math.min(last, 9) }));
  }

  function putDown(cancelled) {
    if (!picked) return;
    const { key, origin, moved } = picked;
    clearPicked();
    ctx.setSelection([]);
    if (!cancelled) {
      const here = locate(key);
      if (!here) return;
      const section = ctx.sectionTitle(here.sectionId);
      ctx.say(
        here.sectionId === null
          ? _("Put down in {section}", { section })
          : _("Put down in {section}, position {place}", { section, place: formatNumber(here.index + 1) }),
      );
      return;
    }
    if (!moved) return ctx.say(_("Cancelled"));
    const groupId = origin.groupId !== null && store.get(origin.groupId) ? origin.groupId : null;
    const index = origin.sectionId === null && groupId === null ? null : origin.index;
    move(key, { sectionId: origin.sectionId, groupId, index, back: true });
  }

  function clearPicked() {
    picked = null;
    for (const item of board.querySelectorAll(".is-picked")) item.classList.remove("is-picked");
  }

  // -- walking the cards ----------------------------------------------------------------------
  function focusItem(item) {
    if (!item) return;
    ctx.rove(item);
    item.focus();
    item.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function walk(item, delta) {
    const items = [...item.closest(".column").querySelectorAll(ITEM)];
    focusItem(items[items.indexOf(item) + delta]);
  }

  function walkColumns(item, delta) {
    const columns = [...board.querySelectorAll(".column")];
    let at = columns.indexOf(item.closest(".column")) + delta;
    while (at >= 0 && at < columns.length) {
      const first = columns[at].querySelector(`${ITEM}[tabindex="0"]`) || columns[at].querySelector(ITEM);
      if (first) return focusItem(first);
      at += delta;
    }
  }

  board.addEventListener("keydown", (event) => {
    const item = event.target;
    if (!(item instanceof HTMLElement) || !item.matches(ITEM)) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = ctx.itemKey(item);
    bus.emit(TOPIC.itemKey, { event, item, key }); // moderation.js's shortcuts take theirs first
    if (event.defaultPrevented) return;
    const holding = picked && picked.key === key;
    const digit = /^[0-9]$/.test(event.key) ? Number(event.key) : null;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (event.shiftKey) return ctx.toggleSelection(key);
      if (holding) return putDown(false);
      return pickUp(item);
    }
    if (event.key === "Escape") {
      if (holding) putDown(true);
      else ctx.setSelection([]);
      return;
    }
    if (digit !== null) {
      event.preventDefault();
      if (!holding) return ctx.say(_("Press Enter to pick the note up, then a number to move it."));
      const order = columnOrder();
      if (digit >= order.length) return ctx.say(_("There is no section {number}", { number: digit }));
      return toColumn(key, order[digit]);
    }
    const arrows = { ArrowUp: -1, ArrowDown: 1, ArrowLeft: -1, ArrowRight: 1 };
    if (event.key in arrows) {
      event.preventDefault();
      const delta = arrows[event.key];
      const vertical = event.key === "ArrowUp" || event.key === "ArrowDown";
      if (holding) return vertical ? step(key, delta) : sideways(key, delta);
      return vertical ? walk(item, delta) : walkColumns(item, delta);
    }
    if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      const items = [...item.closest(".column").querySelectorAll(ITEM)];
      focusItem(event.key === "Home" ? items[0] : items[items.length - 1]);
    }
  });
}
