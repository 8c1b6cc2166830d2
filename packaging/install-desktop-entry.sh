#!/bin/sh
# Put RetroVue Desktop in the current user's application menu: the desktop entry, the icon
# and the AppStream metainfo under ${XDG_DATA_HOME:-~/.local/share}. Nothing needs root.
#
#   packaging/install-desktop-entry.sh                 for `pipx install .` (or any install
#                                                      that put retrovue-desktop on PATH)
#   packaging/install-desktop-entry.sh --bundle DIR    for the PyInstaller app in DIR
#                                                      (e.g. dist/retrovue-desktop)
#   packaging/install-desktop-entry.sh --uninstall     remove what this script installed
#
# The menu entry runs the program by its full path: a desktop session's PATH often lacks
# ~/.local/bin, where pipx puts the command. Desktops watch these folders, so no cache
# needs updating (a user-level icon cache would only go stale). Runs from a source
# checkout (icon from resources/) and from a built bundle's desktop-entry/ folder, where
# it installs the bundle it sits in.
set -eu

ID=io.github.retrovue.RetroVueDesktop
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
apps=$data/applications
icons=$data/icons/hicolor/scalable/apps
metainfo=$data/metainfo

usage() {
  sed -n '2,10s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

program=""
case "${1:-}" in
  "") if [ -x "$here/../retrovue-desktop" ] && [ -d "$here/../_internal" ]; then
        program=$(cd "$here/.." && pwd)/retrovue-desktop  # inside a built bundle
      else
        program=$(command -v retrovue-desktop || true)
      fi
      [ -n "$program" ] || { echo "retrovue-desktop is not on PATH: install it first (pipx install .), or use --bundle DIR." >&2; exit 1; } ;;
  --bundle) [ $# -eq 2 ] || usage
      program=$(cd "$2" 2>/dev/null && pwd)/retrovue-desktop
      [ -x "$program" ] || { echo "$2 holds no retrovue-desktop program: build it with packaging/build_bundle.py." >&2; exit 1; } ;;
  --uninstall) [ $# -eq 1 ] || usage
      rm -f "$apps/$ID.desktop" "$icons/$ID.svg" "$metainfo/$ID.metainfo.xml"
      echo "Removed the RetroVue Desktop menu entry."
      exit 0 ;;
  *) usage ;;
esac

icon=$here/$ID.svg
[ -f "$icon" ] || icon=$here/../resources/retrovue.svg
for file in "$here/$ID.desktop" "$here/$ID.metainfo.xml" "$icon"; do
  [ -f "$file" ] || { echo "$file is missing." >&2; exit 1; }
done

case "$program" in
  *[\\\"\$\`]*) echo "Cannot write a menu entry for a path with \\, \", \$ or \`: $program" >&2; exit 1 ;;
esac
mkdir -p "$apps" "$icons" "$metainfo"
# Exec= with the full path, quoted as the Desktop Entry spec asks when it has spaces.
case "$program" in
  *" "*) exec_line="Exec=\"$program\"" ;;
  *) exec_line="Exec=$program" ;;
esac
escaped=$(printf '%s\n' "$exec_line" | sed 's/[\\&|]/\\&/g')
sed "s|^Exec=.*|$escaped|" "$here/$ID.desktop" >"$apps/$ID.desktop.tmp"
mv "$apps/$ID.desktop.tmp" "$apps/$ID.desktop"
cp "$icon" "$icons/$ID.svg"
cp "$here/$ID.metainfo.xml" "$metainfo/$ID.metainfo.xml"
echo "Installed the RetroVue Desktop menu entry ($apps/$ID.desktop) running $program."
