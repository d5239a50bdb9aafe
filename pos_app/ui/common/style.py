"""The look: a calm light theme with one teal accent, large type and touch-sized controls."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

BG = "#F1F4F6"
SURFACE = "#FFFFFF"
BORDER = "#D8DFE5"
TEXT = "#1C2B36"
MUTED = "#5F6F7D"
PRIMARY = "#0B7A6E"
PRIMARY_DARK = "#07584F"
PRIMARY_SOFT = "#E2F2EF"
DANGER = "#B42318"
DANGER_SOFT = "#FDECEA"
SUCCESS = "#067647"
SUCCESS_SOFT = "#E5F5EC"
INFO_SOFT = "#E8F0FA"
INFO = "#1D4E89"
WARNING = "#8A4B08"
WARNING_SOFT = "#FFF4DF"
MONO = ["DejaVu Sans Mono", "Consolas", "Menlo", "Liberation Mono", "Courier New"]

TOUCH = 48  # px: the smallest thing a finger has to hit
HEADER_PX = 13  # a table heading's type size (tables.heading_width measures with it)

STYLESHEET = f"""
QWidget {{ color: {TEXT}; font-size: 15px; }}
QMainWindow, QDialog {{ background: {BG}; }}
QToolTip {{ background: {TEXT}; color: white; border: none; padding: 6px; }}

QFrame[role="card"] {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 12px; }}

QLabel[role="caption"] {{ color: {MUTED}; font-size: 13px; }}
QLabel[role="heading"] {{ font-size: 17px; font-weight: 600; }}
QLabel[role="hint"] {{ color: {MUTED}; font-size: 14px; }}
QLabel[role="total-caption"] {{ color: {MUTED}; font-size: 16px; font-weight: 600; }}
QLabel[role="total"] {{ font-size: 40px; font-weight: 700; color: {TEXT}; }}
QLabel[role="due"] {{ font-size: 44px; font-weight: 700; color: {TEXT}; }}
QLabel[role="figure"] {{ font-size: 22px; font-weight: 700; }}
QLabel[role="figure-good"] {{ font-size: 22px; font-weight: 700; color: {SUCCESS}; }}
QLabel[role="figure-warn"] {{ font-size: 22px; font-weight: 700; color: {DANGER}; }}
QLabel[role="figure-over"] {{ font-size: 22px; font-weight: 700; color: {WARNING}; }}
QLabel[role="title"] {{ font-size: 26px; font-weight: 700; }}
QLabel[role="brand"] {{ font-size: 18px; font-weight: 700; color: {PRIMARY}; }}
QLabel[role="event"] {{ font-size: 15px; color: {MUTED}; }}
QLabel[role="field"] {{ font-size: 14px; font-weight: 600; }}
QLabel[role="example"] {{ color: {MUTED}; font-size: 13px; font-family: "DejaVu Sans Mono", Consolas, Menlo, monospace; }}
QLabel[role="field-error"] {{ color: {DANGER}; font-size: 13px; font-weight: 600; }}
QLabel[role="field-ok"] {{ color: {SUCCESS}; font-size: 13px; font-weight: 600; }}

