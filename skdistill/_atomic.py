"""Write output files and directories completely or not at all.

Each output is written under a temporary name in the directory of its
destination and renamed into place with :func:`os.replace` once complete. A
rename within one directory is atomic on POSIX and Windows file systems, so a
reader sees either the old file or the whole new one. When writing fails, the
temporary file is removed and an existing file at the destination is left as
it was.

- :func:`atomic_path` yields a temporary path, for writers that take a path
  (skops, the CSV writer).
- :func:`atomic_write` yields an open file, and :func:`write_text_atomic` and
  :func:`write_bytes_atomic` write data already in memory.
- :func:`atomic_directory` yields a temporary directory whose files are moved
  into the destination directory once all of them are written.
"""

# SPDX-License-Identifier: BSD-3-Clause

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

# The umask can only be read by setting it, which would race with threads that
# create files, so it is read once, at import.
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path`` and rename it to ``path`` on success.

    The temporary name keeps the suffix of ``path`` (for example ``.onnx``), for
    writers that choose the format by suffix. A replaced file keeps its
    permission bits, and a new file gets those that :func:`open` would give it.

    Parameters
    ----------
    path : str or path-like
        Destination file. Its directory must exist.

    Yields
    ------
    temporary : pathlib.Path
        Path to write the whole file to. The file exists, empty, when the
        block starts.

    Examples
    --------
    >>> import os, tempfile
    >>> from skdistill._atomic import atomic_path
    >>> path = os.path.join(tempfile.mkdtemp(), "table.csv")
    >>> with atomic_path(path) as temporary:
    ...     _ = temporary.write_text("a,b\\n")
    >>> open(path).read()
    'a,b\\n'
    """
    path = Path(path)
    if not path.absolute().parent.is_dir():
        # mkstemp would name its temporary file in the error instead.
        raise FileNotFoundError(
            f"Cannot write {path}: the directory {path.absolute().parent} does not "
            "exist. Create it first."
        )
    descriptor, temporary = tempfile.mkstemp(
        dir=path.absolute().parent,
        prefix=f".{path.name}.",
        suffix=f".tmp{path.suffix}",
    )
    os.close(descriptor)
    temporary = Path(temporary)
    try:
        # mkstemp creates the file readable by its owner only.
        os.chmod(temporary, _file_mode(path))
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_write(path, mode="w", *, encoding="utf-8", newline=None):
    """Open a temporary file that replaces ``path`` when the block succeeds.

    The temporary file comes from :func:`atomic_path`. Its data is flushed
    and synced to disk before the rename. If the block raises, the
    temporary file is deleted, ``path`` is left untouched and the exception
    propagates.

    Parameters
    ----------
    path : str or os.PathLike
        File to create or replace. Its directory must exist.

    mode : {"w", "wb"}, default="w"
        Text or binary mode.

    encoding : str, default="utf-8"
        Encoding in text mode. Ignored in binary mode.

    newline : str, default=None
        Newline translation in text mode, as for :func:`open`. Ignored in
        binary mode.

    Yields
    ------
    file : file object
        The open temporary file. Do not close it inside the block.

    Raises
    ------
    ValueError
        If ``mode`` is not ``"w"`` or ``"wb"``.

    Notes
    -----
    A replaced file keeps its permission bits. A new file gets those that
    :func:`open` would give it under the umask that was set when this module
    was imported. On Windows, :func:`os.replace` fails if another process
    has ``path`` open.

    Examples
    --------
    >>> import os, tempfile
    >>> from skdistill._atomic import atomic_write
    >>> directory = tempfile.mkdtemp()
    >>> path = os.path.join(directory, "notes.txt")
    >>> with atomic_write(path) as file:
    ...     _ = file.write("complete")
    >>> with open(path, encoding="utf-8") as file:
    ...     file.read()
    'complete'
    >>> try:
    ...     with atomic_write(path) as file:
    ...         _ = file.write("partial")
    ...         raise RuntimeError("failed half way")
    ... except RuntimeError:
    ...     pass
    >>> with open(path, encoding="utf-8") as file:
    ...     file.read()
    'complete'
    >>> os.listdir(directory)
    ['notes.txt']
    """
    if mode not in ("w", "wb"):
        raise ValueError(
            f"Invalid mode {mode!r} for atomic_write. Use 'w' for text or 'wb' "
            "for bytes."
        )
    text_options = {"encoding": encoding, "newline": newline} if mode == "w" else {}
    with atomic_path(path) as temporary:
        with open(temporary, mode, **text_options) as file:
            yield file
            file.flush()
            os.fsync(file.fileno())


def _file_mode(path):
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return 0o666 & ~_UMASK


def write_text_atomic(path, text, *, encoding="utf-8"):
    """Write ``text`` to ``path`` through :func:`atomic_write`.

    Parameters
    ----------
    path : str or os.PathLike
        File to create or replace. Its directory must exist.

    text : str
        Content, written without newline translation.

    encoding : str, default="utf-8"
        Encoding of the file.

    Examples
    --------
    >>> import os, tempfile
    >>> from skdistill._atomic import write_text_atomic
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> write_text_atomic(path, "line\\n")
    >>> open(path, encoding="utf-8").read()
    'line\\n'
    """
    with atomic_write(path, "w", encoding=encoding, newline="") as file:
        file.write(text)


def write_bytes_atomic(path, data):
    """Write ``data`` to ``path`` through :func:`atomic_write`.

    Parameters
    ----------
    path : str or os.PathLike
        File to create or replace. Its directory must exist.

    data : bytes-like object
        Content.

    Examples
    --------
    >>> import os, tempfile
    >>> from skdistill._atomic import write_bytes_atomic
    >>> path = os.path.join(tempfile.mkdtemp(), "a.bin")
    >>> write_bytes_atomic(path, b"\\x00\\x01")
    >>> open(path, "rb").read()
    b'\\x00\\x01'
    """
    with atomic_write(path, "wb") as file:
        file.write(data)


@contextlib.contextmanager
def atomic_directory(path):
    """Yield a temporary directory whose files are moved into ``path`` on success.

    ``path`` is created if it does not exist. Each file written to the
    temporary directory, in subdirectories too, replaces the file of the same
    relative name in ``path`` with :func:`os.replace`. Other files already in
    ``path`` are kept. When the block raises, nothing in ``path`` changes.

    Parameters
    ----------
    path : str or path-like
        Destination directory. Its parent must exist.

    Yields
    ------
    temporary : pathlib.Path
        Empty directory to write the files to.
    """
    path = Path(path)
    temporary = Path(
        tempfile.mkdtemp(dir=path.absolute().parent, prefix=f".{path.name}.")
    )
    try:
        yield temporary
        path.mkdir(exist_ok=True)
        for source in sorted(temporary.rglob("*")):
            if source.is_dir():
                continue
            destination = path / source.relative_to(temporary)
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, destination)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
