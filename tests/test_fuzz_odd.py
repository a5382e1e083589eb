"""Odd values — numbers past SQLite's 64 bits, NaN and infinities, lone surrogates, NUL,
newlines, bidi controls — in every path parameter and every body field: always a 4xx with a
clear message, never a 5xx, and a refused request changes nothing."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.test_authorisation import ALLOWED, fill
from tests.test_fuzz import snapshot

HUGE = [2**63, -(2**63) - 1, 10**30]
NUMBERS = [*HUGE, float("nan"), float("inf"), float("-inf")]
TEXTS = ["\ud800", "a\udfffb", "\x00", "line\nbreak", "\u2028", "\u202eevil", "x" * 5000]
FIELDS = [
    "text", "client_id", "title", "section_id", "group_id", "index", "note_ids", "phase",
    "hidden", "position", "label", "count", "what", "revealed", "seconds", "rating", "status",
    "due", "owner", "outcome", "reason", "name", "color", "prompt_id", "card_code", "action",
]  # fmt: skip
PATH_VALUES = ["99999999999999999999999", "-1", "0", "%ED%A0%80", "%0A", "%E2%80%A8", "%00"]
ROUTES = sorted(route for route in ALLOWED if route[1].startswith(("/api/", "/w/", "/j/", "/c/")))
MUTATING = [route for route in ROUTES if route[0] != "GET"]


def parameters(rule: str) -> list[str]:
    return re.findall(r"<([^>]+)>", rule)


def check_answer(response, before, world) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code >= 400 and response.mimetype == "application/json":
        assert set(response.json) == {"error"}
        assert response.json["error"] and "Traceback" not in response.json["error"]
    if response.status_code >= 400:
        assert before == snapshot(world)


@pytest.mark.parametrize(
    "route,parameter",
    [(route, p) for route in ROUTES for p in parameters(route[1]) if p != "path:filename"],
    ids=lambda x: x if isinstance(x, str) else f"{x[0]} {x[1]}",
)
def test_odd_path_parameters_get_a_4xx(world, route, parameter):
    method, rule = route
    client = world["clients"]["facilitator"]
    for odd in PATH_VALUES:
        before = snapshot(world)
        path = fill(rule.replace(f"<{parameter}>", odd), world["values"])
        response = client.open(path, method=method, json={} if method != "GET" else None)
        check_answer(response, before, world)


@pytest.mark.parametrize("route", MUTATING, ids=lambda r: f"{r[0]} {r[1]}")
def test_odd_values_in_every_body_field_get_a_4xx(world, route):
    method, rule = route
    client = world["clients"]["facilitator"]
    path = fill(rule, world["values"])
    before = snapshot(world)
    for field in FIELDS:
        for odd in [*NUMBERS, *TEXTS, [2**64], {"x": float("nan")}]:
            response = client.open(path, method=method, json={field: odd})
            assert response.status_code < 500, response.get_data(as_text=True)[:500]
            if response.status_code < 400:  # an odd but storable value (a long text...)
                before = snapshot(world)
                continue
            if response.mimetype != "application/json":  # the no-JS form answers a page
                continue
            assert set(response.json) == {"error"}
            assert response.json["error"] and "Traceback" not in response.json["error"]
    # Refused requests changed nothing (compared once per route: a snapshot is costly).
    assert before == snapshot(world)


def test_a_number_past_64_bits_is_refused_with_a_clear_message(world):
    client = world["clients"]["facilitator"]
    code = world["values"]["code"]
    response = client.post(
        f"/api/workshops/{code}/notes",
        json={"text": "x", "client_id": "c-huge", "prompt_id": 2**64},
    )
    assert 400 == response.status_code
    assert "too large" in response.json["error"]


def test_nan_is_refused_with_a_clear_message(world):
    client = world["clients"]["facilitator"]
    note = world["values"]["int:note_id"]
    response = client.patch(f"/api/notes/{note}", json={"position": float("nan")})
    assert 400 == response.status_code
    assert "finite" in response.json["error"]


def test_a_lone_surrogate_is_refused_with_a_clear_message(world):
    client = world["clients"]["facilitator"]
    code = world["values"]["code"]
    response = client.post(
        f"/api/workshops/{code}/notes", json={"text": "hi", "client_id": "\ud800abc"}
    )
    assert 400 == response.status_code
    assert "Unicode" in response.json["error"]


@pytest.mark.parametrize("export", ["export.json", "export.csv", "export.md", "report.pdf"])
def test_a_newline_in_a_workshop_code_never_reaches_a_download_header(world, export):
    """The lookup forgives spaces (a newline too); the file is named with the stored code."""
    client = world["clients"]["facilitator"]
    code = world["values"]["code"]
    for odd in (f"{code}%0A", f"{code}%E2%80%A8", quote(code + "\r\nX: y")):
        response = client.get(f"/api/workshops/{odd}/{export}")
        response.get_data()  # the CSV streams: read it to its end
        response.close()
        assert response.status_code in (200, 404), response.status_code
        if response.status_code == 200:
            disposition = response.headers["Content-Disposition"]
            assert f"-{code}." in disposition
            assert not set("\r\n\u2028") & set(disposition)
