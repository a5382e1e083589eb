// @ts-check
// The presenter console's projector row, on the facilitator's board: what every public board
// shows (one button per view, the question to show big), freeze and show, and the link that
// opens the projected screen, answered as the room (?as=room), for the projector's window.
// The server keeps the choice (PUT /api/workshops/<code>/projection); this row only asks.
import { bus, TOPIC } from "../core/bus.js";
import { el } from "../core/common.js";
import { _ } from "../core/i18n.js";
import { projectionOf, VIEW_KEYS } from "./projection.js";

/** @param {import("./board-room.js").Room} room */
export function projectorConsole(room) {
  const row = el("nav", { class: "projector-console", id: "projector-console", "aria-label": _("On the projector") });
  const title = el("span", { class: "console-label", id: "projector-label" }, _("On the projector"));
  const views = el("div", { class: "projector-views", role: "group", "aria-labelledby": "projector-label" });
  const VIEW_LABELS = {
    board: _("Board"),
    ranked: _("Ranked"),
    sort: _("Card sort"),
    check: _("Plan check"),
    "next-steps": _("Next steps"),
    closing: _("Closing"),
  };
  /** @type {Map<string, HTMLButtonElement>} */
  const buttons = new Map();
  for (const [view, label] of Object.entries(VIEW_LABELS)) {
    const button = el("button", { type: "button", class: "button small projector-view", "data-view": view }, label);
    button.addEventListener("click", () => project({ view }));
    buttons.set(view, button);
  }
  // One question, big: the prompt's text is the choice (prompts can be long: a select).
  const question = el("select", { class: "projector-question", id: "projector-question", "aria-label": _("Show one question big") });
  question.addEventListener("change", () => {
    if (question.value) project({ view: "question", prompt_id: Number(question.value) });
  });
  const freeze = el("button", { type: "button", class: "button small projector-freeze", id: "projector-freeze", "aria-pressed": "false" });
  freeze.title = _("Freeze: the projector keeps what it shows while you rearrange; Show it: the room sees the board as it is now");
  freeze.addEventListener("click", () => project({ frozen: !projectionOf(room.workshop).frozen }));
  const open = el(
    "a",
    { class: "button small quiet", href: `/w/${room.code}/board?as=room`, target: "workshop-projector", id: "open-projector" },
    _("Projector window"),
  );
  open.title = _("Opens the board as the room sees it: drag that window to the projector");
  const status = el("span", { class: "projector-status", id: "projector-status", role: "status" });
  views.append(buttons.get("board"), question, ...["ranked", "sort", "check", "next-steps", "closing"].map((v) => buttons.get(v)));
  row.append(title, views, freeze, open, status);

  async function project(fields) {
    const data = await room.call("PUT", `/api/workshops/${room.code}/projection`, fields);
    if (data) {
      room.workshop = { ...room.workshop, projection: data };
      draw();
    }
  }

  function draw() {
    const projection = projectionOf(room.workshop);
    for (const [view, button] of buttons) {
      button.setAttribute("aria-pressed", String(projection.view === view));
      const key = VIEW_KEYS[view];
      // A view the room cannot see now (no card sort yet, no dots counted yet) is not offered.
      const roomView = room.views.get(key);
      button.disabled = view !== "board" && view !== "closing" && view !== "next-steps" && !(roomView && roomView.available());
    }
    const prompts = room.workshop.prompts;
    const current = projection.view === "question" ? String(projection.prompt_id) : "";
    question.replaceChildren(
      el("option", { value: "" }, prompts.length ? _("Question…") : _("No questions")),
      ...prompts.map((p) => el("option", { value: p.id, selected: String(p.id) === current }, p.text)),
    );
    question.value = current;
    question.disabled = !prompts.length;
    question.classList.toggle("is-chosen", projection.view === "question");
    freeze.setAttribute("aria-pressed", String(projection.frozen));
    freeze.textContent = projection.frozen ? _("Show it") : _("Freeze");
    // The pressed button says what the room sees; frozen, the room still sees the old picture.
    status.textContent = projection.frozen ? _("Frozen: the room sees what it saw before") : "";
    row.classList.toggle("is-frozen", projection.frozen);
  }
  bus.on(TOPIC.roomDrawn, () => {
    if (document.activeElement !== question) draw();
  });
  bus.on(TOPIC.projectionChanged, () => draw());
  return row;
}
