"""Slurm end to end on a real single-node Slurm started by the tests: an array of tiny runs through papermill, and a run
stopped by the time-limit signal that requeues itself and resumes.

The cluster (Debian's slurmctld, slurmd, slurm-client, munge) is installed with apt-get when missing and started once
per session and xdist worker (tests/slurm_cluster.py: private ports and munge socket, so two clusters do not
collide); the tests skip, saying why, only when it cannot be installed or started.
"""
import json, math, sys, tempfile, time
from pathlib import Path

import pandas as pd
import pytest
from filelock import FileLock

from flow_mbpo.registry import read_registry
from flow_mbpo.slurm import Grid, SlurmResources, submit
from flow_mbpo.train import OnlineTrainer, SMOKE_TEST_OVERRIDES, run_config
from slurm_cluster import LocalSlurm, install_slurm

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope='session')
def slurm(tmp_path_factory):
    with FileLock(Path(tempfile.gettempdir()) / 'flow_mbpo-install-slurm.lock'):   # one apt-get at a time
        reason = install_slurm()
    if reason: pytest.skip(f'no Slurm for the tests: {reason}')
    cluster = LocalSlurm(tmp_path_factory.mktemp('slurm'))
    try: cluster.start()
    except Exception as e:
        cluster.stop()
        pytest.skip(f'the test Slurm cluster did not start: {e}')
    import os
    saved = os.environ.get('SLURM_CONF')
    os.environ['SLURM_CONF'] = str(cluster.conf)   # sbatch and scontrol (also inside the jobs) use this cluster
    yield cluster
    cluster.stop()
    if saved is None: os.environ.pop('SLURM_CONF', None)
    else: os.environ['SLURM_CONF'] = saved


def tiny_resources(**changes) -> SlurmResources:
    "One CPU, 1 GB and one fake GPU per task; the driver runs with this interpreter."
    return SlurmResources(**{**dict(partition='debug', gres='gpu:1', time='00:15:00', mem='1G', cpus_per_task=1,
                                    python=sys.executable), **changes})


def submit_grid(tmp_path, grid, resources, name):
    return submit(grid, resources, name=name, run_root=tmp_path / 'runs', registry=tmp_path / 'registry.csv',
                  notebook_dir=tmp_path / 'papermill_runs', repo_root=ROOT)


def job_log(job) -> str:
    return '\n'.join(p.read_text()[-3000:] for p in sorted((job['job_dir'] / 'logs').glob('*.out')))


def test_array_of_four_tiny_runs(slurm, tmp_path):
    grid = Grid(wm=['mlp', 'flow'], seed=[0, 1], steps=1000, device='cpu', overrides=[*SMOKE_TEST_OVERRIDES, 'eval.video=false'],
                phase='slurmtest')
    job = submit_grid(tmp_path, grid, tiny_resources(), 'array4')
    queued = read_registry(tmp_path / 'registry.csv')
    assert len(queued) == 4 and set(queued.status) <= {'queued', 'running', 'completed'}
    slurm.wait(job['job_id'], timeout=1200)
    df = read_registry(tmp_path / 'registry.csv')
    assert len(df) == 4, job_log(job)
    assert list(df.status) == ['completed'] * 4, (df[['run_id', 'status', 'message']].to_string(), job_log(job))
    assert set(df.run_id) == set(job['tasks'].run_id) and set(df.array_task_id) == {'0', '1', '2', '3'}
    assert set(df.job_id) == {job['job_id']} and set(df.attempt) == {0} and set(df.phase) == {'slurmtest'}
    run_dirs = {Path(p) for p in df.run_dir}
    assert len(run_dirs) == 4
    for run_dir in run_dirs:
        assert run_dir.parent == tmp_path / 'runs' and (run_dir / 'summary.json').exists()
        assert json.loads((run_dir / 'summary.json').read_text())['env_steps'] == 1000
        assert (run_dir / 'notebooks' / f'{run_dir.name}.r0.ipynb').exists()
    notebooks = sorted((tmp_path / 'papermill_runs').glob('*.ipynb'))
    assert [p.name for p in notebooks] == sorted(f'{r}.r0.ipynb' for r in df.run_id)
    assert list(df.notebook) == [str(tmp_path / 'papermill_runs' / f'{r}.r0.ipynb') for r in df.run_id]
    for run_id, wm in zip(df.run_id, df.wm): assert f'_{wm}_gaussian_tiny_' in run_id


