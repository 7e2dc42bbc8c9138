"""Benchmark: tracking across density and diffusion on held-out simulations (trimers that blink and bleach stepwise,
60 % of puncta diffusing, a fifth appearing late), p1ct's LAP linker side by side with laptrack (Jaqaman's algorithm
as TrackMate implements it, `track_laptrack`: the same distance costs, without p1ct's cost of weak detections) and trackpy's `link`, each on the same localizations of the shipped
network and on the true positions.

    python benchmarks/tracking.py [--frames 200] [--size 128] [--variants] [--no_results]        (trackpy: `pip install trackpy`; laptrack: a dev requirement)

For true tracks of ≥ 10 frames (`track_scores`): completeness = mean share of a true track's frames carried by one
predicted track; purity = mean share of a predicted track's (≥ 10 localizations) localizations from its main true
track; no_switch = share of true tracks carried whole by one predicted track that carries nothing else. For p1ct's
tracks on the network's localizations, `mobility` gives the share of tracks (≥ 20 localizations) of fixed puncta
classed immobile and of diffusing puncta classed free, confined or directed. The simulator has no directed motion:
the toy tracks of `40_tracking` score that class. With `--variants`, the 0.4 and 1.0/µm² movies are also made by
generators unlike the default one (`variants.py`: an Airy PSF, 160 nm pixels, an sCMOS camera; seeds 8701 + …), on the
network's localizations. Printed, and appended to benchmarks/RESULTS.md.
"""
import argparse, sys, time, warnings
from pathlib import Path
import numpy as np, pandas as pd, torch
from piezo1_calcium_tracker.simulate import simulate_movie, SimulationConfig, PunctaConfig
from piezo1_calcium_tracker.inference import load_model, localize_deep, DEFAULT_MODEL
from piezo1_calcium_tracker.tracking import TrackingConfig, track, track_scores, track_laptrack, track_table
from piezo1_calcium_tracker.metrics import match
from piezo1_calcium_tracker.pipeline import InferenceConfig
sys.path.insert(0, str(Path(__file__).parent))
from results import append_results
from variants import GENERATORS as VARIANTS

CONDITIONS = [(0.1, 0.05), (0.4, 0.05), (1.0, 0.05), (0.4, 0.01), (0.4, 0.1), (0.4, 0.5)] # (puncta/µm², D of the diffusing ones, µm²/s)

def tracking_movie(density, D, frames, size, seed, net, variant=None):
    """A held-out tracking movie (60 % of puncta diffusing at D µm²/s; `variant`: a name in `variants.py`): its true
    punctum-frames, the network's localizations and the camera."""
    cfg = SimulationConfig(n_frames=frames, height=size, width=size, seed=seed,
                           puncta=PunctaConfig(density_per_um2=density, diffusion_um2_per_s=D, mobile_fraction=0.6))
    sim = simulate_movie(VARIANTS[variant](cfg) if variant else cfg)
    cam = sim.config.camera
    gt = sim.emitters[sim.emitters.photons >= 100].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        locs = localize_deep(cam.to_photons(sim.movie[:, 0].astype(np.float32)), net, cam.pixel_size_nm,
                             threshold=InferenceConfig().threshold, pedestal=cam.read_pedestal())
    return gt, locs, cam

def trackpy_track(locs, cfg):
    "trackpy.link with the same search radius and memory as `track`."
    import trackpy; trackpy.quiet()
    lk = trackpy.link(locs.rename(columns={'x [nm]': 'x', 'y [nm]': 'y'})[['frame', 'x', 'y']], search_range=cfg.max_step_nm, memory=cfg.max_gap_frames)
    return locs.assign(track_id=lk.sort_index()['particle'].to_numpy() + 1)

def mobility_scores(tracked, gt):
    "Share of p1ct's tracks (≥ 20 localizations) of fixed puncta classed immobile, and of diffusing puncta classed as moving."
    tt = track_table(tracked); m = match(tracked, gt)
    main = pd.DataFrame({'p': tracked['track_id'].to_numpy()[m.pred_index], 't': gt['track_id'].to_numpy()[m.gt_index]}).groupby('p')['t'].agg(lambda s: s.mode()[0])
    tt = tt[tt.n_localizations >= 20].assign(mobile=lambda t: t.track_id.map(main).map(gt.groupby('track_id')['mobile'].first()))
    fixed, moving = tt[tt.mobile == 0], tt[tt.mobile == 1]
    return dict(immobile_ok=float((fixed.mobility == 'immobile').mean()) if len(fixed) else float('nan'),
                mobile_ok=float(moving.mobility.isin(['free', 'confined', 'directed']).mean()) if len(moving) else float('nan'))

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--frames', type=int, default=200); ap.add_argument('--size', type=int, default=128)
    ap.add_argument('--variants', action='store_true'); ap.add_argument('--no_results', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(2)
    net, _ = load_model(DEFAULT_MODEL)
    cfg = TrackingConfig()
    try: import trackpy
    except ImportError: trackpy = None; print('trackpy not installed: its rows are skipped (pip install trackpy)')
    trackers = {'p1ct (LAP + gap closing)': lambda l: track(l, cfg), 'laptrack, same costs': lambda l: track_laptrack(l, cfg)}
    if trackpy: trackers['trackpy.link'] = lambda l: trackpy_track(l, cfg)
    rows = []
    movies = [('default', density, D, 8201 + k) for k, (density, D) in enumerate(CONDITIONS)]   # not the 40_tracking movie (seed 11)
    if a.variants: movies += [(v, density, 0.05, 8701 + 10 * i + j) for i, v in enumerate(VARIANTS) for j, density in enumerate((0.4, 1.0))]
    for movie, density, D, seed in movies:
        variant = None if movie == 'default' else movie
        gt, net_locs, _ = tracking_movie(density, D, a.frames, a.size, seed, net, variant)
        true_locs = gt[['frame', 'x [nm]', 'y [nm]']].copy()
        for source, locs in (('network', net_locs), ('true positions', true_locs))[:1 if variant else 2]:
            for name, fn in trackers.items():
                t0 = time.perf_counter(); tracked = fn(locs.reset_index(drop=True)); dt = time.perf_counter() - t0
                row = dict(movie=movie, density=density, D=D, input=source, tracker=name, n_localizations=len(locs), seconds=round(dt, 2),
                           **{key: round(v, 3) if isinstance(v, float) else v for key, v in track_scores(tracked, gt).items()})
                if source == 'network' and name.startswith('p1ct'): row.update({key: round(v, 3) for key, v in mobility_scores(tracked, gt).items()})
                rows.append(row); print(row, flush=True)
    df = pd.DataFrame(rows)
    cols = ['movie', 'density', 'D', 'input', 'tracker', 'completeness', 'purity', 'no_switch', 'seconds', 'immobile_ok', 'mobile_ok']
    print(df[cols].to_string(index=False))
    if not a.no_results:
        append_results('tracking.py', f"python benchmarks/tracking.py --frames {a.frames} --size {a.size}"
                       + (' --variants' if a.variants else ''), df[cols])

if __name__ == '__main__': main()
