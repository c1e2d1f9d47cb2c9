"""Database backup and restore for both supported engines.

SQLite: the online backup API copies a consistent snapshot while the platform keeps
running, and restores the same way into the live file (other connections see the restored
data on their next query). PostgreSQL: pg_dump's custom format, restored by pg_restore in a
single transaction, so a failed restore leaves the database as it was.
"""
import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    pass


def _settings(alias: str) -> dict:
    return connections[alias].settings_dict


def _vendor(alias: str) -> str:
    return connections[alias].vendor


def backup_database(target: Path, alias: str = "default") -> Path:
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # Written aside and renamed at the end: a crash never leaves a truncated file under the real name.
    if _vendor(alias) == "sqlite":
        _sqlite_copy(Path(_settings(alias)["NAME"]), partial)
    elif _vendor(alias) == "postgresql":
        _run(["pg_dump", "--format=custom", "--file", str(partial), *_pg_args(alias)], alias)
    else:
        raise BackupError(f"backup is not supported for the {_vendor(alias)} engine")
    os.replace(partial, target)
    return target


def restore_database(source: Path, alias: str = "default") -> None:
    source = Path(source).resolve()
    if not source.is_file():
        raise BackupError(f"backup file not found: {source}")
    vendor = _vendor(alias)
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"restore is not supported for the {vendor} engine")
    # Check the file before touching anything: a wrong file must not cost the live data.
    if vendor == "sqlite":
        _check_sqlite_backup(source)
    else:
        _run(["pg_restore", "--list", str(source)], alias)
    connections[alias].close()  # our own connection must not keep a view of the old data
    if vendor == "sqlite":
        _sqlite_copy(source, Path(_settings(alias)["NAME"]))
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *_pg_args(alias),
              str(source)], alias)


def _sqlite_copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target), timeout=60)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _check_sqlite_backup(source: Path) -> None:
    try:
        check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            result = check.execute("PRAGMA quick_check").fetchone()[0]
            has_migrations = check.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='django_migrations'").fetchone()
        finally:
            check.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not a SQLite database: {exc}") from exc
    if result != "ok" or not has_migrations:
        raise BackupError(f"{source} is not a CitySafe SQLite backup (quick_check: {result})")


def _pg_args(alias: str) -> list[str]:
    db = _settings(alias)
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return args


def _run(command: list[str], alias: str) -> None:
    env = {**os.environ}
    if password := _settings(alias).get("PASSWORD"):
        env["PGPASSWORD"] = password  # never on the command line, where `ps` would show it
    completed = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 (our argument list, no shell)
    if completed.returncode != 0:
        raise BackupError(f"{command[0]} failed ({completed.returncode}): {completed.stderr.strip()[-2000:]}")
