"""Drive JupyterLab and Voilà in headless Debian Chromium with Playwright.

Shared by the browser tests and the browser benchmark. Playwright never
downloads a browser here: it launches /usr/bin/chromium (Debian's package).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = ROOT / "notebooks"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}


def chromium_executable() -> str:
    """The real Chromium binary (skips the wrapper script's shell warning)."""
    direct = Path("/usr/lib/chromium/chromium")
    return str(direct if direct.exists() else CHROMIUM)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_http(url: str, timeout_s: float, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early (code {process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not answer within {timeout_s} s:\n{log.read_text()[-3000:]}")


def _lab_settings(settings_dir: Path, windowing: str) -> None:
    """User settings: no news pop-up, no autosave, and the notebook windowing mode."""
    notes = settings_dir / "@jupyterlab" / "apputils-extension"
    notes.mkdir(parents=True, exist_ok=True)
    (notes / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    tracker = settings_dir / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True, exist_ok=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": windowing}))
    # Never write executed outputs back into the repository's notebooks.
    docmanager = settings_dir / "@jupyterlab" / "docmanager-extension"
    docmanager.mkdir(parents=True, exist_ok=True)
    (docmanager / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))


@contextmanager
def jupyter_server(kind: str = "lab", target: str | None = None, windowing: str = "none",
                   extra_args: tuple[str, ...] = (), extra_env: dict | None = None):
    """Start JupyterLab (kind='lab') or Voilà (kind='voila') on 127.0.0.1 with a token.

    Yields (base_url, token). ``extra_args`` and ``extra_env`` go to the server (e.g. the
    demo mode's Voilà template). The server runs with a temporary HOME and
    Jupyter directories, and is stopped by its own PID. The tests render every
    cell (``windowing='none'``) so that every explorer is in the page; the browser
    benchmark uses JupyterLab's default (``'contentVisibility'``), as a learner has.
    """
    home = Path(tempfile.mkdtemp(prefix=f"course-{kind}-"))
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_DATA_DIR=str(home / "data"),
        IPYTHONDIR=str(home / "ipython"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "lab-workspaces"),
    )
    # The kernel spec lives in the venv's data dir; keep it findable with the temporary JUPYTER_DATA_DIR.
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in [str(Path(sys.prefix) / "share" / "jupyter"), env.get("JUPYTER_PATH", "")] if p)
    env.update(extra_env or {})
    _lab_settings(home / "lab-settings", windowing)
    port, token = free_port(), secrets.token_hex(16)
    bin_dir = Path(sys.executable).parent
    if kind == "lab":
        command = [
            str(bin_dir / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}", "--ServerApp.open_browser=False",
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")
        ready = f"http://127.0.0.1:{port}/api/status?token={token}"
    else:
        command = [
            str(bin_dir / "voila"), str(target or NOTEBOOKS_DIR), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
            f"--token={token}", "--strip_sources=True", "--theme=light",
        ]
        ready = f"http://127.0.0.1:{port}/?token={token}"
    command += list(extra_args)
    log = home / "server.log"
    with open(log, "w") as log_file:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for_http(ready, 60, process, log)
        yield f"http://127.0.0.1:{port}", token
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shutil.rmtree(home, ignore_errors=True)


def block_offsite_requests(context) -> list[str]:
    """Refuse every request that would leave this machine; return the list they are recorded in."""
    blocked: list[str] = []

    def route(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", route)
    return blocked


@contextmanager
def chromium_page(**context_options):
    """A Playwright page in headless Debian Chromium; requests off this machine are refused.
    ``context_options`` go to ``browser.new_context`` (e.g. a phone's viewport with ``has_touch``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(**{"viewport": VIEWPORT, **context_options})
        blocked = block_offsite_requests(context)
        page = context.new_page()
        page.blocked_requests = blocked  # type: ignore[attr-defined]
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.page_errors = errors  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            context.close()
            browser.close()


# ---------------------------------------------------------------- JupyterLab
def delete_sessions(base: str, token: str) -> None:
    """Shut down kernels left from an earlier notebook so each test starts fresh."""
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{base}/api/sessions/{session['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request, timeout=10).close()


def wait_kernel_idle(page, timeout_ms: int = 120_000) -> None:
    page.wait_for_function(
        "() => { const s = document.querySelector('#jp-main-statusbar'); return s && /Idle/.test(s.textContent); }",
        timeout=timeout_ms,
    )


def open_notebook(page, base: str, token: str, slug: str) -> None:
    delete_sessions(base, token)
    page.goto(f"{base}/lab/tree/notebooks/{slug}.ipynb?reset&token={token}", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    wait_kernel_idle(page)


def run_all_cells(page, timeout_ms: int = 240_000) -> None:
    """Run > Run All Cells, and wait until every code cell has run.

    If no cell has started 30 s after the menu command (once in a long CI run the command was
    lost), the command is given once more; a cell that never finishes fails with the list of
    cells still waiting and a screenshot, not a bare timeout."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(2):
        page.keyboard.press("Escape")  # no menu left open by an earlier step
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))",
                timeout=30_000)
            break
        except PlaywrightTimeout:
            if attempt:
                raise
    # Done when every code cell shows an execution count and none is still queued or running.
    try:
        page.wait_for_function(
            """() => {
                const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            }""",
            timeout=timeout_ms,
        )
    except PlaywrightTimeout:
        waiting = page.evaluate("() => [...document.querySelectorAll('.jp-CodeCell')].map((c, i) => [i, "
                                "c.querySelector('.jp-InputPrompt')?.textContent.trim()]).filter(([, p]) => !/\\[\\d+\\]/.test(p || ''))")
        shots = ROOT / "test-artifacts" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "run-all-cells-timeout.png"))
        raise AssertionError(f"cells still waiting after {timeout_ms / 1000:.0f} s (index, prompt): {waiting[:10]}")
    wait_kernel_idle(page)
    page.wait_for_timeout(1500)  # let widget views finish rendering


