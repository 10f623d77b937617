#!/usr/bin/env bash
# Builds the Debian package from a build tree (cpack), unpacks it into a throwaway root and
# runs both programs from there; checks what a user gets: stripped binaries, man pages, the
# systemd user unit, Depends from dpkg-shlibdeps, and lintian with no error or warning.
# Usage: check_package.sh <build-dir>
set -euo pipefail
build="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "check_package: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) \
    || { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$work"/out/sightline_*.deb)
dpkg-deb -x "$deb" "$work/root"
root="$work/root"

for tool in sightline sightline-server; do
    binary="$root/usr/bin/$tool"
    [[ -x "$binary" ]] || fail "$tool is not in the package"
    version=$(QT_QPA_PLATFORM=offscreen "$binary" --version) || fail "$tool --version failed"
    [[ "$version" == "$tool "* ]] || fail "$tool --version said: $version"
    file "$binary" | grep -q ', stripped' || fail "$tool is not stripped"
    man="$root/usr/share/man/man1/$tool.1.gz"
    [[ -s "$man" ]] || fail "no man page for $tool"
    zcat "$man" | grep -q '^\.SH OPTIONS' || fail "the man page of $tool lists no options"
done

unit="$root/usr/lib/systemd/user/sightline-server.service"
grep -q '^ExecStart=/usr/bin/sightline-server ' "$unit" || fail "no systemd user unit"
[[ -s "$root/usr/share/doc/sightline/copyright" ]] || fail "no copyright file"

depends=$(dpkg-deb -f "$deb" Depends)
for library in libc6 libqt6core6 libqt6widgets6 libqcustomplot2.1-qt6 libsqlite3-0 qt6-qpa-plugins; do
    [[ "$depends" == *"$library"* ]] || fail "Depends lacks $library: $depends"
done

lintian --fail-on error,warning "$deb" 2>&1 | grep -v 'running with root privileges' || true
lintian --fail-on error,warning "$deb" >/dev/null 2>&1 || fail "lintian reports errors or warnings"

size=$(stat -c %s "$deb")
echo "check_package: $(basename "$deb"), $((size / 1024)) KiB, installs and runs from a clean root"
