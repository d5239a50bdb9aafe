"""Qt's own words (a message box's standard buttons, the file chooser) in the cashier's
language. PySide6 ships no Indonesian ``qtbase_id.qm``, so the few words a cashier meets are
translated from our own catalog by a translator installed on the application."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from pos_app import i18n
from pos_app.domain.errors import N_
from pos_app.i18n import _

# Qt's source text -> our message. A message that would read differently in our own screens
# ("Open" as a shift's state) gets its own wording here; English keeps Qt's text.
WORDS = {
    # QPlatformTheme: the standard buttons of message boxes and button boxes
    "OK": N_("OK"),
    "Save": N_("Save"),
    "Save All": N_("Save all"),
    "Open": N_("Open the file"),
    "&Yes": N_("&Yes"),
    "Yes to &All": N_("Yes to &all"),
    "&No": N_("&No"),
    "N&o to All": N_("N&o to all"),
    "Abort": N_("Abort"),
    "Retry": N_("Try again"),
    "Ignore": N_("Ignore"),
    "Close": N_("Close"),
    "Cancel": N_("Cancel"),
    "Discard": N_("Discard"),
    "Help": N_("Help"),
    "Apply": N_("Apply"),
    "Reset": N_("Reset"),
    "Restore Defaults": N_("Restore defaults"),
    # QFileDialog and its file list (QFileSystemModel)
    "Look in:": N_("Look in:"),
    "File &name:": N_("File &name:"),
    "Files of type:": N_("Files of type:"),
    "&Save": N_("&Save"),
    "&Open": N_("&Open the file"),
    "&Choose": N_("&Choose"),
    "Back": N_("Back"),
    "Forward": N_("Forward"),
    "Parent Directory": N_("Parent folder"),
    "Create New Folder": N_("Create a new folder"),
    "List View": N_("List view"),
    "Detail View": N_("Detail view"),
    "Save As": N_("Save as"),
    "Find Directory": N_("Choose a folder"),
    "Directory:": N_("Folder:"),
    "New Folder": N_("New folder"),
    "&New Folder": N_("&New folder"),
    "&Delete": N_("&Delete"),
    "&Rename": N_("&Rename"),
    "Show &hidden files": N_("Show &hidden files"),
    "Recent Places": N_("Recent places"),
    "My Computer": N_("This computer"),
    "Computer": N_("This computer"),
    "All Files (*)": N_("All files (*)"),
    "Name": N_("Name"),
    "Size": N_("Size"),
    "Type": N_("File type"),
    "Kind": N_("File type"),
    "Date Modified": N_("Date modified"),
    "%1 already exists.\nDo you want to replace it?": N_(
        "%1 already exists.\nDo you want to replace it?"),
}
CONTEXTS = {"QPlatformTheme", "QDialogButtonBox", "QMessageBox", "QFileDialog",
            "QFileSystemModel"}


class QtWords(QTranslator):
    """Answers Qt's requests for its own words from our catalog, in the language chosen now
    (a change of language applies to the next dialog)."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        message = WORDS.get(source)
        if message is None or context not in CONTEXTS or i18n.language() == "en":
            return None  # no translation here: Qt keeps its own text
        return _(message)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


def install(app: QCoreApplication) -> QtWords:
    """Install Qt's words on ``app`` (keep the returned translator alive as long as it)."""
    words = QtWords(app)
    app.installTranslator(words)
    return words