def open_and_run(page, base: str, token: str, slug: str) -> None:
    """A fresh kernel for notebook ``slug``, every cell run; page errors counted from here."""
    page.page_errors.clear()  # one page serves every notebook: count only this notebook's errors
    open_notebook(page, base, token, slug)
    run_all_cells(page)


def explorer_in_notebook(page, base: str, token: str, slug: str, class_name: str):
    """Run notebook ``slug`` and return its first explorer of class ``class_name``, scrolled into view."""
    open_and_run(page, base, token, slug)
    explorer = page.locator(f".explorer-class-{class_name}").first
    explorer.scroll_into_view_if_needed()
    return explorer


def error_outputs(page) -> list[str]:
    """Text of every stderr/error output in the page."""
    return page.eval_on_selector_all(
        "[data-mime-type='application/vnd.jupyter.stderr'], .jp-OutputArea-output.jp-mod-error",
        "els => els.map(e => e.textContent.slice(0, 500))",
    )


# ---------------------------------------------------------------- explorers
def explorer_class(element) -> str | None:
    classes = element.get_attribute("class") or ""
    for name in classes.split():
        if name.startswith("explorer-class-"):
            return name[len("explorer-class-"):]
    return None


# A 32-bit hash of every plot SVG in an explorer: changes when any trace, marker or colour changes.
_SIGNATURE_JS = """
const sig = (root) => {
    let h = 0;
    for (const svg of root.querySelectorAll('.js-plotly-plot .main-svg')) {
        const text = svg.innerHTML;
        for (let i = 0; i < text.length; i++) { h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0; }
    }
    return String(h);
};
"""


def figure_signature(explorer) -> str:
    """A fingerprint of the explorer's plot SVG."""
    return explorer.evaluate("e => {" + _SIGNATURE_JS + " return sig(e); }")


def readout_text(explorer) -> str:
    return explorer.locator(".explorer-readout").first.inner_text()


