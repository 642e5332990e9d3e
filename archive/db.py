"""The SQLCipher connection, adapted so sqlite-utils works on it unchanged.

sqlcipher3 raises its own exception classes, not those of the standard ``sqlite3``
module, while sqlite-utils catches ``sqlite3.OperationalError`` in several places
(``drop(ignore=True)``, feature checks for upsert and strict tables, releasing a
savepoint).  The connection and cursor subclasses below re-raise every sqlcipher3
error as the ``sqlite3`` class of the same name, so those paths behave exactly as
they do on plain SQLite, and the rest of the archive only ever catches ``sqlite3``
errors.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import sqlcipher3
import sqlite_utils

from .errors import CorruptDatabaseError

T = TypeVar("T")


def translate_error(exc: sqlcipher3.Error) -> sqlite3.Error:
    """The ``sqlite3`` exception equivalent to a sqlcipher3 one."""
    cls = getattr(sqlite3, type(exc).__name__, sqlite3.DatabaseError)
    if not (isinstance(cls, type) and issubclass(cls, sqlite3.Error)):
        cls = sqlite3.DatabaseError
    translated = cls(*exc.args)
    for attr in ("sqlite_errorcode", "sqlite_errorname"):
        if hasattr(exc, attr):
            setattr(translated, attr, getattr(exc, attr))
    return translated


def _translating(method: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return method(*args, **kwargs)
        except sqlcipher3.Error as exc:
            raise translate_error(exc) from exc

    return wrapper


class CipherCursor(sqlcipher3.Cursor):
    execute = _translating(sqlcipher3.Cursor.execute)
    executemany = _translating(sqlcipher3.Cursor.executemany)
    executescript = _translating(sqlcipher3.Cursor.executescript)
    fetchone = _translating(sqlcipher3.Cursor.fetchone)
    fetchmany = _translating(sqlcipher3.Cursor.fetchmany)
    fetchall = _translating(sqlcipher3.Cursor.fetchall)
    __next__ = _translating(sqlcipher3.Cursor.__next__)


class CipherConnection(sqlcipher3.Connection):
    def cursor(self, factory: type = CipherCursor) -> Any:  # type: ignore[override]
        return super().cursor(factory)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:  # type: ignore[override]
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> Any:  # type: ignore[override]
        return self.cursor().executemany(sql, parameters)

    def executescript(self, script: str, /) -> Any:  # type: ignore[override]
        return self.cursor().executescript(script)

    commit = _translating(sqlcipher3.Connection.commit)
    rollback = _translating(sqlcipher3.Connection.rollback)
    close = _translating(sqlcipher3.Connection.close)


def connect(path: Path, key: bytes) -> sqlite_utils.Database:
    """Open (or create) an encrypted database with a raw 256-bit key.

    A raw key skips SQLCipher's own PBKDF2: the key already comes from Argon2id and
    HKDF.  Raises :class:`CorruptDatabaseError` when the file exists but cannot be
    decrypted or read.
    """
    conn = sqlcipher3.connect(
        str(path), factory=CipherConnection, check_same_thread=False, timeout=30
    )
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # no codec chatter on stderr
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        # Touch the schema: this is where a damaged first page (or a wrong key) shows.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise CorruptDatabaseError(
            "The archive database cannot be read: it is damaged or not encrypted with "
            "this archive's key."
        ) from exc
    return sqlite_utils.Database(conn, execute_plugins=False)


# SQLite allows 999 bound parameters in older builds; stay well below.
_IN_BATCH = 500


def rows_where_in(
    db: sqlite_utils.Database,
    table: str,
    column: str,
    values: Sequence[Any],
    *,
    order_by: str | None = None,
) -> Iterator[dict[str, Any]]:
    """``SELECT * FROM table WHERE column IN (values)``, in batches of bound values.

    ``table``, ``column`` and ``order_by`` are fixed names from the caller, never
    user input.
    """
    order = f" ORDER BY {order_by}" if order_by else ""
    for start in range(0, len(values), _IN_BATCH):
        batch = list(values[start : start + _IN_BATCH])
        marks = ",".join("?" * len(batch))
        yield from db.query(f"SELECT * FROM {table} WHERE {column} IN ({marks}){order}", batch)
