"""The application factory: configuration, the database, blueprints, sockets, headers."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from workshop.activities import routes as activities_api
from workshop.board import routes as board_api
from workshop.core import db as database
from workshop.core import files, tokens
from workshop.core.protocol import PHONE_BATCH_SECONDS
from workshop.core.ratelimit import RateLimiter, SharedRateLimiter
from workshop.followup import routes as followup
from workshop.notes import routes as notes_api
from workshop.paper import routes as paper
from workshop.paper import scanroutes as paper_scans
from workshop.plans import routes as plans
from workshop.realtime import sockets as realtime
from workshop.realtime import upkeep
from workshop.records import backups
from workshop.records import routes as privacy_api
from workshop.room import routes as room_api
from workshop.suggestions import routes as suggestions_api
from workshop.venue import routes as venue
from workshop.web import (
    compress,
    errors,
    forgery,
    guesses,
    i18n,
    offload,
    pages,
    sessions,
    signin,
    statecache,
)
from workshop.web.bodies import LARGEST
from workshop.web.context import Services
from workshop.workshops import routes as workshops_api

PACKAGE = Path(__file__).parent.parent


class StoredInteger(IntegerConverter):
    """``<int:…>`` in a path matches only what SQLite can store (64 bits): a larger id is
    a plain 404, not an OverflowError in a query."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", LARGEST)
        super().__init__(url_map, *args, **kwargs)


