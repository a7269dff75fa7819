"""Self-check quizzes from the course's question banks.

Multiple-choice questions use radio buttons and numeric questions a text box,
so both work from the keyboard (Tab, arrow keys, Enter). State lives in the
kernel, where tests and nbval can reach it.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W

import course_data
from widgets.evidence import badge_html


class Question:
    """One question with its Check / Try again buttons and feedback.

    :meth:`load` puts another question into the same widgets, so a quiz can change
    its questions without the browser building new views (the cumulative review does).
    """

    def __init__(self, spec: dict[str, Any], on_result=None):
        self.on_result = on_result
        self.prompt = W.HTML()
        self.entry = W.HBox()  # the answer input for the current question's type
        self._choices: W.RadioButtons | None = None
        self._number: W.Text | None = None
        self._unit: W.Label | None = None
        self.check_button = W.Button(description="Check", button_style="primary", tooltip="Check your answer")
        self.retry_button = W.Button(description="Try again", tooltip="Clear and answer again", layout=W.Layout(display="none"))
        self.check_button.on_click(lambda _b: self.check())
        self.retry_button.on_click(lambda _b: self.reset())
        self.feedback = W.HTML().add_class("quiz-feedback")
        self.widget = W.VBox([self.prompt, self.entry, W.HBox([self.check_button, self.retry_button]), self.feedback]).add_class("quiz-question")
        self.load(spec)

    def load(self, spec: dict[str, Any]) -> None:
        """Show ``spec`` in these widgets, unanswered (multiple choice: radio buttons; numeric: a text box)."""
        self.spec = spec
        self.prompt.value = f"<div style='margin-top:8px'><b>{html.escape(spec['prompt'])}</b></div>"
        if spec["type"] == "multiple_choice":
            texts = [option["text"] for option in spec["options"]]
            if self._choices is None:
                self._choices = W.RadioButtons(options=texts, value=None, layout=W.Layout(width="auto"))
            else:
                self._choices.value = None  # first, so that new options leave nothing selected
                self._choices.options = texts
            self.input = self._choices
            entry: tuple[W.Widget, ...] = (self._choices,)
        else:
            if self._number is None:
                self._number = W.Text(placeholder="type a number", continuous_update=False, layout=W.Layout(width="12em"))
                self._unit = W.Label()
            self._unit.value = spec["unit"]
            self.input = self._number
            entry = (self._number, self._unit)
        if self.entry.children != entry:
            self.entry.children = entry
        self._clear()

    def _given(self) -> float | int | None:
        if self.spec["type"] == "multiple_choice":
            if self.input.value is None:
                return None
            return [option["text"] for option in self.spec["options"]].index(self.input.value)
        text = (self.input.value or "").strip().replace(",", ".")
        try:
            return float(text)
        except ValueError:
            return None

    def check(self) -> bool:
        given = self._given()
        if given is None:
            hint = "Choose one option first." if self.spec["type"] == "multiple_choice" else "Please enter a number (for example 0.5)."
            self._show(hint, neutral=True)
            return False
        if self.spec["type"] == "multiple_choice":
            self.correct = given == self.spec["answer"]
        else:
            self.correct = abs(given - self.spec["answer"]) <= self.spec["tolerance"]
        self.answered = True
        verdict = "Correct." if self.correct else "Not quite."
        if not self.correct and self.spec["type"] == "numeric":
            verdict += f" The answer is {self.spec['answer']:g} {self.spec['unit']}."
        elif not self.correct:
            verdict += f" The answer is: {self.spec['options'][self.spec['answer']]['text']}."
        self._show(verdict + " " + self.spec["explanation"], neutral=False)
        self.check_button.disabled = True
        self.retry_button.layout.display = None
        if self.on_result:
            self.on_result()
        return self.correct

    def _show(self, text: str, neutral: bool) -> None:
        self.feedback_text = text
        colour = "#555" if neutral else ("#00734f" if self.correct else "#8a2b00")
        sources = "" if neutral else " ".join(badge_html(s) for s in self.spec.get("source_ids", []))
        self.feedback.value = (
            f"<div role='status' aria-live='polite' style='color:{colour};margin:4px 0;max-width:60em'>"
            f"{html.escape(text)} {sources}</div>"
        )

    def _clear(self) -> None:
        self.answered = self.correct = False
        self.input.value = None if self.spec["type"] == "multiple_choice" else ""
        self.feedback.value = ""
        self.feedback_text = ""
        self.check_button.disabled = False
        self.retry_button.layout.display = "none"

    def reset(self) -> None:
        """Clear the answer so the learner can try again."""
        self._clear()
        if self.on_result:
            self.on_result()

    def answer(self, value: Any) -> bool:
        """Answer as a learner would: an option's text or index, or a number."""
        if self.spec["type"] == "multiple_choice":
            self.input.value = self.spec["options"][value]["text"] if isinstance(value, int) else value
        else:
            self.input.value = str(value)
        return self.check()


class Quiz:
    """A set of questions with a running score."""

    def __init__(self, specs: list[dict[str, Any]], title: str = "Self-check"):
        self.header = W.HTML()
        self.body = W.VBox()
        self.score_label = W.HTML().add_class("quiz-score")
        self.widget = W.VBox(
            [self.header, self.body, self.score_label],
            layout=W.Layout(border="1px solid #ccc", padding="6px 12px", margin="8px 0"),
        ).add_class("course-quiz")
        self.show([Question(spec) for spec in specs], title)

    def show(self, questions: list[Question], title: str) -> None:
        """Show these questions under ``title``; questions already on the page keep their views."""
        self.questions = list(questions)
        for question in self.questions:
            question.on_result = self._update_score
        self.header.value = f"<h4 style='margin:6px 0'>✔ {html.escape(title)}</h4>"
        children = tuple(q.widget for q in self.questions)
        if self.body.children != children:
            self.body.children = children
        self._update_score()

    @property
    def score(self) -> tuple[int, int]:
        return sum(q.correct for q in self.questions), len(self.questions)

    def _update_score(self) -> None:
        right, total = self.score
        answered = sum(q.answered for q in self.questions)
        self.score_label.value = f"<div role='status' aria-live='polite'>Score: {right} of {total} correct ({answered} answered)</div>"

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def quiz(notebook: str, section: str | None = None, title: str = "Self-check") -> Quiz:
    """The quiz for one notebook section (or the whole bank) from ``course_data/questions``."""
    return Quiz(course_data.questions(notebook, section), title=title)
