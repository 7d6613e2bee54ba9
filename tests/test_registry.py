"""20 runs starting in the same second, in 20 processes: 20 distinct run folders and 20 registry rows, locally (random
suffix) and as Slurm array tasks (job and task ids), with the stamp fixed so that they all share the same second."""
import multiprocessing as mp
import subprocess, sys

import pytest

from flow_mbpo.core import make_run_dir
from flow_mbpo.registry import RunAttempt, read_registry

N = 20
STAMP = '20260101-120000'


def start_run(root, registry, env, barrier, results):
    barrier.wait()   # all 20 processes leave here together
    run_dir = make_run_dir(root, 'cartpole-swingup_mlp_gaussian_tiny_s0', env=env)
    with RunAttempt(registry, run_dir, env=env, phase='concurrency', wm='mlp', seed=0):
        pass
    results.put(str(run_dir))


@pytest.mark.parametrize('where', ['local', 'slurm'])
def test_twenty_concurrent_starts(tmp_path, where):
    envs = [{'FLOW_MBPO_STAMP': STAMP} if where == 'local' else
            {'FLOW_MBPO_STAMP': STAMP, 'SLURM_JOB_ID': str(500 + i), 'SLURM_ARRAY_JOB_ID': '499', 'SLURM_ARRAY_TASK_ID': str(i)}
            for i in range(N)]
    ctx = mp.get_context('fork')
    barrier, results = ctx.Barrier(N), ctx.Queue()
    root, registry = tmp_path / 'runs', tmp_path / 'runs' / 'registry.csv'
    procs = [ctx.Process(target=start_run, args=(root, registry, env, barrier, results)) for env in envs]
    for p in procs: p.start()
    for p in procs: p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0] * N
    dirs = {results.get(timeout=10) for _ in range(N)}
    assert len(dirs) == N and all(d.split('/')[-1].startswith(STAMP) for d in dirs)
    df = read_registry(registry)
    assert len(df) == N and set(df.status) == {'completed'} and set(df.attempt) == {0}
    assert set(df.run_dir) == dirs and df.run_id.is_unique
    if where == 'slurm':
        assert set(df.array_task_id) == {str(i) for i in range(N)} and set(df.job_id) == {'499'}
        assert {d.split('/')[-1] for d in dirs} == {f'{STAMP}_j499_{i}_cartpole-swingup_mlp_gaussian_tiny_s0' for i in range(N)}


def test_registry_command_prints_the_table(tmp_path):
    registry = tmp_path / 'registry.csv'
    with RunAttempt(registry, tmp_path / 'run-a', env={}, phase='p1', wm='flow', seed=3): pass
    r = subprocess.run([sys.executable, '-m', 'flow_mbpo.registry', '--registry', str(registry)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    header, row = r.stdout.splitlines()
    assert header.split()[:4] == ['run_id', 'attempt', 'status', 'job_id']
    assert row.split()[:3] == ['run-a', '0', 'completed'] and 'flow' in row.split()
    r = subprocess.run([sys.executable, '-m', 'flow_mbpo.registry', '--registry', str(registry), '--status', 'failed'],
                       capture_output=True, text=True)
    assert r.stdout.strip() == f'no matching runs in {registry}'