def operate_control(page, explorer, index: int, big_step: bool = True) -> str:
    """Change control number ``index`` of an explorer as a learner would; return what was done.

    Sliders move by one keyboard step, or with ``big_step`` by a page (several
    steps, so that a fine log slider visibly changes the readout)."""
    control = explorer.locator(".explorer-controls > *").nth(index)
    control.scroll_into_view_if_needed()
    if control.locator(".noUi-handle").count():
        handle = control.locator(".noUi-handle").first
        handle.focus()
        at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        if big_step:
            page.keyboard.press("PageDown" if at_max else "PageUp")
        else:
            page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
        return "slider step"
    if control.locator("select").count():
        select = control.locator("select").first
        options = select.locator("option").all()
        current = select.evaluate("s => s.selectedIndex")
        select.select_option(index=(current + 1) % len(options))
        return "dropdown change"
    if control.locator("input[type=checkbox]").count():
        control.locator("input[type=checkbox]").first.click()
        return "checkbox toggle"
    if control.locator("input[type=radio]").count():
        radios = control.locator("input[type=radio]")
        for i in range(radios.count()):
            if not radios.nth(i).is_checked():
                radios.nth(i).click()
                return "radio change"
    if control.locator("button.widget-toggle-button, .widget-toggle-buttons button").count():
        buttons = control.locator("button")
        for i in range(buttons.count()):
            if "mod-active" not in (buttons.nth(i).get_attribute("class") or ""):
                buttons.nth(i).click()
                return "toggle button"
    if control.locator("input[type=number], input[type=text]").count():
        box = control.locator("input").first
        value = box.input_value()
        try:
            new = str(float(value) * 1.5 if float(value) else 1)
        except ValueError:
            new = value + "x"
        box.fill(new)
        box.press("Enter")
        return "text entry"
    raise AssertionError(f"don't know how to operate control {index}: {control.inner_html()[:300]}")


def wait_for_change(page, explorer, before_readout: str, before_figure: str | None, timeout_ms: int = 30_000,
                    allow_message: bool = False) -> float:
    """Wait until the readout and the figure (if any) changed; return elapsed ms.

    With ``allow_message`` (benchmarks cycling through every option), a value the
    model rejects counts as a change when the explorer shows its message."""
    handle = explorer.element_handle()
    start = time.perf_counter()
    page.wait_for_function(
        "([e, text, fig, allowMessage]) => {" + _SIGNATURE_JS + """
            const r = e.querySelector('.explorer-readout');
            if (!r || r.innerText === text) return false;
            // A rejected value shows a message and leaves the plot as it was.
            const m = e.querySelector('.explorer-message');
            if (allowMessage && m && m.innerText.trim()) return true;
            return fig === null || sig(e) !== fig;
        }""",
        arg=[handle, before_readout, before_figure, allow_message],
        timeout=timeout_ms,
    )
    return (time.perf_counter() - start) * 1000


def settle(explorer, settle_ms: int = 300, timeout_ms: int = 10_000) -> float:
    """Wait until nothing in the explorer has changed for ``settle_ms``; return how many ms
    ago its last change was. plotly may redraw in several passes: the benchmark uses this
    to time the whole redraw, and so that one sample's redraw never runs into the next."""
    return explorer.evaluate(
        """(e, [settleMs, timeoutMs]) => new Promise((resolve, reject) => {
            // Cheap: a DOM observer notes the time of the last change; nothing is hashed per frame.
            let last = performance.now();
            const begin = last;
            const observer = new MutationObserver(() => { last = performance.now(); });
            observer.observe(e, { subtree: true, childList: true, attributes: true, characterData: true });
            const check = () => {
                const now = performance.now();
                if (now - last >= settleMs) { observer.disconnect(); resolve(now - last); }
                else if (now - begin > timeoutMs) { observer.disconnect(); reject(new Error('explorer did not settle')); }
                else setTimeout(check, 20);
            };
            setTimeout(check, 20);
        })""",
        [settle_ms, timeout_ms],
    )


MASK_TEXT = "Hidden for this setting until you lock your prediction"


def _wait_prediction_settled(page, explorer, box, timeout_ms: int = 60_000) -> None:
    """Until the box is settled (locked or skipped) and the readout no longer masked."""
    page.wait_for_function(
        "([b, e, mask]) => b.classList.contains('prediction-settled') && !e.classList.contains('prediction-pending')"
        " && !e.querySelector('.explorer-readout').innerText.includes(mask)",
        arg=[box.element_handle(), explorer.element_handle(), MASK_TEXT], timeout=timeout_ms,
    )


