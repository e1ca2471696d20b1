"""Write output files and directories so that a failure leaves no partial file.

Each output is written under a temporary name in the directory of its
destination, and renamed into place with :func:`os.replace` once complete. A
rename within one directory is atomic on POSIX and Windows file systems, so a
reader sees either the old file or the whole new one. When writing fails, the
temporary file is removed and an existing file at the destination is left as
it was.
"""

# SPDX-License-Identifier: BSD-3-Clause

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path`` and rename it to ``path`` on success.

    The temporary name keeps the suffix of ``path`` (for example ``.onnx``), for
    writers that choose the format by suffix.

    Parameters
    ----------
    path : str or path-like
        Destination file. Its directory must exist.

    Yields
    ------
    temporary : pathlib.Path
        Path to write the whole file to. The file exists, empty, when the
        block starts.
    """
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=f".tmp{path.suffix}"
    )
    os.close(descriptor)
    temporary = Path(temporary)
    # mkstemp creates the file readable by its owner only. A finished output
    # gets the mode that open() would give it.
    os.chmod(temporary, 0o666 & ~_read_umask())
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


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


def _read_umask():
    # The umask can only be read by setting it, so it is set back at once.
    umask = os.umask(0o022)
    os.umask(umask)
    return umask
