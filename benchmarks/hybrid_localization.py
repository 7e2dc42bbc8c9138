"""Benchmark: localization by the hybrid model (phases 2–3) against the phase-1 localization model on identical
held-out dual-channel movies (the calcium benchmark's movies: 0.4 puncta/µm², local and diffuse calcium).

    python benchmarks/hybrid_localization.py [--frames 100]
"""
import argparse
import numpy as np, pandas as pd, torch
from piezo1_calcium_tracker.simulate import simulate_movie, SimulationConfig, PunctaConfig, CalciumConfig
from piezo1_calcium_tracker.inference import load_model, localize_deep, DEFAULT_MODEL, DEFAULT_HYBRID
from piezo1_calcium_tracker.metrics import evaluate

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--frames', type=int, default=100); a = ap.parse_args()
    torch.set_num_threads(2)
    nets = {'phase 1 (localization.pth)': load_model(DEFAULT_MODEL)[0], 'hybrid (hybrid.pth)': load_model(DEFAULT_HYBRID)[0]}
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
                r = evaluate(localize_deep(ph[:, 0], net, cam.pixel_size_nm, threshold=thr, **kw), gt, pixel_size_nm=cam.pixel_size_nm, camera=cam)
                rows.append(dict(movie=seed, model=name, threshold=thr, jaccard=r['jaccard'], rmse_nm=r['rmse_lateral'], rmse_over_crlb=r['rmse_over_crlb']))
    df = pd.DataFrame(rows)
    print(df.round(3).to_string(index=False))
    print(df.groupby(['threshold', 'model'])[['jaccard', 'rmse_nm', 'rmse_over_crlb']].mean().round(3).to_string())

if __name__ == '__main__': main()