def skip_prediction(page, explorer) -> bool:
    """Press Skip on an explorer's prediction box, as an instructor demonstrating would.
    Returns False when the explorer asks for no prediction."""
    box = explorer.locator(".prediction-box")
    if not box.count():
        return False
    box = box.first
    if "prediction-settled" not in (box.get_attribute("class") or ""):
        box.locator("button", has_text="Skip").click()
    _wait_prediction_settled(page, explorer, box)
    return True


def make_prediction(page, explorer, value: str) -> str:
    """Type (or choose) a prediction, lock it, and return the result shown beside the readout."""
    box = explorer.locator(".prediction-box").first
    box.scroll_into_view_if_needed()
    if box.locator("input[type=radio]").count():
        box.locator("label", has_text=value).first.click()
    else:
        box.locator("input[type=text]").first.fill(value)
    lock = box.locator("button", has_text="Lock my prediction")
    page.wait_for_function("b => !b.disabled", arg=lock.element_handle(), timeout=15_000)
    lock.click()
    _wait_prediction_settled(page, explorer, box)
    result = explorer.locator(".explorer-readout .prediction-result")
    result.wait_for(timeout=15_000)
    return result.inner_text()


def check_every_explorer(page, where: str, screenshots: Path, prefix: str, each: bool) -> int:
    """Operate every explorer's first demo control as a learner would (after skipping its
    prediction, if it asks for one): its readout must not be empty and must change, and so
    must its plot, if it has one. A failing explorer is saved as ``<prefix>-<i>-<Class>-FAILED.png``;
    with ``each``, every explorer as ``<prefix>-<i>-<Class>.png``. Returns how many explorers the page shows."""
    explorers = page.locator(".course-explorer")
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        explorer.scroll_into_view_if_needed()
        name = explorer_class(explorer)
        assert name, f"{where} explorer {i}: no explorer-class marker"
        skip_prediction(page, explorer)
        before_text = readout_text(explorer)
        assert before_text.strip(), f"{where} {name}: empty readout"
        has_plot = explorer.locator(".js-plotly-plot").count() > 0
        before_fig = figure_signature(explorer) if has_plot else None
        action = operate_control(page, explorer, visible_demo_control_index(explorer, name))
        try:
            wait_for_change(page, explorer, before_text, before_fig)
        except Exception as exc:
            explorer.screenshot(path=str(screenshots / f"{prefix}-{i}-{name}-FAILED.png"))
            raise AssertionError(f"{where} {name}: {action} did not change the readout and the plot: {exc}") from None
        if each:
            explorer.screenshot(path=str(screenshots / f"{prefix}-{i}-{name}.png"))
    return explorers.count()


def expected_explorers(slug: str) -> int:
    """How many explorers a notebook's code creates."""
    return sum(src.count("Explorer(") for src in notebook_code_cells(slug))


def demo_control_index(class_name: str) -> int:
    """Index (in the controls row) of the control named by the explorer's first demo change."""
    from widgets.explorers import all_explorers

    cls = all_explorers()[class_name]
    control_name = cls.demo_changes[0][0]
    explorer = cls()
    return list(explorer.controls).index(control_name)


def visible_demo_control_index(explorer, class_name: str) -> int:
    """Index of the first demo change's control that this explorer shows. An explorer built at
    another setting (a clinical case's PK explorer starts on an oral regimen) can hide the
    class's first demo control (the IV dose slider)."""
    from widgets.explorers import all_explorers

    cls = all_explorers()[class_name]
    names = list(cls().controls)
    controls = explorer.locator(".explorer-controls > *")
    for control_name, _ in cls.demo_changes:
        index = names.index(control_name)
        if controls.nth(index).is_visible():
            return index
    return demo_control_index(class_name)


def notebooks_with_explorers() -> list[str]:
    return [path.stem for path in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]*_*.ipynb")) if expected_explorers(path.stem)]


