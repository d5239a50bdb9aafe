"""Receipt printers: ESC/POS over USB, serial, network, device files, CUPS, Windows; PDF."""

__all__ = ["escpos_receipt", "transport", "uri"]
