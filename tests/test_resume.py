"""Stopping and resuming real runs in separate processes: a SIGKILL mid-run (no warning) and a SIGUSR1 (the time-limit
warning). The run started again on the same folder finishes with the same step count, a metrics file without gaps or
duplicates, and, because the checkpoint holds every random state, the same numbers as a run that was never stopped."""
import json, os, signal, subprocess, sys, textwrap, time
from pathlib import Path

import pandas as pd
import pytest

from flow_mbpo.checkpoints import load_checkpoint
from flow_mbpo.registry import read_registry
from flow_mbpo.train import OnlineTrainer, SMOKE_TEST_OVERRIDES, run_config
from shared_folder import shared_folder

ROOT = Path(__file__).resolve().parents[1]
STEPS = 3000
OVERRIDES = [*SMOKE_TEST_OVERRIDES, 'eval.video=false', 'wandb.mode=disabled']
COMPARED = ['env_steps', 'updates', 'wm_updates', 'episodes', 'eval_return_mean', 'wm_loss', 'actor_loss', 'critic_loss',
            'compute_index']

# one attempt of the run, as train.ipynb makes it: a registry row around OnlineTrainer.run
ATTEMPT = textwrap.dedent('''
    import sys
    from flow_mbpo.registry import RunAttempt
    from flow_mbpo.train import OnlineTrainer, run_config
    run_dir, registry, steps, overrides = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    cfg = run_config('mlp', 'gaussian', 'cartpole-swingup', steps=steps, device='cpu', overrides=overrides)
    with RunAttempt(registry, run_dir, phase='resumetest') as attempt:
        trainer = OnlineTrainer(cfg, run_dir)
        if trainer.run(progress=False) is None: attempt.end('preempted', f'stopped on {trainer.stop_reason}')
''')


def start_attempt(run_dir: Path, registry: Path) -> subprocess.Popen:
    env = {**os.environ, 'OMP_NUM_THREADS': '1', 'WANDB_MODE': 'disabled'}
    env.pop('SLURM_JOB_ID', None)
    return subprocess.Popen([sys.executable, '-c', ATTEMPT, str(run_dir), str(registry), str(STEPS), *OVERRIDES], env=env,
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for_rows(run_dir: Path, proc: subprocess.Popen, rows: int, timeout: float = 600) -> None:
    "Wait until metrics.csv has `rows` rows (the checkpoint of the last one follows within a second)."
    deadline = time.time() + timeout
    while not ((run_dir / 'metrics.csv').exists() and len(pd.read_csv(run_dir / 'metrics.csv')) >= rows):
        assert proc.poll() is None, proc.stdout.read()
        assert time.time() < deadline, 'the run made no progress'
        time.sleep(0.2)


@pytest.fixture(scope='session')
def uninterrupted(tmp_path_factory):
    "The metrics of the same run made without interruption (once per session)."
    def build(folder):
        cfg = run_config('mlp', 'gaussian', 'cartpole-swingup', steps=STEPS, device='cpu', overrides=OVERRIDES)
        OnlineTrainer(cfg, folder / 'run').run(progress=False)
    return pd.read_csv(shared_folder(tmp_path_factory, 'uninterrupted', build) / 'run' / 'metrics.csv')


def check_same_as_uninterrupted(run_dir: Path, uninterrupted: pd.DataFrame) -> None:
    metrics = pd.read_csv(run_dir / 'metrics.csv')
    assert metrics.env_steps.tolist() == list(range(0, STEPS + 1, 1000))   # no gap, no duplicate
    pd.testing.assert_frame_equal(metrics[COMPARED], uninterrupted[COMPARED])
    assert json.loads((run_dir / 'summary.json').read_text())['env_steps'] == STEPS


def test_sigkill_mid_run_then_restart_loses_nothing_checkpointed(tmp_path, uninterrupted):
    run_dir, registry = tmp_path / 'run', tmp_path / 'registry.csv'
    proc = start_attempt(run_dir, registry)
    wait_for_rows(run_dir, proc, 2)
    deadline = time.time() + 120   # the checkpoint of the row at 1000 steps (written atomically right after the row)
    while load_checkpoint(run_dir / 'checkpoint.pt')['counters']['env_steps'] < 1000: assert time.time() < deadline
    time.sleep(0.5)   # inside the next batch of episodes
    proc.send_signal(signal.SIGKILL); proc.wait()
    checkpointed = load_checkpoint(run_dir / 'checkpoint.pt')['counters']['env_steps']
    assert 1000 <= checkpointed < STEPS and not (run_dir / 'summary.json').exists()
    proc = start_attempt(run_dir, registry)
    assert proc.wait(timeout=900) == 0, proc.stdout.read()
    check_same_as_uninterrupted(run_dir, uninterrupted)
    df = read_registry(registry)
    # the killed attempt could not record anything after `running`; the restart is attempt 1 and completed
    assert df[['attempt', 'status']].values.tolist() == [[0, 'running'], [1, 'completed']]


def test_sigusr1_checkpoints_stops_and_resumes(tmp_path, uninterrupted):
    run_dir, registry = tmp_path / 'run', tmp_path / 'registry.csv'
    proc = start_attempt(run_dir, registry)
    wait_for_rows(run_dir, proc, 2)
    proc.send_signal(signal.SIGUSR1)
    assert proc.wait(timeout=600) == 0, proc.stdout.read()
    df = read_registry(registry)
    assert (df.status[0], df.message[0]) == ('preempted', 'stopped on SIGUSR1'), df.to_string()
    stopped_at = len(pd.read_csv(run_dir / 'metrics.csv'))
    assert 2 <= stopped_at < STEPS // 1000 + 1 and not (run_dir / 'summary.json').exists()
    proc = start_attempt(run_dir, registry)
    assert proc.wait(timeout=900) == 0, proc.stdout.read()
    check_same_as_uninterrupted(run_dir, uninterrupted)
    assert read_registry(registry)[['attempt', 'status']].values.tolist() == [[0, 'preempted'], [1, 'completed']]