def check_resumed_run(df, run_dir, steps, every):
    "Attempts before the last were preempted and requeued; the last completed; metrics have every evaluation once."
    assert list(df.attempt) == list(range(len(df))) and len(df) >= 2, df.to_string()
    assert list(df.status) == ['preempted'] * (len(df) - 1) + ['completed'], df[['attempt', 'status', 'message']].to_string()
    for a, message in zip(df.attempt[:-1], df.message[:-1]): assert f'requeued as attempt {a + 1}' in message, message
    metrics = pd.read_csv(run_dir / 'metrics.csv')
    assert metrics.env_steps.tolist() == list(range(0, steps + 1, every))
    assert json.loads((run_dir / 'summary.json').read_text())['env_steps'] == steps
    for a in df.attempt: assert (run_dir / 'notebooks' / f'{run_dir.name}.r{a}.ipynb').exists()


def test_signalled_run_requeues_and_resumes(slurm, tmp_path):
    "SIGUSR1 to the batch shell (what --signal=B:USR1@N sends before the time limit) mid-run, sent when we choose."
    grid = Grid(steps=4000, device='cpu', overrides=[*SMOKE_TEST_OVERRIDES, 'eval.video=false'])
    job = submit_grid(tmp_path, grid, tiny_resources(max_requeues=2), 'usr1')
    run_dir = tmp_path / 'runs' / job['tasks'].run_id[0]
    deadline = time.time() + 900
    while not ((run_dir / 'metrics.csv').exists() and len(pd.read_csv(run_dir / 'metrics.csv')) >= 2):
        assert time.time() < deadline, job_log(job)
        time.sleep(1)
    slurm.run('scancel', '--signal=USR1', '--batch', f"{job['job_id']}_0")
    slurm.wait(job['job_id'], timeout=1200)
    df = read_registry(tmp_path / 'registry.csv')
    check_resumed_run(df, run_dir, 4000, 1000)
    assert 'STOP file' in df.message[0] and df.message[0].startswith('stopped at env step'), df.message[0]
    assert 'SIGUSR1' in job_log(job)


def training_steps_per_second(tmp_path) -> float:
    "Environment steps per second of the tiny run once learning has started (the batch from 1000 to 2000 steps)."
    cfg = run_config('mlp', 'gaussian', 'cartpole-swingup', steps=2000, device='cpu',
                     overrides=[*SMOKE_TEST_OVERRIDES, 'eval.video=false', 'wandb.mode=disabled'])
    OnlineTrainer(cfg, tmp_path / 'speed').run(progress=False)
    wall = pd.read_csv(tmp_path / 'speed' / 'metrics.csv').set_index('env_steps').wall_clock_s
    return 1000 / (wall[2000] - wall[1000])


@pytest.mark.slow
def test_time_limit_signal_requeues_until_done(slurm, tmp_path):
    """A 3-minute time limit with --signal=B:USR1@100: Slurm itself signals each attempt (its timer fires up to about
    half a minute early or late), the attempt checkpoints and requeues, and the last one completes. The run is sized from this machine's
    measured speed to need about 100 s of training, so at least two attempts."""
    steps = max(3000, 1000 * math.ceil(training_steps_per_second(tmp_path) * 100 / 1000))
    grid = Grid(steps=steps, device='cpu', overrides=[*SMOKE_TEST_OVERRIDES, 'eval.video=false'])
    job = submit_grid(tmp_path, grid, tiny_resources(time='00:03:00', signal_lead_s=100, max_requeues=6), 'timelimit')
    slurm.wait(job['job_id'], timeout=3000)
    df = read_registry(tmp_path / 'registry.csv')
    run_dir = tmp_path / 'runs' / job['tasks'].run_id[0]
    assert len(df) >= 2, f'the run ({steps} steps) finished before the time-limit signal\n{df.to_string()}'
    check_resumed_run(df, run_dir, steps, 1000)
    assert 'SIGUSR1' in job_log(job)
