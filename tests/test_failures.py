"""Failures end a run with status `failed`, a message naming the cause, and every earlier checkpoint and metric intact:
a full disk, a corrupt checkpoint, a missing input file, a dimension mismatch, persistent NaN losses, a dead GPU.

One short run is made once (stopped after its first batch of episodes, with checkpoints at 0 and 1000 steps); each
test continues a copy of its folder into a failure."""
import errno, os, shutil, subprocess, uuid
from pathlib import Path

import pandas as pd
import pytest
import torch

import flow_mbpo.checkpoints as checkpoints
import flow_mbpo.train as train
from flow_mbpo.checkpoints import StorageFullError, load_checkpoint, save_checkpoint
from flow_mbpo.pwm import PWM
from flow_mbpo.registry import RunAttempt, read_registry
from flow_mbpo.train import OnlineTrainer, SMOKE_TEST_OVERRIDES, run_config
from shared_folder import shared_folder
from papermill_helpers import run_train_notebook


def tiny_config(task='cartpole-swingup', steps=3000, extra=()):
    return run_config('mlp', 'gaussian', task, steps=steps, device='cpu',
                      overrides=[*SMOKE_TEST_OVERRIDES, 'eval.video=false', 'wandb.mode=disabled', *extra])


@pytest.fixture(scope='session')
def stopped_run(tmp_path_factory):
    "A run folder stopped at 1000 of 3000 steps: metrics rows at 0 and 1000, checkpoint (latest + best) at 1000."
    def build(folder):
        assert OnlineTrainer(tiny_config(), folder / 'run').run(progress=False, until=1000) is None
    return shared_folder(tmp_path_factory, 'stopped', build) / 'run'


def snapshot(run_dir: Path) -> dict:
    "The bytes of every checkpoint and of metrics.csv."
    return {p.name: p.read_bytes() for p in sorted(run_dir.iterdir()) if p.suffix == '.pt' or p.name == 'metrics.csv'}


def fail_run(run_dir: Path, registry: Path, cfg=None, before=None):
    "Continue the run in `run_dir` inside a registry attempt; return the exception and the attempt's registry row."
    with pytest.raises(Exception) as info:
        with RunAttempt(registry, run_dir, phase='failtest'):
            if before: before()
            OnlineTrainer(cfg or tiny_config(), run_dir).run(progress=False)
    row = read_registry(registry).iloc[-1]
    assert row.status == 'failed' and row.run_id == run_dir.name and not pd.isna(row.end_time)
    return info.value, row


@pytest.fixture
def run_copy(stopped_run, tmp_path):
    run_dir = tmp_path / stopped_run.name
    shutil.copytree(stopped_run, run_dir)
    return run_dir, snapshot(run_dir), tmp_path / 'registry.csv'


def test_disk_full_fails_cleanly_and_keeps_older_checkpoints(run_copy, monkeypatch):
    run_dir, before, registry = run_copy
    class Full: total, used, free = 2**30, 2**30 - 2**19, 2**19   # 0.5 MB free
    monkeypatch.setattr(checkpoints.shutil, 'disk_usage', lambda path: Full)
    exc, row = fail_run(run_dir, registry)
    assert isinstance(exc, StorageFullError)
    assert row.message.startswith('storage full: StorageFullError: not enough disk space in'), row.message
    assert 'the earlier checkpoints are intact' in row.message
    after = snapshot(run_dir)
    assert {k: v for k, v in after.items() if k != 'metrics.csv'} == {k: v for k, v in before.items() if k != 'metrics.csv'}
    assert after['metrics.csv'].startswith(before['metrics.csv'])   # the rows up to the checkpoint are untouched
    assert load_checkpoint(run_dir / 'checkpoint.pt')['counters']['env_steps'] == 1000
    assert not [p for p in run_dir.iterdir() if '.tmp' in p.name]


def test_real_full_disk_on_a_tiny_tmpfs(tmp_path):
    "A real file system that fills up: refused before writing, or (if the check is bypassed) stopped mid-write."
    mnt = tmp_path / 'tmpfs'; mnt.mkdir()
    r = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', str(mnt)], capture_output=True, text=True)
    if r.returncode: pytest.skip(f'cannot mount a tmpfs here (needs root): {r.stderr.strip()}')
    try:
        save_checkpoint(mnt / 'checkpoint.pt', dict(w=torch.ones(2**18)))           # 1 MB
        with pytest.raises(StorageFullError, match='not enough disk space'):
            save_checkpoint(mnt / 'checkpoint.pt', dict(w=torch.ones(2**19)))       # 2 MB + 1 MB margin > 2 MB free
        real_check = checkpoints.check_free_space
        checkpoints.check_free_space = lambda *a, **k: None
        try:
            with pytest.raises(StorageFullError, match='the disk filled up while writing'):
                save_checkpoint(mnt / 'checkpoint.pt', dict(w=torch.ones(2**20)))   # 4 MB: ENOSPC half-way
        finally: checkpoints.check_free_space = real_check
        assert torch.equal(load_checkpoint(mnt / 'checkpoint.pt')['w'], torch.ones(2**18))
        assert [p.name for p in mnt.iterdir()] == ['checkpoint.pt']
    finally:
        subprocess.run(['umount', str(mnt)], check=False)


