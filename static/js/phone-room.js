// The phone follows the room: writing while the phases allow it, "the room is sorting", the
// vote screen with this phone's dots, the next steps, and "thank you" at the end; a small
// timer in the header. The card sort and the plan check are in phone-activities.js.
// phone.js owns the note form and the socket; this module follows the same live stream
// through common.js's "live:event" and "live:synced" hooks and fetches what it shows again
// after every resync (a phone that reconnects gets the phase, its dots left, its sort so far).
import { api, ApiError, el, pageData, PHASE_TEXT } from "./common.js";
import { _, formatNumber, ngettext } from "./i18n.js";
import { setupActivities } from "./phone-activities.js";
import { Countdown, formatClock, writingOpen } from "./room-shared.js";

const DATA = pageData();
const CODE = DATA.workshop.code;
const EVENTS = DATA.protocol.events;
const REFETCH_MS = 400; // the room's changes reach phones in batches: fetch once per batch

const main = document.querySelector("main.phone");
const writeSection = document.querySelector("section.write");
const noteForm = document.getElementById("note-form");
const noteText = document.getElementById("note-text");
const noteError = document.getElementById("note-error");

const ctx = {
  code: CODE,
  events: EVENTS,
  workshop: DATA.workshop,
  handlers: new Map(),
  on(name, handler) {
    if (!this.handlers.has(name)) this.handlers.set(name, []);
    this.handlers.get(name).push(handler);
  },
  emit(name, payload) {
    for (const handler of this.handlers.get(name) || []) handler(payload);
  },
  // An attendee's action: the answer, or throws an Error whose message can be shown.
  async call(method, path, body) {
    try {
      return (await api(method, path, body)).data;
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new Error(_("No connection. Try again in a moment."));
    }
  },
  async join() {
    if (this.joined) return;
    await api("POST", `/api/workshops/${CODE}/join`, {});
    this.joined = true;
  },
  joined: false,
};

// -- the frame: a room area above the page, a timer beside the phase -----------------
const roomArea = el("div", { class: "room", id: "room" });
main.prepend(roomArea);
const activities = el("div", { class: "room-activities" });
const phasePanel = el("section", { class: "phase-panel", id: "phase-panel", "aria-live": "polite" });
roomArea.append(activities, phasePanel);
ctx.area = activities;

const timerPill = el("p", { class: "phone-timer", id: "phone-timer", role: "timer", hidden: true });
document.getElementById("phase").after(timerPill);
const countdown = new Countdown((state, left, timer) => {
  timerPill.hidden = state === "stopped";
  timerPill.dataset.state = state;
  if (!timer) return;
  timerPill.textContent = timerText(state, formatClock(left), timer.label);
});

function timerText(state, time, label) {
  if (state === "ended") return label ? _("{label}: 0:00 — time's up", { label }) : _("0:00 — time's up");
  if (state === "paused") return label ? _("{label}: {time} left (paused)", { label, time }) : _("{time} left (paused)", { time });
  return label ? _("{label}: {time} left", { label, time }) : _("{time} left", { time });
}

const closedNote = el("p", { class: "writing-closed", id: "writing-closed", role: "status" });
writeSection.prepend(closedNote);

// -- the phase -----------------------------------------------------------------------
function drawPhase() {
  const w = ctx.workshop;
  document.body.dataset.phase = w.phase;
  const open = writingOpen(w);
  closedNote.textContent = open ? "" : _("Writing is closed for now ({phase}).", { phase: (PHASE_TEXT[w.phase] || w.phase).toLowerCase() });
  closedNote.hidden = open;
  // A draft, or the server's word on why it was not sent, stays in view when writing closes.
  noteForm.hidden = !open && !noteText.value.trim() && noteError.hidden;
  writeSection.hidden = !open && noteForm.hidden;
  const nodes = (PANELS[w.phase] || PANELS.gather)(w);
  // The vote screen stays the same element, so a redraw keeps the focus where it was.
  if (!(nodes.length === 1 && phasePanel.firstChild === nodes[0] && phasePanel.childElementCount === 1)) {
    phasePanel.replaceChildren(...nodes);
  }
  phasePanel.hidden = !phasePanel.childElementCount;
}

