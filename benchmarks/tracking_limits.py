"""Benchmark: what limits tracking on the network's localizations — the linker or the localizer?

    python benchmarks/tracking_limits.py [--frames 200] [--size 128] [--movies 2] [--no_results]

On held-out movies like those of `benchmarks/tracking.py` (trimers that blink and bleach stepwise, 60 % of puncta
diffusing at 0.05 µm²/s; seeds 8401 + …, never used to tune the tracker), p1ct's `track` runs on the network's
localizations as they are, and on the same localizations repaired in one respect at a time with the ground truth:
- `missed near a detection restored`: every true punctum the network missed that lies within 400 nm of a detection of
  its frame (two puncta seen as one) added back at its true position plus Gaussian noise of 20 or 40 nm rms per axis;
- `all missed restored`: every missed punctum added back (40 nm);
- `false detections removed`: the localizations matched to no punctum dropped;
- `true positions`: the ground truth itself.
Each row gives completeness and purity (`track_scores`). The network's recall by the distance to the nearest other
punctum is printed too. A repair that raises completeness a lot names the part to improve. Printed, and appended to
benchmarks/RESULTS.md.
"""
import argparse, sys
from pathlib import Path
import numpy as np, pandas as pd, torch
from scipy.spatial import cKDTree
from piezo1_calcium_tracker.inference import load_model, DEFAULT_MODEL
from piezo1_calcium_tracker.tracking import track, track_scores
from piezo1_calcium_tracker.metrics import match
sys.path.insert(0, str(Path(__file__).parent))
from results import append_results
from deep_localization import recall_by_neighbour
from tracking import tracking_movie

def missed(locs, gt):
    "Missed true punctum-frames, and the distance (nm) from each to the nearest localization of its frame."
    m = match(locs, gt)
    miss = np.ones(len(gt), bool); miss[m.gt_index.to_numpy()] = False
    fp = np.ones(len(locs), bool); fp[m.pred_index.to_numpy()] = False
    d = np.full(len(gt), np.inf)
    for fr, g in gt[miss].groupby('frame'):
        l = locs[locs['frame'] == fr]
        if len(l): d[g.index] = cKDTree(l[['x [nm]', 'y [nm]']].to_numpy()).query(g[['x [nm]', 'y [nm]']].to_numpy())[0]
    return miss, d, fp

def restored(locs, gt, which, noise_nm, rng):
    "The localizations with the true puncta `which` added at their true positions plus noise."
    g = gt[which]
    add = pd.DataFrame({'frame': g['frame'].to_numpy(), 'x [nm]': g['x [nm]'].to_numpy() + rng.normal(0, noise_nm, len(g)),
                        'y [nm]': g['y [nm]'].to_numpy() + rng.normal(0, noise_nm, len(g)), 'detection_prob': 1.,
                        'uncertainty [nm]': noise_nm, 'intensity [photon]': g['photons'].to_numpy(),
                        'intensity_uncertainty [photon]': 0.2 * g['photons'].to_numpy()})
    return pd.concat([locs, add], ignore_index=True)

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--frames', type=int, default=200); ap.add_argument('--size', type=int, default=128)
    ap.add_argument('--movies', type=int, default=2); ap.add_argument('--no_results', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(2)
    net, _ = load_model(DEFAULT_MODEL)
    rows, recall, counts = [], [], []
    for density in (0.4, 1.0):
        for k in range(a.movies):
            seed = 8401 + int(density * 10) * 10 + k
            gt, locs = tracking_movie(density, 0.05, a.frames, a.size, seed, net)
            recall.append(dict(density=density, seed=seed, **{c: round(v, 3) for c, v in recall_by_neighbour(locs, gt).items()}))
            miss, d, fp = missed(locs, gt)
            counts.append(dict(density=density, missed=int(miss.sum()), missed_near=int((miss & (d < 400)).sum()), false=int(fp.sum())))
            rng = np.random.default_rng(seed)
            inputs = {'network localizations': locs,
                      'missed near a detection restored (20 nm)': restored(locs, gt, miss & (d < 400), 20., rng),
                      'missed near a detection restored (40 nm)': restored(locs, gt, miss & (d < 400), 40., rng),
                      'all missed restored (40 nm)': restored(locs, gt, miss, 40., rng),
                      'false detections removed': locs[~fp].reset_index(drop=True),
                      'true positions': gt[['frame', 'x [nm]', 'y [nm]']]}
            for name, l in inputs.items():
                s = track_scores(track(l.reset_index(drop=True)), gt)
                rows.append(dict(density=density, seed=seed, input=name, completeness=s['completeness'], purity=s['purity']))
                print(rows[-1], flush=True)
    df = pd.DataFrame(rows)
    mean = df.groupby(['density', 'input'], sort=False)[['completeness', 'purity']].mean().round(3).reset_index()
    counts = pd.DataFrame(counts).groupby('density').sum()
    rec = pd.DataFrame(recall)
    print(mean.to_string(index=False)); print(counts.to_string()); print(rec.to_string(index=False))
    if not a.no_results:
        append_results('tracking_limits.py', f"python benchmarks/tracking_limits.py --frames {a.frames} --size {a.size} --movies {a.movies}",
                       mean, counts.reset_index(), rec)

if __name__ == '__main__': main()
