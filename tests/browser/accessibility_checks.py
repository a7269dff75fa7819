"""Accessibility checks shared by the browser tests (tests/browser/test_accessibility_browser.py for
JupyterLab and Voilà, tests/browser/test_book_browser.py for the book): an evidence badge by
keyboard and by touch, explorer figures' descriptions, slider names in the accessibility tree."""

from __future__ import annotations

import axe_audit

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


def ax_node(page, selector: str) -> dict:
    """Chromium's accessibility-tree node for the first element matching ``selector`` (what a screen reader gets)."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})
        return cdp.send("Accessibility.getPartialAXTree", {"nodeId": node["nodeId"], "fetchRelatives": False})["nodes"][0]
    finally:
        cdp.detach()


def ax_expanded(page, button) -> bool | None:
    """The 'expanded' state the accessibility tree gives a badge's ``button``."""
    target = button.get_attribute("popovertarget")
    node = ax_node(page, f"button[popovertarget='{target}']:not([popovertargetaction])")
    return {p["name"]: p["value"].get("value") for p in node.get("properties", [])}.get("expanded")


def check_slider_names(page, where: str) -> int:
    """Every explorer slider is announced with its own description (widgets/slider_labels.py)."""
    page.wait_for_function("() => [...document.querySelectorAll('.course-explorer .noUi-handle[role=slider]')]"
                           ".every(h => h.hasAttribute('aria-labelledby'))", timeout=15_000)
    labels = page.eval_on_selector_all(".course-explorer .widget-slider", "els => els.map(e => e.querySelector(':scope > .widget-label').textContent.trim())")
    assert labels, f"{where}: no slider"
    first = ax_node(page, ".course-explorer .widget-slider .noUi-handle[role=slider]")
    assert first["name"]["value"] == labels[0], f"{where}: the first slider is announced as {first['name']!r}, not {labels[0]!r}"
    named = page.eval_on_selector_all(".course-explorer .widget-slider",
                                      "els => els.map(e => document.getElementById(e.querySelector('.noUi-handle').getAttribute('aria-labelledby'))"
                                      "?.textContent.trim())")
    assert named == labels, f"{where}: slider names {named} do not match their labels {labels}"
    return len(labels)


def is_open(panel) -> bool:
    return panel.evaluate("p => p.matches(':popover-open')")


def check_badge_by_keyboard(page, badge, where: str, host: str, screenshot) -> None:
    """From the text just before the badge, Tab reaches its button; Enter opens the panel, Escape
    closes it, Space opens it again, and its Close button closes it."""
    button = badge.locator("button.course-disclosure")
    panel = badge.locator("[popover]")
    badge.scroll_into_view_if_needed()
    assert not is_open(panel) and ax_expanded(page, button) is False, f"{where}: the badge starts closed"
    # A click on plain text sets where sequential focus navigation starts, as a reader's click would.
    box = badge.locator("xpath=..").bounding_box()
    page.mouse.click(box["x"] + 2, box["y"] + 4)
    for _ in range(3):  # at most a value's link or two sit between the text and its badge
        page.keyboard.press("Tab")
        if button.evaluate("b => document.activeElement === b"):
            break
    assert button.evaluate("b => document.activeElement === b"), f"{where}: Tab did not reach the badge"
    page.keyboard.press("Enter")
    page.wait_for_function("p => p.matches(':popover-open')", arg=panel.element_handle(), timeout=5_000)
    assert ax_expanded(page, button) is True, f"{where}: an open badge is not exposed as expanded"
    text = panel.inner_text()
    assert "Reference:" in text and "Provenance:" in text, f"{where}: the panel lacks the reference or the provenance: {text}"
    assert panel.is_visible()
    screenshot(f"a11y-badge-open-{where}.png")
    audit = axe_audit.audit(page, f"{where}/badge-panel-open", host)  # the open panel too (closed, axe skips it)
    assert not audit.course(axe_audit.BLOCKING), audit.blocking_message()
    page.keyboard.press("Escape")
    page.wait_for_function("p => !p.matches(':popover-open')", arg=panel.element_handle(), timeout=5_000)
    button.focus()
    page.keyboard.press("Space")
    page.wait_for_function("p => p.matches(':popover-open')", arg=panel.element_handle(), timeout=5_000)
    panel.locator("button", has_text="Close").click()
    page.wait_for_function("p => !p.matches(':popover-open')", arg=panel.element_handle(), timeout=5_000)


def check_badge_by_touch(page, badge, where: str, screenshot) -> None:
    """A tap opens the panel, which fits the screen; a tap elsewhere closes it."""
    button = badge.locator("button.course-disclosure")
    panel = badge.locator("[popover]")
    button.scroll_into_view_if_needed()
    button.tap()
    page.wait_for_function("p => p.matches(':popover-open')", arg=panel.element_handle(), timeout=5_000)
    box, width = panel.bounding_box(), page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{where}: the open panel is wider than the screen ({box})"
    screenshot(f"a11y-badge-tapped-{where}.png")
    page.touchscreen.tap(5, 5)
    page.wait_for_function("p => !p.matches(':popover-open')", arg=panel.element_handle(), timeout=5_000)


def check_figure_descriptions(page, where: str) -> int:
    """Each explorer figure is followed by its description (read by screen readers, 1 px on screen)."""
    found = page.evaluate("""() => [...document.querySelectorAll('.course-explorer')].filter(e => e.querySelector('.js-plotly-plot'))
        .map(e => { const d = e.querySelector('.figure-description-text'); const r = d && d.getBoundingClientRect();
                    return d ? {text: d.textContent, role: d.getAttribute('role'), w: r.width, h: r.height} : null; })""")
    assert found, f"{where}: no explorer figure on the page"
    for item in found:
        assert item and item["role"] == "note" and len(item["text"].split()) > 20, f"{where}: an explorer figure lacks its description: {item}"
        assert item["w"] <= 1 and item["h"] <= 1, f"{where}: the description should be hidden on screen: {item}"
    return len(found)


def shooter(page, screenshots):
    return lambda name: page.screenshot(path=str(screenshots / name))
