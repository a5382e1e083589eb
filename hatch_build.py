"""Copy the browser libraries from node_modules into static/vendor.

Runs as a hatch build hook (so a non-editable ``pip install .`` carries them in the wheel)
and as a script (``python hatch_build.py``) for a development checkout. Nothing third-party
is committed: package.json and package-lock.json pin the versions, npm fetches them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).parent
VENDOR = ROOT / "static" / "vendor"
DECLARATIONS = ROOT / "types" / "vendor"

# (file inside node_modules, name in static/vendor)
VENDOR_FILES = [
    ("socket.io-client/dist/socket.io.esm.min.js", "socket.io.esm.min.js"),
    ("sortablejs/modular/sortable.esm.js", "sortable.esm.js"),
]


def copy_vendor() -> None:
    """Install the npm packages if needed and copy their built files into static/vendor."""
    modules = ROOT / "node_modules"
    if not all((modules / source).exists() for source, _ in VENDOR_FILES):
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed to fetch the browser libraries (see README)")
        subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=ROOT, check=True
        )
    VENDOR.mkdir(parents=True, exist_ok=True)
    for source, name in VENDOR_FILES:
        shutil.copyfile(modules / source, VENDOR / name)
    # Beside a library without types of its own, the declaration of what static/js uses of it:
    # tsc (make typecheck-js) reads it in place of the library's code. Browsers never ask for it.
    for declaration in DECLARATIONS.glob("*.d.ts"):
        shutil.copyfile(declaration, VENDOR / declaration.name)


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # run as a plain script, without hatchling installed
    BuildHookInterface = object  # type: ignore[assignment,misc]


class VendorBuildHook(BuildHookInterface):  # type: ignore[misc,valid-type]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if not all((VENDOR / name).exists() for _, name in VENDOR_FILES):
            copy_vendor()


if __name__ == "__main__":
    copy_vendor()
    print(f"copied {len(VENDOR_FILES)} browser libraries into {VENDOR.relative_to(ROOT)}")
