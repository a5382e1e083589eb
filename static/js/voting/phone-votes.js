// @ts-check
// The vote screen on a phone: the room's notes by part of the plan, this phone's dots on each
// ("+ Dot" / "−"), a group as one thing to vote on, and the dots left. Every rule is the
// server's: the budget and the dots left come with each answer, and whether a second dot on
// a note is allowed is allowedNow(workshop).several_dots. room/phone-room.js shows the screen
// in the vote phase and calls load(); the notes' changes come on the bus.
import { bus, TOPIC } from "../core/bus.js";
import { allowedNow, el } from "../core/common.js";
import { _, formatNumber, ngettext } from "../core/i18n.js";

const REFETCH_MS = 400; // the room's changes reach phones in batches: fetch once per batch

/** @param {import("../room/phone-room.js").PhoneRoom} ctx */
export function phoneVotes(ctx) {
  const voteScreen = (() => {
    const root = el("section", { class: "vote-screen", id: "vote-screen", "aria-labelledby": "vote-title" });
    const left = el("p", { class: "dots-left", id: "dots-left", "aria-live": "polite" });
    const problem = el("p", { class: "form-error", id: "vote-error", role: "alert", hidden: true });
    const list = el("div", { class: "vote-lists" });
    root.append(
      el("h2", { id: "vote-title" }, _("Vote for what matters most")),
      left,
      el("p", { class: "hint" }, _("Put a dot on a note with “+ Dot”; take it back with “−”.")),
      problem,
      list,
    );
    return { root, left, problem, list, notes: new Map(), mine: new Map(), mineGroups: new Map(), votesLeft: null, budget: null, busy: new Set() };
  })();

  function voteNotes() {
    return [...voteScreen.notes.values()].filter((n) => typeof n.text === "string" && !n.hidden && !n.merged_into);
  }

  function drawVotes() {
    const v = voteScreen;
    const active = document.activeElement;
    const focused = active instanceof HTMLElement && active.dataset.focusKey;
    if (v.votesLeft !== null) {
      const dots = el("span", { class: "dot-row", "aria-hidden": "true" });
      for (let i = 0; i < v.budget; i++) dots.append(el("span", { class: i < v.votesLeft ? "dot is-free" : "dot" }));
      const left = el("strong", {}, ngettext("{n} dot left", "{n} dots left", v.votesLeft));
      const budget = " " + _("of {total}", { total: formatNumber(v.budget) });
      v.left.replaceChildren(dots, left, document.createTextNode(budget));
    }
    const sections = [...ctx.workshop.sections.map((s) => [s.id, s.title]), [null, _("Other notes")]];
    const notes = voteNotes().sort((a, b) => a.position - b.position || a.id - b.id);
    const blocks = [];
    for (const [id, title] of sections) {
      const here = notes.filter((n) => (n.section_id ?? null) === id || (id === null && !ctx.workshop.sections.some((s) => s.id === n.section_id)));
      if (!here.length) continue;
      const ul = el("ul", { class: "vote-notes" });
      const shownGroups = new Set();
      here.forEach((note) => {
        const group = note.group_id && v.groups && v.groups.get(note.group_id);
        if (!group) return ul.append(voteItem(note));
        if (shownGroups.has(group.id)) return; // a group is one thing to vote on
        shownGroups.add(group.id);
        ul.append(groupVoteItem(group, here.filter((n) => n.group_id === group.id)));
      });
      blocks.push(el("h3", { class: "vote-section" }, title), ul);
    }
    if (!blocks.length) blocks.push(el("p", { class: "hint" }, _("No notes to vote on yet.")));
    v.list.replaceChildren(...blocks);
    if (focused) {
      const again = /** @type {HTMLButtonElement | null} */ (v.list.querySelector(`[data-focus-key="${focused}"]`));
      if (again && !again.disabled) again.focus();
    }
  }

  function voteItem(note) {
    const v = voteScreen;
    const mine = v.mine.get(note.id) || 0;
    const several = allowedNow(ctx.workshop).several_dots;
    const item = el("li", { class: `vote-note note-${note.color}${mine ? " has-mine" : ""}`, "data-note-id": note.id });
    const short = note.text.slice(0, 60);
    const dots = el("span", { class: "my-dots", role: "img", "aria-label": _("Your dots on it: {count}", { count: formatNumber(mine) }) });
    for (let i = 0; i < mine; i++) dots.append(el("span", { class: "dot is-mine", "aria-hidden": "true" }));
    const add = el("button", {
      type: "button", class: "button primary dot-add", "data-focus-key": `add-${note.id}`,
      "aria-label": _("Put a dot on: {text}", { text: short }),
    }, _("+ Dot"));
    add.disabled = v.busy.has(note.id) || (mine > 0 && !several) || v.votesLeft === 0; // no dot left to place
    const remove = el("button", {
      type: "button", class: "button dot-remove", "data-focus-key": `remove-${note.id}`,
      "aria-label": _("Take a dot back from: {text}", { text: short }),
    }, "−");
    remove.hidden = !mine;
    remove.disabled = v.busy.has(note.id);
    add.addEventListener("click", () => vote(note.id, "POST"));
    remove.addEventListener("click", () => vote(note.id, "DELETE"));
    const row = el("div", { class: "vote-row" });
    row.append(dots, remove, add);
    item.append(el("p", { class: "text" }, note.text), row);
    return item;
  }

  function groupVoteItem(group, members) {
    const v = voteScreen;
    const key = `g${group.id}`;
    // Dots given to a group are the group's (not its first note's), plus any on its notes.
    const own = v.mineGroups.get(group.id) || 0;
    const mine = members.reduce((sum, note) => sum + (v.mine.get(note.id) || 0), own);
    const several = allowedNow(ctx.workshop).several_dots;
    const label = group.label || _("Grouped notes");
    const item = el("li", { class: `vote-note vote-group${mine ? " has-mine" : ""}`, "data-group-id": group.id });
    const dots = el("span", { class: "my-dots", role: "img", "aria-label": _("Your dots on it: {count}", { count: formatNumber(mine) }) });
    for (let i = 0; i < mine; i++) dots.append(el("span", { class: "dot is-mine", "aria-hidden": "true" }));
    const add = el("button", {
      type: "button", class: "button primary dot-add", "data-focus-key": `add-${key}`,
      "aria-label": _("Put a dot on the group: {label}", { label }),
    }, _("+ Dot"));
    add.disabled = v.busy.has(key) || (mine > 0 && !several) || v.votesLeft === 0;
    const remove = el("button", {
      type: "button", class: "button dot-remove", "data-focus-key": `remove-${key}`,
      "aria-label": _("Take a dot back from the group: {label}", { label }),
    }, "−");
    remove.hidden = !mine;
    remove.disabled = v.busy.has(key);
    add.addEventListener("click", () => vote(key, "POST", `/api/groups/${group.id}/votes`));
    remove.addEventListener("click", () => vote(key, "DELETE", `/api/groups/${group.id}/votes`));
    const texts = el("ul", { class: "group-texts" });
    members.forEach((note) => texts.append(el("li", {}, note.text)));
    const row = el("div", { class: "vote-row" });
    row.append(dots, remove, add);
    item.append(el("p", { class: "text group-label" }, label), texts, row);
    return item;
  }

  async function vote(noteId, method, path = `/api/notes/${noteId}/votes`) {
    const v = voteScreen;
    v.busy.add(noteId);
    drawVotes();
    try {
      await ctx.join();
      let data;
      try {
        data = await ctx.call(method, path, {});
      } catch (error) {
        if (error.status !== 429) throw error;
        // Tapping fast (placing, taking back, placing again): wait the moment the server asks.
        showVoteProblem(_("Just a moment…"));
        await new Promise((resolve) => setTimeout(resolve, Math.min(5, error.retryAfter || 1) * 1000));
        data = await ctx.call(method, path, {});
      }
      applyMine(data);
      showVoteProblem("");
    } catch (error) {
      showVoteProblem(error.message);
    } finally {
      v.busy.delete(noteId);
      drawVotes();
    }
  }

  function showVoteProblem(text) {
    voteScreen.problem.textContent = text;
    voteScreen.problem.hidden = !text;
  }

  function applyMine(data) {
    const v = voteScreen;
    v.votesLeft = data.votes_left;
    v.budget = data.budget;
    v.mine = new Map(Object.entries(data.mine).map(([id, count]) => [Number(id), count]));
    v.mineGroups = new Map(Object.entries(data.mine_groups || {}).map(([id, count]) => [Number(id), count]));
  }

  async function loadVotes() {
    try {
      const [state, mine] = await Promise.all([
        ctx.call("GET", `/api/workshops/${ctx.code}/state`),
        ctx.joined ? ctx.call("GET", `/api/workshops/${ctx.code}/votes/me`) : null,
      ]);
      voteScreen.notes = new Map(state.notes.map((n) => [n.id, n]));
      voteScreen.groups = new Map((state.groups || []).map((g) => [g.id, g]));
      if (mine) applyMine(mine);
      else applyMine({ votes_left: ctx.workshop.settings.votes_per_attendee, budget: ctx.workshop.settings.votes_per_attendee, mine: {} });
      drawVotes();
    } catch (error) {
      showVoteProblem(error.message);
    }
  }

  function upsertVoteNote(note) {
    if (!allowedNow(ctx.workshop).vote) return;
    if (note.hidden || note.withdrawn || note.merged_into) voteScreen.notes.delete(note.id);
    else if (typeof note.text === "string") voteScreen.notes.set(note.id, note);
    drawVotes();
  }

  let refetchTimer = null;
  function refetchSoon() {
    clearTimeout(refetchTimer);
    refetchTimer = setTimeout(loadVotes, REFETCH_MS);
  }

  bus.on(TOPIC.phaseChanged, () => showVoteProblem(""));
  bus.on(TOPIC.groupChanged, () => allowedNow(ctx.workshop).vote && refetchSoon());
  bus.on(TOPIC.groupDeleted, () => allowedNow(ctx.workshop).vote && refetchSoon());
  bus.on(TOPIC.noteCreated, upsertVoteNote);
  bus.on(TOPIC.noteUpdated, upsertVoteNote);
  bus.on(TOPIC.noteDeleted, (payload) => voteScreen.notes.delete(payload.id) && drawVotes());

  return { root: voteScreen.root, load: loadVotes };
}
