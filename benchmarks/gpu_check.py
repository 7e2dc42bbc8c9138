"""Check and benchmark of the CUDA path (needs a GPU; CI never has one): the same training steps of phase 1 and phase 2
on the GPU (bf16 autocast) and on the CPU (fp32) in one run — same seed, same batches, same held-out batches — a checkpoint
trained on the GPU used on the CPU, and `p1ct_run` (`analyse_movie`) on the GPU against the CPU on one held-out movie.

    python benchmarks/gpu_check.py [--steps 300] [--hybrid_steps 100] [--parts training,run,speed,amp] [--workers 8] [--no_cpu] [--out DIR]

Prints tables: held-out loss after the same steps (GPU vs CPU), seconds per step, the GPU/CPU agreement of localizations and
calcium calls, wall times and network frames/s of `localize_deep` on 256 × 256 frames; `amp`: phase 2 on the GPU with and
without bf16 autocast (two seeds, resumed every 100 steps). `--gpu cpu` runs the script without a GPU (a dry run).
The training runs use `amp` as given here (the part `training` with the config files' value). The training part runs
each phase on the GPU twice without workers (its run-to-run spread) and once with `--workers` batch-drawing processes
(after checking that those draw the same first 24 batches), then on the CPU unless `--no_cpu`.

2026-11-26, H200, `--parts training --no_cpu --workers 8 --steps 300 --hybrid_steps 150`: the batches identical;
phase 1 0.063 / 0.044 s/step without workers, 0.034 with 8 (held-out loss 44.6 / 44.9 vs 43.8); phase 2 0.181 / 0.186
vs 0.078 s/step (9.9 / 10.3 vs 10.0).

Measured on one NVIDIA H200 (torch 2.11, 16 CPU threads), 2026-11-26, with bf16 autocast in the training part:
phase 1 0.076 s/step GPU vs 0.143 CPU, held-out loss 44.4 vs 45.4 after 300 steps; phase 2 0.20 vs 0.42 s/step,
10.7 vs 9.9 after 100; `p1ct_run` on a 128² × 100 movie: 5,540 localizations on both, positions within 0.05 nm,
calls identical, 2.4 s GPU vs 2.0 s CPU (tracking and calls run on the CPU); `localize_deep` 256² two-channel
frames: 339 frames/s GPU (batch 16), 304 (batch 64), 14.4 CPU — with the tile-by-tile post-processing of that day;
`maps_to_table` now takes a whole batch at once: 628–671 frames/s (batch 16) and 577–600 (batch 64) against 283–330
for the old code in the same run (identical tables). `amp` (held-out loss at 100/200/300 steps):
fp32 10.38/10.04/9.20 and 6.77/6.86/6.17, bf16 10.70/10.96/9.43 and 6.85/7.16/6.92 (seeds 1, 2).
"""
import argparse, dataclasses, sys, time, tempfile, json, itertools
from pathlib import Path
import numpy as np, pandas as pd, torch
from piezo1_calcium_tracker.core import load_yaml, from_dict
from piezo1_calcium_tracker.train import TrainConfig, train, training_batches, LocalizationTask
from piezo1_calcium_tracker.train_hybrid import HybridConfig, HybridTask
from piezo1_calcium_tracker.inference import load_model, localize_deep, DEFAULT_MODEL, DEFAULT_HYBRID
from piezo1_calcium_tracker.simulate import simulate_movie, save_simulation, SimulationConfig, PunctaConfig
from piezo1_calcium_tracker.pipeline import analyse_movie, InferenceConfig
from piezo1_calcium_tracker.metrics import match, evaluate
sys.path.insert(0, str(Path(__file__).parent))
from calcium_detection import movie_config

ROOT = Path(__file__).resolve().parents[1]
GPU = 'cuda'

