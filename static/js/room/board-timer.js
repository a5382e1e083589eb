// @ts-check
// The room's timer on the board: large in the header for everyone; presets, custom minutes,
// pause/resume, +1 min and stop for the facilitator; an optional chime when time is up,
// made with the Web Audio API (no sound files).
import { bus, TOPIC } from "../core/bus.js";
import { el, phaseText } from "../core/common.js";
import { Countdown, formatClock } from "./countdown.js";
import { _, formatNumber } from "../core/i18n.js";

const PRESETS = [2, 5, 10]; // minutes
const CHIME_KEY = "workshop:chime";
const CHIME_NOTES = [784, 988, 1175]; // G5, B5, D6: a soft rising arpeggio

/** @param {import("../room/board-room.js").Room} room */
export function setupTimer(room) {
  const box = el("div", { class: "room-timer", id: "room-timer", hidden: true });
  const label = el("p", { class: "timer-label" });
  const clock = el("p", { class: "timer-clock", role: "timer" });
  const state = el("p", { class: "timer-state", "aria-live": "polite" });
  box.append(label, clock, state);
  document.querySelector(".board-title").after(box);

  let before = null; // the state at the last tick: a timer that runs out while we watch
  // chimes; one that had ended before this board opened does not
  const countdown = new Countdown((now, left, timer) => {
    box.hidden = now === "stopped";
    box.dataset.state = now;
    if (controls) controls.update(now);
    if (now === "ended" && before === "running") chime();
    before = now;
    if (!timer) return;
    clock.textContent = formatClock(left);
    label.textContent = timer.label || _("Timer");
    state.textContent = { paused: _("Paused"), ended: _("Time's up") }[now] || "";
  });

  const controls = room.bar ? timerControls(room, countdown) : null;
  bus.on(TOPIC.workshop, (workshop) => countdown.set(workshop.timer));
  bus.on(TOPIC.timerChanged, (payload) => countdown.set(payload.timer));
  countdown.set(room.workshop.timer);
}

/**
 * @param {import("./board-room.js").Room} room
 * @param {Countdown} countdown
 */
function timerControls(room, countdown) {
  const group = el("div", { class: "room-group timer-controls", role: "group", "aria-label": _("Timer") });
  const send = (body) => room.call("POST", `/api/workshops/${room.code}/timer`, body);
  const start = (minutes) => {
    const label = phaseText(room.workshop.phase);
    return send({ action: "start", seconds: Math.round(minutes * 60), label });
  };
  group.append(el("span", { class: "room-group-label" }, _("Timer")));
  for (const minutes of PRESETS) {
    const button = el("button", { type: "button", class: "button small" }, _("{minutes} min", { minutes: formatNumber(minutes) }));
    button.addEventListener("click", () => start(minutes));
    group.append(button);
  }
  const custom = el("input", {
    type: "number", min: "0.5", max: "240", step: "0.5", id: "timer-minutes",
    class: "small-number", "aria-label": _("Minutes"), placeholder: _("min"),
  });
  const go = el("button", { type: "button", class: "button small" }, _("Start"));
  go.addEventListener("click", () => {
    const minutes = Number(custom.value);
    if (minutes > 0) start(minutes);
    else custom.focus();
  });
  custom.addEventListener("keydown", (event) => event.key === "Enter" && go.click());
  const pause = el("button", { type: "button", class: "button small", hidden: true });
  pause.addEventListener("click", () =>
    send({ action: countdown.state() === "paused" ? "resume" : "pause" }),
  );
  const more = el("button", { type: "button", class: "button small", hidden: true }, _("+1 min"));
  more.addEventListener("click", () => send({ action: "add", seconds: 60 }));
  const stop = el("button", { type: "button", class: "button small", hidden: true }, _("Stop"));
  stop.addEventListener("click", () => send({ action: "stop" }));
  const chimeBox = el("input", { type: "checkbox", id: "timer-chime" });
  chimeBox.checked = localStorage.getItem(CHIME_KEY) === "on";
  chimeBox.addEventListener("change", () => {
    localStorage.setItem(CHIME_KEY, chimeBox.checked ? "on" : "off");
    if (chimeBox.checked) chime(true); // a click may start audio: play it once now
  });
  const chimeLabel = el("label", { for: "timer-chime", class: "room-check" });
  chimeLabel.append(chimeBox, document.createTextNode(_("Chime")));
  group.append(custom, go, pause, more, stop, chimeLabel);
  room.bar.append(group);
  return {
    update(now) {
      const running = now === "running" || now === "paused";
      pause.hidden = !running;
      pause.textContent = now === "paused" ? _("Resume") : _("Pause");
      more.hidden = now === "stopped";
      stop.hidden = now === "stopped";
    },
  };
}

let audio = null;
function chime(force = false) {
  if (!force && localStorage.getItem(CHIME_KEY) !== "on") return;
  const AudioContext = window.AudioContext || window.webkitAudioContext;
  if (!AudioContext) return;
  audio = audio || new AudioContext();
  if (audio.state === "suspended") audio.resume();
  const start = audio.currentTime + 0.05;
  CHIME_NOTES.forEach((frequency, index) => {
    const at = start + index * 0.22;
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.type = "sine";
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 1.2);
    tone.connect(gain).connect(audio.destination);
    tone.start(at);
    tone.stop(at + 1.25);
  });
}
