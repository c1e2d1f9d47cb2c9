#!/usr/bin/env bash
# Installs (Debian packages) and starts what the test suite needs: PostgreSQL, Chromium,
# Mosquitto, Redis, nginx, gettext, the Noto CJK fonts, poppler-utils and pango (server-rendered PDFs).
# Idempotent; run as root (CI) or with sudo.
set -euo pipefail
SUDO=""
AS_PG="runuser -u postgres --"
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; AS_PG="sudo -u postgres"; fi

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v mosquitto >/dev/null 2>&1 || need+=(mosquitto)
# Redis (the optional task-queue backend) and nginx (the deployment smoke test); tests start their own instances.
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /usr/sbin/nginx ] || need+=(nginx)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
# Chinese glyphs for screenshots and server-rendered PDFs.
[ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto | grep -q CJK || need+=(fonts-noto-cjk)
# PDF to image/text for checking rendered maps and cards (pdftoppm, pdftotext); pango for weasyprint.
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
ldconfig -p | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"
fi

# PostgreSQL: start the first cluster and make sure the test role exists.
version=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! $SUDO pg_ctlcluster "$version" main status >/dev/null 2>&1; then
  $SUDO pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 30); do
  $AS_PG psql -qtAc "select 1" >/dev/null 2>&1 && break
  sleep 1
done
if ! $AS_PG psql -qtAc "select 1 from pg_roles where rolname='citysafe'" | grep -q 1; then
  $AS_PG psql -qc "create role citysafe login createdb password 'citysafe'"
fi
# The tests put a seeded database back with DROP DATABASE … WITH (FORCE), which must also end an
# autovacuum worker that happens to be in it: PostgreSQL allows that to members of pg_signal_backend.
$AS_PG psql -qc "grant pg_signal_backend to citysafe" >/dev/null 2>&1 || true
if ! $AS_PG psql -qtAc "select 1 from pg_database where datname='citysafe'" | grep -q 1; then
  $AS_PG createdb -O citysafe citysafe
fi
echo "services ready: postgresql $version, $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium ?')"
