// @ts-check
// The facilitator's room controls on the board: reveal what blind writing and hidden tallies
// keep back, and the room's settings (blind writing, hidden tallies, dots, writing phases).
import { bus, TOPIC } from "../core/bus.js";
import { allowedNow, el, phaseLabels } from "../core/common.js";
import { _ } from "../core/i18n.js";

/** @param {import("./board-room.js").Room} room */
export function revealControls(room) {
  const group = el("div", { class: "room-group", role: "group", "aria-label": _("Reveal") });
  const notes = el("button", { type: "button", class: "button small", id: "reveal-notes" });
  const tallies = el("button", { type: "button", class: "button small", id: "reveal-tallies" });
  const blindFlag = el("span", { class: "room-flag" });
  notes.addEventListener("click", () => reveal(room, "notes"));
  tallies.addEventListener("click", () => reveal(room, "tallies"));
  group.append(blindFlag, notes, tallies);
  bus.on(TOPIC.roomDrawn, () => {
    const w = room.workshop;
    const revealed = w.revealed || {};
    notes.hidden = !w.settings.blind_writing;
    notes.textContent = revealed.notes ? _("Hide the notes again") : _("Reveal the notes");
    tallies.hidden = !w.settings.hide_tallies;
    tallies.textContent = revealed.tallies ? _("Hide the tallies") : _("Reveal the tallies");
    const blind = allowedNow(w).blind;
    blindFlag.textContent = blind ? _("Blind writing: the room sees only the count") : "";
    blindFlag.hidden = !blind;
    group.hidden = notes.hidden && tallies.hidden;
  });
  return group;
}

async function reveal(room, what) {
  const shown = Boolean((room.workshop.revealed || {})[what]);
  const data = await room.call("PUT", `/api/workshops/${room.code}/reveal`, { what, revealed: !shown });
  if (data) room.applyWorkshop(data);
}

const TOGGLES = [
  ["blind_writing", _("Blind writing (the room sees only the count)")],
  ["hide_tallies", _("Hide the tallies until revealed")],
  ["several_dots_per_note", _("Several dots on one note")],
];


/** @param {import("./board-room.js").Room} room */
export function settingsControls(room) {
  const box = el("details", { class: "room-settings" });
  box.append(el("summary", {}, _("Room settings")));
  const form = el("div", { class: "room-settings-body" });
  const inputs = {};
  // Settings sent and not answered yet: a redraw in between (any live event redraws the room)
  // keeps them as the facilitator set them, instead of unticking a box just clicked.
  const pending = new Set();
  const change = (fields) => {
    const names = Object.keys(fields);
    names.forEach((name) => pending.add(name));
    changeSettings(room, fields).finally(() => names.forEach((name) => pending.delete(name)));
  };
  for (const [name, label] of TOGGLES) {
    const input = el("input", { type: "checkbox", id: `setting-${name}` });
    input.addEventListener("change", () => change({ [name]: input.checked }));
    const row = el("label", { for: input.id, class: "room-check" });
    row.append(input, document.createTextNode(label));
    form.append(row);
    inputs[name] = input;
  }
  const dots = el("input", { type: "number", id: "setting-votes", min: "0", max: "50", class: "small-number" });
  dots.addEventListener("change", () => change({ votes_per_attendee: Number(dots.value) }));
  const dotsRow = el("label", { for: dots.id, class: "room-check" });
  dotsRow.append(document.createTextNode(_("Dots each")), dots);
  const phases = el("fieldset", { class: "writing-phases" });
  phases.append(el("legend", {}, _("Phones may write during")));
  const phaseInputs = {};
  // The phases and their names are the server's (as in the facilitator's phase list).
  for (const [phase, label] of Object.entries(phaseLabels())) {
    const input = el("input", { type: "checkbox", id: `writing-${phase}`, value: phase });
    input.addEventListener("change", () => {
      const chosen = Object.values(phaseInputs).filter((i) => i.checked).map((i) => i.value);
      change({ writing_phases: chosen.join(",") });
    });
    const row = el("label", { for: input.id, class: "room-check" });
    row.append(input, document.createTextNode(label));
    phases.append(row);
    phaseInputs[phase] = input;
  }
  form.append(dotsRow, phases);
  box.append(form);
  bus.on(TOPIC.roomDrawn, () => {
    const settings = room.workshop.settings;
    for (const [name] of TOGGLES) if (!pending.has(name)) inputs[name].checked = Boolean(settings[name]);
    if (document.activeElement !== dots && !pending.has("votes_per_attendee")) dots.value = settings.votes_per_attendee;
    if (pending.has("writing_phases")) return;
    const writing = String(settings.writing_phases).split(",");
    for (const [phase, input] of Object.entries(phaseInputs)) input.checked = writing.includes(phase);
  });
  return box;
}

async function changeSettings(room, fields) {
  const data = await room.call("PATCH", `/api/workshops/${room.code}/settings`, fields);
  if (data) room.applyWorkshop(data);
  else room.refresh(); // put the controls back as they were
}
