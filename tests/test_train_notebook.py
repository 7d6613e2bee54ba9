"""nbs/train.ipynb, the main job, run through papermill as users run it."""
import json

import nbformat
import pytest

from flow_mbpo.train import SMOKE_TEST_OVERRIDES, SMOKE_TEST_STEPS
from papermill_helpers import run_train_notebook


@pytest.mark.parametrize('wm,policy', [('mlp', 'gaussian'), ('mlp', 'flow'), ('flow', 'gaussian'), ('flow', 'flow')])
def test_every_grid_variant_runs_through_papermill(tmp_path, wm, policy):
    run_dir, out = tmp_path / 'run', tmp_path / 'executed.ipynb'
    r = run_train_notebook(out, dict(wm=wm, policy=policy, task='cartpole-swingup', steps=SMOKE_TEST_STEPS,
                                     run_dir=run_dir, overrides=SMOKE_TEST_OVERRIDES))
    assert r.returncode == 0, r.stderr[-4000:]
    s = json.loads((run_dir / 'summary.json').read_text())
    assert (s['wm'], s['policy']) == ({'mlp': 'MLPWorldModel', 'flow': 'FlowWorldModel'}[wm],
                                      {'gaussian': 'GaussianPolicy', 'flow': 'FlowPolicy'}[policy])
    assert s['env_steps'] == SMOKE_TEST_STEPS and s['updates'] > 0 and s['task'] == 'cartpole-swingup'
    assert (s['wm_velocity_evals_per_update'] > 0) == (wm == 'flow')
    assert (s['policy_velocity_evals_per_update'] > 0) == (policy == 'flow')
    for f in ('config.yaml', 'provenance.json', 'metrics.csv', 'checkpoint.pt', 'video.mp4', 'learning_curve.png'):
        assert (run_dir / f).exists(), f
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if 'injected-parameters' in c.metadata.get('tags', [])]
    assert len(injected) == 1 and f"wm = \"{wm}\"" in injected[0].source


@pytest.mark.parametrize('params,message', [
    (dict(wm='transformer'), "wm='transformer' is not allowed; choose one of: flow, mlp"),
    (dict(policy='diffusion'), "policy='diffusion' is not allowed; choose one of: flow, gaussian"),
    (dict(task='reacher-medium'), "task='reacher-medium' is not allowed; choose one of: walker-stand"),
    (dict(size='7M'), "size='7M' is not allowed; choose one of: 19M, 1M, 317M, 48M, 5M, tiny"),
    (dict(steps=0), 'steps must be a positive integer, got 0'),
    (dict(overrides=['pwm.horizon=-2']), 'pwm.horizon must be a positive integer, got -2'),
    (dict(wm='flow', overrides=['wm.substeps=0']), 'wm.substeps must be a positive integer, got 0'),
    (dict(policy='flow', overrides=['policy.substeps=0']), 'policy.substeps must be a positive integer, got 0'),
])
def test_bad_parameters_fail_before_any_work(tmp_path, params, message):
    run_dir = tmp_path / 'run'
    r = run_train_notebook(tmp_path / 'executed.ipynb', dict(run_dir=run_dir, **params))
    assert r.returncode != 0
    assert message in r.stdout + r.stderr
    assert not run_dir.exists()


def test_papermill_reads_every_parameter(repo_root):
    "papermill parses each line of the parameters cell (a comment it cannot parse hides the parameter from its checks)."
    from papermill.translators import PythonTranslator
    nb = nbformat.read(repo_root / 'nbs/train.ipynb', as_version=4)
    cell, = [c for c in nb.cells if 'parameters' in c.metadata.get('tags', [])]
    names = [p.name for p in PythonTranslator.inspect(cell)]
    assigned = [line.split(':')[0] for line in cell.source.splitlines() if line and not line.startswith('#')]
    assert names == assigned
    assert {'registry', 'phase', 'attempt', 'notebook', 'run_dir', 'overrides'} <= set(names)
