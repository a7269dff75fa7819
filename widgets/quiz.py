"""Self-check quizzes from the course's question banks.

Multiple-choice questions use radio buttons and numeric questions a text box,
so both work from the keyboard (Tab, arrow keys, Enter). State lives in the
kernel, where tests and nbval can reach it.

A fair engine (issue 14 §1): options are shuffled per learner and question (the
order reveals nothing); a wrong choice shows that option's own feedback; the learner
has two attempts before the answer is shown, and can ask for it sooner ("Show
answer", counted as shown, not correct); numbers are read as people type them
(:mod:`widgets.answers`); editing an answer clears the verdict. Each outcome is
saved in the learner's progress (:mod:`widgets.progress`).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W

import course_data
from widgets import answers, progress
from widgets.evidence import badge_html

MAX_ATTEMPTS = 2
NO_OPTION_FEEDBACK = "That is not the best answer."

#: Long options wrap under their own radio circle instead of overprinting the next one
#: (ipywidgets gives each radio label one fixed line height and no wrapping).
QUIZ_STYLE = """<style>
.course-quiz .widget-radio-box { flex-grow: 0; max-width: 62em; }
.course-quiz .widget-radio-box label { height: auto !important; min-height: var(--jp-widgets-inline-height, 28px);
  line-height: 1.4 !important; white-space: normal !important; display: flex !important; align-items: flex-start;
  margin: 2px 0 4px 0 !important; overflow: visible !important; }
