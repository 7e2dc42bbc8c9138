"""Benchmark: calcium events as a scientist counts them — event precision, recall and F1, per-frame precision
(1 − false discovery rate) and onset error (`event_scores`) of `p1ct_run`'s calls, at the density of endogenous PIEZO1.

    python benchmarks/calcium_events.py [--movies 2] [--frames 200] [--size 128] [--seed_offset 0] [--no_results]

Held-out dual-channel movies (seeds 7500 + …, never used for training or for fitting the calls): rare puncta-local
events (0.004 onsets per punctum-frame, 1–6-frame events: ≈ 2 % of punctum-frames), partial amplitudes (ΔF/F₀ 1.5,
CV 0.6), diffuse calcium waves (0.1 onsets per frame per 100 µm², ΔF/F₀ 1.5), at 0.4 and 1.0 puncta/µm². The
acceptance of issue 21: event precision ≥ 0.95 and recall ≥ 0.85 at 0.4/µm², ≥ 0.90 and ≥ 0.75 at 1.0/µm². The table
is printed and appended to benchmarks/RESULTS.md.
"""
import argparse, atexit, shutil, sys, tempfile, warnings
from pathlib import Path
import numpy as np, pandas as pd, torch
from piezo1_calcium_tracker.simulate import simulate_movie, SimulationConfig, PunctaConfig, CalciumConfig, save_simulation
from piezo1_calcium_tracker.metrics import event_scores
from piezo1_calcium_tracker.pipeline import analyse_movie, InferenceConfig
sys.path.insert(0, str(Path(__file__).parent))
from results import append_results

def held_out(density, frames, size, seed):
    return SimulationConfig(n_frames=frames, height=size, width=size, seed=seed, puncta=PunctaConfig(density_per_um2=density),
                            calcium=CalciumConfig(event_rate=0.004, duration_frames=3., amplitude=1.5, amplitude_cv=0.6,
                                                  diffuse_rate=0.1, diffuse_amplitude=1.5))

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--movies', type=int, default=2); ap.add_argument('--frames', type=int, default=200)
    ap.add_argument('--size', type=int, default=128); ap.add_argument('--seed_offset', type=int, default=0); ap.add_argument('--no_results', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(2)
    tmp = Path(tempfile.mkdtemp()); atexit.register(shutil.rmtree, tmp, True)
    rows = []
    for density in (0.4, 1.0):
        for k in range(a.movies):
            seed = 7500 + a.seed_offset + int(density * 10) * 10 + k
            sim = simulate_movie(held_out(density, a.frames, a.size, seed)); save_simulation(sim, tmp/f'{seed}')
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                analyse_movie(tmp/f'{seed}/movie.tif', tmp/f'{seed}/camera.yaml', tmp/f'{seed}/run', cfg=InferenceConfig(figures=False), progress=False)
            called = pd.read_csv(tmp/f'{seed}/run/localizations.csv'); ev = pd.read_csv(tmp/f'{seed}/run/calcium_events.csv')
            gt = sim.emitters[sim.emitters.photons >= 100]
            share = float((gt.calcium_local == 1).mean())
            rows.append(dict(density=density, seed=seed, event_share=round(share, 4), **{k_: round(v, 3) if isinstance(v, float) else v
                                                                                       for k_, v in event_scores(called, gt, ev).items()}))
            print(rows[-1], flush=True)
            shutil.rmtree(tmp/f'{seed}')
    df = pd.DataFrame(rows)
    pooled = df.groupby('density')[['event_precision', 'event_recall', 'event_f1', 'frame_precision', 'onset_error_median_abs_frames']].mean().round(3)
    print(df.to_string(index=False)); print(pooled.to_string())
    if not a.no_results:
        append_results('calcium_events.py', f"python benchmarks/calcium_events.py --movies {a.movies} --frames {a.frames} --size {a.size} "
                       f"--seed_offset {a.seed_offset}", df, pooled.reset_index())

if __name__ == '__main__': main()
