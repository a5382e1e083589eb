"""The language of a request, and gettext in the templates (Jinja2's i18n extension).

A person's pages (phone, card, summary, console) speak the language they chose with the
switcher (``?lang=es``, kept in a cookie), else the first their browser asks for
(Accept-Language), else English. The board speaks the workshop's language
(``use_language``), since it is the room's screen, not one person's.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from flask import Flask, Response, g, request
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from workshop.core import i18n
from workshop.core.errors import WorkshopError
from workshop.web.modules import module_graph

COOKIE = "lang"
COOKIE_SECONDS = 365 * 24 * 3600


def request_language() -> str:
    """The language for this request: switcher, cookie, browser, English."""
    language = g.get("language")
    if language is None:
        chosen = request.args.get("lang")
        if not i18n.is_language(chosen):
            chosen = request.cookies.get(COOKIE)
        if not i18n.is_language(chosen):
            chosen = i18n.best_language(tag for tag, _ in request.accept_languages)
        language = g.language = chosen
    return language


def use_language(language: object) -> str:
    """Render the rest of this request in ``language`` (a workshop's, for its board)."""
    g.language = language if i18n.is_language(language) else i18n.SOURCE_LANGUAGE
    return g.language


def gettext(message: str, **params: object) -> str:
    text = i18n.translations(request_language()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    text = i18n.translations(request_language()).ngettext(singular, plural, n)
    return text % {"num": n, **params}


def error_message(error: WorkshopError) -> str:
    """A domain error's message in the caller's language."""
    return error.translated(i18n.translations(request_language()).gettext)


def script_catalogue(*entries: str) -> Markup:
    """The page's JSON for static/js/core/i18n.js: its language, plural forms and messages
    (when ``entries`` are given, only those of these modules and of every module they
    import: "board/board.js")."""
    language = request_language()
    files = module_graph(*entries) if entries else None
    payload = {
        "lang": language,
        "plural": i18n.plural_forms(language),
        "messages": i18n.script_messages(language, files),
    }
    return htmlsafe_json_dumps(payload)


def switcher_links() -> list[dict]:
    """The language switcher: one link per language, on the current page."""
    args = request.args.to_dict()
    links = []
    for code, name in i18n.languages().items():
        links.append(
            {
                "code": code,
                "name": name,
                "href": request.path + "?" + urlencode({**args, "lang": code}),
                "current": code == request_language(),
            }
        )
    return links


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        lambda message: i18n.translations(request_language()).gettext(message),
        lambda singular, plural, n: i18n.translations(request_language()).ngettext(
            singular, plural, n
        ),
        newstyle=True,
    )

    @app.context_processor
    def language_context() -> dict:
        return {
            "lang": request_language(),
            "languages": switcher_links,
            "script_catalogue": script_catalogue,
        }

    @app.template_filter("datetime")
    def datetime_filter(value: object, format: str = "medium") -> str:
        """A stored timestamp (ISO text or a datetime) in the page's language."""
        if isinstance(value, str):
            text = value
            try:
                value = datetime.fromisoformat(text)
            except ValueError:
                return text
        if not isinstance(value, datetime):
            return "" if value is None else str(value)
        return format_datetime(value, format, locale=request_language())

    @app.template_filter("day")
    def day_filter(value: object) -> str:
        """A date ("2027-03-01") written out in the page's language ("Mar 1, 2027")."""
        try:
            day = date.fromisoformat(str(value)[:10])
        except ValueError:
            return "" if value is None else str(value)
        return format_date(day, "medium", locale=request_language())

    @app.template_filter("number")
    def number_filter(value: object) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "" if value is None else str(value)
        return format_decimal(value, locale=request_language())

    @app.after_request
    def remember_choice(response: Response) -> Response:
        chosen = request.args.get("lang")
        if response.mimetype != "text/html":  # an API call in a page's language: no choice
            return response
        if i18n.is_language(chosen) and request.cookies.get(COOKIE) != chosen:
            response.set_cookie(
                COOKIE, chosen, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True
            )
        return response
