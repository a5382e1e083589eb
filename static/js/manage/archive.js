// @ts-check
// Closing the workshop for good (POST /api/workshops/<code>/archive), after the session: the
// page says what it does, offers it once the room is in the phase Closed (the server answers
// 409 before that, and this page shows its message if it does), and asks before sending.
import { api, phaseLabels } from "../core/common.js";
import { _, formatDateTime } from "../core/i18n.js";
import { showError } from "./dom.js";

export function archivePanel(ctx) {
  const start = /** @type {HTMLButtonElement} */ (document.getElementById("archive-start"));
  const why = document.getElementById("archive-why");
  const confirm = document.getElementById("archive-confirm");
  const sure = /** @type {HTMLButtonElement} */ (document.getElementById("archive-confirm-button"));
  const cancel = document.getElementById("archive-cancel");
  const state = document.getElementById("archive-state");
  const errorLine = document.getElementById("archive-error");

  function ask(asking) {
    confirm.hidden = !asking;
    start.setAttribute("aria-expanded", String(asking));
    (asking ? cancel : start).focus();
  }

  async function archive() {
    sure.disabled = true;
    showError(errorLine, null);
    try {
      const { data } = await api("POST", `/api/workshops/${ctx.state.code}/archive`);
      ctx.state.workshop = { ...ctx.state.workshop, ...data };
      confirm.hidden = true;
      render();
      await ctx.refresh();
    } catch (error) {
      showError(errorLine, error);
    } finally {
      sure.disabled = false;
    }
  }

  function render() {
    const { archived_at: archived, phase } = ctx.state.workshop;
    const closed = phase === "closed";
    state.textContent = archived
      ? _("Closed for good on {date}. The join code no longer works; the summary stays public.", { date: formatDateTime(new Date(archived)) })
      : "";
    start.hidden = Boolean(archived);
    start.disabled = !closed;
    why.textContent = archived || closed ? "" : _("First move the room to the phase {phase} (on the board).", { phase: phaseLabels().closed || "closed" });
    if (archived || !closed) confirm.hidden = true;
  }

  start.addEventListener("click", () => ask(true));
  cancel.addEventListener("click", () => ask(false));
  sure.addEventListener("click", archive);
  confirm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") ask(false);
  });
  return { render };
}
