#!/bin/sh
# Copy Margins' SQLite database while it serves (docs/deploy.md):
#   deploy/backup-sqlite.sh instance/margins.sqlite3 /var/backups/margins/margins-$(date -u +%F).sqlite3
# SQLite's online backup (Python's sqlite3 module) copies one consistent state,
# including commits still in the -wal file; copying the file alone is no backup.
set -eu
umask 077  # the copy holds every highlight and the password hashes
python3 - "$@" <<'PY'
import sqlite3
import sys

source_path, target_path = sys.argv[1:3]
source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
source.backup(target)  # one step: writers go on meanwhile (WAL), the copy is one moment
check = target.execute("PRAGMA integrity_check").fetchone()[0]
source.close()
target.close()
if check != "ok":
    sys.exit(f"{target_path}: the copy fails its integrity check: {check}")
print(target_path)
PY
