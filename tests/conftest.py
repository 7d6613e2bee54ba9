import os, tempfile
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]

# tests never talk to wandb and render headless
os.environ.setdefault('WANDB_MODE', 'disabled')
os.environ.setdefault('MUJOCO_GL', 'egl')
# runs started by the tests never write the user's run registry
os.environ['FLOW_MBPO_REGISTRY'] = str(Path(tempfile.mkdtemp(prefix='flow_mbpo_test_registry_')) / 'registry.csv')


@pytest.fixture
def repo_root() -> Path:
    return ROOT

