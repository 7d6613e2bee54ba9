import os
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]

# tests never talk to wandb and render headless
os.environ.setdefault('WANDB_MODE', 'disabled')
os.environ.setdefault('MUJOCO_GL', 'egl')


@pytest.fixture
def repo_root() -> Path:
    return ROOT
