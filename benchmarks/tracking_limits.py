"""Benchmark: what limits tracking on the network's localizations — the linker or the localizer?

    python benchmarks/tracking_limits.py [--frames 200] [--size 128] [--movies 2] [--no_results]

On held-out movies like those of `benchmarks/tracking.py` (trimers that blink and bleach stepwise, 60 % of puncta
diffusing at 0.05 µm²/s; seeds 8401 + …, never used to tune the tracker), p1ct's `track` runs on the network's
localizations as they are, and on the same localizations repaired in one respect at a time with the ground truth:
- `missed near a detection restored`: every true punctum the network missed that lies within 400 nm of a detection of
  its frame (two puncta seen as one) added back at its true position plus Gaussian noise of 20 or 40 nm rms per axis;
- `missed near a detection restored where one frame resolves them`: only those whose frame holds enough evidence for a
  second punctum (`one_frame_evidence` λ ≥ 25, with the PSF σ known): what any per-frame localizer could add without
  splitting many isolated puncta (the χ²₃ tail beyond 25 is 1.5·10⁻⁵; more in practice, as the second emitter's place
  is free);
- `… where frames resolve them`: the same, where an immobile punctum may also sum λ over its run of consecutive missed
  frames (its position stays put, so the evidence adds up): what a fit of the whole run could add;
- `all missed restored`: every missed punctum added back (40 nm);
- `false detections removed`: the localizations matched to no punctum dropped;
- `true positions`: the ground truth itself.
Each row gives completeness and purity (`track_scores`). The network's recall by the distance to the nearest other
punctum is printed too, and `switch_causes` sorts the identity switches of the tracks on the network's localizations
by what happened where a track passed from one punctum to another (and whether the two puncta were fixed or mobile).
A repair that raises completeness a lot names the part to improve. Printed, and appended to benchmarks/RESULTS.md.
"""
import argparse, sys
from pathlib import Path
import numpy as np, pandas as pd, torch
from scipy.optimize import least_squares
from scipy.spatial import cKDTree
from piezo1_calcium_tracker.psf import pixel_integrals
from piezo1_calcium_tracker.photometry import camera_noise
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

def switch_causes(tracked, gt):
    """Identity switches — consecutive localizations of one track matched to different puncta j → k — by cause: the two
    seen as one (j missed, j and k < 150 or 150–250 nm apart), j gone (bleached or dark), k new (appeared), j missed
    further away, or both detected (the linker's choice); and by motion (fixed / mobile, j then k)."""
    tracked = tracked.reset_index(drop=True)
    m = match(tracked, gt)
    tid = np.full(len(tracked), -1); tid[m.pred_index.to_numpy()] = gt['track_id'].to_numpy()[m.gt_index.to_numpy()]
    seen = set(zip(tracked['frame'].to_numpy()[tid >= 0], tid[tid >= 0]))
    mobile = gt.groupby('track_id')['mobile'].first()
    at = {f: g.set_index('track_id')[['x [nm]', 'y [nm]']] for f, g in gt.groupby('frame')}
    rows = []
    d = tracked.assign(true=tid)[tid >= 0].sort_values('frame', kind='stable')
    for _, t in d.groupby('track_id'):
        a, f = t['true'].to_numpy(), t['frame'].to_numpy()
        for i in np.flatnonzero(a[1:] != a[:-1]):
            j, k, f0, f1 = a[i], a[i + 1], f[i], f[i + 1]
            g = at[f1]
            if j not in g.index: cause = 'j gone (bleached or dark)'
            elif k not in at[f0].index: cause = 'k new (appeared)'
            elif (f1, j) in seen: cause = 'both detected (linker)'
            else:
                dist = float(np.hypot(*(g.loc[j].to_numpy() - g.loc[k].to_numpy())))
                cause = 'seen as one, < 150 nm' if dist < 150 else 'seen as one, 150-250 nm' if dist < 250 else 'j missed, further'
            rows.append(dict(cause=cause, motion=f"{'mobile' if mobile[j] else 'fixed'} -> {'mobile' if mobile[k] else 'fixed'}"))
    return pd.DataFrame(rows, columns=['cause', 'motion'])

def _spot(x, y, sigma, S):
    "Unit pixel-integrated Gaussian on an S × S grid, centre (x, y) px."
    t = lambda v: torch.tensor([float(v)], dtype=torch.float64)
    return (pixel_integrals(t(y), t(sigma), S)[0][:, None] * pixel_integrals(t(x), t(sigma), S)[0][None, :]).numpy()

def one_frame_evidence(gt, which, pixel_size_nm=100., excess=1., read_var=0., qe=1., S=11):
    """For each true punctum in `which` (missed ones): the noncentrality λ = Σ (μ₂ − μ₁)² / var between the expected
    image of it and its nearest neighbour (μ₂: photons, background and PSF σ from the truth) and the best single punctum
    of the same σ (μ₁: position, photons, background fitted), over S × S pixels; var = excess · μ₂ / qe + read_var, the
    camera's noise in photons² as `calcium_amplitudes` weighs it (`camera_noise`). A likelihood-ratio test of one
    against two emitters in that frame expects about λ + 3; NaN outside `which`."""
    lam = np.full(len(gt), np.nan)
    by_frame = {f: g for f, g in gt.groupby('frame')}
    for i in np.flatnonzero(which):
        r = gt.iloc[i]; g = by_frame[r['frame']]; g = g[g.index != gt.index[i]]
        if not len(g): continue
        q = g.loc[np.hypot(g['x [nm]'] - r['x [nm]'], g['y [nm]'] - r['y [nm]']).idxmin()]
        xy = np.array([[r['x [nm]'], r['y [nm]']], [q['x [nm]'], q['y [nm]']]]) / pixel_size_nm
        o = xy.mean(0) - S / 2; s = r['sigma [nm]'] / pixel_size_nm
        mu2 = r['background'] + r['photons'] * _spot(*(xy[0] - o), s, S) + q['photons'] * _spot(*(xy[1] - o), s, S)
        sd = np.sqrt(excess * mu2 / qe + read_var)
        res = lambda p: ((p[3] + p[2] * _spot(p[0], p[1], s, S) - mu2) / sd).ravel()
        lam[i] = 2 * least_squares(res, [S / 2, S / 2, r['photons'] + q['photons'], r['background']]).cost
    return lam

