"""An inline message under the thing it is about: error, information or success; never modal.

A banner sits in its dialog's layout, or (:class:`BannerStack`) lies over the top of an area of
a screen, so that showing it moves nothing there."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from pos_app.i18n import _
from pos_app.ui.common.style import set_role


class Banner(QFrame):
    """Hidden until :meth:`show_message`; stays until cleared or closed with its ``×``."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None, *, large: bool = False) -> None:
        super().__init__(parent)
        self.setProperty("kind", "info")
        if large:
            self.setProperty("emphasis", "large")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10 if not large else 14, 8, 10 if not large else 14)
        self._label = QLabel(self)
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self._label, 1)
        close = QPushButton("×", self)
        close.setProperty("role", "close")
        close.setToolTip(_("Close"))
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.setAutoDefault(False)
        close.clicked.connect(self.clear)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        """``kind`` is ``error``, ``info`` or ``success``."""
        self._label.setText(text)
        if self.property("kind") != kind:
            set_role(self, "kind", kind)
        self.show()

    def show_error(self, text: str) -> None:
        self.show_message(text, "error")

    def clear(self) -> None:
        """Hide the banner (also one shown on a page that is hidden itself) and forget its text."""
        if not self.isHidden():
            self.hide()
            self.closed.emit()
        self._label.clear()

    def text(self) -> str:
        return self._label.text() if self.isVisible() else ""

    def kind(self) -> str:
        return str(self.property("kind"))


class BannerStack(QObject):
    """Banners laid over the top of ``area`` instead of in a layout: showing, hiding or
    rewording one moves nothing under it (a tapped product stays where the finger is).

    The banners are children of ``area`` or of one of its ancestors; the visible ones are
    stacked down from ``area``'s top edge, ``inset`` px in from its sides, over everything."""

    def __init__(self, area: QWidget, *banners: QWidget, inset: int = 8) -> None:
        super().__init__(area)
        self.area, self.banners, self.inset = area, banners, inset
        self._placing = False
        area.installEventFilter(self)
        for banner in banners:
            banner.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if watched is self.area:
            if kind in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show):
                self.place()
        elif kind in (QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.LayoutRequest):
            self.place()
        return False

    def place(self) -> None:
        """Put each visible banner at its place: the first at the top, the next under it."""
        if self._placing:
            return
        self._placing = True
        try:
            top = 0
            for banner in self.banners:
                if banner.isHidden():
                    continue
                parent = banner.parentWidget()
                corner = (QPoint(0, 0) if self.area is parent
                          else self.area.mapTo(parent, QPoint(0, 0)))
                width = max(0, self.area.width() - 2 * self.inset)
                height = (banner.heightForWidth(width) if banner.hasHeightForWidth()
                          else -1)
                height = max(height, banner.minimumSizeHint().height())
                banner.setGeometry(corner.x() + self.inset, corner.y() + self.inset + top,
                                   width, height)
                banner.raise_()
                top += height + self.inset // 2
        finally:
            self._placing = False
