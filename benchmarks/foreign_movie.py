"""A second, independent movie generator — plain numpy and scipy, sharing no code with `piezo1_calcium_tracker.simulate` —
so that benchmarks can test the tool on movies its models and defaults were never tuned on.

Physics: puncta as pixel-integrated Gaussians (erf differences), optional uniform background, blinking (each
punctum off in a frame with probability `blink`), motion as straight runs of constant velocity (`speed_px` per
frame, random direction) for a share of the puncta, the rest immobile; camera: Poisson → optional EM gain
(Gamma) → Gaussian read noise → ÷ e⁻/ADU → + offset, written as a plain (T, Y, X) uint16 TIFF without metadata.

    python benchmarks/foreign_movie.py OUT_DIR [--frames 100] [--size 256] [--background 0] ...

writes OUT_DIR/movie.tif, OUT_DIR/camera.yaml and OUT_DIR/truth.csv (frame 1-based, x [nm], y [nm], photons).
"""
import argparse
from dataclasses import dataclass, asdict
from pathlib import Path
import numpy as np, pandas as pd, tifffile, yaml
from scipy.special import erf

@dataclass
class Foreign:
    frames:int = 100
    size:int = 256 # px
    pixel_nm:float = 130.
    sigma_px:float = 0.86
    n_puncta:int = 40 # puncta in the field at any time
    photons:float = 2000. # mean photons per punctum per frame (log-normal spread 30 %)
    background:float = 0. # photons/px/frame
    read_noise_e:float = 10.
    em_gain:float = 1.
    e_per_adu:float = 1.
    offset:float = 100.
    blink:float = 0.1 # probability a punctum is off in a frame
    mobile:float = 1 / 3 # share moving in straight runs
    speed_px:float = 2. # px per frame
    seed:int = 0

def _pixel_integrated(x, y, s, n):
    "(H, W) expected photons of Gaussians at (x, y) px (origin: top-left corner of the top-left pixel)."
    H = W = n
    ex = np.arange(W + 1)[None, :]; ey = np.arange(H + 1)[None, :]
    cx = 0.5 * np.diff(erf((ex - x[:, None]) / (np.sqrt(2) * s)), axis=1)        # (K, W)
    cy = 0.5 * np.diff(erf((ey - y[:, None]) / (np.sqrt(2) * s)), axis=1)        # (K, H)
    return cy, cx

def make(f:Foreign):
    "Movie (T, Y, X) uint16 ADU and the truth table."
    rng = np.random.default_rng(f.seed)
    K = f.n_puncta
    x0 = rng.uniform(2, f.size - 2, K); y0 = rng.uniform(2, f.size - 2, K)
    mob = rng.random(K) < f.mobile
    ang = rng.uniform(0, 2 * np.pi, K)
    vx = np.where(mob, f.speed_px * np.cos(ang), 0.); vy = np.where(mob, f.speed_px * np.sin(ang), 0.)
    N = f.photons * np.exp(rng.normal(0, 0.3, K) - 0.045)
    movie = np.empty((f.frames, f.size, f.size), np.uint16); rows = []
    for t in range(f.frames):
        x = (x0 + vx * t) % f.size; y = (y0 + vy * t) % f.size           # runs wrap round the field
        on = (rng.random(K) >= f.blink) & (x > 0.5) & (x < f.size - 0.5) & (y > 0.5) & (y < f.size - 0.5)
        cy, cx = _pixel_integrated(x[on], y[on], f.sigma_px, f.size)
        img = np.einsum('k,kh,kw->hw', N[on], cy, cx) + f.background
        e = rng.poisson(img).astype(float)
        if f.em_gain > 1: e = np.where(e > 0, rng.gamma(np.maximum(e, 1), f.em_gain), 0.)
        adu = (e + rng.normal(0, f.read_noise_e, e.shape)) / f.e_per_adu + f.offset
        movie[t] = np.clip(np.rint(adu), 0, 65535)
        rows += [dict(frame=t + 1, **{'x [nm]': a * f.pixel_nm, 'y [nm]': b * f.pixel_nm}, photons=n) for a, b, n in zip(x[on], y[on], N[on])]
    return movie, pd.DataFrame(rows)

def write(f:Foreign, out)->Path:
    "Write movie.tif (no metadata), camera.yaml and truth.csv into `out`."
    out = Path(out); out.mkdir(parents=True, exist_ok=True)
    movie, truth = make(f)
    tifffile.imwrite(out/'movie.tif', movie)
    cam = dict(pixel_size_nm=f.pixel_nm, offset_adu=f.offset, e_per_adu=f.e_per_adu, em_gain=f.em_gain,
               quantum_efficiency=1.0, read_noise_e=f.read_noise_e)
    (out/'camera.yaml').write_text(yaml.safe_dump(cam))
    truth.to_csv(out/'truth.csv', index=False)
    (out/'generator.yaml').write_text(yaml.safe_dump(asdict(f)))
    return out

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0]); ap.add_argument('out')
    for k, v in asdict(Foreign()).items(): ap.add_argument(f'--{k}', type=type(v), default=v)
    a = vars(ap.parse_args()); out = a.pop('out')
    print(write(Foreign(**a), out))
