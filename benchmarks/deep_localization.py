"""Benchmark: the deep localization model against the classical localizer (and Picasso, if installed) on held-out
simulated movies it never saw, and the speed of p1ct_run's inference.

    python benchmarks/deep_localization.py [--model piezo1_calcium_tracker/models/localization.pth] [--frames 100]

Held-out movies (simulate_movie, seeds never used in training; training uses the on-the-fly sampler):
128×128 px, 100 nm pixels, σ = 110 nm (1.1 px), one dye per punctum with ~500–3,000 photons (log-normal,
mean 1,200), background 20 photons/px, EMCCD (gain 100), blinking and bleaching on; densities 0.4 and 1 /µm².
Scores: Jaccard, recall, precision, RMSE, RMSE/CRLB overall and on isolated puncta (no other within 1 µm), and recall by
the distance to the nearest other punctum in the frame (close pairs are what a localizer merges; they decide the calcium
calls at puncta with a close neighbour, see 35_train_hybrid).
"""
import argparse, time
import numpy as np, pandas as pd, torch
from piezo1_calcium_tracker.simulate import simulate_movie, SimulationConfig, PunctaConfig, BackgroundConfig
from piezo1_calcium_tracker.localize import localize_movie
from piezo1_calcium_tracker.io import Movie
from piezo1_calcium_tracker.inference import load_model, localize_deep, DEFAULT_MODEL
from piezo1_calcium_tracker.metrics import evaluate, local_density, match
from scipy.spatial import cKDTree

def held_out(density, frames, seed):
    cfg = SimulationConfig(n_frames=frames, height=128, width=128, seed=seed,
                           puncta=PunctaConfig(density_per_um2=density, dye_count_probs=(1.0,), photons_per_dye=1200., dye_brightness_cv=0.5,
                                               sigma_nm=110., bleach_rate=0.002),
                           background=BackgroundConfig(photons_per_px=20.))
    sim = simulate_movie(cfg)
    gt = sim.emitters[sim.emitters.photons >= 100].reset_index(drop=True)
    return sim.movie[:, 0], gt, cfg.camera

NN_BINS = (0., 150., 250., 400., np.inf) # nm

def recall_by_neighbour(loc, gt)->dict:
    "Recall of the ground-truth puncta binned by the distance to their nearest other punctum of the same frame."
    hit = np.zeros(len(gt), bool); hit[match(loc, gt).gt_index] = True
    d = np.full(len(gt), np.inf)
    for _, g in gt.groupby('frame'):
        if len(g) > 1: d[g.index] = cKDTree(g[['x [nm]', 'y [nm]']].to_numpy()).query(g[['x [nm]', 'y [nm]']].to_numpy(), k=2)[0][:, 1]
    return {f'recall nn {lo:.0f}–{hi:.0f} nm' if np.isfinite(hi) else f'recall nn > {lo:.0f} nm': hit[(d > lo) & (d <= hi)].mean()
            for lo, hi in zip(NN_BINS[:-1], NN_BINS[1:])}