const PANELS = {
  gather: (w) =>
    w.settings.blind_writing && !(w.revealed || {}).notes
      ? [el("p", { class: "phase-note" }, _("Blind writing: the board shows only how many notes there are until the facilitator reveals them."))]
      : [],
  sort: () => [
    el("h2", {}, _("The room is sorting")),
    el("p", { class: "phase-note" }, _("The notes are being sorted into the parts of the plan. Watch the board; when a card sort starts, it appears here.")),
  ],
  vote: () => [voteScreen.root],
  "next-steps": () => [nextSteps.root],
  closed: (w) => {
    const panel = [
      el("h2", {}, _("Thank you for taking part")),
      el("p", { class: "phase-note" }, _("Read what we heard, and what we will do about it:")),
    ];
    const link = el("a", { href: `/w/${CODE}/summary`, class: "button primary big", id: "summary-link" }, _("What we heard, what we will do"));
    panel.push(link);
    if (writingOpen(w)) panel.push(el("p", { class: "hint" }, _("You can still add a note below for a few more days.")));
    return panel;
  },
};

// -- voting ----------------------------------------------------------------------------
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
  return { root, left, problem, list, notes: new Map(), mine: new Map(), votesLeft: null, budget: null, busy: new Set() };
})();

function voteNotes() {
  return [...voteScreen.notes.values()].filter((n) => typeof n.text === "string" && !n.hidden && !n.merged_into);
}

function drawVotes() {
  const v = voteScreen;
  const focused = document.activeElement && document.activeElement.dataset.focusKey;
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
    const again = v.list.querySelector(`[data-focus-key="${focused}"]`);
    if (again && !again.disabled) again.focus();
  }
}

function voteItem(note) {
  const v = voteScreen;
  const mine = v.mine.get(note.id) || 0;
  const several = ctx.workshop.settings.several_dots_per_note;
  const item = el("li", { class: `vote-note note-${note.color}${mine ? " has-mine" : ""}`, "data-note-id": note.id });
  const short = note.text.slice(0, 60);
  const dots = el("span", { class: "my-dots", role: "img", "aria-label": _("Your dots on it: {count}", { count: formatNumber(mine) }) });
  for (let i = 0; i < mine; i++) dots.append(el("span", { class: "dot is-mine", "aria-hidden": "true" }));
  const add = el("button", {
    type: "button", class: "button primary dot-add", "data-focus-key": `add-${note.id}`,
    "aria-label": _("Put a dot on: {text}", { text: short }),
  }, _("+ Dot"));
  add.disabled = v.busy.has(note.id) || (mine > 0 && !several);
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
  const own = (v.mineGroups && v.mineGroups.get(group.id)) || 0;
  const mine = members.reduce((sum, note) => sum + (v.mine.get(note.id) || 0), own);
  const several = ctx.workshop.settings.several_dots_per_note;
  const label = group.label || _("Grouped notes");
  const item = el("li", { class: `vote-note vote-group${mine ? " has-mine" : ""}`, "data-group-id": group.id });
  const dots = el("span", { class: "my-dots", role: "img", "aria-label": _("Your dots on it: {count}", { count: formatNumber(mine) }) });
  for (let i = 0; i < mine; i++) dots.append(el("span", { class: "dot is-mine", "aria-hidden": "true" }));
  const add = el("button", {
    type: "button", class: "button primary dot-add", "data-focus-key": `add-${key}`,
    "aria-label": _("Put a dot on the group: {label}", { label }),
  }, _("+ Dot"));
  add.disabled = v.busy.has(key) || (mine > 0 && !several);
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
  // Dots given to a group are the group's (not its first note's).
  v.mineGroups = new Map(Object.entries(data.mine_groups || {}).map(([id, count]) => [Number(id), count]));
}

