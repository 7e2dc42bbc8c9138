"""Benchmark: tracking on held-out simulations (blinking, bleaching, diffusion, 0.4 puncta/µm²), our LAP tracker
(configs/inference.yaml defaults) side by side with trackpy's `link` on the same localizations.

    python benchmarks/tracking.py [--frames 200] [--movies 4] [--diffusion 0.1]        (needs `pip install trackpy` for the peer)

Localizations come from the shipped network (`localize_deep` at the `p1ct_run` detection threshold). For true tracks of ≥ 10 frames: completeness = mean
share of a true track's frames carried by one predicted track; purity = mean share of a predicted track's (≥ 10
localizations) localizations that belong to its main true track (`track_scores`).
"""
import argparse, time
import numpy as np, pandas as pd, torch
from piezo1_calcium_tracker.simulate import simulate_movie, SimulationConfig, PunctaConfig
from piezo1_calcium_tracker.inference import load_model, localize_deep, DEFAULT_MODEL
from piezo1_calcium_tracker.tracking import TrackingConfig, track, track_scores
from piezo1_calcium_tracker.pipeline import InferenceConfig

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--frames', type=int, default=200); ap.add_argument('--movies', type=int, default=4)
    ap.add_argument('--diffusion', type=float, default=0.1, help='µm²/s of the mobile puncta')
    a = ap.parse_args()
    torch.set_num_threads(2)
    net, _ = load_model(DEFAULT_MODEL)
    cfg = TrackingConfig()
    try: import trackpy; trackpy.quiet()
    except ImportError: trackpy = None; print('trackpy not installed: peer column skipped (pip install trackpy)')
    rows = []
    for i in range(a.movies):
        sim = simulate_movie(SimulationConfig(n_frames=a.frames, height=128, width=128, seed=8101 + i,
                                              puncta=PunctaConfig(density_per_um2=0.4, diffusion_um2_per_s=a.diffusion)))
        cam = sim.config.camera
        ph = cam.to_photons(sim.movie[:, 0].astype(np.float32))
        locs = localize_deep(ph, net, cam.pixel_size_nm, threshold=InferenceConfig().threshold, pedestal=cam.read_pedestal())
        gt = sim.emitters[sim.emitters.photons >= 100].reset_index(drop=True)
        t0 = time.perf_counter(); ours = track(locs, cfg); t_ours = time.perf_counter() - t0
        rows.append(dict(movie=i + 1, method='p1ct (LAP + gap closing)', seconds=t_ours, **track_scores(ours, gt)))
        if trackpy:
            f = locs.rename(columns={'x [nm]': 'x', 'y [nm]': 'y'})[['frame', 'x', 'y']].copy()
            t0 = time.perf_counter()
            lk = trackpy.link(f, search_range=cfg.max_step_nm, memory=cfg.max_gap_frames)
            t_tp = time.perf_counter() - t0
            tp = locs.assign(track_id=lk.sort_index()['particle'].to_numpy() + 1)
            rows.append(dict(movie=i + 1, method=f'trackpy.link (search_range {cfg.max_step_nm:.0f} nm, memory {cfg.max_gap_frames})', seconds=t_tp, **track_scores(tp, gt)))
    df = pd.DataFrame(rows)
    print(df.round(3).to_string(index=False))
    print(df.groupby('method')[['completeness', 'purity', 'seconds']].mean().round(3).to_string())

if __name__ == '__main__': main()