def train_on(dev, cfg, out, task=None, workers=0):
    cfg = dataclasses.replace(cfg, device=dev, workers=workers, validate_every=max(1, cfg.steps // 2), log_images_every=10 ** 9)
    t0 = time.perf_counter()
    m = train(cfg, out, resume=False, progress=False, task=task(cfg) if task else None)
    return m, (time.perf_counter() - t0) / cfg.steps

def phase(name, cfg, out, task, runs):
    "The same steps on each (device, workers) of `runs`: held-out loss and seconds per step."
    rows = []
    for dev, w in runs:
        m, s = train_on(dev, cfg, out/f'phase{name[0]}_{dev}_w{w}_{len(rows)}', task, w)
        rows.append(dict(phase=name, device=dev, workers=w, steps=cfg.steps, held_out_loss=m['validation'], train_loss=m['train_total'], s_per_step=s))
        print(rows[-1], flush=True)
    return rows

def amp_check(out, legs=3, leg=100):
    "Phase 2 on the GPU with and without bf16 autocast, two seeds, resumed every `leg` steps (exact resume on the GPU): held-out loss per leg."
    d2 = load_yaml(ROOT/'configs/training_hybrid.yaml'); d2['localization_checkpoint'] = str(DEFAULT_MODEL)
    rows = []
    for seed in (1, 2):
        for amp in (True, False):
            cfg = dataclasses.replace(from_dict(HybridConfig, d2, 'training'), seed=seed, amp=amp, device=GPU, validate_every=leg, log_images_every=10 ** 9)
            t0 = time.perf_counter()
            for k in range(1, legs + 1):
                m = train(dataclasses.replace(cfg, steps=k * leg), out/f'amp{int(amp)}_seed{seed}', resume=True, progress=False, task=HybridTask(cfg))
                rows.append(dict(seed=seed, bf16_autocast=amp, step=m['step'], held_out_loss=m['validation'], s_per_step=(time.perf_counter() - t0) / (k * leg)))
                print(rows[-1], flush=True)
    df = pd.DataFrame(rows)
    print('\nphase 2 on the GPU, held-out loss (bf16 autocast vs fp32; resumed every', leg, 'steps):')
    print(df.pivot_table(index='step', columns=['seed', 'bf16_autocast'], values='held_out_loss').round(3).to_string(), flush=True)
    return rows

def same_movie(sim, d, dev, model):
    t0 = time.perf_counter()
    r = analyse_movie(d/'movie.tif', d/'camera.yaml', d/f'run_{dev}', model=model, cfg=InferenceConfig(device=dev, figures=False), progress=False)
    return pd.read_csv(d/f'run_{dev}/localizations.csv'), time.perf_counter() - t0, r.summary['stage_seconds']   # every stage before writing

def network_fps(dev, model, frames, cal, batch, pixel_size_nm):
    localize_deep(frames[:8], model, pixel_size_nm, calcium=cal[:8], device=dev, batch_size=batch)      # warm-up
    if dev == 'cuda': torch.cuda.synchronize()
    t0 = time.perf_counter()
    n = len(localize_deep(frames, model, pixel_size_nm, calcium=cal, device=dev, batch_size=batch))
    if dev == 'cuda': torch.cuda.synchronize()
    return len(frames) / (time.perf_counter() - t0), n

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--steps', type=int, default=300); ap.add_argument('--hybrid_steps', type=int, default=100)
    ap.add_argument("--out", default=None)
    ap.add_argument('--gpu', default='cuda', help='cpu: a dry run of this script without a GPU')
    ap.add_argument('--workers', type=int, default=8, help='batch-drawing processes of the GPU run with workers (training part)')
    ap.add_argument('--no_cpu', action='store_true', help='training part: leave out the CPU runs (GPU without and with workers only)')
    ap.add_argument('--parts', default='training,run,speed', help='any of training, run, speed, amp (comma-separated)')
    a = ap.parse_args()
    global GPU
    GPU = a.gpu
    assert GPU == 'cpu' or torch.cuda.is_available(), 'this check needs a CUDA device (--gpu cpu: a dry run of the script on the CPU)'
    out = Path(a.out or tempfile.mkdtemp()); out.mkdir(parents=True, exist_ok=True)
    print(f'torch {torch.__version__}, {torch.cuda.get_device_name() if GPU == "cuda" else "no GPU (dry run)"}, CPU threads {torch.get_num_threads()}', flush=True)
    parts = a.parts.split(',')
    if GPU == 'cuda':
        try: torch.set_rng_state(torch.get_rng_state().cuda()); print('a CUDA copy of the CPU RNG state is accepted by torch.set_rng_state')
        except (TypeError, RuntimeError) as e: print(f'torch.set_rng_state refuses a CUDA copy of the CPU RNG state ({type(e).__name__}: {e}); checkpoints resume with map_location=cpu')
    rows, amp = [], []
    if 'amp' in parts: amp = amp_check(out)
    if 'training' in parts:
        c1 = dataclasses.replace(from_dict(TrainConfig, load_yaml(ROOT/'configs/training_localization.yaml'), 'training'), steps=a.steps, pretrained=None)
        t1 = LocalizationTask(c1)
        same = all(k == j and all(torch.equal(x[n], y[n]) for n in x) for (k, x), (j, y) in
                   zip(itertools.islice(training_batches(t1, c1.seed, c1.batch_size), 24), itertools.islice(training_batches(t1, c1.seed, c1.batch_size, workers=a.workers), 24)))
        print(f'first 24 training batches drawn here and by {a.workers} workers identical: {same}', flush=True)
        runs = [(GPU, 0), (GPU, 0), (GPU, a.workers)] + ([] if a.no_cpu else [('cpu', 0)])     # GPU twice: its run-to-run spread
        rows += phase('1: localization', c1, out, None, runs)
        d2 = load_yaml(ROOT/'configs/training_hybrid.yaml'); d2['localization_checkpoint'] = str(DEFAULT_MODEL)
        c2 = dataclasses.replace(from_dict(HybridConfig, d2, 'training'), steps=a.hybrid_steps)
        rows += phase('2: hybrid', c2, out, HybridTask, runs)
        print(pd.DataFrame(rows).round(4).to_string(index=False), flush=True)
        net, meta = load_model(out/f'phase2_{GPU}_w0_0'/'best.pth', 'cpu')         # a GPU-trained checkpoint used on the CPU
        print(f"GPU-trained hybrid checkpoint loaded on the CPU: step {meta['step']}, parameters on {next(net.parameters()).device}", flush=True)
    run, speed = {}, []
    if 'run' in parts: run = run_check(out)
    if 'speed' in parts: speed = speed_check()
    json.dump(dict(training=rows, amp=amp, run=run, speed=speed), open(out/'gpu_check.json', 'w'), indent=1)

def run_check(out):
    "p1ct_run (`analyse_movie`) on the same held-out movie, GPU vs CPU."
    sim = simulate_movie(movie_config(7002, 100, 'emccd'))
    d = out/'movie'; save_simulation(sim, d)
    gt = sim.emitters[sim.emitters.photons >= 100].reset_index(drop=True)
    res = {dev: same_movie(sim, d, dev, DEFAULT_HYBRID) for dev in (GPU, 'cpu')}
    (lg, tg, sg), (lc, tc, sc) = res[GPU], res['cpu']
    stages = {GPU: sg, 'cpu': sc}
    m = match(lg, lc, tol_nm=50.)
    dxy = np.hypot(m.dx, m.dy)
    agree = (lg.calcium_signal.to_numpy()[m.pred_index] == lc.calcium_signal.to_numpy()[m.gt_index]).mean()
    jg, jc = (evaluate(l, gt, pixel_size_nm=sim.config.camera.pixel_size_nm, camera=sim.config.camera)['jaccard'] for l in (lg, lc))
    print(f'\np1ct_run on one 128 × 128 × 100 two-channel movie: localizations GPU {len(lg)}, CPU {len(lc)}, paired {len(m)}; '
          f'position difference median {np.median(dxy):.3f} nm, max {dxy.max():.3f} nm; calcium calls equal {agree:.4f}; '
          f'Jaccard GPU {jg:.3f}, CPU {jc:.3f}; wall GPU {tg:.1f} s, CPU {tc:.1f} s', flush=True)
    print('\nseconds per stage of that run (summary.json stage_seconds; writing excluded):')
    print(pd.DataFrame(stages).round(2).to_string(), flush=True)
    return dict(stage_seconds=stages, gpu_locs=len(lg), cpu_locs=len(lc), paired=len(m), dxy_max_nm=float(dxy.max()), calls_equal=float(agree),
                jaccard_gpu=jg, jaccard_cpu=jc, wall_gpu_s=tg, wall_cpu_s=tc)

def speed_check():
    "The network alone (`localize_deep`) on 200 two-channel frames of 256 × 256."
    big = simulate_movie(SimulationConfig(n_frames=200, height=256, width=256, seed=9000, puncta=PunctaConfig(density_per_um2=0.4)))
    cam = big.config.camera
    f1, f2 = (cam.to_photons(big.movie[:, c].astype(np.float32)) for c in (0, 1))
    net = {dev: load_model(DEFAULT_HYBRID, dev)[0] for dev in (GPU, 'cpu')}
    speed = []
    for dev, batch in (('cpu', 16), (GPU, 16), (GPU, 64)):
        fps, n = network_fps(dev, net[dev], f1, f2, batch, cam.pixel_size_nm)
        speed.append(dict(device=dev, batch=batch, frames_per_s=fps, localizations=n))
        print(speed[-1], flush=True)
    print('\nlocalize_deep (hybrid network + peak finding + table), 200 frames of 256 × 256, two channels:')
    print(pd.DataFrame(speed).round(1).to_string(index=False))
    return speed

if __name__ == '__main__': main()
