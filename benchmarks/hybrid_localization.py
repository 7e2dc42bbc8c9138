"""Benchmark: localization by the hybrid model (phases 2–3) against the phase-1 localization model on identical
held-out dual-channel movies (the calcium benchmark's movies: 0.4 puncta/µm², local and diffuse calcium).

    python benchmarks/hybrid_localization.py [--frames 100] [--hybrid piezo1_calcium_tracker/models/hybrid.pth]

Also prints the recall by the distance to each punctum's nearest neighbour (as benchmarks/deep_localization.py).
"""
import argparse
import numpy as np, pandas as pd, torch
from piezo1_calcium_tracker.simulate import simulate_movie, SimulationConfig, PunctaConfig, CalciumConfig
from piezo1_calcium_tracker.inference import load_model, localize_deep, DEFAULT_MODEL, DEFAULT_HYBRID
from piezo1_calcium_tracker.metrics import evaluate
from deep_localization import recall_by_neighbour

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--frames', type=int, default=100); ap.add_argument('--hybrid', default=str(DEFAULT_HYBRID))
    a = ap.parse_args()
    torch.set_num_threads(2)
    nets = {'phase 1 (localization.pth)': load_model(DEFAULT_MODEL)[0], f'hybrid ({a.hybrid})': load_model(a.hybrid)[0]}
    rows = []
    for seed in (7002, 7003):
        sim = simulate_movie(SimulationConfig(n_frames=a.frames, height=128, width=128, seed=seed, puncta=PunctaConfig(density_per_um2=0.4),
                                              calcium=CalciumConfig(event_rate=0.02, diffuse_rate=0.15, diffuse_amplitude=1.5)))
        cam = sim.config.camera
        ph = cam.to_photons(sim.movie.astype(np.float32))
        gt = sim.emitters[sim.emitters.photons >= 100]
        for name, net in nets.items():
            for thr in (0.3, 0.5):
                kw = dict(calcium=ph[:, 1]) if hasattr(net, 'calcium_head') else {}
                loc = localize_deep(ph[:, 0], net, cam.pixel_size_nm, threshold=thr, pedestal=cam.read_pedestal(), **kw)
                r = evaluate(loc, gt, pixel_size_nm=cam.pixel_size_nm, camera=cam)
                rows.append(dict(movie=seed, model=name, threshold=thr, jaccard=r['jaccard'], recall=r['recall'], precision=r['precision'],
                                 rmse_nm=r['rmse_lateral'], rmse_over_crlb=r['rmse_over_crlb'], **recall_by_neighbour(loc, gt.reset_index(drop=True))))
    df = pd.DataFrame(rows)
    nn = [c for c in df if c.startswith('recall nn')]
    print(df.drop(columns=nn).round(3).to_string(index=False))
    print(df.groupby(['threshold', 'model'])[['jaccard', 'recall', 'precision', 'rmse_nm', 'rmse_over_crlb']].mean().round(3).to_string())
    print('\nrecall by the distance to the nearest other punctum (mean of the movies):')
    print(df.groupby(['threshold', 'model'])[nn].mean().round(3).to_string())

if __name__ == '__main__': main()