def run_evidence(gt, which, lam):
    "λ summed over each immobile punctum's runs of consecutive frames in `which`; a mobile punctum keeps its own λ."
    g = pd.DataFrame({'t': gt['track_id'].to_numpy(), 'f': gt['frame'].to_numpy(), 'w': which,
                      'lam': np.nan_to_num(lam)}).sort_values(['t', 'f'], kind='stable')
    run = ((g.t != g.t.shift()) | (g.f != g.f.shift() + 1) | (g.w != g.w.shift())).cumsum()
    total = np.zeros(len(gt)); total[g.index] = g.groupby(run)['lam'].transform('sum').to_numpy()
    return np.where(gt['mobile'].to_numpy() == 0, total, np.nan_to_num(lam))

def restored(locs, gt, which, noise_nm, seed):
    """The localizations with the true puncta `which` added at their true positions plus Gaussian noise of `noise_nm`
    per axis; each punctum-frame's noise depends on `seed` only, not on which others are added."""
    e = np.random.default_rng([seed, int(noise_nm)]).normal(0, noise_nm, (len(gt), 2))[which]
    g = gt[which]
    add = pd.DataFrame({'frame': g['frame'].to_numpy(), 'x [nm]': g['x [nm]'].to_numpy() + e[:, 0],
                        'y [nm]': g['y [nm]'].to_numpy() + e[:, 1], 'detection_prob': 1.,
                        'uncertainty [nm]': noise_nm, 'intensity [photon]': g['photons'].to_numpy(),
                        'intensity_uncertainty [photon]': 0.2 * g['photons'].to_numpy()})
    return pd.concat([locs, add], ignore_index=True)

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--frames', type=int, default=200); ap.add_argument('--size', type=int, default=128)
    ap.add_argument('--movies', type=int, default=2); ap.add_argument('--no_results', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(2)
    net, _ = load_model(DEFAULT_MODEL)
    rows, recall, counts, switches = [], [], [], []
    for density in (0.4, 1.0):
        for k in range(a.movies):
            seed = 8401 + int(density * 10) * 10 + k
            gt, locs, cam = tracking_movie(density, 0.05, a.frames, a.size, seed, net)
            recall.append(dict(density=density, seed=seed, **{c: round(v, 3) for c, v in recall_by_neighbour(locs, gt).items()}))
            miss, d, fp = missed(locs, gt)
            near = miss & (d < 400)                                      # two puncta seen as one
            lam = one_frame_evidence(gt, near, cam.pixel_size_nm, **camera_noise(cam))
            counts.append(dict(density=density, missed=int(miss.sum()), missed_near=int(near.sum()),
                               missed_near_resolvable=int((lam >= 25).sum()), false=int(fp.sum())))
            inputs = {'network localizations': locs,
                      'missed near a detection restored (20 nm)': restored(locs, gt, near, 20., seed),
                      'missed near a detection restored (40 nm)': restored(locs, gt, near, 40., seed),
                      'missed near a detection restored where one frame resolves them (λ ≥ 25, 20 nm)':
                          restored(locs, gt, near & (lam >= 25), 20., seed),
                      'missed near a detection restored where frames resolve them (λ summed over an immobile run ≥ 25, 20 nm)':
                          restored(locs, gt, near & (run_evidence(gt, near, lam) >= 25), 20., seed),
                      'all missed restored (40 nm)': restored(locs, gt, miss, 40., seed),
                      'false detections removed': locs[~fp].reset_index(drop=True),
                      'true positions': gt[['frame', 'x [nm]', 'y [nm]']]}
            for name, l in inputs.items():
                tracked = track(l.reset_index(drop=True))
                if name == 'network localizations': switches.append(switch_causes(tracked, gt).assign(density=density))
                s = track_scores(tracked, gt)
                rows.append(dict(density=density, seed=seed, input=name, completeness=s['completeness'], purity=s['purity']))
                print(rows[-1], flush=True)
    df = pd.DataFrame(rows)
    mean = df.groupby(['density', 'input'], sort=False)[['completeness', 'purity']].mean().round(3).reset_index()
    counts = pd.DataFrame(counts).groupby('density').sum()
    rec = pd.DataFrame(recall)
    sw = pd.concat(switches).groupby(['density', 'cause', 'motion']).size().unstack(fill_value=0).reset_index()
    print(mean.to_string(index=False)); print(counts.to_string()); print(rec.to_string(index=False)); print(sw.to_string(index=False))
    if not a.no_results:
        append_results('tracking_limits.py', f"python benchmarks/tracking_limits.py --frames {a.frames} --size {a.size} --movies {a.movies}",
                       mean, counts.reset_index(), rec, sw)

if __name__ == '__main__': main()
