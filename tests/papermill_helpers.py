"""Running the run notebooks (nbs/train.ipynb, nbs/collect.ipynb) through papermill from the tests."""
import json, os, subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_notebook(name: str, out: Path, params: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    "papermill nbs/NAME OUT -k python3 with `params` (lists go through -y, the rest through -p), as a user runs it."
    cmd = ['papermill', str(ROOT / 'nbs' / name), str(out), '-k', 'python3', '--no-progress-bar', '--cwd', str(ROOT)]
    for k, v in params.items():
        cmd += ['-y', json.dumps({k: v})] if isinstance(v, list) else ['-p', k, str(v)]
    env = {**os.environ, 'WANDB_MODE': 'disabled', 'OMP_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1'}
    env.pop('IN_TEST', None)
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)


def run_train_notebook(out: Path, params: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    "papermill nbs/train.ipynb OUT -k python3 with `params`."
    return run_notebook('train.ipynb', out, params, timeout)
