#!/bin/sh
# Adds Lapak POS to the desktop's application menu for the current user: the launcher
# (lapak-pos.desktop) pointing at this unpacked folder's binary, and its icon.
#   ./install-launcher.sh          (run from the unpacked lapak-pos folder, or from anywhere)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin="$here/lapak-pos"
res="$here/_internal/resources"
[ -x "$bin" ] || { echo "install-launcher.sh: no $bin (run it from the unpacked lapak-pos folder)" >&2; exit 1; }
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
mkdir -p "$apps" "$icons"
cp "$res/icons/lapak-pos.png" "$icons/lapak-pos.png"
sed -e "s|^Exec=.*|Exec=\"$bin\"|" -e "s|^Icon=.*|Icon=$icons/lapak-pos.png|" \
    "$res/launcher/lapak-pos.desktop" > "$apps/lapak-pos.desktop"
chmod 0755 "$apps/lapak-pos.desktop"
echo "Lapak POS added to the application menu: $apps/lapak-pos.desktop"
