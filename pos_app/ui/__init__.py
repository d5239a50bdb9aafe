"""The desktop app (PySide6): the sale screen, its dialogs, Qt models over plain rows, ops."""
