// @ts-check
// The room's timer, shared by the board and the phones: the countdown and its clock format.

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
