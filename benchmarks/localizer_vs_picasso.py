"""Benchmark: the classical localizer against Picasso (identify + gaussmle), side by side on the same frames.

    python benchmarks/localizer_vs_picasso.py [--frames 100] [--size 128]

Needs the `picassosr` package (install it in a separate environment: it pins its own pandas); without it,
only this project's localizer is measured. Movies are simulated dual-channel PIEZO1 movies (channel 1 is
localized): sparse (0.1 puncta/µm²) and medium density (1 punctum/µm²), EMCCD camera, σ = 130 nm, 100 nm pixels,
blinking and bleaching on. Picasso's net-gradient threshold is swept and its best Jaccard reported (tuned with
the ground truth: generous to the peer); this project's localizer runs on its defaults. Both use 2 CPU threads.
"""
import argparse, time, os
import numpy as np, pandas as pd, torch
from piezo1_calcium_tracker.simulate import simulate_movie, SimulationConfig, PunctaConfig
from piezo1_calcium_tracker.localize import localize_movie, LocalizerConfig
from piezo1_calcium_tracker.io import Movie
from piezo1_calcium_tracker.metrics import evaluate, match
from piezo1_calcium_tracker.psf import crlb

def run_ours(movie, cam, cfg=None):
    "As p1ct_bootstrap_labels runs it: ADU in, σ estimated once, batches of 64 frames."
    t0 = time.perf_counter()
    df = localize_movie(Movie(movie[:, None], cam.pixel_size_nm), cam, cfg, progress=False)
    return df, time.perf_counter() - t0

def picasso_movie(movie, path='/tmp/p1ct_bench_picasso.tif'):
    "Picasso's fit only takes movies it loaded itself: write a plain TIFF and load it."
    import tifffile
    from picasso import io
    tifffile.imwrite(path, movie)
    return io.load_movie(path)[0]

def run_picasso(movie, cam, ng, box=7):
    from picasso import localize
    info = {'Baseline': cam.offset_adu, 'Sensitivity': cam.e_per_adu, 'Gain': cam.em_gain, 'Qe': cam.quantum_efficiency,
            'Pixelsize': cam.pixel_size_nm}
    t0 = time.perf_counter()
    ids = localize.identify(movie, ng, box, threaded=True, return_info=False)
    locs, _ = localize.fit(movie, camera_info=info, identifications=ids, box=box, fitting_method='gaussmle', multiprocess=False)
    dt = time.perf_counter() - t0
    a = cam.pixel_size_nm
    df = pd.DataFrame({'frame': locs['frame'].to_numpy() + 1, 'x [nm]': (locs['x'].to_numpy() + 0.5) * a, 'y [nm]': (locs['y'].to_numpy() + 0.5) * a,
                       'uncertainty [nm]': (locs['lpx'].to_numpy() + locs['lpy'].to_numpy()) / 2 * a})
    return df, dt

def common_rmse_over_crlb(tables, gt, cam):
    "RMSE/CRLB of each table on the ground-truth puncta that every table found (removes the advantage of finding fewer)."
    ms = [match(t, gt).set_index('gt_index') for t in tables]
    common = sorted(set.intersection(*[set(m.index) for m in ms]))
    g = gt.loc[common]
    c = crlb(g.photons.values, g.background.values, g['sigma [nm]'].values, cam.pixel_size_nm, cam)
    return [float(np.sqrt(np.mean(m.loc[common, 'dx']**2 + m.loc[common, 'dy']**2) / np.mean(c['x']**2 + c['y']**2))) for m in ms], len(common)

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--frames', type=int, default=100); ap.add_argument('--size', type=int, default=128); ap.add_argument('--fit_radius', type=int, default=None)
    a = ap.parse_args()
    torch.set_num_threads(2); os.environ.setdefault('NUMBA_NUM_THREADS', '2')
    try: import picasso.localize  # noqa
    except ImportError: picasso = None; print('picassosr not installed: measuring this project only')
    else: picasso = True
    rows = []
    for name, dens in [('sparse, 0.1 /µm²', 0.1), ('medium, 1 /µm²', 1.0)]:
        cfg = SimulationConfig(n_frames=a.frames, height=a.size, width=a.size, seed=11, puncta=PunctaConfig(density_per_um2=dens))
        sim = simulate_movie(cfg)
        mv, cam = sim.movie[:, 0], cfg.camera
        gt = sim.emitters[sim.emitters.photons > 0].reset_index(drop=True)
        ours, dt = run_ours(mv, cam, LocalizerConfig(fit_radius_px=a.fit_radius))
        r = evaluate(ours, gt, pixel_size_nm=cam.pixel_size_nm, camera=cam)
        rows.append(dict(movie=name, method='p1ct classical (defaults)', jaccard=r['jaccard'], recall=r['recall'], precision=r['precision'],
                         rmse_nm=r['rmse_lateral'], rmse_over_crlb=r['rmse_over_crlb'], frames_per_s=a.frames / dt))
        if picasso:
            pm, pm2 = picasso_movie(mv), picasso_movie(mv[:2], '/tmp/p1ct_bench_picasso2.tif')
            best = None
            for ng in [500, 1000, 2000, 4000, 8000, 16000, 32000]:
                run_picasso(pm2, cam, ng)             # warm-up (numba compilation)
                p, dtp = run_picasso(pm, cam, ng)
                rp = evaluate(p, gt, pixel_size_nm=cam.pixel_size_nm, camera=cam)
                if best is None or rp['jaccard'] > best[0]['jaccard']: best = (rp, dtp, ng)
            rp, dtp, ng = best
            rows.append(dict(movie=name, method=f'Picasso gaussmle (best min_ng={ng})', jaccard=rp['jaccard'], recall=rp['recall'],
                             precision=rp['precision'], rmse_nm=rp['rmse_lateral'], rmse_over_crlb=rp['rmse_over_crlb'], frames_per_s=a.frames / dtp))
            p, _ = run_picasso(pm, cam, ng)
            (co, cp), n = common_rmse_over_crlb([ours, p], gt, cam)
            rows[-2]['rmse/crlb_common'], rows[-1]['rmse/crlb_common'], rows[-2]['n_common'], rows[-1]['n_common'] = co, cp, n, n
    df = pd.DataFrame(rows)
    print(f"\nclassical localizer vs Picasso — {a.frames} frames of {a.size}×{a.size} px, EMCCD, σ 130 nm, 100 nm px, 2 threads\n")
    print(df.to_markdown(index=False, floatfmt='.3f') if hasattr(df, 'to_markdown') and _has_tabulate() else df.round(3).to_string(index=False))

def _has_tabulate():
    try: import tabulate  # noqa
    except ImportError: return False
    return True

if __name__ == '__main__': main()
