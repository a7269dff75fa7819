"""Layout checks measured in the rendered page (issue 16 §3), shared by the browser tests.

:func:`layout_problems` measures, in the page's own coordinates, what a learner sees of
the course's outputs (explorers, quizzes, tables, figures) and returns one sentence per
problem: a squeezed slider track, a dropdown too narrow for its options, overlapping quiz options or legend entries, a figure
wider than the notebook, an explorer taller than the screen, a table cell cut short, or
NaN / None / dtype text. Only what is displayed counts (a hidden control has no track).
"""

from __future__ import annotations

MIN_SLIDER_TRACK_PX = 120

# The rendered outputs of a notebook (JupyterLab) or of a Voilà page; never the code.
_LAYOUT_JS = """([minTrack, checkFit]) => {
    const problems = [];
    const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const name = (el) => (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 70);
    const where = (el) => {
        const explorer = el.closest('.course-explorer');
        const cls = explorer && [...explorer.classList].find((c) => c.startsWith('explorer-class-'));
        return cls ? cls.slice('explorer-class-'.length) : (el.closest('.course-quiz') ? 'quiz' : 'output');
    };
    const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
                              && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
    const outputs = [...document.querySelectorAll('.jp-OutputArea-output, .jp-RenderedHTMLCommon')]
        .filter((o) => !o.closest('.jp-MarkdownCell') && shown(o));
    // The notebook's content box: the cell's output area in JupyterLab, the page in Voilà.
    const contentOf = (el) => {
        const area = el.closest('.jp-OutputArea') || el.closest('.jp-Cell') || document.body;
        const r = area.getBoundingClientRect();
        const scroller = el.closest('.jp-WindowedPanel-outer, .jp-Notebook');
        const s = scroller ? scroller.getBoundingClientRect() : { left: 0, right: window.innerWidth };
        return { left: Math.max(r.left, s.left), right: Math.min(r.right, s.right, window.innerWidth) };
    };

    // 1. Slider tracks (explorers, predictions, anything a learner drags).
    for (const slider of document.querySelectorAll('.widget-hslider, .widget-slider')) {
        if (!shown(slider) || slider.closest('.widget-vslider')) continue;
        const track = slider.querySelector('.slider-container') || slider.querySelector('.noUi-target');
        if (!track) continue;
        const w = track.getBoundingClientRect().width;
        if (w < minTrack) problems.push(`${where(slider)}: slider "${name(slider.querySelector('.widget-label') || slider)}" track ${w.toFixed(0)} px (< ${minTrack})`);
    }

    // 1b. Dropdowns in explorers: every option can be read whole.
    const pen = document.createElement('canvas').getContext('2d');
    for (const select of document.querySelectorAll('.course-explorer select')) {
        if (!shown(select)) continue;
        const cs = getComputedStyle(select);
        pen.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const widest = Math.max(...[...select.options].map((o) => pen.measureText(o.text).width));
        const room = select.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 16;  // 16: the arrow
        const label = select.closest('.widget-dropdown');
        if (widest > room + 1)
            problems.push(`${where(select)}: dropdown "${name(label.querySelector('.widget-label') || label)}" cuts its options short (${widest.toFixed(0)} px of text in ${room.toFixed(0)} px)`);
    }

    // 2. Quiz and prediction options: no overlap, each keeps its radio circle.
    for (const box of document.querySelectorAll('.widget-radio-box')) {
        if (!shown(box)) continue;
        const labels = [...box.querySelectorAll('label')].filter(shown);
        labels.forEach((label, i) => {
            const r = label.getBoundingClientRect();
            const input = label.querySelector('input[type=radio]');
            const c = input ? input.getBoundingClientRect() : null;
            if (!c || c.width < 8 || c.height < 8 || c.left < r.left - 1 || c.right > r.right + 1 || c.top < r.top - 1 || c.bottom > r.bottom + 1)
                problems.push(`${where(box)}: option "${name(label)}" lost its radio circle`);
            if (label.scrollHeight > label.clientHeight + 2 || label.scrollWidth > label.clientWidth + 2)
                problems.push(`${where(box)}: option "${name(label)}" overflows its label`);
            for (const other of labels.slice(i + 1))
                if (overlap(r, other.getBoundingClientRect())) problems.push(`${where(box)}: option "${name(label)}" overlaps "${name(other)}"`);
        });
    }

    // 3. Figures: inside the notebook's content width; legend entries apart and inside the figure.
    for (const plot of document.querySelectorAll('.js-plotly-plot')) {
        if (!shown(plot)) continue;
        const svg = plot.querySelector('.main-svg');
        if (!svg) continue;
        const r = svg.getBoundingClientRect(), box = contentOf(plot);
        const title = name(plot.querySelector('.gtitle') || plot).slice(0, 50);
        if (r.left < box.left - 1 || r.right > box.right + 1)
            problems.push(`${where(plot)}: figure "${title}" (${r.left.toFixed(0)}–${r.right.toFixed(0)} px) outside the content width (${box.left.toFixed(0)}–${box.right.toFixed(0)} px)`);
        for (const [i, trace] of (plot.data || []).entries())  // a value lost on the way from the kernel
            for (const key of ['x', 'y', 'z']) if (key in trace && trace[key] === undefined)
                problems.push(`${where(plot)}: trace ${i} ("${trace.name || ''}") of "${title}" lost its ${key} values`);
        const paper = plot.getBoundingClientRect();
        const entries = [...plot.querySelectorAll('.legend .traces')].map((t) => [t, t.getBoundingClientRect()]).filter(([, b]) => b.width > 0);
        entries.forEach(([t, b], i) => {
            if (b.right > paper.right + 1 || b.left < paper.left - 1 || b.bottom > paper.bottom + 1 || b.top < paper.top - 1)
                problems.push(`${where(plot)}: legend entry "${name(t)}" cut off in "${title}"`);
            for (const [u, c] of entries.slice(i + 1))
                if (overlap(b, c)) problems.push(`${where(plot)}: legend entries "${name(t)}" and "${name(u)}" overlap in "${title}"`);
        });
        for (const note of plot.querySelectorAll('.infolayer .annotation, .infolayer .g-gtitle, .infolayer .g-xtitle, .infolayer .g-ytitle')) {
            const b = note.getBoundingClientRect();
            if (b.width > 0 && (b.right > paper.right + 2 || b.left < paper.left - 2 || b.bottom > paper.bottom + 2 || b.top < paper.top - 2))
                problems.push(`${where(plot)}: text "${name(note)}" cut off in "${title}"`);
        }
    }

    // 4. An explorer's controls, figure and readout on one screen.
    if (checkFit) {
        const screen = document.querySelector('.jp-WindowedPanel-outer, .jp-Notebook');
        const height = screen ? screen.clientHeight : window.innerHeight;
        for (const explorer of document.querySelectorAll('.course-explorer')) {
            if (!shown(explorer)) continue;
            const parts = ['.explorer-controls', '.explorer-figure', '.explorer-readout'].map((s) => explorer.querySelector(s)).filter((p) => p && shown(p));
            if (!parts.length) continue;
            const top = Math.min(...parts.map((p) => p.getBoundingClientRect().top));
            const bottom = Math.max(...parts.map((p) => p.getBoundingClientRect().bottom));
            if (bottom - top > height)
                problems.push(`${where(explorer)}: controls, figure and readout span ${(bottom - top).toFixed(0)} px, taller than the ${height} px screen`);
        }
    }

    // 5. Tables: no cell cut short; 6. no NaN / None / dtype text in what a learner reads.
    for (const cell of document.querySelectorAll('td, th')) {
        if (!shown(cell) || cell.closest('.jp-MarkdownCell, .jp-InputArea')) continue;
        const text = cell.innerText.trim();
        const style = getComputedStyle(cell);
        if (/(…|\\.\\.\\.)$/.test(text) || (style.overflow !== 'visible' && cell.scrollWidth > cell.clientWidth + 2) || style.textOverflow === 'ellipsis' && cell.scrollWidth > cell.clientWidth)
            problems.push(`${where(cell)}: table cell cut short: "${text.slice(0, 60)}"`);
    }
    // "None" as Python prints it (alone, after ':' or '=', in brackets), not the English word
    // ("None of these", "None, because …", "None: the rules …").
    const bad = /(^|[^\\w-])(NaN|nan|NaT|<NA>|dtype: ?\\w+)(?![\\w-])|(^|[:=]\\s?)None\\s*($|[\\])}])|[\\[(,]\\s?None\\s*[,\\])}]/;
    for (const output of outputs) {
        const text = output.innerText || '';
        for (const line of text.split('\\n').map((l) => l.trim())) {
            const m = line.match(bad);
            if (m) { problems.push(`${where(output)}: "${m[0].trim()}" shown: "${line.trim().slice(0, 90)}"`); break; }
        }
    }
    return [...new Set(problems)];
}"""


