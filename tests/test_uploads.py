"""Photos on disk: a refused upload leaves no file, a removed or deleted one is gone, and
decoding large photos never holds the rest of the server."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests.liveserver import TOKEN, wait_until
from workshop.core import images
from workshop.paper import cards
from workshop.web.app import create_app
from workshop.web.offload import Slots, run_blocking
from workshop.workshops import workshops

UPLOAD = {"X-Workshop-Upload": "1"}


def jpeg(colour=(200, 120, 40), size=(80, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def served(data):
    app = create_app({"TESTING": True, "FACILITATOR_TOKEN": TOKEN, "DATA_DIR": str(data)})
    yield app
    app.extensions["workshop"].store.close()


@pytest.fixture
def facilitator(served):
    client = served.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    return client


@pytest.fixture
def code(served):
    return workshops.create_workshop(served.extensions["workshop"].store, title="Photos")["code"]


def photos(data: Path) -> list[str]:
    folder = data / "photos"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def card_photo(client, card: str, client_id: str, payload: bytes | None = None):
    return client.post(
        f"/api/cards/{card}/note",
        data={"client_id": client_id, "photo": (io.BytesIO(payload or jpeg()), "card.jpg")},
        headers=UPLOAD,
    )


def test_a_refused_card_photo_leaves_no_file(served, facilitator, code, data):
    store = served.extensions["workshop"].store
    first, second = (c["code"] for c in cards.issue_cards(store, code, 2))
    entered = card_photo(facilitator, first, "first")
    assert 201 == entered.status_code
    kept = photos(data)
    assert [entered.json["photo"]] == kept

    again = card_photo(facilitator, first, "someone-else", jpeg((1, 2, 3)))
    assert (409, "This card was already entered. Edit its note instead of adding another.") == (
        again.status_code,
        again.json["error"],
    )
    resend = card_photo(facilitator, first, "first", jpeg((9, 9, 9)))
    assert (200, entered.json["id"]) == (resend.status_code, resend.json["id"])
    broken = card_photo(facilitator, second, "broken", b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    assert 400 == broken.status_code
    phone = served.test_client()
    assert 200 == phone.post(f"/api/workshops/{code}/join", json={}).status_code
    refused = card_photo(phone, second, "phone")
    assert 403 == refused.status_code
    assert kept == photos(data)


def test_a_refused_room_photo_leaves_no_file_and_a_removed_one_goes(facilitator, code, data):
    too_long = facilitator.post(
        f"/api/workshops/{code}/photos",
        data={"photo": (io.BytesIO(jpeg()), "chart.jpg"), "caption": "x" * 201},
        headers=UPLOAD,
    )
    assert 400 == too_long.status_code
    assert [] == photos(data)
    added = facilitator.post(
        f"/api/workshops/{code}/photos",
        data={"photo": (io.BytesIO(jpeg()), "chart.jpg"), "caption": "Table 3"},
        headers=UPLOAD,
    )
    assert 201 == added.status_code
    assert [added.json["file"]] == photos(data)

    removed = facilitator.delete(f"/api/photos/{added.json['id']}")
    assert 200 == removed.status_code
    assert [] == photos(data)


def test_a_workshop_deleted_for_good_leaves_none_of_its_files(served, facilitator, code, data):
    store = served.extensions["workshop"].store
    card = cards.issue_cards(store, code, 1)[0]["code"]
    other = workshops.create_workshop(store, title="Another evening")["code"]
    other_card = cards.issue_cards(store, other, 1)[0]["code"]
    for workshop, client_card in ((code, card), (other, other_card)):
        assert 201 == card_photo(facilitator, client_card, f"card-{workshop}").status_code
        added = facilitator.post(
            f"/api/workshops/{workshop}/photos",
            data={"photo": (io.BytesIO(jpeg()), "chart.jpg")},
            headers=UPLOAD,
        )
        assert 201 == added.status_code
    # What a refused upload left on disk before that was fixed: named after the card, the room.
    (data / "photos" / f"{card}-leftover.jpg").write_bytes(jpeg())
    (data / "photos" / f"room-{code}-leftover.jpg").write_bytes(jpeg())
    others = [name for name in photos(data) if name.startswith((other_card, f"room-{other}"))]
    assert 2 == len(others)

    deleted = facilitator.delete(f"/api/workshops/{code}", json={"confirm": code})
    assert (200, 4) == (deleted.status_code, deleted.json["photos"])
    assert others == photos(data)


def test_photo_decoding_takes_turns_in_its_slots():
    slots = Slots(2)
    running, most, lock = [0], [0], threading.Lock()
    release = threading.Event()

    def decode(index: int) -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        release.wait(timeout=60)
        with lock:
            running[0] -= 1
        return index

    with ThreadPoolExecutor(6) as pool:
        futures = [pool.submit(run_blocking, decode, i, slots=slots) for i in range(6)]
        wait_until(lambda: running[0] == 2, "two decodes running")
        assert not any(f.done() for f in futures)
        release.set()
        assert list(range(6)) == [f.result(timeout=60) for f in futures]
    assert 2 == most[0]


def big_png() -> bytes:
    """A 40-megapixel photo that is small to send (one colour compresses well) but slow to
    decode: every pixel is inflated, unfiltered and scaled down."""
    width = 7300
    height = images.MAX_PIXELS // width
    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 140, 200)).save(out, "PNG", compress_level=9)
    return out.getvalue()


def thread_times(pid: int) -> dict[int, int]:
    """CPU ticks each thread of process ``pid`` has used (Linux /proc)."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        found[int(task.name)] = int(fields[11]) + int(fields[12])  # utime + stime
    return found