def scores(name, loc, gt, cam, dt, frames):
    r = evaluate(loc, gt, pixel_size_nm=cam.pixel_size_nm, camera=cam)
    iso = gt[local_density(gt) == 0]
    ri = evaluate(loc, iso, pixel_size_nm=cam.pixel_size_nm, camera=cam)
    return dict(method=name, jaccard=r['jaccard'], recall=r['recall'], precision=r['precision'], rmse_nm=r['rmse_lateral'],
                rmse_over_crlb=r.get('rmse_over_crlb'), isolated_rmse_over_crlb=ri.get('rmse_over_crlb'), frames_per_s=frames / dt,
                **recall_by_neighbour(loc, gt))

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--model', default=str(DEFAULT_MODEL)); ap.add_argument('--frames', type=int, default=100)
    ap.add_argument('--threshold', type=float, default=0.5)
    a = ap.parse_args()
    torch.set_num_threads(2)
    net, meta = load_model(a.model)
    print(f"model {a.model}: step {meta.get('step')}, code {meta.get('code_version')}")
    rows = []
    for dens, seed in [(0.4, 101), (1.0, 102)]:
        mv, gt, cam = held_out(dens, a.frames, seed)
        t0 = time.perf_counter()
        ph = cam.to_photons(mv.astype(np.float32))
        deep = localize_deep(ph, net, cam.pixel_size_nm, threshold=a.threshold, pedestal=cam.read_pedestal())
        rows.append({'density': dens, **scores('deep (p1ct model)', deep, gt, cam, time.perf_counter() - t0, a.frames)})
        t0 = time.perf_counter()
        cl = localize_movie(Movie(mv[:, None], cam.pixel_size_nm, ['held-out']), cam, progress=False)
        rows.append({'density': dens, **scores('classical MLE', cl, gt, cam, time.perf_counter() - t0, a.frames)})
        try:
            from localizer_vs_picasso import picasso_movie, run_picasso
            pm, best = picasso_movie(mv), None
            for ng in [1000, 2000, 4000, 8000, 16000]:
                p, dt = run_picasso(pm, cam, ng)
                s = scores(f'Picasso gaussmle (min_ng={ng})', p, gt, cam, dt, a.frames)
                if best is None or s['jaccard'] > best['jaccard']: best = s
            rows.append({'density': dens, **best})
        except ImportError: pass
    df = pd.DataFrame(rows)
    print(df.drop(columns=[c for c in df if c.startswith('recall nn')]).round(3).to_string(index=False))
    print('\nrecall by the distance to the nearest other punctum:')
    print(df[['density', 'method'] + [c for c in df if c.startswith('recall nn')]].round(3).to_string(index=False))
    # elsewhere in the envelope: other cameras, pixel sizes, PSF widths and shapes (30 frames each, 0.4 /µm²)
    from piezo1_calcium_tracker.camera import Camera
    others = [('sCMOS 80 nm, σ 0.9 px, b 5', Camera(pixel_size_nm=80., e_per_adu=0.5, read_noise_e=1.5, quantum_efficiency=0.8), 72., 'gaussian', 5.),
              ('EMCCD 160 nm, σ 1.5 px, b 60', Camera(pixel_size_nm=160., e_per_adu=12., em_gain=200., read_noise_e=50.), 240., 'gaussian', 60.),
              ('sCMOS 100 nm, Airy σ 1.3 px, b 20', Camera(pixel_size_nm=100., e_per_adu=2., read_noise_e=1.0), 130., 'airy', 20.)]
    env = []
    for name, cam, sig, psf, bg in others:
        cfg = SimulationConfig(n_frames=30, height=128, width=128, seed=111, camera=cam,
                               puncta=PunctaConfig(density_per_um2=0.4, dye_count_probs=(1.0,), photons_per_dye=1200., dye_brightness_cv=0.5, sigma_nm=sig, psf=psf),
                               background=BackgroundConfig(photons_per_px=bg))
        sim = simulate_movie(cfg); gt = sim.emitters[sim.emitters.photons >= 100].reset_index(drop=True); mv = sim.movie[:, 0]
        t0 = time.perf_counter(); deep = localize_deep(cam.to_photons(mv.astype(np.float32)), net, cam.pixel_size_nm, threshold=a.threshold, pedestal=cam.read_pedestal())
        env.append({'condition': name, **scores('deep', deep, gt, cam, time.perf_counter() - t0, 30)})
        t0 = time.perf_counter(); cl = localize_movie(Movie(mv[:, None], cam.pixel_size_nm, ['held-out']), cam, progress=False)
        env.append({'condition': name, **scores('classical MLE', cl, gt, cam, time.perf_counter() - t0, 30)})
    env = pd.DataFrame(env)
    print('\n' + env.drop(columns=['frames_per_s'] + [c for c in env if c.startswith('recall nn')]).round(3).to_string(index=False))
    # p1ct_run's core on a 128×128×200 movie
    mv, gt, cam = held_out(0.4, 200, 103)
    ph = cam.to_photons(mv.astype(np.float32))
    t0 = time.perf_counter(); localize_deep(ph, net, cam.pixel_size_nm); dt = time.perf_counter() - t0
    print(f"\ninference on 128×128×200: {dt:.1f} s ({200 / dt:.0f} frames/s, 2 threads, CPU)")

if __name__ == '__main__': main()
