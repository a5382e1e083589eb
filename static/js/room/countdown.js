// @ts-check
// Running the room, shared by the board and the phones: the countdown and a few formats.
import { _, LANG } from "../core/i18n.js";

// The server sends the timer as {running, left, total, label, ends_at, server_time}. A phone's
// clock can be minutes off, so the time left is counted on the server's clock: the offset
// between the two is taken each time a timer state arrives.
export class Countdown {
  constructor(onTick) {
    this.onTick = onTick;
    this.timer = null;
    this.offset = 0;
    this.interval = null;
  }

  set(timer) {
    this.timer = timer || null;
    if (this.timer) this.offset = this.timer.server_time - Date.now() / 1000;
    clearInterval(this.interval);
    this.interval = this.timer && this.timer.running ? setInterval(() => this.tick(), 250) : null;
    this.tick();
  }

  left() {
    if (!this.timer) return 0;
    if (!this.timer.running) return this.timer.left;
    return Math.max(0, this.timer.ends_at - (Date.now() / 1000 + this.offset));
  }

  // "stopped" (no timer), "running", "paused" or "ended" (ran out; the server keeps it running).
  state() {
    if (!this.timer) return "stopped";
    if (this.left() <= 0) return "ended";
    return this.timer.running ? "running" : "paused";
  }

  tick() {
    const state = this.state();
    if (state === "ended") {
      clearInterval(this.interval);
      this.interval = null;
    }
    this.onTick(state, this.left(), this.timer);
  }
}

export function formatClock(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  const minutes = Math.floor(whole / 60);
  return `${minutes}:${String(whole % 60).padStart(2, "0")}`;
}

// A share (0…1) as a whole percentage in the page's language: "67%", or "67 %" in Spanish.
const PERCENT = new Intl.NumberFormat(LANG, { style: "percent", maximumFractionDigits: 0 });

export function percent(share) {
  return PERCENT.format(Math.round((share || 0) * 100) / 100);
}

export const RATINGS = [
  { value: "workable", label: _("Workable") },
  { value: "needs-changes", label: _("Needs changes") },
  { value: "not-workable", label: _("Not workable") },
];

// The phases in which phones may post notes: the setting, or after the session while the
// feedback window is open.
export function writingOpen(workshop, now = Date.now()) {
  const phases = String(workshop.settings.writing_phases || "").split(",");
  if (phases.includes(workshop.phase)) return true;
  const until = workshop.feedback_until;
  return workshop.phase === "closed" && Boolean(until) && Date.parse(until) > now;
}

export function blindActive(workshop) {
  const revealed = workshop.revealed || {};
  return Boolean(workshop.settings.blind_writing) && workshop.phase === "gather" && !revealed.notes;
}
