"""Write a file completely or not at all.

:func:`atomic_write` opens a temporary file next to the target and renames it
over the target with :func:`os.replace` only once the ``with`` block has ended
without an exception. A reader therefore sees the old file or the complete new
one, never a partial one, and a failed write leaves the old file as it was.
:func:`write_text_atomic` and :func:`write_bytes_atomic` do the same for data
already in memory.
"""

# SPDX-License-Identifier: BSD-3-Clause

import contextlib
import os
import stat
import tempfile

# The umask can only be read by setting it, which would race with threads that
# create files, so it is read once, at import.
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_write(path, mode="w", *, encoding="utf-8", newline=None):
    """Open a temporary file that replaces ``path`` when the block succeeds.

    The temporary file is created in the directory of ``path``, because
    :func:`os.replace` is atomic only within one file system. Its data is
    flushed and synced to disk before the rename. If the block raises, the
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
    path = os.fspath(path)
    directory, name = os.path.split(os.path.abspath(path))
    descriptor, temporary_path = tempfile.mkstemp(
        prefix=f".{name}.", suffix=".tmp", dir=directory
    )
    if mode == "w":
        file = open(descriptor, mode, encoding=encoding, newline=newline)
    else:
        file = open(descriptor, mode)
    try:
        with file:
            # mkstemp creates the file readable by its owner only.
            os.chmod(temporary_path, _file_mode(path))
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary_path, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary_path)
        raise


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
