#!/bin/sh
# Dump Margins' PostgreSQL database into DIR and keep the newest KEEP dumps (docs/deploy.md).
#   MARGINS_DATABASE_URL=postgresql://margins@db/margins deploy/backup-postgres.sh /var/backups/margins
# Safe while the app servers run: pg_dump reads one consistent snapshot.
set -eu
umask 077  # the dump holds every highlight and the password hashes
dir=${1:?usage: backup-postgres.sh DIR}
keep=${KEEP:-14}
# pg_dump speaks libpq URLs: drop SQLAlchemy's "+psycopg" driver name if present.
url=$(printf '%s' "${MARGINS_DATABASE_URL:?set MARGINS_DATABASE_URL}" | sed 's|^postgres[a-z]*+[a-z0-9]*://|postgresql://|')
dump="$dir/margins-$(date -u +%Y%m%dT%H%M%SZ).dump"
mkdir -p "$dir"
pg_dump --format=custom --file="$dump.part" "$url"
pg_restore --list "$dump.part" >/dev/null  # a complete, readable archive
mv "$dump.part" "$dump"
ls -1t "$dir"/margins-*.dump | tail -n +"$((keep + 1))" | xargs -r rm --
echo "$dump"