def test_corrupt_checkpoint_fails_and_is_left_alone(run_copy):
    run_dir, before, registry = run_copy
    data = (run_dir / 'checkpoint.pt').read_bytes()
    (run_dir / 'checkpoint.pt').unlink()
    (run_dir / 'checkpoint.pt').write_bytes(data[:len(data) // 3])   # a half-copied file
    before = snapshot(run_dir)
    exc, row = fail_run(run_dir, registry)
    assert row.message.startswith('corrupt checkpoint: CorruptCheckpointError: checkpoint'), row.message
    assert 'other checkpoints in' in row.message and 'checkpoint_best.pt' in row.message
    assert snapshot(run_dir) == before
    assert load_checkpoint(run_dir / 'checkpoint_best.pt')['counters']['env_steps'] in (0, 1000)


def test_missing_input_file(run_copy, monkeypatch):
    """Stage C reads no dataset yet (datasets come with the multi-task issue); a loader that cannot find its file is
    simulated by the environment factory raising FileNotFoundError while the trainer is built."""
    run_dir, before, registry = run_copy
    def missing(*args, **kwargs): raise FileNotFoundError('dataset /data/tdmpc2/mt30/chunk_0.pt does not exist')
    monkeypatch.setattr(train, 'make_env', missing)
    exc, row = fail_run(run_dir, registry)
    assert row.message == 'missing file: FileNotFoundError: dataset /data/tdmpc2/mt30/chunk_0.pt does not exist'
    assert snapshot(run_dir) == before


@pytest.mark.parametrize('change,expected', [
    (dict(task='reacher-easy'), 'was written for task cartpole-swingup with obs_dim=5, but this run'),
    (dict(extra=['critic.hidden_dims=[32,32]']), "does not fit this run's models or buffer"),
])
def test_dimension_mismatch(run_copy, change, expected):
    run_dir, before, registry = run_copy
    exc, row = fail_run(run_dir, registry, tiny_config(**change))
    assert row.message.startswith('dimension mismatch: DimensionMismatchError:') and expected in row.message, row.message
    assert snapshot(run_dir) == before


def test_persistent_nan_losses_fail_the_run(run_copy, monkeypatch):
    "A critic whose weights are NaN makes every critic and actor loss NaN: the updates are skipped, then the run fails."
    run_dir, before, registry = run_copy
    restore = OnlineTrainer.restore
    def restore_then_break(self):
        restore(self)
        with torch.no_grad():
            for p in self.agent.critic.parameters(): p.fill_(float('nan'))
    monkeypatch.setattr(OnlineTrainer, 'restore', restore_then_break)
    exc, row = fail_run(run_dir, registry, tiny_config(extra=['train.max_nonfinite_updates=5']))
    assert row.message.startswith('persistent NaN: NonFiniteLossError: losses or gradients were NaN/Inf in 5 consecutive'), row.message
    assert snapshot(run_dir) == before


def test_dead_gpu_mid_run(run_copy, monkeypatch):
    "A device error raised by the third update after resuming (what a GPU that falls off the bus does to CUDA calls)."
    run_dir, before, registry = run_copy
    update, calls = PWM.update, []
    def dying_update(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3: raise RuntimeError('CUDA error: unspecified launch failure')
        return update(self, *args, **kwargs)
    monkeypatch.setattr(PWM, 'update', dying_update)
    exc, row = fail_run(run_dir, registry)
    assert row.message == 'GPU failure: RuntimeError: CUDA error: unspecified launch failure'
    assert snapshot(run_dir) == before


def test_failure_through_the_notebook(run_copy):
    "train.ipynb records the failure itself: papermill fails, the registry row says why, the files are untouched."
    run_dir, _, registry = run_copy
    (run_dir / 'checkpoint.pt').unlink()
    (run_dir / 'checkpoint.pt').write_bytes(b'not a checkpoint')
    before = snapshot(run_dir)
    r = run_train_notebook(run_dir.parent / 'executed.ipynb', dict(
        task='cartpole-swingup', steps=3000, device='cpu', run_dir=run_dir, registry=registry, phase='failtest',
        overrides=[*SMOKE_TEST_OVERRIDES, 'eval.video=false']))
    assert r.returncode != 0
    row = read_registry(registry).iloc[-1]
    assert (row.status, row.phase, row.attempt) == ('failed', 'failtest', 0)
    assert row.message.startswith('corrupt checkpoint: CorruptCheckpointError'), row.message
    assert snapshot(run_dir) == before
