"""Train only a world model, for N updates, on the replay buffer of a finished run, once per loss variant; then report
how far the latent moves in one step, how much of that motion the model predicts, the reward fit, and a linear probe of
each observation feature from the latent.

    PYTHONPATH=. python results/exploration/reacher_probes/wm_losses.py RUN_DIR N VARIANT [VARIANT ...]

A VARIANT is a world model and its Hydra overrides joined by commas, e.g. `flow,wm.fm_source=teacher`."""
import sys, time, tempfile, torch
from pathlib import Path
from flow_mbpo.checkpoints import load_checkpoint
from flow_mbpo.train import OnlineTrainer, run_config

torch.set_num_threads(1)
src, updates = Path(sys.argv[1]), int(sys.argv[2])
buffer_state = load_checkpoint(src / 'checkpoint.pt')['buffer']
for variant in sys.argv[3:]:
    wm, *overrides = variant.split(',')
    cfg = run_config(wm=wm, task='reacher-easy', steps=100000, seed=0, device='cpu', overrides=overrides)
    trainer = OnlineTrainer(cfg, tempfile.mkdtemp())
    trainer.buffer.load_state_dict(buffer_state)
    agent, start = trainer.agent, time.time()
    for _ in range(updates):   # the cpu preset's world-model batch: 64 slices of 4 steps
        agent.update_world_model(trainer.buffer.sample(cfg.train.wm_batch_size, cfg.train.wm_horizon))
    torch.manual_seed(123)
    with torch.no_grad():
        b = trainer.buffer.sample(4096, 1)
        z0, z1 = agent.wm.encode(b['obs'][0]), agent.wm.encode(b['obs'][1])
        motion = (z1 - z0).pow(2).mean(-1).mean()
        error = (agent.wm.next(z0, b['action'][0]) - z1).pow(2).mean(-1).mean()
        r = agent.wm.reward(z0, b['action'][0])
        reward_corr = torch.corrcoef(torch.stack([r, b['reward'][0]]))[0, 1]
        # ridge regression latent -> standardised observation, fitted on one half, R^2 on the other
        x = torch.cat([z0, torch.ones(len(z0), 1)], 1)
        y = (b['obs'][0] - b['obs'][0].mean(0)) / (b['obs'][0].std(0) + 1e-6)
        h = len(x) // 2
        w = torch.linalg.solve(x[:h].T @ x[:h] + 1e-3 * torch.eye(x.shape[1]), x[:h].T @ y[:h])
        r2 = 1 - (x[h:] @ w - y[h:]).pow(2).mean(0) / y[h:].var(0)
    print(f'{variant:50s} {time.time() - start:4.0f} s  motion {motion:.2e}  error/motion {error / motion:.3f}  '
          f'reward_corr {reward_corr:.3f}  probe R2 {[round(v, 2) for v in r2.tolist()]}', flush=True)