def layout_problems(page, check_fit: bool) -> list[str]:
    """Every layout problem on the page now (``check_fit``: each explorer must fit the screen)."""
    return page.evaluate(_LAYOUT_JS, [MIN_SLIDER_TRACK_PX, check_fit])


def open_file_browser(page) -> None:
    """Show JupyterLab's file browser in the left sidebar (as a learner has it by default)."""
    opened = page.evaluate("() => !!document.querySelector('#filebrowser:not(.lm-mod-hidden)')")
    if not opened:
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='filebrowser']").first.click()
        page.wait_for_selector("#filebrowser:not(.lm-mod-hidden)", timeout=10_000)


SIZES = {"1280x720": {"width": 1280, "height": 720}, "1400x1000": {"width": 1400, "height": 1000}}


def problems_at_both_sizes(page, screenshots, prefix: str) -> dict[str, list[str]]:
    """Layout problems at 1280×720 with the file browser open (a laptop) and at 1400×1000
    (a projector; there each explorer must also fit the screen), a screenshot of the page at
    each size as ``<prefix>-<size>.png``. Leaves the page at 1400×1000."""
    found = {}
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        open_file_browser(page)
        page.wait_for_timeout(1200)  # figures follow their new width (ResizeObserver, then plotly)
        found[size] = layout_problems(page, check_fit=size == "1400x1000")
        page.screenshot(path=str(screenshots / f"{prefix}-{size}.png"))
    return found
