"""The Qt binding must keep Python's reference counts: PySide6 6.12.0 on Python 3.11 does not
(every void call returns None, every signal emit returns True, without a reference), and the
window then dies with "Fatal Python error: deallocating None" after a few thousand calls."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Talker(QObject):
    said = Signal(str)


def test_void_calls_and_emits_keep_none_and_true_alive(qapp: Any) -> None:
    label = QLabel()
    talker = _Talker()
    talker.said.connect(label.setText)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        label.setText("x")
        talker.said.emit("y")
    # a few references may come and go elsewhere; thousands lost would be the binding's bug
    assert sys.getrefcount(None) - none_before > -100
    assert sys.getrefcount(True) - true_before > -100
