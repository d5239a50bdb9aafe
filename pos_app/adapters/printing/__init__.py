"""Receipt printers: ESC/POS over USB, serial, network, device files, CUPS, Windows; PDF."""
