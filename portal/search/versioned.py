"""Folders of files that every process of a machine maps, one per index version: how the
search's vectors (``vectors``) and postings (``postings``) are written and found.

A folder is named after the index version and the digest of its entry ids. The first
process that needs a version writes its folder (under a file lock, so that the others
wait and then map its files instead of doing the same work), aside and then renamed, so
that a folder is whole or absent; and it removes the folders of older versions: a process
still holding one keeps its mapping, Linux frees the files when the last mapping goes.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import numpy as np

logger = logging.getLogger(__name__)

_LOCK_NAME = ".lock"

Store = TypeVar("Store")


def folder_name(version: int, entry_ids: np.ndarray) -> str:
    digest = hashlib.blake2b(np.ascontiguousarray(entry_ids, dtype=np.int64), digest_size=6)
    return f"{version:016x}-{digest.hexdigest()}"


def shared(
    base: Path,
    name: str,
    open_: Callable[[Path], Store | None],
    write: Callable[[Path], Store | None],
    *,
    what: str,
    is_current: Callable[[], bool],
    fallback: Callable[[], Store | None],
) -> Store | None:
    """The store in ``base / name``: mapped if it is there, else written by
    ``write(folder)`` under the lock (unless another process wrote it meanwhile); when
    there is no folder to share (read-only, full), ``fallback()``, logged. ``what`` names
    the store in the log."""
    found = open_(base / name)
    if found is not None:
        return found
    try:
        base.mkdir(parents=True, exist_ok=True)
        with locked(base):
            found = open_(base / name)
            if found is None:
                started = time.perf_counter()
                found = write(base / name)
                if found is not None:
                    logger.info(
                        "%s %s written in %.1f s", what, name, time.perf_counter() - started
                    )
            if is_current():
                remove_stale(base, keep=name)
            return found
    except OSError:
        logger.exception("%s could not be shared through %s", what, base)
        return fallback()


def newest(base: Path, name: str, open_: Callable[[Path], Store | None]) -> Store | None:
    """The most recently written store of another version than ``name``."""
    folders = [p for p in base.iterdir() if p.is_dir() and p.name != name and p.name[0] != "."]
    for folder in sorted(folders, key=lambda p: p.stat().st_mtime, reverse=True):
        found = open_(folder)
        if found is not None:
            return found
    return None


def aside(folder: Path) -> Path:
    """An empty folder beside ``folder``, to write its files in before ``publish``."""
    temporary = folder.with_name(f".{folder.name}.{os.getpid()}.{threading.get_ident()}")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    return temporary


def publish(temporary: Path, folder: Path) -> None:
    """The files written in ``temporary`` on disk, then the folder renamed to ``folder``:
    after a crash, a folder is whole or absent. The lock is held: a folder of the same
    name there now is broken (it did not open) and is replaced."""
    for path in temporary.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    shutil.rmtree(folder, ignore_errors=True)
    os.rename(temporary, folder)


@contextmanager
def locked(base: Path) -> Iterator[None]:
    with open(base / _LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_stale(base: Path, keep: str) -> None:
    """Every other version's folder, and what a crashed writer left: the lock is held,
    so no other process is writing. Lock files stay."""
    for path in base.iterdir():
        if path.name == keep or path.name.endswith(".lock"):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
