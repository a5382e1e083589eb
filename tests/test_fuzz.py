"""Arbitrary JSON at every API route: never a 5xx, never a stack trace, and a refused
request changes nothing."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_authorisation import ALLOWED, fill
from workshop.records import exports

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False)
    | st.text(max_size=300),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "text",
                    "client_id",
                    "title",
                    "section_id",
                    "group_id",
                    "index",
                    "note_ids",
                    "phase",
                    "hidden",
                    "position",
                    "label",
                    "count",
                    "what",
                    "revealed",
                    "action",
                    "seconds",
                    "rating",
                    "comment",
                    "status",
                    "due",
                    "owner",
                    "outcome",
                    "reason",
                    "days",
                    "name",
                    "color",
                    "prompt_id",
                    "card_code",
                    "settings",
                    "sections",
                    "prompts",
                    "body",
                ]
            )
            | st.text(max_size=10),
            children,
            max_size=6,
        )
    ),
    max_leaves=12,
)
MUTATING = sorted(route for route in ALLOWED if route[0] != "GET" and route[1].startswith("/api/"))


def snapshot(world):
    """Everything the workshop holds, as the complete export sees it."""
    app = world["clients"]["facilitator"].application
    db = app.extensions["workshop"].store.db
    data = exports.export_json(db, world["values"]["code"], None)
    data["tables"].pop("moderation_log")  # refused requests log nothing, but compare calmly
    return json.dumps(data, sort_keys=True, default=str)


@pytest.mark.parametrize("route", MUTATING, ids=lambda r: f"{r[0]} {r[1]}")
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(payload=JSON)
def test_arbitrary_json_never_breaks_a_route(world, route, payload):
    method, rule = route
    client = world["clients"]["facilitator"]  # the most powerful caller reaches the most code
    before = snapshot(world)
    response = client.open(fill(rule, world["values"]), method=method, json=payload)
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert set(response.json) == {"error"}
        assert "Traceback" not in response.json["error"]
        assert before == snapshot(world)
