"""The browser modules a page loads: its entry script and everything that imports, directly
or not (static/js only; the vendor libraries carry no messages). The page's script
catalogue and its modulepreload links are made from this, so no template lists the files a
script happens to import (docs/browser.md)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path, PurePosixPath

from flask import current_app

# `import … from "./x.js"`, `import "../room/y.js"`: the static imports of a module.
IMPORT = re.compile(r"""^import\s+(?:[^"';]*?\bfrom\s+)?["'](\.{1,2}/[\w./-]+\.js)["']""", re.M)


def module_graph(*entries: str) -> tuple[str, ...]:
    """``entries`` (paths under static/js, "phone/phone.js") and every module they import,
    entries first, then the rest in sorted order. Read once per process (the files do not
    change under a running server; the asset() hashes handle the browser's cache)."""
    return _graph(Path(current_app.static_folder or "static") / "js", tuple(entries))


@lru_cache(maxsize=32)
def _graph(scripts: Path, entries: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    todo = list(entries)
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        path = scripts / name
        if not path.is_file():
            continue
        seen[name] = None
        for target in IMPORT.findall(path.read_text(encoding="utf-8")):
            resolved = _resolve(name, target)
            if resolved is not None:
                todo.append(resolved)
    rest = sorted(name for name in seen if name not in entries)
    return tuple(name for name in entries if name in seen) + tuple(rest)


def _resolve(module: str, target: str) -> str | None:
    """``target`` as imported by ``module``, as a path under static/js (None outside it)."""
    parts: list[str] = list(PurePosixPath(module).parent.parts)
    for part in PurePosixPath(target).parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)
