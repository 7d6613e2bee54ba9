"""Collecting a dataset from our own agents (nbs/collect.ipynb with a checkpoint among its `policies`)."""
import pytest
import torch

from papermill_helpers import run_notebook

TASK = 'cartpole-balance'


@pytest.fixture(scope='module')
def stage_c_checkpoint(tmp_path_factory):
    "Our own agent: a short stage-C run on cartpole-balance (1000 seeding steps, then 100 actor-critic updates)."
    from flow_mbpo.train import OnlineTrainer, run_config, SMOKE_TEST_OVERRIDES
    run = tmp_path_factory.mktemp('agent') / 'cartpole-balance_mlp'
    cfg = run_config(wm='mlp', policy='gaussian', task=TASK, steps=2000,
                     overrides=[*SMOKE_TEST_OVERRIDES, 'eval.video=false', 'wandb.mode=disabled'])
    summary = OnlineTrainer(cfg, run).run(progress=False)
    assert summary['updates'] == 100
    return run / 'checkpoint.pt'


def test_collected_actions_are_the_checkpoint_policy(stage_c_checkpoint):
    "Each stored action is what the checkpoint's policy does at the observation stored before it."
    from flow_mbpo.multitask import checkpoint_actor, collect_episodes
    act = checkpoint_actor(stage_c_checkpoint, TASK, deterministic=True)
    e = collect_episodes(TASK, 2, act, seed=0)
    obs, action = e['obs'][:, :-1], e['action'][:, 1:]   # row k holds o_k and the action that led to it
    torch.testing.assert_close(action, act(obs.flatten(0, 1)).view_as(action))
    random = collect_episodes(TASK, 2, seed=0)['action'][:, 1:]
    assert (random - action).abs().mean() > 0.1
    with pytest.raises(ValueError, match="task='walker-stand' is not allowed; choose one of: cartpole-balance"):
        checkpoint_actor(stage_c_checkpoint, 'walker-stand')


def test_collect_notebook_from_random_and_own_agent(stage_c_checkpoint, tmp_path):
    "papermill nbs/collect.ipynb with policies [random, checkpoint]: one chunk per source, the agent's only of its task, in 101-row pieces."
    from flow_mbpo.datasets import chunk_paths, load_episodes
    from flow_mbpo.tasks import MT80
    out = tmp_path / 'data'
    r = run_notebook('collect.ipynb', tmp_path / 'collect.ipynb',
                     dict(tasks=[TASK, 'walker-stand'], policies=['random', str(stage_c_checkpoint)], episodes=2,
                          episode_rows=101, out=out))
    assert r.returncode == 0, r.stderr[-4000:]
    random_chunk, agent_chunk = chunk_paths(out)
    assert (random_chunk.name, agent_chunk.name) == ('chunk_0_random.pt', 'chunk_1_cartpole-balance-mlp.pt')   # named after the run folder
    mine = load_episodes([agent_chunk], obs_dim=24, action_dim=6, episode_length=100)
    assert mine['task'].tolist() == [MT80.index(TASK)] * 10   # 2 episodes of 500 steps in 5 pieces each
    rand = load_episodes([random_chunk], obs_dim=24, action_dim=6, episode_length=100)
    assert sorted(set(rand['task'].tolist())) == sorted([MT80.index(TASK), MT80.index('walker-stand')])
    assert len(rand['task']) == 20
    assert not torch.equal(mine['action'][:, 1:, 0], rand['action'][rand['task'] == MT80.index(TASK)][:, 1:, 0])
