"""Benchmark: the shipped localization network on puncta brighter than its training range, against the classical fit.

    python benchmarks/bright_puncta.py [--frames 6] [--no_results]

The sampler draws 100–10,000 photons per punctum-frame; the envelope guard (`model_envelope`) accepts movies up to
`max_dyes` times that. Isolated puncta on a grid (`simulate_grid`, σ 130 nm, 100 nm pixels, 10 photons/px on an sCMOS)
from 2,000 to 30,000 photons: Jaccard, lateral RMSE and median photons of the network and of the classical localizer
on the same frames. Printed, and appended to benchmarks/RESULTS.md.
"""
import argparse, sys
from pathlib import Path
import numpy as np, pandas as pd, torch
from piezo1_calcium_tracker.camera import Camera
from piezo1_calcium_tracker.simulate import simulate_grid
from piezo1_calcium_tracker.inference import load_model, localize_deep, DEFAULT_MODEL
from piezo1_calcium_tracker.localize import localize_frames
from piezo1_calcium_tracker.metrics import evaluate
from piezo1_calcium_tracker.envelope import model_envelope
sys.path.insert(0, str(Path(__file__).parent))
from results import append_results

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--frames', type=int, default=6); ap.add_argument('--no_results', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(2)
    net, meta = load_model(DEFAULT_MODEL)
    cam = Camera(pixel_size_nm=100., e_per_adu=0.5, read_noise_e=1.5, quantum_efficiency=0.8, offset_adu=100.)
    rows = []
    for ph in [2000., 5000., 10000., 20000., 30000.]:
        mv, gt = simulate_grid(n_frames=a.frames, size=128, photons=ph, background=10., camera=cam, seed=1)
        fr = cam.to_photons(mv.astype(np.float32))
        for name, loc in [('network', localize_deep(fr, net, 100.)), ('classical', localize_frames(fr, cam))]:
            r = evaluate(loc, gt, pixel_size_nm=100.)
            rows.append(dict(photons=int(ph), localizer=name, jaccard=round(r['jaccard'], 3), rmse_nm=round(r['rmse_lateral'], 1),
                             median_photons=int(loc['intensity [photon]'].median())))
    df = pd.DataFrame(rows)
    print(f"envelope photons of the shipped model: {model_envelope(meta)['photons']}")
    print(df.to_string(index=False))
    if not a.no_results: append_results('bright_puncta.py', f"python benchmarks/bright_puncta.py --frames {a.frames}", df)

if __name__ == '__main__': main()
