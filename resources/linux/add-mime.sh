#!/bin/sh
# add-mime.sh TARBALL APP_ID MIME_XML MIME_TYPE
#
# Adds Briefboard's file type to the package fyne package made: the
# shared-mime-info definition of share files, a MimeType line in the
# desktop entry (whose Exec line already takes the file, %f), and lines in
# the package's Makefile that install the definition and refresh the MIME
# and desktop databases on install and uninstall, for the system and for
# the user alike. The tarball is rewritten in place.
set -eu
tarball=$1 appid=$2 xml=$3 type=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xJf "$tarball" -C "$tmp"
top=$(ls "$tmp")
dir="$tmp/$top"
if [ -d "$dir/usr/local/share" ]; then usr=usr/local; else usr=usr; fi
install -Dm00644 "$xml" "$dir/$usr/share/mime/packages/$appid.xml"
desktop="$dir/$usr/share/applications/$appid.desktop"
[ -f "$desktop" ] || { echo "add-mime.sh: no desktop entry $desktop in $tarball" >&2; exit 1; }
grep -q '^Exec=.*%[fF]' "$desktop" || { echo "add-mime.sh: the desktop entry's Exec line takes no file (%f)" >&2; exit 1; }
grep -q '^MimeType=' "$desktop" || sed -i "/^Exec=/a MimeType=$type;" "$desktop"

refresh='	-if command -v update-mime-database >/dev/null; then update-mime-database DIR/share/mime; fi
	-if command -v update-desktop-database >/dev/null; then update-desktop-database DIR/share/applications; fi'
awk -v usr="$usr" -v refresh="$refresh" '
function extra(t,   d, r) {
	if (t == "install" || t == "uninstall") d = "$(DESTDIR)$(PREFIX)"
	else if (t == "user-install" || t == "user-uninstall") d = "$(DESTDIR)$(HOME)/.local"
	else return
	r = refresh; gsub(/DIR/, d, r)
	if (t ~ /uninstall/)
		print "\t-rm " d "/share/mime/packages/$(AppID).xml"
	else
		print "\tinstall -Dm00644 " usr "/share/mime/packages/$(AppID).xml " d "/share/mime/packages/$(AppID).xml"
	print r
}
/^[a-z-]+:/ { extra(target); target = $1; sub(/:.*/, "", target); print; next }
/^\t/ { print; next }
{ extra(target); target = ""; print }
END { extra(target) }
' "$dir/Makefile" > "$tmp/Makefile.new"
mv "$tmp/Makefile.new" "$dir/Makefile"
tar -cJf "$tarball.new" -C "$tmp" "$top"
mv "$tarball.new" "$tarball"