def _asset_folder(name: str) -> str:
    """Installed wheels carry static/ and templates/ inside the package; a checkout beside it."""
    inside = PACKAGE / name
    return str(inside if inside.is_dir() else PACKAGE.parent / name)


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app. Config: DATA_DIR (None = in memory), PUBLIC_URL, FACILITATOR_TOKEN,
    PROXY_HOPS, ASYNC_MODE, MESSAGE_QUEUE, PHONE_BATCH_SECONDS, BACKUP_MINUTES, BACKUP_KEEP."""
    app = Flask(
        __name__,
        static_folder=_asset_folder("static"),
        template_folder=_asset_folder("templates"),
    )
    app.url_map.converters["int"] = StoredInteger
    app.config.from_mapping(
        DATA_DIR=os.environ.get("WORKSHOP_DATA"),
        PUBLIC_URL=os.environ.get("WORKSHOP_PUBLIC_URL"),
        FACILITATOR_TOKEN=os.environ.get("WORKSHOP_FACILITATOR_TOKEN"),
        # Proxies in front (nginx, docs/deploy.md): a phone's address is then the one they
        # forward, which the per-address limits on new phones and new ballots need.
        PROXY_HOPS=int(os.environ.get("WORKSHOP_PROXY_HOPS") or 0),
        ASYNC_MODE="threading",
        MESSAGE_QUEUE=None,
        PHONE_BATCH_SECONDS=PHONE_BATCH_SECONDS,
        MAX_CONTENT_LENGTH=64 * 1024,
        # New phones joining from one address (a whole venue may share one): generous.
        NEW_PHONES_PER_MINUTE=600,
        NEW_PHONES_BURST=1000,
        # Lookups finding no workshop or scribe link, per address (web/guesses.py).
        GUESSES_BURST=guesses.BURST,
        GUESSES_PER_MINUTE=guesses.PER_MINUTE,
        SESSION_COOKIE_NAME="workshop",
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        PERMANENT_SESSION_LIFETIME=timedelta(days=90),
        # Re-signing the cookie on every post cost ~0.2 ms a request (bench/realtime.py).
        SESSION_REFRESH_EACH_REQUEST=False,
        SEND_FILE_MAX_AGE_DEFAULT=0,
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.from_mapping(test_config)

    data_dir = Path(app.config["DATA_DIR"]) if app.config["DATA_DIR"] else None
    if data_dir is None:
        store = database.connect(None)
        token = app.config["FACILITATOR_TOKEN"]
        token_hash = tokens.hash_token(token) if token else None
    else:
        files.secure_data_dir(data_dir)  # modes an older version left world-readable
        store = database.connect(data_dir / "workshop.db")
        # Kept in the data dir, so phones stay joined when the laptop restarts the server.
        app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or tokens.secret_key(data_dir)
        if app.config["FACILITATOR_TOKEN"]:
            tokens.issue_facilitator_token(data_dir, app.config["FACILITATOR_TOKEN"])
        token_hash = tokens.stored_token_hash(data_dir)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.urandom(32).hex()

    app.extensions["workshop"] = Services(
        store=store,
        facilitator_key=tokens.FacilitatorKey(data_dir, token_hash),
        public_url=app.config["PUBLIC_URL"],
        limiter=_rate_limiter(app.config["MESSAGE_QUEUE"]),
    )
    app.session_interface = sessions.RememberingSessions()
    errors.register(app)
    app.before_request(forgery.check_request)
    app.before_request(offload.read_uploads_in_turns)
    guesses.init_app(app, errors.domain_response)
    i18n.init_app(app)
    compress.init_app(app)
    statecache.init_app(app)
    app.register_blueprint(workshops_api.bp)
    app.register_blueprint(notes_api.bp)
    app.register_blueprint(board_api.bp)
    app.register_blueprint(room_api.bp)
    app.register_blueprint(activities_api.bp)
    app.register_blueprint(followup.api)
    app.register_blueprint(followup.pages)
    app.register_blueprint(pages.bp)
    app.register_blueprint(signin.bp)
    app.register_blueprint(paper.api)
    app.register_blueprint(paper.pages)
    app.register_blueprint(paper_scans.api)
    app.register_blueprint(paper_scans.pages)
    app.register_blueprint(privacy_api.bp)
    app.register_blueprint(plans.api)
    app.register_blueprint(plans.pages)
    app.register_blueprint(suggestions_api.bp)
    app.register_blueprint(venue.bp)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # No address of ours goes to another site; our own forms still name their origin
        # (under "no-referrer" a browser sends `Origin: null`, which web.forgery refuses).
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "application/json":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    if app.config["PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"])  # type: ignore[method-assign]
    realtime.socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config["MESSAGE_QUEUE"],
        max_http_buffer_size=64 * 1024,
        ping_interval=20,
        ping_timeout=20,
    )
    feed = realtime.init_app(app, batch_seconds=app.config["PHONE_BATCH_SECONDS"])
    if app.config["ASYNC_MODE"] == "gevent":
        # Serving: flush the phones' batches from the start, even in a process that only
        # takes HTTP posts (with a message queue, its batch goes to every process's phones).
        feed.start(app)
    _start_upkeep(app)
    return app


def _rate_limiter(message_queue: str | None) -> RateLimiter:
    """Several processes on a Redis queue share the phones' allowances; one process keeps
    them in memory."""
    if message_queue and message_queue.startswith(("redis://", "rediss://", "unix://")):
        return SharedRateLimiter(message_queue)
    return RateLimiter()


def _start_upkeep(app: Flask) -> None:
    """Automatic backups and the token-rotation watch (workshop.upkeep), for a server with a
    data dir. Tests opt in by setting BACKUP_MINUTES."""
    minutes = app.config.get("BACKUP_MINUTES")
    if not app.config["DATA_DIR"] or (app.config.get("TESTING") and minutes is None):
        return
    services = app.extensions["workshop"]
    keeper = upkeep.Upkeep(
        services.store,
        Path(app.config["DATA_DIR"]),
        realtime.socketio,
        services.facilitator_key,
        minutes=backups.DEFAULT_MINUTES if minutes is None else minutes,
        keep=app.config.get("BACKUP_KEEP") or backups.DEFAULT_KEEP,
        sign_out=app.extensions["workshop_fanout"].sign_out_facilitators,
    )
    services.store.subscribe(keeper.on_event)
    app.extensions["workshop_upkeep"] = keeper
    keeper.start()
