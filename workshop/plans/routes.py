"""Plans over HTTP: the plan and its sessions, what the programme heard, revisions,
commitments, plan.pdf and the poster, importing a session's export; and the two pages, the
facilitator's plan page and the public plan page (which works without JavaScript)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

import printables
from workshop.core.i18n import N_
from workshop.plans import commitments, document, heard, plans, sessions
from workshop.records import exports
from workshop.web.bodies import body
from workshop.web.context import photos_dir, public_url, require_facilitator, services
from workshop.web.i18n import gettext
from workshop.web.offload import run_blocking
from workshop.workshops.routes import workshop_json

api = Blueprint("plans_api", __name__, url_prefix="/api")
pages = Blueprint("plans_pages", __name__)

# A session's export with its photos can be far larger than any other request.
IMPORT_MAX_BYTES = 64 * 1024 * 1024


def public_plan_url(code: str) -> str:
    return f"{public_url()}/p/{code}"


@api.post("/plans")
def create_plan() -> tuple[Response, int]:
    require_facilitator(N_("create a plan"))
    data = body()
    plan = plans.create_plan(
        services().store,
        title=data.get("title"),
        description=data.get("description"),
        sections=data.get("sections"),
        language=data.get("language"),
    )
    return jsonify(plan), 201


@api.get("/plans")
def list_plans() -> Response:
    require_facilitator(N_("list the plans"))
    return jsonify(plans.list_plans(services().store.db))


@api.get("/plans/<code>")
def get_plan(code: str) -> Response:
    return jsonify(plans.get_plan(services().store.db, code))


@api.post("/plans/<code>/sessions")
def create_session(code: str) -> tuple[Response, int]:
    require_facilitator(N_("add a session to a plan"))
    data = body()
    session = sessions.create_session(
        services().store,
        code,
        kind=data.get("kind"),
        venue=data.get("venue"),
        held_on=data.get("date"),
        title=data.get("title"),
        description=data.get("description"),
        prompts=data.get("prompts"),
        settings=data.get("settings"),
    )
    return jsonify({**workshop_json(session["code"]), "session": session["session"]}), 201


@api.get("/plans/<code>/heard")
def plan_heard(code: str) -> Response:
    require_facilitator(N_("see what the plan's sessions heard"))
    args = request.args
    return jsonify(
        heard.plan_heard(services().store.db, code, args.get("session"), args.get("channel"))
    )


@api.post("/plan-sections/<int:section_id>/revisions")
def revise_section(section_id: int) -> tuple[Response, int]:
    require_facilitator(N_("revise the plan"))
    return jsonify(plans.revise_section(services().store, section_id, body())), 201


@api.get("/plan-sections/<int:section_id>/revisions")
def section_revisions(section_id: int) -> Response:
    return jsonify(plans.section_revisions(services().store.db, section_id))


@api.get("/plans/<code>/next-steps")
def list_steps(code: str) -> Response:
    return jsonify(commitments.list_steps(services().store.db, code))


@api.post("/plans/<code>/next-steps")
def create_step(code: str) -> tuple[Response, int]:
    require_facilitator(N_("record the plan's next steps"))
    return jsonify(commitments.create_step(services().store, code, body())), 201


@api.post("/plan-steps/<int:step_id>/updates")
def add_update(step_id: int) -> tuple[Response, int]:
    require_facilitator(N_("update the plan's next steps"))
    return jsonify(commitments.add_update(services().store, step_id, body())), 201


@api.post("/plans/import")
def import_session() -> tuple[Response, int]:
    """A session's export.json from another laptop: it joins its plan here (made from the
    export when this laptop has no copy); the same export again changes nothing (200)."""
    require_facilitator(N_("import a session"))
    request.max_content_length = IMPORT_MAX_BYTES
    store = services().store
    code, added = exports.import_export(store, body(), photos_dir())
    session = sessions.session_of(store.db, code)
    return jsonify(code=code, imported=added, session=session), 201 if added else 200


@api.get("/plans/<code>/plan.pdf")
def plan_pdf(code: str) -> Response:
    data = document.plan_document(services().store.db, code, public_plan_url(code))
    return _pdf(run_blocking(printables.build_plan, data), f"plan-{data['code']}.pdf")


@api.get("/plans/<code>/poster.pdf")
def poster_pdf(code: str) -> Response:
    require_facilitator(N_("print the plan's poster"))
    data = document.plan_document(services().store.db, code, public_plan_url(code))
    return _pdf(run_blocking(printables.build_plan_poster, data), f"you-said-{data['code']}.pdf")


def _pdf(content: bytes, filename: str) -> Response:
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@pages.get("/plans/<code>")
def plan_page(code: str) -> str:
    """The facilitator's plan page: what every session heard, by section, side by side; a
    form filters it (the page's script only submits it on change)."""
    require_facilitator(N_("open the plan page (open the facilitator link on this device first)"))
    args = request.args
    data = heard.plan_heard(services().store.db, code, args.get("session"), args.get("channel"))
    steps = commitments.list_steps(services().store.db, code)
    kinds = _labels(plans.KIND_LABELS)
    return render_template(
        "plan.html",
        h=data,
        steps=steps,
        names={s["code"]: s["venue"] or kinds[s["kind"]] for s in data["sessions"]},
        public_url=public_plan_url(data["plan"]["code"]),
        data={"plan": {"code": data["plan"]["code"]}},
    )


@pages.get("/p/<code>")
def public_plan(code: str) -> str:
    """The user-informed plan, public: server-rendered, no script, prints."""
    data = document.plan_document(services().store.db, code, public_plan_url(code))
    return render_template("plan_public.html", d=data, kind_labels=_labels(plans.KIND_LABELS))


def _labels(labels: dict[str, str]) -> dict[str, str]:
    return {key: gettext(value) for key, value in labels.items()}
