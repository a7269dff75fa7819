"""Re-running an explorer cell closes the previous run's widgets (issue 16 §5), in a real kernel.

JupyterLab names the cell it runs in each execute request's metadata (``cellId``); the test
sends requests the same way, without a browser, and counts the kernel's live widgets.
"""

from __future__ import annotations

import json

import pytest

RERUNS = 8
COUNT = "import ipywidgets.widgets.widget as _w; print('WIDGETS', len(_w._instances))"
# The heaviest explorer (a prediction box, many controls) and a cell that shows two explorers.
PK_CELL = "from widgets.explorers.pk import PKExplorer\nPKExplorer()"
TWO_CELL = ("from IPython.display import display\nfrom widgets.explorers.ssris import SSRIKineticsExplorer\n"
            "display(SSRIKineticsExplorer(), SSRIKineticsExplorer())")


@pytest.fixture(scope="module")
def kernel():
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3", startup_timeout=120)
    yield client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def run(client, code: str, cell_id: str | None = None) -> str:
    """Execute ``code`` as JupyterLab would run cell ``cell_id``; return what it printed."""
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
               "allow_stdin": False, "stop_on_error": True}
    message = client.session.msg("execute_request", content)
    if cell_id is not None:
        message["metadata"]["cellId"] = cell_id
    client.shell_channel.send(message)
    printed, errors = [], []
    while True:
        reply = client.get_iopub_msg(timeout=120)
        if reply["parent_header"].get("msg_id") != message["header"]["msg_id"]:
            continue
        kind = reply["msg_type"]
        if kind == "stream":
            printed.append(reply["content"]["text"])
        elif kind == "error":
            errors.append("\n".join(reply["content"]["traceback"]))
        elif kind == "status" and reply["content"]["execution_state"] == "idle":
            break
    assert not errors, "\n".join(errors)
    return "".join(printed)


def widgets_alive(client) -> int:
    return int(run(client, COUNT).split("WIDGETS")[1])


def test_rerunning_an_explorer_cell_keeps_the_widget_count_stable(kernel):
    run(kernel, PK_CELL, "cell-pk")
    after_first = widgets_alive(kernel)
    for _ in range(RERUNS):
        run(kernel, PK_CELL, "cell-pk")
    after_reruns = widgets_alive(kernel)
    assert after_reruns == after_first, f"{RERUNS} re-runs of one PK explorer cell: {after_first} → {after_reruns} widgets alive"


def test_a_cell_keeps_every_explorer_it_shows_and_other_cells_keep_theirs(kernel):
    baseline = widgets_alive(kernel)
    run(kernel, TWO_CELL, "cell-two")
    two = widgets_alive(kernel) - baseline
    run(kernel, TWO_CELL, "cell-other")  # the same code in another cell: both cells' explorers stay
    assert widgets_alive(kernel) - baseline == 2 * two
    for _ in range(3):
        run(kernel, TWO_CELL, "cell-two")
    assert widgets_alive(kernel) - baseline == 2 * two, "re-running one cell closed only its own two explorers"
    # The explorers still shown are live: their figures answer a change.
    state = run(kernel, "import ipywidgets.widgets.widget as _w, json\n"
                        "print('OPEN', json.dumps(sorted({type(w).__name__ for w in _w._instances.values()})))")
    assert "FigureWidget" in json.loads(state.split("OPEN")[1])


def test_without_a_cell_id_nothing_is_closed(kernel):
    """nbclient and Voilà run each cell once and name no cell: every explorer stays."""
    baseline = widgets_alive(kernel)
    run(kernel, PK_CELL)
    one = widgets_alive(kernel) - baseline
    run(kernel, PK_CELL)
    assert widgets_alive(kernel) - baseline == 2 * one > 0
