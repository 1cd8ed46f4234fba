"""The search bar: plain words, CCL or PQF in one line, and the advanced form that writes it.

A query that does not parse is underlined from where it goes wrong, the parser's message is
shown under the bar, and nothing is sent. The advanced form writes CCL into the same bar, so
users see (and learn) the syntax their form makes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, Signal
from PySide6.QtGui import QInputMethodEvent, QIntValidator, QPalette, QTextCharFormat
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class QueryProblem:
    """Why a query cannot be sent: the parser's message and where it goes wrong."""

    message: str
    position: int  # 0-based character offset into the text
    length: int = 1


# A check returns the query kind ("words", "ccl", "pqf") or the problem that stops it.
QueryCheck = Callable[[str], "str | QueryProblem"]


def _t(text: str) -> str:
    return QCoreApplication.translate("SearchBar", text)


class QueryEdit(QLineEdit):
    """A line edit that can underline a stretch of its text (the parse error)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error_span: tuple[int, int] | None = None
        self.textEdited.connect(self._edited)

    def underline(self, start: int, length: int) -> None:
        """Wavy-underline ``length`` characters from ``start`` (kept until the next edit)."""
        start = max(0, min(start, len(self.text())))
        length = max(1, min(length, len(self.text()) - start)) if self.text() else 0
        self.error_span = (start, length)
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        # the palette's link colour: readable in light and dark themes alike
        fmt.setUnderlineColor(self.palette().color(QPalette.ColorRole.Link))
        self._formats([(start, length, fmt)])

    def clear_underline(self) -> None:
        if self.error_span is not None:
            self.error_span = None
            self._formats([])

    def _formats(self, spans: list[tuple[int, int, QTextCharFormat]]) -> None:
        # QLineEdit draws pre-edit formats; an empty pre-edit string carrying only formats is
        # the documented way to colour parts of its text without a rich-text widget
        attrs = [
            QInputMethodEvent.Attribute(
                QInputMethodEvent.AttributeType.TextFormat,
                start - self.cursorPosition(),
                length,
                fmt,
            )
            for start, length, fmt in spans
        ]
        QCoreApplication.sendEvent(self, QInputMethodEvent("", attrs))

    def _edited(self, _text: str) -> None:
        self.clear_underline()


# The advanced form's fields and the CCL qualifier each writes (YAZ's bib1 CCL names).
FORM_FIELDS: tuple[tuple[str, str], ...] = (
    ("any", ""),
    ("title", "ti"),
    ("author", "au"),
    ("subject", "su"),
    ("isbn", "isbn"),
    ("issn", "issn"),
    ("publisher", "pb"),
)


def field_label(name: str) -> str:
    return {
        "any": _t("Any field"),
        "title": _t("Title"),
        "author": _t("Author"),
        "subject": _t("Subject"),
        "isbn": _t("ISBN"),
        "issn": _t("ISSN"),
        "publisher": _t("Publisher"),
    }[name]


OPERATORS = ("and", "or", "not")


def ccl_term(text: str) -> str:
    """Quote a term when CCL would otherwise read its characters as syntax."""
    text = text.strip()
    if not text:
        return ""
    if any(c in text for c in '()=<>"/,!&|%') or text.lower() in ("and", "or", "not"):
        return '"' + text.replace('"', "") + '"'
    return text


def form_to_ccl(clauses: list[tuple[str, str, str]], year_from: str = "", year_to: str = "") -> str:
    """(operator, field, text) clauses and a year range -> the CCL the bar shows."""
    qualifiers = dict(FORM_FIELDS)
    parts: list[str] = []
    for op, field_name, text in clauses:
        term = ccl_term(text)
        if not term:
            continue
        qualifier = qualifiers[field_name]
        piece = f"{qualifier}={term}" if qualifier else term
        if parts:
            parts.append(op)
        parts.append(piece)
    year_from, year_to = year_from.strip(), year_to.strip()
    year = ""
    if year_from and year_to:
        year = f"yr={year_from}-{year_to}" if year_from != year_to else f"yr={year_from}"
    elif year_from:
        year = f"yr>={year_from}"
    elif year_to:
        year = f"yr<={year_to}"
    if year:
        if parts:
            parts.append("and")
        parts.append(year)
    return " ".join(parts)


class AdvancedForm(QWidget):
    """Title, author, subject, ISBN, ISSN, publisher, year range, AND/OR/NOT; writes CCL."""

    queryChanged = Signal(str)

    ROWS = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout()
        self.rows: list[tuple[QComboBox, QComboBox, QLineEdit]] = []
        defaults = ("title", "author", "subject", "isbn")
        for r in range(self.ROWS):
            op = QComboBox(self)
            for name in OPERATORS:
                op.addItem(
                    {"and": self.tr("AND"), "or": self.tr("OR"), "not": self.tr("NOT")}[name], name
                )
            op.setAccessibleName(self.tr("Operator before row {0}").format(r + 1))
            op.setVisible(r > 0)
            field_box = QComboBox(self)
            for name, _q in FORM_FIELDS:
                field_box.addItem(field_label(name), name)
            field_box.setCurrentIndex(field_box.findData(defaults[r]))
            field_box.setAccessibleName(self.tr("Field of row {0}").format(r + 1))
            text = QLineEdit(self)
            text.setAccessibleName(self.tr("Words of row {0}").format(r + 1))
            text.setClearButtonEnabled(True)
            grid.addWidget(op, r, 0)
            grid.addWidget(field_box, r, 1)
            grid.addWidget(text, r, 2)
            for widget in (op, field_box):
                widget.currentIndexChanged.connect(self._changed)
            text.textEdited.connect(self._changed)
            self.rows.append((op, field_box, text))
        self.year_from = QLineEdit(self)
        self.year_to = QLineEdit(self)
        for edit, name in (
            (self.year_from, self.tr("Year from")),
            (self.year_to, self.tr("Year to")),
        ):
            edit.setValidator(QIntValidator(0, 9999, edit))
            edit.setMaximumWidth(80)
            edit.setAccessibleName(name)
            edit.setPlaceholderText(self.tr("yyyy"))
            edit.textEdited.connect(self._changed)
        years = QHBoxLayout()
        years.addWidget(self.year_from)
        years.addWidget(QLabel(self.tr("to"), self))
        years.addWidget(self.year_to)
        years.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Published"), years)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addLayout(form)

    def clauses(self) -> list[tuple[str, str, str]]:
        return [
            (str(op.currentData()), str(field_box.currentData()), text.text())
            for op, field_box, text in self.rows
        ]

    def query(self) -> str:
        return form_to_ccl(self.clauses(), self.year_from.text(), self.year_to.text())

    def set_clause(self, row: int, field_name: str, text: str, op: str = "and") -> None:
        """Fill one row (as a user would); the bar is rewritten."""
        op_box, field_box, edit = self.rows[row]
        op_box.setCurrentIndex(op_box.findData(op))
        field_box.setCurrentIndex(field_box.findData(field_name))
        edit.setText(text)
        self._changed()

    def _changed(self, *_args: object) -> None:
        self.queryChanged.emit(self.query())


class SearchBar(QWidget):
    """[query ......] [Search] [Stop] [Advanced ▾] and, folded under it, the form."""

    searchRequested = Signal(str, str)  # text, kind
    stopRequested = Signal()

    def __init__(self, check: QueryCheck, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._check = check
        self.edit = QueryEdit(self)
        self.edit.setPlaceholderText(self.tr("Search: title, author, ISBN, CCL or PQF"))
        self.edit.setAccessibleName(self.tr("Search query"))
        self.edit.setToolTip(
            self.tr(
                "Plain words search everywhere; an ISBN searches by ISBN; CCL such as "
                "ti=origin and au=darwin; PQF such as @attr 1=4 origin"
            )
        )
        self.edit.setClearButtonEnabled(True)
        self.history = QStringListModel(self)
        completer = QCompleter(self.history, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.setCompleter(completer)
        self.search_button = QPushButton(self.tr("Search"), self)
        self.search_button.setAccessibleName(self.tr("Search"))
        self.search_button.setToolTip(self.tr("Search the ticked catalogues (Enter)"))
        self.search_button.setDefault(True)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setAccessibleName(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the search (Esc)"))
        self.stop_button.setEnabled(False)
        self.advanced_button = QToolButton(self)
        self.advanced_button.setText(self.tr("Advanced ▾"))
        self.advanced_button.setCheckable(True)
        self.advanced_button.setAccessibleName(self.tr("Advanced search form"))
        self.advanced_button.setToolTip(self.tr("Fold out a form that writes the query for you"))
        self.problem = QLabel(self)
        self.problem.setAccessibleName(self.tr("Query problem"))
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        self.problem.setForegroundRole(QPalette.ColorRole.Link)
        self.form = AdvancedForm(self)
        self.form.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.search_button)
        row.addWidget(self.stop_button)
        row.addWidget(self.advanced_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addWidget(self.form)
        self.edit.returnPressed.connect(self.submit)
        self.search_button.clicked.connect(self.submit)
        self.stop_button.clicked.connect(self.stopRequested)
        self.advanced_button.toggled.connect(self.form.setVisible)
        self.form.queryChanged.connect(self._form_wrote)
        self.edit.textEdited.connect(self._hide_problem)

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)
        self._hide_problem()

    def set_history(self, items: list[str]) -> None:
        self.history.setStringList(items)

    def set_running(self, running: bool) -> None:
        self.stop_button.setEnabled(running)

    def submit(self) -> None:
        """Check the query; underline the problem, or ask for a search."""
        # the completer's popup also reports Enter; never search twice for one key press
        text = self.edit.text().strip()
        if not text:
            self.show_problem(QueryProblem(self.tr("Type something to search for."), 0, 0))
            return
        result = self._check(text)
        if isinstance(result, QueryProblem):
            self.show_problem(result)
            return
        self._hide_problem()
        self.searchRequested.emit(text, result)

    def show_problem(self, problem: QueryProblem) -> None:
        self.problem.setText(problem.message)
        self.problem.setVisible(True)
        self.problem.setToolTip(problem.message)
        if problem.length or self.edit.text():
            # the stripped text's offset maps onto the edit's text after leading blanks
            lead = len(self.edit.text()) - len(self.edit.text().lstrip())
            self.edit.underline(lead + problem.position, max(problem.length, 1))
            self.edit.setCursorPosition(lead + problem.position)
        self.edit.setFocus()

    def _hide_problem(self, *_args: object) -> None:
        self.problem.setVisible(False)
        self.problem.clear()
        self.edit.clear_underline()

    def _form_wrote(self, text: str) -> None:
        self.edit.setText(text)
        self._hide_problem()