def test_a_small_request_is_answered_while_large_photos_decode(live_server):
    server = live_server
    code = server.create_workshop(title="Big photos")["code"]
    other = server.create_workshop(title="Another room")["code"]
    payload = big_png()
    pid = server.process.pid
    before = thread_times(pid)

    def upload(index: int) -> int:
        with server.facilitator() as session:
            return session.post(
                f"{server.base_url}/api/workshops/{code}/photos",
                files={"photo": (f"chart-{index}.png", payload, "image/png")},
                headers=UPLOAD,
                timeout=300,
            ).status_code

    with ThreadPoolExecutor(6) as pool:
        uploads = [pool.submit(upload, i) for i in range(6)]

        def decoding_in_a_worker() -> bool:
            now = thread_times(pid)
            return any(now[t] > before.get(t, 0) for t in now if t != pid)

        # The decode runs in a worker thread (never on the event loop's thread)...
        wait_until(decoding_in_a_worker, "a worker thread decoding", timeout=120, every=0.01)
        answer = requests.get(f"{server.base_url}/api/workshops/{other}", timeout=60)
        pending = sum(not u.done() for u in uploads)
        # ...and meanwhile another workshop's request is answered, the photos still decoding.
        assert (200, other) == (answer.status_code, answer.json()["code"])
        assert pending > 0
        assert [201] * 6 == [u.result(timeout=300) for u in uploads]


def multipart(size: int) -> tuple[bytes, str]:
    boundary = "----workshop-test-boundary"
    photo = bytes(range(256)) * (size // 256)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\nA card\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="c.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + photo
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, boundary


@pytest.mark.parametrize("in_turns", [False, True], ids=["one go", "in turns"])
def test_an_uploads_body_is_read_in_turns_with_the_rest_of_the_server(in_turns):
    """Under gevent, a body that has already arrived was parsed in one go, everyone else
    waiting; read through TakingTurns, other greenlets run between its chunks, and the form
    comes out the same."""
    import gevent
    from werkzeug.formparser import parse_form_data

    from workshop.web.offload import TakingTurns

    body, boundary = multipart(4 * 2**20)
    stream = io.BytesIO(body)
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": TakingTurns(stream, pause=lambda: gevent.sleep(0)) if in_turns else stream,
    }
    ticks, done = [0], [False]

    def someone_else() -> None:
        while not done[0]:
            ticks[0] += 1
            gevent.sleep(0)

    other = gevent.spawn(someone_else)
    gevent.sleep(0)  # it has started
    started = ticks[0]
    parsing = gevent.spawn(parse_form_data, environ)
    _, form, files = parsing.get(timeout=60)
    done[0] = True
    other.join(timeout=10)
    assert "A card" == form["text"]
    with files["photo"].stream as photo:
        sent = body.split(b"image/jpeg\r\n\r\n")[1][: -len(f"\r\n--{boundary}--\r\n")]
        assert sent == photo.read()
    others_ran = ticks[0] - started
    if in_turns:
        assert others_ran > 32  # one turn per chunk at least (4 MB in 64 KB chunks: 64)
    else:
        assert others_ran <= 2  # around the parse, not during it: the reason for TakingTurns
