"""Large photo uploads against the rest of the server: six 40-megapixel JPEGs (~9 MB each)
sent at once, as six scribes photographing cards would, while another workshop's phone
asks for its workshop over and over. The probe's latency is compared with the same probe
on the idle server in the same run (the bare baseline), and, with ``--before DIR``, with
the same load on another checkout (e.g. the code before photos took turns).

    .venv/bin/python bench/uploads.py [--rounds 3] [--before /path/to/other/checkout]

Talks only to servers it starts on 127.0.0.1 and stops at the end.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from PIL import Image, ImageChops  # noqa: E402

from bench._load import checkouts, percentile, served  # noqa: E402
from tests.liveserver import LiveServer  # noqa: E402

UPLOADS = 6
UPLOAD = {"X-Workshop-Upload": "1"}


def camera_jpeg() -> bytes:
    """40 megapixels with a camera's texture (noise over gradients), under the 10 MB cap."""
    width = 7300
    height = 40_000_000 // width
    noise = Image.effect_noise((width // 4, height // 4), 40).resize((width, height))
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (ImageChops.add(gradient, noise, scale=2), gradient, noise))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def probe(url: str, until: threading.Event | None, count: int = 40) -> list[float]:
    """Milliseconds of each GET of ``url``, one after another: ``count`` of them, or until
    ``until`` is set."""
    times = []
    with requests.Session() as session:
        while (until is None and len(times) < count) or (until is not None and not until.is_set()):
            started = time.perf_counter()
            session.get(url, timeout=60).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return times


def measure(server: LiveServer, photo: bytes, rounds: int) -> dict[str, list[float]]:
    code = server.create_workshop(title="Photos")["code"]
    other = server.create_workshop(title="Another room")["code"]
    url = f"{server.base_url}/api/workshops/{other}"
    probe(url, None, 10)  # warm up
    idle = probe(url, None)
    loaded: list[float] = []
    upload_seconds: list[float] = []

    def upload(_index: int) -> float:
        started = time.perf_counter()
        with server.facilitator() as session:
            response = session.post(
                f"{server.base_url}/api/workshops/{code}/photos",
                files={"photo": ("card.jpg", photo, "image/jpeg")},
                headers=UPLOAD,
                timeout=300,
            )
        response.raise_for_status()
        return time.perf_counter() - started

    for _ in range(rounds):
        done = threading.Event()
        with ThreadPoolExecutor(UPLOADS + 1) as pool:
            probing = pool.submit(probe, url, done)
            uploads = [pool.submit(upload, i) for i in range(UPLOADS)]
            upload_seconds.append(max(u.result() for u in uploads))
            done.set()
            loaded += probing.result()
    return {"idle": idle, "loaded": loaded, "uploads": upload_seconds}


def p(values: list[float], share: float) -> float:
    return percentile(values, share * 100) or 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout to measure the same way")
    args = parser.parse_args()
    photo = camera_jpeg()
    print(f"photo: {len(photo) / 2**20:.1f} MB, 40 megapixels", file=sys.stderr)
    rows = []
    for name, checkout in checkouts(args.before):
        with served(checkout, "bench-uploads-") as server:
            print(f"measuring {name}…", file=sys.stderr)
            result = measure(server, photo, args.rounds)
        idle, loaded = result["idle"], result["loaded"]
        rows.append(
            (
                name,
                f"{statistics.median(idle):.0f} / {p(idle, 0.95):.0f}",
                f"{statistics.median(loaded):.0f} / {p(loaded, 0.95):.0f} / {max(loaded):.0f}",
                f"{len(loaded)}",
                f"{statistics.median(result['uploads']):.1f}",
            )
        )
    header = (
        "server",
        "probe idle p50 / p95 ms",
        "probe during uploads p50 / p95 / max ms",
        "probes",
        "6 uploads s",
    )
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