.course-quiz .widget-radio-box label input { order: -1; flex: none; float: none !important; margin: 0.1em 0.55em 0 1px !important; }
.course-quiz .quiz-question .widget-label { white-space: normal; }
.course-quiz .widget-html-content { line-height: 1.45; }
</style>"""


def option_feedback(spec: dict[str, Any], option_index: int) -> str:
    """The feedback for choosing option ``option_index`` (authored order) of a multiple-choice item."""
    return spec["options"][option_index].get("feedback") or NO_OPTION_FEEDBACK


def answer_text(spec: dict[str, Any]) -> str:
    """The correct answer as the learner should read it."""
    if spec["type"] == "multiple_choice":
        return spec["options"][spec["answer"]]["text"]
    unit = "" if spec["unit"] in ("", "(no unit)") else f" {spec['unit']}"
    low, high = spec["answer"] - spec["tolerance"], spec["answer"] + spec["tolerance"]
    accepted = f" (accepted: {answers.format_number(low)}–{answers.format_number(high)}{unit})" if spec["tolerance"] else ""
    return f"{answers.format_number(spec['answer'])}{unit}{accepted}"


class Question:
    """One question with its Check and Show answer buttons and feedback.

    :meth:`load` puts another question into the same widgets, so a quiz can change
    its questions without the browser building new views (the cumulative review does).
    ``notebook`` is where the learner answers it; a question drawn from another
    notebook's bank (``spec["notebook"]``, as in the review) is recorded under that one.
    """

    def __init__(self, spec: dict[str, Any], on_result=None, notebook: str | None = None,
                 learner_id: str | None = None, store: progress.ProgressStore | None = None):
        self.on_result = on_result
        self.notebook = notebook
        self._learner_id = learner_id
        self._store = store
        self.prompt = W.HTML()
        self.entry = W.HBox()  # the answer input for the current question's type
        self._choices: W.RadioButtons | None = None
        self._number: W.Text | None = None
        self._unit: W.Label | None = None
        self._loading = False
        self.check_button = W.Button(description="Check", button_style="primary", tooltip="Check your answer")
        self.show_button = W.Button(description="Show answer",
                                    tooltip="Stuck? See the answer and why (counted as shown, not as correct)")
        self.check_button.on_click(lambda _b: self.check())
        self.show_button.on_click(lambda _b: self.show_answer())
        self.feedback = W.HTML().add_class("quiz-feedback")
        self.widget = W.VBox([self.prompt, self.entry, W.HBox([self.check_button, self.show_button]), self.feedback]
                             ).add_class("quiz-question")
        self.load(spec)

    # ------------------------------------------------------------ state
    @property
    def store(self) -> progress.ProgressStore:
        return self._store or progress.store()

    @property
    def learner_id(self) -> str:
        return self._learner_id or self.store.learner_id

    @property
    def resolved(self) -> bool:
        return self.status is not None

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    @property
    def answered(self) -> bool:
        """Answered by the learner (right, or wrong twice); an answer shown on request is not."""
        return self.status in ("correct", "wrong")

    @property
    def revealed(self) -> bool:
        return self.status == "revealed"

    @property
    def record_notebook(self) -> str | None:
        return self.spec.get("notebook") or self.notebook

    # ------------------------------------------------------------ building
    def load(self, spec: dict[str, Any]) -> None:
        """Show ``spec`` in these widgets, unanswered (multiple choice: radio buttons; numeric: a text box)."""
        self.spec = spec
        self.prompt.value = f"<div style='margin-top:8px;max-width:62em'><b>{html.escape(spec['prompt'])}</b></div>"
        self._loading = True
        try:
            if spec["type"] == "multiple_choice":
                self.order = answers.option_order(self.learner_id, spec["id"], len(spec["options"]))
                texts = [spec["options"][i]["text"] for i in self.order]
                if self._choices is None:
                    self._choices = W.RadioButtons(options=texts, value=None, layout=W.Layout(width="auto"))
                    self._choices.observe(self._on_edit, names="value")
                else:
                    self._choices.value = None  # first, so that new options leave nothing selected
                    self._choices.options = texts
                self.input = self._choices
                entry: tuple[W.Widget, ...] = (self._choices,)
            else:
                self.order = []
                if self._number is None:
                    # continuous_update: every keystroke reaches the kernel, so an edit clears the verdict at once
                    self._number = W.Text(placeholder="type a number", continuous_update=True, layout=W.Layout(width="12em"))
                    self._number.observe(self._on_edit, names="value")
                    self._unit = W.Label()
                self._unit.value = "" if spec["unit"] == "(no unit)" else spec["unit"]
                self.input = self._number
                entry = (self._number, self._unit)
            if self.entry.children != entry:
                self.entry.children = entry
            self._clear()
        finally:
            self._loading = False

    def _clear(self) -> None:
        self.status: str | None = None
        self.attempts = 0
        self.input.value = None if self.spec["type"] == "multiple_choice" else ""
        self.input.disabled = False
        self._set_feedback("", "")
        self.check_button.disabled = self.show_button.disabled = False

    def reset(self) -> None:
        """Clear the answer and the attempts, as for a new learner."""
        self._loading = True
        try:
            self._clear()
        finally:
            self._loading = False
        if self.on_result:
            self.on_result()

    # ------------------------------------------------------------ answering
    def _given(self) -> float | int | None:
        """The authored index of the chosen option, or the number typed; None if there is none."""
        if self.spec["type"] == "multiple_choice":
            index = self._choices.index
            return None if index is None else self.order[index]
        return answers.parse_number(self.input.value, self.spec["unit"])

    def _on_edit(self, _change: dict) -> None:
        if not self._loading and not self.resolved and self.feedback_text:
            self._set_feedback("", "")  # the verdict was about the previous answer

    def check(self) -> bool:
        """Judge the current answer (one attempt), as the Check button does; True when right."""
        if self.resolved:
            return self.correct
        given = self._given()
        if given is None:
            if self.spec["type"] == "multiple_choice":
                hint = "Choose one option first."
            else:
                unit = "" if self.spec["unit"] in ("", "(no unit)") else f" in {self.spec['unit']}"
                hint = f"Please enter a number{unit} (for example 0.5 or 1,000)."
            self._set_feedback(hint, "neutral")
            return False
        self.attempts += 1
        if self.spec["type"] == "multiple_choice":
            right = given == self.spec["answer"]
            why = self.spec["options"][given].get("feedback", "") if right else option_feedback(self.spec, given)
        else:
            right = answers.within_tolerance(given, self.spec["answer"], self.spec["tolerance"])
            error = None if right else answers.matching_common_error(given, self.spec.get("common_errors", []))
            if right:
                why = ""
            elif error:
                why = error["feedback"]
            else:
                why = f"Your answer is {'higher' if given > self.spec['answer'] else 'lower'} than the accepted range."
        if right:
            self._finish("correct", " ".join(p for p in ("Correct.", why) if p))
        elif self.attempts < MAX_ATTEMPTS:
            self._set_feedback(f"Not quite. {why} Try once more, or press Show answer.", "wrong")
        else:
            self._finish("wrong", f"Not quite. {why}", f"The answer is: {answer_text(self.spec)}.")
        return right

    def show_answer(self) -> None:
        """Show the answer and its explanation (the question counts as shown, not as correct)."""
        if not self.resolved:
            self._finish("revealed", "", f"The answer is: {answer_text(self.spec)}.")

    def answer(self, value: Any) -> bool:
        """Answer as a learner would: an option's index (authored order) or text, or a number; then Check."""
        if self.spec["type"] == "multiple_choice":
            self.input.value = self.spec["options"][value]["text"] if isinstance(value, int) else value
        else:
            self.input.value = str(value)
        return self.check()

    def _finish(self, status: str, lead: str, answer_line: str = "") -> None:
        self.status = status
        explanation = " ".join(p for p in (answer_line, self.spec["explanation"]) if p)
        self._set_feedback(lead, status, explanation)
        self.input.disabled = self.check_button.disabled = self.show_button.disabled = True
        notebook = self.record_notebook
        if notebook:
            self.store.record_quiz(notebook, self.spec["id"], self.spec["section"], status, self.attempts,
                                   section_title=self.spec.get("section_title"), answered_in=self.notebook)
        if self.on_result:
            self.on_result()

    def _set_feedback(self, lead: str, kind: str, explanation: str = "") -> None:
        """Feedback: the verdict on the chosen answer first, then (when final) the answer, explanation and sources."""
        self.feedback_text = " ".join(p for p in (lead, explanation) if p)
        if not self.feedback_text:
            self.feedback.value = ""
            return
        colour = {"correct": "#00734f", "wrong": "#8a2b00", "revealed": "#333", "neutral": "#555"}[kind]
        parts = [f"<div style='color:{colour}'>{html.escape(lead)}</div>"] if lead else []
        if explanation:
            badges = " ".join(badge_html(s) for s in self.spec.get("source_ids", []))
            parts.append(f"<div style='margin-top:3px;color:#222'>{html.escape(explanation)} {badges}</div>")
        self.feedback.value = (f"<div role='status' aria-live='polite' style='margin:4px 0;max-width:62em'>"
                               f"{''.join(parts)}</div>")


