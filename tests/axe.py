"""axe-core (the npm package) run in a page: the WCAG rules every page must pass.

The page's context needs ``bypass_csp=True``: axe is injected as a script the app's CSP would
refuse.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page: Page, *, aaa_contrast: bool = False) -> list[dict]:
    """WCAG 2.2 AA violations; with ``aaa_contrast``, also AAA's 7:1 text contrast
    (color-contrast-enhanced), as for the projector's high-contrast theme."""
    page.add_script_tag(path=str(AXE))
    tags = WCAG_AA + (["wcag2aaa"] if aaa_contrast else [])
    rules = "{'color-contrast-enhanced': {enabled: true}}" if aaa_contrast else "{}"
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        f" rules: {rules}, resultTypes: ['violations']}})).violations",
        tags,
    )


def describe(violations: list[dict]) -> str:
    """One readable paragraph per rule broken: what, why, and where (up to five elements)."""
    lines = []
    for violation in violations:
        lines.append(
            f"\n[{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {node['target']}: {node['html'][:160]}\n      {summary[:400]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    …and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)
