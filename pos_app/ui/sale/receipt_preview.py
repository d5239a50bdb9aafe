"""The on-screen receipt: the printer's own fixed-width layout, drawn on a strip of paper."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QWidget

from pos_app.domain.receipt import QR, Element, Pair, Text, fixed_width, fold_elements
from pos_app.services.sale.printing import PrinterConfig, printer_settings
from pos_app.services.setup.settings_model import Settings
from pos_app.ui.common.style import BORDER, MONO, TEXT

PIXEL_SIZE = 13
MARGIN = 18
QR_MODULE = 4  # screen pixels per QR module


def columns_for(settings: Settings) -> int:
    """Characters a line on the paper the printer settings name."""
    return printer_settings(settings).config.columns


def paper_width(columns: int) -> int:
    """The on-screen width, in pixels, of a strip of paper ``columns`` characters wide."""
    return _Paper.width_for(columns)


def layout_lines(elements: list[Element], columns: int) -> list[tuple[Element, str]]:
    """What the printer prints, line by line: folded to ASCII, then laid out in ``columns``;
    centred and right-aligned text is padded here (the printer aligns it itself)."""
    out: list[tuple[Element, str]] = []
    for element, line in fixed_width(fold_elements(elements), columns):
        if isinstance(element, Text):
            width = columns // 2 if element.large else columns
            if element.align == "center":
                line = line.center(width).rstrip()
            elif element.align == "right":
                line = line.rjust(width)
        out.append((element, line))
    return out


def qr_image(payload: str) -> QImage | None:
    """The receipt's QR code as a black-on-white image (None if no QR library is present)."""
    try:
        import qrcode  # installed with python-escpos
    except ImportError:
        return None
    code = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    black = QColor("black").rgb()
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                image.setPixel(x, y, black)
    return image


class _Paper(QWidget):
    """Paints the lines in a monospace grid; large elements are drawn at double size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[tuple[Element, str]] = []
        self.columns = PrinterConfig("").columns
        self.qr: dict[str, QImage | None] = {}
        self.font_ = QFont()
        self.font_.setFamilies(MONO)
        self.font_.setStyleHint(QFont.StyleHint.Monospace)
        self.font_.setPixelSize(PIXEL_SIZE)
        metrics = QFontMetricsF(self.font_)
        self.char_w = metrics.horizontalAdvance("M")
        self.line_h = metrics.height()
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_lines(self, lines: list[tuple[Element, str]], columns: int) -> None:
        self.lines, self.columns = lines, columns
        for element, _line in lines:
            if isinstance(element, QR) and element.payload not in self.qr:
                self.qr[element.payload] = qr_image(element.payload)
        self.setFixedSize(self.sizeHint())
        self.update()

    def _height_of(self, element: Element) -> float:
        if isinstance(element, QR):
            image = self.qr.get(element.payload)
            return (image.height() * QR_MODULE if image is not None else self.line_h) + 8
        large = isinstance(element, Text | Pair) and element.large
        return self.line_h * (2 if large else 1)

    @staticmethod
    def width_for(columns: int) -> int:
        font = QFont()
        font.setFamilies(MONO)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPixelSize(PIXEL_SIZE)
        return int(columns * QFontMetricsF(font).horizontalAdvance("M") + 2 * MARGIN + 1)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        height = sum(self._height_of(el) for el, _line in self.lines)
        return QSize(self.width_for(self.columns), int(height + 2 * MARGIN + 1))

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("white"))
        p.setPen(QColor(BORDER))
        p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        p.setPen(QColor(TEXT))
        y = float(MARGIN)
        for element, line in self.lines:
            height = self._height_of(element)
            if isinstance(element, QR):
                image = self.qr.get(element.payload)
                if image is not None:
                    side = image.width() * QR_MODULE
                    x = MARGIN + (self.columns * self.char_w - side) / 2
                    p.drawImage(QRectF(x, y + 4, side, side), image)
                y += height
                continue
            large = isinstance(element, Text | Pair) and element.large
            bold = isinstance(element, Text | Pair) and element.bold
            font = QFont(self.font_)
            font.setBold(bold)
            p.setFont(font)
            p.save()
            p.translate(QPointF(MARGIN, y))
            if large:
                p.scale(2, 2)
            p.drawText(QPointF(0, QFontMetricsF(font).ascent()), line)
            p.restore()
            y += height
        p.end()


class ReceiptPreview(QScrollArea):
    """Scrolls the paper strip; :meth:`text` gives the printed lines (for tests and copy)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paper = _Paper(self)
        self.setWidget(self.paper)
        self.setWidgetResizable(False)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.show_elements([], PrinterConfig("").columns)

    def show_elements(self, elements: list[Element], columns: int) -> None:
        self.paper.set_lines(layout_lines(elements, columns), columns)
        self.setMinimumWidth(self.paper.width() + 24)
        self.verticalScrollBar().setValue(0)

    def clear(self) -> None:
        self.show_elements([], self.paper.columns)

    def text(self) -> str:
        return "\n".join(line for el, line in self.paper.lines if not isinstance(el, QR))
