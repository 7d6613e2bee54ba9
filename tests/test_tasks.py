"""Whole episodes of every MT30 task (too long for the notebook: ~45 s on 2 cores), marked slow."""
import pytest
import torch

from flow_mbpo.tasks import MT30, MultiTaskEnv


@pytest.mark.slow
def test_every_mt30_task_runs_a_whole_episode():
    env = MultiTaskEnv('mt30', seed=0)
    obs, g = env.reset(), torch.Generator().manual_seed(1)
    pad = torch.arange(env.spec.obs_dim) >= torch.tensor(env.spec.obs_dims)[env.task_index][:, None]
    ret = torch.zeros(len(MT30))
    for t in range(500):
        obs, r, term, trunc = env.step(torch.rand(len(MT30), env.spec.action_dim, generator=g) * 2 - 1)
        assert torch.isfinite(obs).all() and (obs[pad] == 0).all()
        assert ((r >= 0) & (r <= 2)).all() and not term.any()
        assert trunc.all() == trunc.any() == (t == 499), f'truncation at step {t}: {trunc.tolist()}'
        ret += r
    assert ((ret >= 0) & (ret <= 1000)).all()


def test_a_run_accepts_every_mt30_task():
    "train.ipynb validates `task` with available_tasks(): every MT30 task (custom ones included) is accepted."
    from flow_mbpo.train import run_config
    for task in ('walker-walk-backwards', 'reacher-three-hard', 'pendulum-spin'):
        assert run_config(task=task, steps=10, device='cpu').task == task
    with pytest.raises(ValueError, match="task='walker-walk-sideways' is not allowed; choose one of: walker-stand"):
        run_config(task='walker-walk-sideways', steps=10, device='cpu')