QPushButton {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px;
    min-height: {TOUCH}px; padding: 0 12px; font-weight: 600;
}}
QPushButton:hover {{ border-color: {PRIMARY}; }}
QPushButton:pressed, QPushButton:checked {{ background: {PRIMARY_SOFT}; border-color: {PRIMARY}; color: {PRIMARY_DARK}; }}
QPushButton:focus {{ border: 2px solid {PRIMARY}; padding: 0 11px; }}
QPushButton:disabled {{ color: #A3AFB9; background: #F6F8F9; border-color: #E3E8EC; }}
QPushButton[role="primary"], QPushButton[role="pay"] {{
    background: {PRIMARY}; color: white; border: 1px solid {PRIMARY_DARK};
}}
QPushButton[role="primary"]:pressed, QPushButton[role="pay"]:pressed {{ background: {PRIMARY_DARK}; color: white; }}
QPushButton[role="primary"]:focus, QPushButton[role="pay"]:focus {{
    border: 3px solid {PRIMARY_DARK}; padding: 0 10px;
}}
QPushButton[role="primary"]:disabled, QPushButton[role="pay"]:disabled {{ background: #9CCFC8; color: #F2FAF9; border-color: #9CCFC8; }}
QPushButton[role="pay"] {{ font-size: 22px; min-height: 64px; border-radius: 10px; }}
QPushButton[role="quick"] {{ font-size: 18px; min-height: 50px; }}
QPushButton[role="key"] {{ font-size: 20px; min-height: 48px; padding: 0; }}
QPushButton[role="pin"] {{ font-size: 26px; min-height: 64px; padding: 0; }}
QPushButton[role="pin-ok"] {{
    background: {PRIMARY}; color: white; border: 1px solid {PRIMARY_DARK};
    font-size: 22px; min-height: 64px; padding: 0;
}}
QPushButton[role="pin-ok"]:pressed {{ background: {PRIMARY_DARK}; color: white; }}
QPushButton[role="pin-ok"]:disabled {{ background: #9CCFC8; color: #F2FAF9; border-color: #9CCFC8; }}
QPushButton[role="user"] {{ font-size: 16px; min-height: 64px; text-align: left; padding-left: 18px; }}
QPushButton[role="user"]:checked {{ background: {PRIMARY}; color: white; border-color: {PRIMARY_DARK}; }}
QPushButton[role="danger"] {{ color: {DANGER}; }}
QPushButton[role="danger"]:disabled {{ color: #C9B3B0; }}
QPushButton[role="method"] {{ min-height: 52px; font-size: 16px; text-align: left; padding-left: 18px; }}
QPushButton[role="method"]:checked {{ background: {PRIMARY}; color: white; border-color: {PRIMARY_DARK}; }}
QPushButton[role="category"] {{
    background: transparent; border: none; border-radius: 8px; text-align: left;
    padding-left: 14px; font-weight: 500; color: {TEXT};
}}
QPushButton[role="category"]:hover {{ background: #E7ECEF; }}
QPushButton[role="category"]:checked {{ background: {PRIMARY}; color: white; font-weight: 700; }}
QPushButton[role="category"]:focus {{ border: 2px solid {PRIMARY_DARK}; }}
QPushButton[role="close"] {{
    background: transparent; border: none; min-height: 44px; min-width: 44px; padding: 0;
    font-size: 20px; color: {MUTED};
}}

QLineEdit, QComboBox {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px;
    min-height: 44px; padding: 0 12px; font-size: 16px;
    selection-background-color: {PRIMARY}; selection-color: white;
}}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus {{ border: 2px solid {PRIMARY}; }}
QLineEdit[role="invalid"] {{ border: 2px solid {DANGER}; }}
QPlainTextEdit {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px; padding: 6px 8px;
    font-size: 15px; selection-background-color: {PRIMARY}; selection-color: white;
}}
QCheckBox, QRadioButton {{ spacing: 10px; min-height: {TOUCH}px; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: 22px; height: 22px; }}
QAbstractSpinBox {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px;
    min-height: 44px; padding: 0 8px; font-size: 16px;
}}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ width: 28px; }}
QTabWidget::pane {{ border: 1px solid {BORDER}; border-radius: 10px; background: {SURFACE}; top: -1px; }}
QTabBar::tab {{
    background: transparent; border: 1px solid transparent; border-bottom: none;
    padding: 10px 20px; min-height: 24px; font-weight: 600; color: {MUTED};
    border-top-left-radius: 8px; border-top-right-radius: 8px;
}}
QTabBar::tab:selected {{ background: {SURFACE}; border-color: {BORDER}; color: {PRIMARY_DARK}; }}
QLineEdit[role="scan"] {{ font-size: 19px; min-height: 52px; }}
QLineEdit[role="scan"]:focus {{ min-height: 50px; }} /* the 2 px border: the grid under it stays put */
QLineEdit[role="pin"] {{ font-size: 30px; font-weight: 700; min-height: 60px; }}
QLineEdit[role="count"] {{ font-size: 18px; font-weight: 600; min-height: 44px; }}
QLineEdit[role="amount"] {{ font-size: 26px; font-weight: 700; min-height: 56px; }}
QComboBox::drop-down {{ border: none; width: 32px; }}
QComboBox QAbstractItemView {{
    background: {SURFACE}; border: 1px solid {BORDER}; selection-background-color: {PRIMARY_SOFT};
    selection-color: {TEXT}; outline: 0; padding: 4px;
}}
QComboBox {{ combobox-popup: 0; }}
QComboBox QAbstractItemView::item {{ min-height: {TOUCH}px; }}

QTableView, QListWidget {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 10px;
    gridline-color: transparent; outline: 0;
    selection-background-color: {PRIMARY_SOFT}; selection-color: {TEXT};
}}
QTableView::item {{ border-bottom: 1px solid #EEF1F4; padding: 0 6px; }}
QTableView::item:selected {{ background: {PRIMARY_SOFT}; color: {TEXT}; }}
QListWidget::item {{ min-height: 44px; padding: 0 10px; border-bottom: 1px solid #EEF1F4; }}
QListWidget::item:selected {{ background: {PRIMARY_SOFT}; color: {TEXT}; }}
QHeaderView::section {{
    background: {SURFACE}; color: {MUTED}; border: none; border-bottom: 1px solid {BORDER};
    padding: 8px; font-size: {HEADER_PX}px; font-weight: 600;
}}
QListView#productGrid {{ background: transparent; border: none; outline: 0; }}

QScrollArea {{ background: transparent; border: none; }}
QScrollArea > QWidget > QWidget {{ background: transparent; }}
QScrollBar:vertical {{ background: transparent; width: 12px; margin: 2px; }}
QScrollBar::handle:vertical {{ background: #C3CDD5; border-radius: 4px; min-height: 40px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; width: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}

QFrame[kind="error"] {{ background: {DANGER_SOFT}; border: 1px solid #F5C2BC; border-radius: 10px; }}
QFrame[kind="error"] QLabel {{ color: {DANGER}; font-weight: 600; }}
QFrame[kind="info"] {{ background: {INFO_SOFT}; border: 1px solid #C6D8EE; border-radius: 10px; }}
QFrame[kind="info"] QLabel {{ color: {INFO}; font-weight: 600; }}
QFrame[kind="success"] {{ background: {SUCCESS_SOFT}; border: 1px solid #A9DDBF; border-radius: 10px; }}
QFrame[kind="success"] QLabel {{ color: {SUCCESS}; font-weight: 700; }}
QFrame[kind="warning"] {{ background: {WARNING_SOFT}; border: 1px solid #F1C27D; border-radius: 10px; }}
QFrame[kind="warning"] QLabel {{ color: {WARNING}; font-weight: 600; }}
QFrame[emphasis="large"][kind="success"] QLabel {{ font-size: 26px; font-weight: 700; color: {SUCCESS}; }}
QFrame[emphasis="large"][kind="error"] QLabel {{ font-size: 22px; font-weight: 700; color: {DANGER}; }}
QFrame[emphasis="large"][kind="info"] QLabel {{ font-size: 22px; font-weight: 700; color: {INFO}; }}

QToolBar {{ background: {SURFACE}; border: none; border-bottom: 1px solid {BORDER}; spacing: 4px; padding: 6px 8px; }}
QToolButton {{
    background: transparent; border: 1px solid transparent; border-radius: 8px;
    min-height: 44px; padding: 0 8px; font-weight: 600;
}}
QToolButton:hover {{ border-color: {BORDER}; }}
QToolButton:disabled {{ color: #A3AFB9; }}
QToolButton:pressed, QToolButton:checked {{ background: {PRIMARY_SOFT}; }}
QToolButton::menu-indicator {{ image: none; width: 0; }}
QMenu {{ background: {SURFACE}; border: 1px solid {BORDER}; padding: 6px; }}
QMenu::item {{ padding: 10px 28px 10px 28px; border-radius: 6px; }}
QMenu::item:selected {{ background: {PRIMARY_SOFT}; color: {TEXT}; }}
QStatusBar {{ background: {SURFACE}; border-top: 1px solid {BORDER}; color: {MUTED}; }}
QStatusBar QLabel {{ color: {MUTED}; font-size: 13px; padding: 4px 10px; }}
QStatusBar::item {{ border: none; }}
QStatusBar QPushButton[role="status"] {{ min-height: 44px; padding: 0 14px; font-size: 13px; }}
"""


def apply(app: QApplication) -> None:
    """Fusion + a light palette + the stylesheet, the same on Windows, Linux and offscreen."""
    app.setStyle("Fusion")
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, BG), (QPalette.ColorRole.Base, SURFACE),
        (QPalette.ColorRole.AlternateBase, "#F7F9FA"), (QPalette.ColorRole.Text, TEXT),
        (QPalette.ColorRole.WindowText, TEXT), (QPalette.ColorRole.Button, SURFACE),
        (QPalette.ColorRole.ButtonText, TEXT), (QPalette.ColorRole.Highlight, PRIMARY),
        (QPalette.ColorRole.HighlightedText, "#FFFFFF"),
        (QPalette.ColorRole.PlaceholderText, "#8A98A5"),
    ):
        palette.setColor(role, QColor(color))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setFamilies(["Segoe UI", "Noto Sans", "Inter", "DejaVu Sans", "Sans Serif"])
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)


def set_role(widget: QWidget, name: str, value: str) -> None:
    """Change a styling property at run time and make the stylesheet see it."""
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    for child in widget.findChildren(QWidget):
        style.unpolish(child)
        style.polish(child)
