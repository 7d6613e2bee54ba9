"""A folder that several xdist workers of one test session share, built once by whichever worker needs it first."""
import os
from pathlib import Path

from filelock import FileLock


def shared_folder(tmp_path_factory, name: str, build) -> Path:
    "A folder that `build(folder)` fills once per test session, shared by the xdist workers (the first one builds it)."
    base = tmp_path_factory.getbasetemp()   # under xdist: <session folder>/popen-gwN, whose parent the workers share
    folder = (base.parent if os.environ.get('PYTEST_XDIST_WORKER') else base) / name
    with FileLock(f'{folder}.lock'):
        if not (folder / '.done').exists():
            build(folder)
            (folder / '.done').touch()
    return folder
