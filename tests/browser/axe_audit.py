"""axe-core in the browser tests: audit a rendered page, split its violations into course
content and the host's own interface, and keep a report of every page audited.

axe-core comes from the ``axe-playwright-python`` package (pinned in requirements-test.txt),
which ships ``axe.min.js``; it is injected into the page and run there, offline. A node is
*course content* when it sits inside what the course renders (notebook outputs and rendered
markdown in JupyterLab and Voilà, the article on a book page); everything else is the host's
chrome (JupyterLab's menus and panels, Voilà's page, the book theme's header and sidebars).

The browser tests call :func:`audit` on pages they have already loaded (no extra page loads)
and fail on serious or critical violations in course content; chrome violations are listed,
never hidden, in the test output (``pytest_terminal_summary`` in conftest.py) and in
``test-artifacts/accessibility/axe-report.{json,md}``.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from axe_playwright_python.base import AXE_SCRIPT

ROOT = Path(__file__).resolve().parents[2]
REPORT_DIR = ROOT / "test-artifacts" / "accessibility"
BLOCKING = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")

#: Where the course's own content is, per host.
COURSE_CONTENT = {
    "jupyterlab": ".jp-OutputArea-output, .jp-MarkdownOutput, .course-explorer, .course-quiz",
    "voila": ".jp-OutputArea-output, .jp-MarkdownOutput, .course-explorer, .course-quiz",
    "book": "article.bd-article, .course-explorer, .course-quiz",
}
HOST_NAMES = {"jupyterlab": "JupyterLab", "voila": "Voilà", "book": "the book theme"}

_RUN_AXE = """
async (contentSelector) => {
    // preload: false: axe would fetch the page's stylesheets again for one rule (css-orientation-lock),
    // resolving a sheet's own @import against the page (a 404 for the book theme's basic.css).
    const results = await axe.run(document, {resultTypes: ['violations'], elementRef: true, preload: false});
    return {
        version: axe.version,
        violations: results.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({
                target: n.target.map(String).join(' '),
                html: n.html.slice(0, 240),
                summary: (n.failureSummary || '').slice(0, 400),
                inCourse: !!(n.element && n.element.closest(contentSelector)),
            })),
        })),
    };
}
"""


@dataclass
class Violation:
    rule: str
    impact: str
    help: str
    url: str
    course_nodes: list[dict] = field(default_factory=list)
    host_nodes: list[dict] = field(default_factory=list)


@dataclass
class PageAudit:
    where: str
    host: str
    seconds: float
    axe_version: str
    violations: list[Violation]

    def course(self, impacts=IMPACTS) -> list[Violation]:
        return [v for v in self.violations if v.course_nodes and v.impact in impacts]

    def host_chrome(self, impacts=IMPACTS) -> list[Violation]:
        return [v for v in self.violations if v.host_nodes and v.impact in impacts]

    def blocking_message(self) -> str:
        """What fails the test: serious or critical violations in course content."""
        lines = []
        for v in self.course(BLOCKING):
            lines.append(f"{self.where}: {v.impact} {v.rule} ({v.help}) on {len(v.course_nodes)} node(s), {v.url}")
            for node in v.course_nodes[:5]:
                lines.append(f"    {node['target']}: {node['html'][:160]}\n      {node['summary'][:300]}")
        return "\n".join(lines)


AUDITS: list[PageAudit] = []


def audit(page, where: str, host: str) -> PageAudit:
    """Run axe-core on ``page`` as it is now; record and return the result."""
    start = time.perf_counter()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    raw = page.evaluate(_RUN_AXE, COURSE_CONTENT[host])
    violations = []
    for v in raw["violations"]:
        violation = Violation(v["id"], v["impact"] or "minor", v["help"], v["helpUrl"])
        for node in v["nodes"]:
            (violation.course_nodes if node.pop("inCourse") else violation.host_nodes).append(node)
        violations.append(violation)
    result = PageAudit(where, host, round(time.perf_counter() - start, 2), raw["version"], violations)
    AUDITS.append(result)
    write_report()
    return result


def summary_lines(audits: list[PageAudit] | None = None) -> list[str]:
    """Per page: course-content violations by impact, and the host chrome's violations, rule by rule."""
    audits = AUDITS if audits is None else audits
    if not audits:
        return []
    lines = [f"axe-core {audits[0].axe_version}: {len(audits)} pages audited in {sum(a.seconds for a in audits):.0f} s"]
    for a in audits:
        def counts(violations, nodes):
            by = {i: sum(len(getattr(v, nodes)) for v in violations if v.impact == i) for i in IMPACTS}
            return ", ".join(f"{n} {i}" for i, n in by.items() if n) or "none"
        lines.append(f"  {a.where} ({a.seconds:.1f} s): course content: {counts(a.course(), 'course_nodes')}; "
                     f"{HOST_NAMES[a.host]}'s own interface: {counts(a.host_chrome(), 'host_nodes')}")
        for v in a.host_chrome():
            lines.append(f"      host {v.impact} {v.rule}: {v.help} ({len(v.host_nodes)} node(s), e.g. {v.host_nodes[0]['target'][:90]})")
        for v in a.course():
            lines.append(f"      COURSE {v.impact} {v.rule}: {v.help} ({len(v.course_nodes)} node(s), e.g. {v.course_nodes[0]['target'][:90]})")
    return lines


def _previous_report() -> list[PageAudit]:
    path = REPORT_DIR / "axe-report.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [PageAudit(**{**row, "violations": [Violation(**v) for v in row["violations"]]}) for row in rows]
    except (OSError, ValueError, TypeError, KeyError):
        return []


def write_report() -> None:
    """test-artifacts/accessibility/axe-report.json (every page's latest audit, from this run or an
    earlier one that audited pages this run did not) and axe-report.md (the summary)."""
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    latest = {a.where: a for a in _previous_report()}
    latest.update({a.where: a for a in AUDITS})
    pages = sorted(latest.values(), key=lambda a: (a.host, a.where))
    (REPORT_DIR / "axe-report.json").write_text(json.dumps([asdict(a) for a in pages], indent=1, ensure_ascii=False),
                                                encoding="utf-8")
    (REPORT_DIR / "axe-report.md").write_text(
        "# axe-core report of the browser tests\n\n"
        "Every page's latest audit. Course content must have no serious or critical violation (the tests "
        "fail otherwise); the hosts' own interfaces are listed as found.\n\n```\n" + "\n".join(summary_lines(pages)) + "\n```\n",
        encoding="utf-8")
