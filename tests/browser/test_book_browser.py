"""The course book in headless Chromium: every page from file:// and from a local HTTP
server with every request outside the site refused and recorded; no console errors;
plotly figures drawn and interactive (hover label, zoom); glossary links land on their
term; Sphinx's own search finds a term; axe-core finds no serious or critical violation
in any page's article (audited once, over HTTP); an evidence badge opens by keyboard and by
touch without a kernel. Screenshots of three pages at two sizes.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

import pytest

import axe_audit
import harness
from accessibility_checks import PHONE, check_badge_by_keyboard, check_badge_by_touch, check_figure_descriptions, shooter
from book import build

pytestmark = pytest.mark.browser
VIEWPORTS = [(1280, 720), (1400, 1000)]


@pytest.fixture(scope="module")
def site(chromium):
    return build.build()


@pytest.fixture(scope="module")
def server(site):
    """``python -m http.server`` on 127.0.0.1 serving the built site, stopped by its own PID."""
    port = harness.free_port()
    process = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(site.site)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(base, timeout=2).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("the book's HTTP server did not start")
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=harness.CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def book_page(browser, base: str, viewport=(1400, 1000)):
    """A page that may load only from ``base``: anything else is refused and recorded in ``page.outside``."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    outside: list[str] = []

    def route(route):
        url = route.request.url
        if url.startswith((base, "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(f"console: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.outside, page.errors = outside, errors  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


def site_base(site, origin: str, server: str) -> str:
    return site.site.as_uri() + "/" if origin == "file" else server


def wait_for_figures(page) -> int:
    """Wait until every plotly figure on the page is drawn; return how many there are."""
    count = page.locator(".plotly-graph-div").count()
    page.wait_for_function("n => document.querySelectorAll('.plotly-graph-div.js-plotly-plot .main-svg').length >= n",
                           arg=count, timeout=30_000)
    return count


@pytest.mark.parametrize("origin", ["file", "http"])
def test_every_page_loads_offline_without_errors_or_outside_requests(site, server, browser, origin):
    base = site_base(site, origin, server)
    names = sorted(path.name for path in site.site.glob("*.html"))
    problems = []
    with book_page(browser, base) as page:
        for name in names:
            page.goto(base + name, wait_until="load")
            figures = wait_for_figures(page)
            page.wait_for_timeout(200)
            if figures:
                state = page.evaluate("() => ({plotly: typeof window.Plotly, newPlot: typeof (window.Plotly || {}).newPlot, "
                                      "amd: typeof window.define === 'function' && !!window.define.amd})")
                if state["newPlot"] != "function":
                    problems.append(f"{name}: window.Plotly missing ({state})")
            if page.outside:
                problems.append(f"{name}: requests outside the site: {page.outside}")
            if page.errors:
                problems.append(f"{name}: {page.errors}")
            if origin == "http":  # one accessibility audit per page
                audit = axe_audit.audit(page, f"book/{name}", "book")
                if audit.course(axe_audit.BLOCKING):
                    problems.append(audit.blocking_message())
            page.outside.clear()
            page.errors.clear()
    assert not problems, "\n".join(problems)
    assert len(names) >= 19


PHONE_VIEWPORT = (390, 844)


def test_no_page_scrolls_sideways_on_a_phone(site, server, browser):
    """At a phone's width every page fits: long citations, web addresses, tables and figures wrap
    or shrink instead of widening the page (which also made taps miss their target)."""
    problems = []
    with book_page(browser, server, PHONE_VIEWPORT) as page:
        for name in sorted(path.name for path in site.site.glob("*.html")):
            page.goto(server + name, wait_until="load")
            wait_for_figures(page)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems.append(f"{name} is {overflow}px wider than a {PHONE_VIEWPORT[0]}px phone")
    assert not problems, "\n".join(problems)


def hover_label_at(page, element) -> str:
    box = element.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    label = page.locator(".hoverlayer .hovertext").first
    label.wait_for(state="visible", timeout=5_000)
    return label.text_content() or ""


def test_figures_are_interactive_hover_and_zoom(site, server, browser):
    with book_page(browser, server) as page:
        page.goto(server + "04_pharmacokinetics.html", wait_until="load")
        wait_for_figures(page)
        # A static figure from a helper (bioavailability by route and study).
        figure = page.locator(".cell_output .js-plotly-plot").first
        figure.scroll_into_view_if_needed()
        point = figure.locator(".scatterlayer .points path").first
        assert hover_label_at(page, point).strip(), "no hover label on the bioavailability figure"
        before = figure.evaluate("gd => gd._fullLayout.xaxis.range.slice()")
        drag = figure.locator(".nsewdrag").first.bounding_box()
        page.mouse.move(drag["x"] + drag["width"] * 0.3, drag["y"] + drag["height"] * 0.3)
        page.mouse.down()
        page.mouse.move(drag["x"] + drag["width"] * 0.6, drag["y"] + drag["height"] * 0.7, steps=8)
        page.mouse.up()
        page.wait_for_timeout(300)
        after = figure.evaluate("gd => gd._fullLayout.xaxis.range.slice()")
        assert after != before, "dragging did not zoom the figure"
        # The explorer's figure: the measured concentration marker shows its value.
        explorer = page.locator(".course-explorer .js-plotly-plot").first
        explorer.scroll_into_view_if_needed()
        marker = explorer.locator(".scatterlayer .points path").first
        assert any(ch.isdigit() for ch in hover_label_at(page, marker)), "the explorer's marker shows no value"
        assert not page.errors and not page.outside


def test_glossary_links_land_on_their_term(site, server, browser):
    with book_page(browser, server) as page:
        page.goto(server + "04_pharmacokinetics.html", wait_until="load")
        link = page.locator(".course-key-terms a.book-glossary-link").first
        term = link.get_attribute("href").split("#term-")[1]
        link.scroll_into_view_if_needed()
        link.click()
        page.wait_for_url(f"**/glossary.html#term-{term}")
        target = page.locator(":target")
        assert target.get_attribute("id") == f"term-{term}"
        assert target.is_visible() and target.bounding_box()["y"] >= 0
        # Every key-term link of that page has its term here (tests/test_book.py checks every page's links as files).
        ids = set(page.evaluate("() => [...document.querySelectorAll('[id^=term-]')].map(e => e.id)"))
        page.go_back(wait_until="domcontentloaded")
        hrefs = page.evaluate("() => [...document.querySelectorAll('a.book-glossary-link')].map(a => a.getAttribute('href'))")
        assert len(hrefs) > 5 and not [h for h in hrefs if h.split("#", 1)[1] not in ids]


@pytest.mark.parametrize("origin", ["file", "http"])
def test_search_finds_a_term(site, server, browser, origin):
    base = site_base(site, origin, server)
    with book_page(browser, base) as page:
        page.goto(base + "index.html", wait_until="load")
        page.locator(".search-button-field").first.click()
        box = page.locator("input[name=q]:visible").first
        box.fill("bioavailability")
        box.press("Enter")
        page.wait_for_url("**/search.html?q=bioavailability*")
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=15_000)
        hrefs = [results.nth(i).locator("a").first.get_attribute("href") for i in range(results.count())]
        assert any(h.startswith(("04_pharmacokinetics.html", "glossary.html")) for h in hrefs), hrefs
        assert not page.errors and not page.outside


def test_screenshots_of_an_explorer_the_glossary_and_a_quiz(site, server, browser, screenshots):
    shots = {
        "explorer": ("04_pharmacokinetics.html", ".course-explorer"),
        "glossary": ("glossary.html#term-bioavailability", None),
        "quiz": ("06_ketamine_benzodiazepines.html", ".book-quiz"),
    }
    for width, height in VIEWPORTS:
        with book_page(browser, server, (width, height)) as page:
            for name, (path, selector) in shots.items():
                page.goto(server + path, wait_until="load")
                wait_for_figures(page)
                if selector:
                    element = page.locator(selector).first
                    if name == "quiz":
                        element.locator("details.book-answer summary").first.click()
                    # Below the sticky page header, not under it.
                    element.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 70)")
                page.wait_for_timeout(400)
                page.screenshot(path=str(screenshots / f"book-{name}-{width}x{height}.png"))
                # The page never scrolls sideways: figures and tables fit its width.
                overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 0, f"{path} at {width}px is {overflow}px wider than the window"
            assert not page.errors and not page.outside


def test_book_badges_open_by_keyboard_and_by_touch_without_a_kernel(site, server, browser, screenshots):
    with book_page(browser, server) as page:
        page.goto(server + "04_pharmacokinetics.html", wait_until="load")
        badge = page.locator(".course-facts .evidence-badge").first
        check_badge_by_keyboard(page, badge, "book", "book", shooter(page, screenshots))
        assert check_figure_descriptions(page, "book 04") >= 1
        captions = page.locator(".cell_output .figure-caption")
        assert captions.count() >= 2 and "About this figure:" in captions.first.inner_text()
        assert not page.errors and not page.outside
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(server + "references.html", wait_until="load")
        check_badge_by_touch(page, page.locator(".course-references .evidence-badge").first, "book-phone", shooter(page, screenshots))
    finally:
        context.close()
