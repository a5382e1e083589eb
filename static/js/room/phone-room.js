// @ts-check
// The phone follows the room: writing while the phases allow it, "the room is sorting", the
// vote screen (voting/phone-votes.js), the next steps (followup/phone-steps.js), and "thank
// you" at the end; a small timer in the header. The card sort and the plan check are in
// activities/phone-activities.js.
// phone/phone.js owns the note form and the socket and calls setupPhoneRoom() once; this
// module follows the same events on the bus (core/bus.js) and fetches what it shows again
// after every resync (a phone that reconnects gets the phase, its dots left, its sort so far),
// then announces TOPIC.workshop for the card sort and the plan check. Whether writing is open
// or blind is the server's word: allowedNow(workshop).
import { setupActivities } from "../activities/phone-activities.js";
import { bus, TOPIC } from "../core/bus.js";
import { allowedNow, api, ApiError, el, pageData, phaseText } from "../core/common.js";
import { _ } from "../core/i18n.js";
import { phoneSteps } from "../followup/phone-steps.js";
import { phoneVotes } from "../voting/phone-votes.js";
import { Countdown, formatClock } from "./countdown.js";

const REFETCH_MS = 400; // the room's changes reach phones in batches: fetch once per batch

/**
 * What the phone's room modules share (made by setupPhoneRoom, handed to the vote screen,
 * the next steps, the card sort and the plan check): the workshop as last fetched, where
 * they put themselves, and the calls they make. News comes on the bus, not through this.
 * @typedef {object} PhoneRoom
 * @property {string} code
 * @property {import("../core/types.js").Workshop} workshop
 * @property {HTMLElement | null} area  where the card sort and the plan check put themselves
 * @property {(method: string, path: string, body?: unknown) => Promise<any>} call  the answer's data; throws an Error whose message can be shown
 * @property {() => Promise<void>} join  join the workshop once, before a first dot or answer
 * @property {boolean} joined
 */

/** @returns {PhoneRoom} */
export function setupPhoneRoom() {
  const DATA = pageData();
  const CODE = DATA.workshop.code;

  const main = document.querySelector("main.phone");
  const writeSection = document.querySelector("section.write");
  const noteForm = /** @type {HTMLFormElement} */ (document.getElementById("note-form"));
  const noteText = /** @type {HTMLTextAreaElement} */ (document.getElementById("note-text"));
  const noteError = document.getElementById("note-error");

  /** @type {PhoneRoom} */
  const ctx = {
    code: CODE,
    workshop: DATA.workshop,
    area: null,
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
    const open = allowedNow(w).write;
    closedNote.textContent = open ? "" : _("Writing is closed for now ({phase}).", { phase: phaseText(w.phase).toLowerCase() });
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
      allowedNow(w).blind
        ? [el("p", { class: "phase-note" }, _("Blind writing: the board shows only how many notes there are until the facilitator reveals them."))]
        : [],
    sort: () => [
      el("h2", {}, _("The room is sorting")),
      el("p", { class: "phase-note" }, _("The notes are being sorted into the parts of the plan. Watch the board; when a card sort starts, it appears here.")),
    ],
    vote: () => [votes.root],
    "next-steps": () => [steps.root],
    closed: (w) => {
      /** @type {HTMLElement[]} */
      const panel = [
        el("h2", {}, _("Thank you for taking part")),
        el("p", { class: "phase-note" }, _("Read what we heard, and what we will do about it:")),
      ];
      const link = el("a", { href: `/w/${CODE}/summary`, class: "button primary big", id: "summary-link" }, _("What we heard, what we will do"));
      panel.push(link);
      if (allowedNow(w).write) panel.push(el("p", { class: "hint" }, _("You can still add a note below for a few more days.")));
      return panel;
    },
  };

  // -- following the room ------------------------------------------------------------------
  let refetchTimer = null;
  function refetchSoon(what) {
    clearTimeout(refetchTimer);
    refetchTimer = setTimeout(what, REFETCH_MS);
  }

  function loadForPhase() {
    if (allowedNow(ctx.workshop).vote) votes.load();
    if (ctx.workshop.phase === "next-steps") steps.load();
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
    bus.emit(TOPIC.workshop, ctx.workshop);
  }

  bus.on(TOPIC.phaseChanged, (payload) => {
    // The workshop carries what is allowed in every phase: the new phase's answer is at hand.
    ctx.workshop = { ...ctx.workshop, phase: payload.phase };
    drawPhase();
    loadForPhase();
  });
  bus.on(TOPIC.timerChanged, (payload) => countdown.set(payload.timer));
  bus.on(TOPIC.workshopChanged, () => refetchSoon(loadWorkshop));
  bus.on(TOPIC.sectionChanged, () => refetchSoon(loadWorkshop));
  bus.on(TOPIC.synced, loadWorkshop);
  noteText.addEventListener("input", () => {
    if (!allowedNow(ctx.workshop).write && !noteText.value.trim()) drawPhase();
  });
  // phone/phone.js puts a refused note back into the form with the server's message: show the form.
  new MutationObserver(() => drawPhase()).observe(noteError, { attributes: true, attributeFilter: ["hidden"] });

  // The phases' own screens, and the card sort and plan check: they subscribe after this
  // module, so ctx.workshop is current when they hear of a change.
  const votes = phoneVotes(ctx);
  const steps = phoneSteps(ctx);
  setupActivities(ctx);
  countdown.set(ctx.workshop.timer);
  drawPhase();
  return ctx;

}