class Quiz:
    """A set of questions with a running score."""

    def __init__(self, specs: list[dict[str, Any]], title: str = "Self-check", notebook: str | None = None):
        self.notebook = notebook
        self.header = W.HTML()
        self.body = W.VBox()
        self.score_label = W.HTML().add_class("quiz-score")
        self.widget = W.VBox(
            [self.header, self.body, self.score_label],
            layout=W.Layout(border="1px solid #ccc", padding="6px 12px", margin="8px 0"),
        ).add_class("course-quiz")
        self.show([Question(spec, notebook=notebook) for spec in specs], title)

    def show(self, questions: list[Question], title: str) -> None:
        """Show these questions under ``title``; questions already on the page keep their views."""
        self.questions = list(questions)
        for question in self.questions:
            question.on_result = self._update_score
        self.header.value = f"{QUIZ_STYLE}<h3 style='margin:6px 0;font-size:1.05em'>✔ {html.escape(title)}</h3>"
        children = tuple(q.widget for q in self.questions)
        if self.body.children != children:
            self.body.children = children
        self._update_score()

    @property
    def score(self) -> tuple[int, int]:
        return sum(q.correct for q in self.questions), len(self.questions)

    def _saved_line(self) -> str:
        """First answers saved earlier (e.g. before a kernel restart) for these questions."""
        if not self.questions:
            return ""
        store = self.questions[0].store
        saved = store.read()["quiz"]
        firsts = [saved.get(q.record_notebook, {}).get(q.spec["id"], {}).get("first_result") for q in self.questions]
        kept = [f for f in firsts if f]
        notice = f"<div style='color:#8a2b00'>{html.escape(store.notice)}</div>" if store.notice else ""
        if not kept:
            return notice
        return (f"{notice}<div style='color:#555;font-size:0.9em'>Saved on this computer (first answers): "
                f"{firsts.count('correct')} of {len(self.questions)} correct, {len(kept)} answered or shown.</div>")

    def _update_score(self) -> None:
        right, total = self.score
        answered = sum(q.answered for q in self.questions)
        shown = sum(q.revealed for q in self.questions)
        self.score_label.value = (
            f"<div role='status' aria-live='polite'>Score: {right} of {total} correct "
            f"({answered} answered, {shown} {'answer' if shown == 1 else 'answers'} shown)</div>{self._saved_line()}"
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def quiz(notebook: str, section: str | None = None, title: str = "Self-check") -> Quiz:
    """The quiz for one notebook section (or the whole bank) from ``course_data/questions``."""
    return Quiz(course_data.questions(notebook, section), title=title, notebook=notebook)
