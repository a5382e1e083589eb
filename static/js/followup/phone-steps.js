// @ts-check
// The next steps on a phone, in the next-steps phase: what the organisers commit to, with
// its status, owner and date. room/phone-room.js shows the screen and calls load().
import { bus, TOPIC } from "../core/bus.js";
import { el } from "../core/common.js";
import { _ } from "../core/i18n.js";

const REFETCH_MS = 400; // the room's changes reach phones in batches: fetch once per batch

/** @param {import("../room/phone-room.js").PhoneRoom} ctx */
export function phoneSteps(ctx) {
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
      steps = await ctx.call("GET", `/api/workshops/${ctx.code}/next-steps`);
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

  let refetchTimer = null;
  bus.on(TOPIC.nextStepChanged, () => {
    if (ctx.workshop.phase !== "next-steps") return;
    clearTimeout(refetchTimer);
    refetchTimer = setTimeout(loadNextSteps, REFETCH_MS);
  });

  return { root: nextSteps.root, load: loadNextSteps };
}