async function loadVotes() {
  try {
    const [state, mine] = await Promise.all([
      ctx.call("GET", `/api/workshops/${CODE}/state`),
      ctx.joined ? ctx.call("GET", `/api/workshops/${CODE}/votes/me`) : null,
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

// -- next steps --------------------------------------------------------------------------
const STATUS_TEXT = { planned: _("Planned"), considering: _("Considering"), declined: _("Not doing"), done: _("Done") };
const nextSteps = (() => {
  const root = el("section", { class: "next-steps-screen", id: "next-steps", "aria-labelledby": "steps-title" });
  const list = el("ol", { class: "phone-steps" });
  root.append(el("h2", { id: "steps-title" }, _("What we will do next")), list);
  return { root, list };
})();

async function loadNextSteps() {
  let steps;
  try {
    steps = await ctx.call("GET", `/api/workshops/${CODE}/next-steps`);
  } catch {
    return; // the next resync tries again
  }
  nextSteps.list.replaceChildren(
    ...steps.map((step) => {
      const item = el("li", { class: `phone-step status-${step.status}` });
      const meta = [STATUS_TEXT[step.status] || step.status, step.owner, step.due && _("by {date}", { date: step.due })].filter(Boolean);
      item.append(el("p", { class: "step-text" }, step.text), el("p", { class: "step-meta" }, meta.join(" · ")));
      if (step.status === "declined" && step.reason) item.append(el("p", { class: "hint" }, _("Why not: {reason}", { reason: step.reason })));
      return item;
    }),
  );
  if (!steps.length) nextSteps.list.append(el("li", { class: "hint" }, _("The facilitator is writing them down now.")));
}

// -- following the room ------------------------------------------------------------------
let refetchTimer = null;
function refetchSoon(what) {
  clearTimeout(refetchTimer);
  refetchTimer = setTimeout(what, REFETCH_MS);
}

function loadForPhase() {
  if (ctx.workshop.phase === "vote") loadVotes();
  if (ctx.workshop.phase === "next-steps") loadNextSteps();
}

async function loadWorkshop() {
  try {
    ctx.workshop = await ctx.call("GET", `/api/workshops/${CODE}`);
  } catch {
    return;
  }
  const me = await ctx.call("GET", `/api/workshops/${CODE}/me`).catch(() => null);
  if (me && me.attendee) ctx.joined = true;
  countdown.set(ctx.workshop.timer);
  drawPhase();
  loadForPhase();
  ctx.emit("synced");
}

function upsertVoteNote(note) {
  if (ctx.workshop.phase !== "vote") return;
  if (note.hidden || note.merged_into) voteScreen.notes.delete(note.id);
  else if (typeof note.text === "string") voteScreen.notes.set(note.id, note);
  drawVotes();
}

const ON_EVENT = {
  [EVENTS.phaseChanged]: (payload) => {
    ctx.workshop = { ...ctx.workshop, phase: payload.phase };
    showVoteProblem("");
    drawPhase();
    loadForPhase();
  },
  [EVENTS.timerChanged]: (payload) => countdown.set(payload.timer),
  [EVENTS.groupChanged]: () => ctx.workshop.phase === "vote" && refetchSoon(loadVotes),
  [EVENTS.groupDeleted]: () => ctx.workshop.phase === "vote" && refetchSoon(loadVotes),
  [EVENTS.workshopChanged]: () => refetchSoon(loadWorkshop),
  [EVENTS.sectionChanged]: () => refetchSoon(loadWorkshop),
  [EVENTS.noteCreated]: upsertVoteNote,
  [EVENTS.noteUpdated]: upsertVoteNote,
  [EVENTS.noteDeleted]: (payload) => voteScreen.notes.delete(payload.id) && drawVotes(),
  [EVENTS.nextStepChanged]: () => ctx.workshop.phase === "next-steps" && refetchSoon(loadNextSteps),
};

document.addEventListener("live:event", (event) => {
  const { name, payload } = event.detail;
  if (ON_EVENT[name]) ON_EVENT[name](payload);
  ctx.emit(name, payload);
});
document.addEventListener("live:synced", loadWorkshop);
noteText.addEventListener("input", () => {
  if (!writingOpen(ctx.workshop) && !noteText.value.trim()) drawPhase();
});
// phone.js puts a refused note back into the form with the server's message: show the form.
new MutationObserver(() => drawPhase()).observe(noteError, { attributes: true, attributeFilter: ["hidden"] });

setupActivities(ctx);
countdown.set(ctx.workshop.timer);
drawPhase();
