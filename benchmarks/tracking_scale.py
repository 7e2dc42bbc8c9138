"""Benchmark: tracking time against the number of localizations, whatever their layout.

    python benchmarks/tracking_scale.py [--n 100000] [--frames 1000] [--peer_n 10000] [--repeat 3] [--no_results]

Layouts of n localizations over `frames` frames in a 25.6 × 25.6 µm field (default `TrackingConfig`):
- uniform: spurious localizations only, uniform in space and time (nothing links; every one a segment: the worst
  case for gap closing);
- blinking: immobile puncta, each on in a frame with probability 0.5 (many short segments at one place);
- diffusing: puncta at D = 0.3 µm²/s, 50 ms frames, 10 % missed;
- runs: puncta in straight runs of 300 nm per frame;
- cluster: every localization within a 2 × 2 µm square (every candidate within reach of every other).
Each localization has 300–1,200 photons (uniform), so `track` also looks for hidden puncta. Prints seconds of `track`
(the p1ct linker) and, on the first `peer_n` localizations (time-ordered) of each layout,
seconds of the p1ct linker and of laptrack with the same costs, and their ratio. Times are medians of `--repeat` runs.
Printed, and appended to benchmarks/RESULTS.md.
"""
import argparse, sys, time
from pathlib import Path
import numpy as np, pandas as pd
from piezo1_calcium_tracker.core import InputError
from piezo1_calcium_tracker.tracking import TrackingConfig, track, track_laptrack
sys.path.insert(0, str(Path(__file__).parent))
from results import append_results

def layout(kind, n, frames, rng, size=25_600.):
    per = n // frames
    f = np.repeat(np.arange(1, frames + 1), per)
    if kind == 'uniform': xy = rng.uniform(0, size, (len(f), 2))
    elif kind == 'cluster': xy = rng.uniform(0, 2000., (len(f), 2))
    else:
        K = per * 2 if kind == 'blinking' else per
        p0 = rng.uniform(0, size, (K, 2))
        if kind == 'blinking':
            on = rng.random((frames, K)) < 0.5
            pos = np.broadcast_to(p0, (frames, K, 2)) + rng.normal(0, 20, (frames, K, 2))
        else:
            if kind == 'diffusing': steps = rng.normal(0, np.sqrt(2 * 0.3e6 * 0.05), (frames, K, 2))
            else: a = rng.uniform(0, 2 * np.pi, K); steps = np.broadcast_to(300. * np.c_[np.cos(a), np.sin(a)], (frames, K, 2))
            pos = (p0 + np.cumsum(steps, 0)) % size + rng.normal(0, 20, (frames, K, 2))
            on = rng.random((frames, K)) < 0.9
        t, k = np.nonzero(on)
        f, xy = t + 1, pos[t, k]
    # photons vary 4-fold, so that some spots are brighter than their track alone and `hidden_puncta` has work
    return pd.DataFrame({'frame': f, 'x [nm]': xy[:, 0], 'y [nm]': xy[:, 1], 'intensity [photon]': rng.uniform(300, 1200, len(f))})

def timed(fn, repeat):
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
    return float(np.median(ts))

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--n', type=int, default=100_000); ap.add_argument('--frames', type=int, default=1000)
    ap.add_argument('--peer_n', type=int, default=10_000); ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--no_results', action='store_true')
    a = ap.parse_args()
    cfg, rows = TrackingConfig(), []
    for kind in ('uniform', 'blinking', 'diffusing', 'runs', 'cluster'):
        locs = layout(kind, a.n, a.frames, np.random.default_rng(0))
        t = timed(lambda: track(locs, cfg), a.repeat)
        n_tracks = track(locs, cfg).track_id.nunique()
        small = locs.sort_values('frame', kind='stable').iloc[:a.peer_n]
        t_small = timed(lambda: track(small, cfg), a.repeat)
        try: t_peer = timed(lambda: track_laptrack(small, cfg), 1)
        except InputError: t_peer = float("nan")                       # laptrack not installed
        rows.append(dict(layout=kind, localizations=len(locs), tracks=n_tracks, p1ct_s=round(t, 2), peer_localizations=len(small),
                         p1ct_peer_set_s=round(t_small, 3), laptrack_s=round(t_peer, 2), laptrack_over_p1ct=round(t_peer / t_small, 1)))
        print(rows[-1], flush=True)
    df = pd.DataFrame(rows)
    print(df.to_string(index=False))
    if not a.no_results:
        append_results('tracking_scale.py', f"python benchmarks/tracking_scale.py --n {a.n} --frames {a.frames} "
                       f"--peer_n {a.peer_n} --repeat {a.repeat}", df)

if __name__ == '__main__': main()
