"""Benchmark: the three localizers of `p1ct_run` (`--localizer deep`, `classical`, `auto`) on a grid of movies from two
generators — the independent one in benchmarks/foreign_movie.py (never used in training or tuning) and the project's
own simulator — across camera type, read noise, background (zero included), PSF σ, pixel size, brightness and fast
straight runs.

    python benchmarks/robustness.py [--frames 40] [--size 128] [--only SUBSTRING] [--no_results]

Each cell: one single-channel movie, analysed by `analyse_movie` (figures off) with each localizer; Jaccard of the
localizations against the truth (250 nm, `evaluate`) and whole-call seconds. The acceptance of issue 20: `auto` never
more than 2 Jaccard points below the better of `deep` and `classical`, and no run more than 3× the time of the `deep`
run of the same movie. The table is printed and appended to benchmarks/RESULTS.md.
"""
import argparse, sys, tempfile, time, shutil, warnings
from pathlib import Path
import numpy as np, pandas as pd, torch
sys.path.insert(0, str(Path(__file__).parent))
from foreign_movie import Foreign, write as write_foreign
from results import append_results
from piezo1_calcium_tracker.camera import Camera
from piezo1_calcium_tracker.io import write_hyperstack
from piezo1_calcium_tracker.metrics import evaluate
from piezo1_calcium_tracker.thunderstorm import read_thunderstorm
from piezo1_calcium_tracker.pipeline import InferenceConfig, analyse_movie
from piezo1_calcium_tracker.simulate import simulate_movie, SimulationConfig, PunctaConfig, BackgroundConfig

CAMS = {'sCMOS 1.5 e⁻': dict(em_gain=1., read_noise_e=1.5, e_per_adu=0.5), 'CCD 10 e⁻': dict(em_gain=1., read_noise_e=10., e_per_adu=1.),
        'EMCCD ×300': dict(em_gain=300., read_noise_e=50., e_per_adu=20.)}

def foreign_cells():
    "The 'Why' movie of issue 20 (σ 0.86 px, 130 nm, 2,000 photons, a third in 2-px runs) across camera × background, then σ, pixel, speed, brightness."
    for cam in CAMS:
        for bg in (0., 5., 50., 300.): yield dict(gen='foreign', camera=cam, background=bg)
    for cam in ('sCMOS 1.5 e⁻', 'EMCCD ×300'):
        for bg in (0., 50.):
            yield dict(gen='foreign', camera=cam, background=bg, sigma_px=2.0)
        yield dict(gen='foreign', camera=cam, background=20., pixel_nm=65., sigma_px=1.7)
        yield dict(gen='foreign', camera=cam, background=20., speed_px=4.)
        yield dict(gen='foreign', camera=cam, background=20., photons=300.)

def own_cells():
    "The project's simulator: its default EMCCD movie, an sCMOS, a zero-background sCMOS and a dense one."
    yield dict(gen='p1ct', camera='EMCCD (default)', background=20.)
    yield dict(gen='p1ct', camera='sCMOS 1.5 e⁻', background=20.)
    yield dict(gen='p1ct', camera='sCMOS 1.5 e⁻', background=0.)
    yield dict(gen='p1ct', camera='EMCCD (default)', background=20., density=1.0)

def make(cell, d:Path, frames, size, seed):
    "Write the cell's movie, camera and truth into `d`; returns (movie, camera yaml, truth table)."
    if cell['gen'] == 'foreign':
        px = cell.get('pixel_nm', 130.)
        n = int(round(0.1 * (size * px / 1e3) ** 2))                   # 0.1 puncta/µm² in the field
        f = Foreign(frames=frames, size=size, pixel_nm=px, sigma_px=cell.get('sigma_px', 0.86), n_puncta=n, photons=cell.get('photons', 2000.),
                    background=cell['background'], speed_px=cell.get('speed_px', 2.), seed=seed, **CAMS[cell['camera']])
        write_foreign(f, d)
        return d/'movie.tif', d/'camera.yaml', pd.read_csv(d/'truth.csv')
    cam = SimulationConfig().camera if cell['camera'].startswith('EMCCD') else Camera(pixel_size_nm=100., quantum_efficiency=0.8, **CAMS[cell['camera']])
    bgc = BackgroundConfig(photons_per_px=cell['background'])
    sim = simulate_movie(SimulationConfig(n_frames=frames, height=size, width=size, seed=seed, camera=cam, background=bgc,
                                          puncta=PunctaConfig(density_per_um2=cell.get('density', 0.4))))
    write_hyperstack(d/'movie.tif', sim.movie[:, 0], cam.pixel_size_nm)
    cam.to_yaml(d/'camera.yaml')
    return d/'movie.tif', d/'camera.yaml', sim.emitters[sim.emitters.photons >= 100].reset_index(drop=True)

def run(movie, camera, truth, mode, out):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        t0 = time.perf_counter()
        s = analyse_movie(movie, camera, out, cfg=InferenceConfig(localizer=mode, figures=False), progress=False).summary
        t = time.perf_counter() - t0
    loc = read_thunderstorm(out/'localizations.csv')
    return evaluate(loc, truth)['jaccard'], t, s

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--frames', type=int, default=40); ap.add_argument('--size', type=int, default=128)
    ap.add_argument('--only', default=''); ap.add_argument('--no_results', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(2)
    rows, tmp = [], Path(tempfile.mkdtemp())
    try:
        for k, cell in enumerate([*foreign_cells(), *own_cells()]):
            name = ', '.join(f'{k_}={v}' for k_, v in cell.items() if k_ != 'gen')
            if a.only and a.only not in f"{cell['gen']} {name}": continue
            d = tmp/f'c{k}'; d.mkdir()
            movie, camera, truth = make(cell, d, a.frames, a.size, seed=9000 + k)
            r = dict(generator=cell['gen'], cell=name)
            if not rows: run(movie, camera, truth, 'deep', d/'warm-up')          # the first call loads the model: not timed
            for mode in ('deep', 'classical', 'auto'):
                j, t, s = run(movie, camera, truth, mode, d/mode)
                r[f'{mode}_J'], r[f'{mode}_s'] = round(j, 3), round(t, 1)
                if mode == 'auto': r['auto_chose'], r['why'] = s['localizer'], s['localizer_reason'][:70]
            r['auto_minus_best'] = round(r['auto_J'] - max(r['deep_J'], r['classical_J']), 3)
            r['auto_time_over_deep'] = round(r['auto_s'] / r['deep_s'], 2)
            rows.append(r); print(r, flush=True)
            shutil.rmtree(d)
    finally: shutil.rmtree(tmp, ignore_errors=True)
    df = pd.DataFrame(rows)
    with pd.option_context('display.width', 250, 'display.max_colwidth', 70): print(df.to_string(index=False))
    print(f"\nauto − best: worst {df.auto_minus_best.min():+.3f}; cells more than 2 points below: {(df.auto_minus_best < -0.02).sum()} of {len(df)}; "
          f"auto time / deep time: worst {df.auto_time_over_deep.max():.2f}")
    if not a.no_results:
        append_results('robustness.py', f"python benchmarks/robustness.py --frames {a.frames} --size {a.size}{' --only ' + a.only if a.only else ''}", df)

if __name__ == '__main__': main()