def notebook_code_cells(slug: str) -> list[str]:
    import nbformat

    nb = nbformat.read(NOTEBOOKS_DIR / f"{slug}.ipynb", as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


# ---------------------------------------------------------------- timing inside the page
# Installed on an explorer before a control is operated. Everything is timed by the page's own
# clock (performance.now(), the same origin as event.timeStamp), so no Playwright round trip is
# inside a measurement: start = the input event's own timestamp on the control; readout = the first
# mutation that changes the readout's (or message's) text; plot = the last mutation inside the plot,
# once neither plot nor readout has changed for ``quietMs``.
_ARM_TIMING_JS = """(e, [index, quietMs, timeoutMs]) => {
    const control = e.querySelectorAll('.explorer-controls > *')[index];
    const plot = e.querySelector('.js-plotly-plot');
    const readout = e.querySelector('.explorer-readout');
    const message = e.querySelector('.explorer-message');
    const textNow = () => readout.innerText + '\\u0001' + (message ? message.innerText : '');
    const before = textNow();
    const s = { input: null, readout: null, plot: null, last: null, plotMutations: 0 };
    const arrivals = globalThis.__courseSocketArrivals;  // kernel messages' arrival times (timing_init_script)
    const arrivalsBefore = arrivals ? arrivals.length : 0;
    const onInput = (ev) => { if (s.input === null || ev.timeStamp < s.input) s.input = ev.timeStamp; };
    const kinds = ['keydown', 'pointerdown', 'mousedown', 'input', 'change', 'click'];
    for (const k of kinds) control.addEventListener(k, onInput, { capture: true });
    const textObserver = new MutationObserver(() => {
        const now = performance.now();
        s.last = now;
        if (s.readout === null && textNow() !== before) s.readout = now;
    });
    const opts = { subtree: true, childList: true, attributes: true, characterData: true };
    textObserver.observe(readout, opts);
    if (message) textObserver.observe(message, opts);
    const plotObserver = new MutationObserver((records) => {
        const now = performance.now();
        s.plot = now; s.last = now; s.plotMutations += records.length;
    });
    if (plot) plotObserver.observe(plot, opts);
    e.__courseTiming = new Promise((resolve) => {
        const began = performance.now();
        const finish = (status) => {
            textObserver.disconnect(); plotObserver.disconnect();
            for (const k of kinds) control.removeEventListener(k, onInput, { capture: true });
            const rel = (t) => (t === null || s.input === null) ? null : t - s.input;
            const reply = arrivals ? arrivals.slice(arrivalsBefore).find((t) => s.input !== null && t > s.input) : undefined;
            resolve({ status, readout_ms: rel(s.readout), plot_ms: rel(s.plot), plot_mutations: s.plotMutations,
                      kernel_reply_ms: reply === undefined ? null : rel(reply), has_plot: !!plot, input_seen: s.input !== null });
        };
        const check = () => {
            const now = performance.now();
            if (s.readout !== null && now - s.last >= quietMs) return finish('ok');
            if (now - began > timeoutMs) return finish('timeout');
            setTimeout(check, 25);
        };
        setTimeout(check, 25);
    });
}"""


#: For ``page.add_init_script``: notes when each message from the server arrives (after the page's
#: own handlers have been attached, so the time is the arrival, not the handling).
TIMING_INIT_SCRIPT = """(() => {
    const arrivals = globalThis.__courseSocketArrivals = [];
    const Native = globalThis.WebSocket;
    globalThis.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', () => { arrivals.push(performance.now()); if (arrivals.length > 5000) arrivals.splice(0, 2500); });
        }
    };
})();"""


def timed_change(page, explorer, index: int, quiet_ms: int = 300, timeout_ms: int = 10_000) -> dict:
    """Operate control ``index`` once and return the page's own timings (ms from the input event):
    ``readout_ms`` (readout or message text changed), ``plot_ms`` (last mutation in the plot) and,
    when the page was opened with :data:`TIMING_INIT_SCRIPT`, ``kernel_reply_ms`` (the first
    message from the server after the input), with ``status`` 'ok' or 'timeout'."""
    explorer.evaluate(_ARM_TIMING_JS, [index, quiet_ms, timeout_ms])
    operate_control(page, explorer, index)
    return explorer.evaluate("e => e.__courseTiming")


def throttle_cpu(page, rate: float) -> None:
    """Make the page's CPU ``rate`` times slower (a slow student laptop), before it loads."""
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    page.cpu_throttle_session = session  # type: ignore[attr-defined]  (kept open: closing it would end the throttling)
