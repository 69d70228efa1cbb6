"""The results file: JSON Lines, one complete record per document, safe against being killed.

Only the driver writes it. Each record goes out as one ``os.write`` on an ``O_APPEND`` descriptor
followed by ``fsync``, so a batch killed at any moment leaves at worst one torn last line, which
the next run cuts off before appending. An exclusive ``flock`` keeps a second batch off the file.

A record is keyed by the SHA-256 of the document's bytes and its normalized options, so a
renamed file is not summarized again while changed options are.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one batch per results file is then up to the user
    fcntl = None  # type: ignore[assignment]  # mypy cannot type a module that may be missing

REQUIRED_FIELDS = ("path", "sha256", "options")


def options_key(options: dict[str, Any]) -> str:
    """The canonical form of normalized options, so equal options give equal keys."""
    return json.dumps(options, sort_keys=True, separators=(",", ":"))


def record_key(record: dict[str, Any]) -> tuple[str | None, str]:
    return record["sha256"], options_key(record["options"])


def record_line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Entry:
    """What resuming needs to know about one line already in the file (not the line itself)."""

    key: tuple[str | None, str]
    path: str
    ok: bool
    offset: int  # where the line starts in the file
    size: int  # its length in bytes, newline included


class ResultsLog:
    """An open, locked, repaired results file that records are appended to."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._created = not path.exists()
        self._fd = _open_locked(path, os.O_RDWR | os.O_CREAT | os.O_APPEND)
        try:
            self.entries = self._read_and_repair()
        except BaseException:
            os.close(self._fd)
            raise

    @property
    def done(self) -> dict[tuple[str | None, str], str]:
        """Keys already summarized successfully → the path they were recorded under."""
        return {entry.key: entry.path for entry in reversed(self.entries) if entry.ok}

    def append(self, record: dict[str, Any]) -> None:
        """Write one complete line and make it durable before the next one."""
        _write_all(self._fd, record_line(record))
        os.fsync(self._fd)

    def forget_failures(self, options: str, paths: Iterable[str], hashes: Iterable[str | None]) -> int:
        """Remove failed records (under these options) about to be retried, by path or content,
        so each document ends up on one line.

        The file is rewritten to a temporary copy and renamed over the original, so a kill at
        any point leaves either the old file or the new one.
        """
        paths, hashes = set(paths), set(hashes) - {None}
        keep = [
            e for e in self.entries if e.ok or e.key[1] != options or (e.path not in paths and e.key[0] not in hashes)
        ]
        forgotten = len(self.entries) - len(keep)
        if not forgotten:
            return 0
        temporary = self.path.with_name(f".{self.path.name}.tmp")  # ours alone: we hold the lock
        fd = _open_locked(temporary, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND)
        try:
            moved, offset = [], 0
            with open(self.path, "rb") as old:
                for entry in keep:
                    old.seek(entry.offset)
                    _write_all(fd, old.read(entry.size))
                    moved.append(replace(entry, offset=offset))
                    offset += entry.size
            os.fsync(fd)
            os.replace(temporary, self.path)
        except OSError as exc:
            os.close(fd)
            temporary.unlink(missing_ok=True)
            raise ConfigError(f"{self.path}: cannot rewrite results ({exc.strerror or exc})") from None
        _fsync_directory(self.path.parent)
        os.close(self._fd)
        self._fd = fd
        self.entries = moved
        return forgotten

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> ResultsLog:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        """A batch that failed before recording anything leaves no empty file behind."""
        empty = os.fstat(self._fd).st_size == 0
        self.close()
        if exc_type is not None and self._created and empty:
            self.path.unlink(missing_ok=True)

    def _read_and_repair(self) -> list[Entry]:
        """Parse every line; cut off a torn last line (no newline, or not JSON) left by a kill."""
        entries: list[Entry] = []
        size = os.fstat(self._fd).st_size
        offset = 0
        with open(self.path, "rb") as file:
            for number, line in enumerate(file, 1):
                record = _parse(line)
                if record is None and offset + len(line) == size:
                    os.ftruncate(self._fd, offset)
                    os.fsync(self._fd)
                    break
                if record is not None and all(name in record for name in REQUIRED_FIELDS):
                    entries.append(Entry(record_key(record), record["path"], "result" in record, offset, len(line)))
                elif line.strip():
                    raise ConfigError(f"{self.path}:{number}: not a groundsum batch record (fix or remove that line)")
                offset += len(line)
        return entries


def _parse(line: bytes) -> dict[str, Any] | None:
    if not line.endswith(b"\n"):
        return None
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _write_all(fd: int, data: bytes) -> None:
    """One ``os.write`` for a regular file; the loop only matters if the disk fills mid-line."""
    while data:
        data = data[os.write(fd, data):]


def _open_locked(path: Path, flags: int) -> int:
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write results ({exc.strerror or exc})") from None
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise ConfigError(f"{path}: another groundsum batch is writing to this file") from None
    return fd


def _fsync_directory(directory: Path) -> None:
    """Make a rename durable (POSIX); directories can't be opened on Windows."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
