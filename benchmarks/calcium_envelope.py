"""Benchmark: where the calcium calls meet the bar — sensitivity and specificity per punctum-frame across indicator
brightness and event size, with the movie's own signal-to-noise ratio next to them.

    python benchmarks/calcium_envelope.py --model piezo1_calcium_tracker/models/hybrid.pth [--movies 2]

Held-out EMCCD movies like `calcium_detection.py`'s (0.4 puncta/µm², local events 0.02/punctum-frame, many diffuse
events of ΔF/F₀ 1.5), for each resting indicator brightness (photons per frame) and mean local ΔF/F₀ of the grid.
The shipped calls (the threshold stored in the model) are applied as `p1ct_run` applies them, and, for reference, the
same calls on the true positions and tracks of every punctum (a perfect channel 1). Rates are pooled over the movies
of a grid point, with 95 % intervals from a bootstrap over puncta. Two signal-to-noise ratios are printed:
`rest_snr`, the movie's resting indicator over its noise as `p1ct_run` reports it (`calcium_rest_snr` in summary.json;
`rest_snr` on any run's localizations.csv), the median over a grid point's movies — and `event_snr`, the median
ΔF / calcium_amp_sd of the true event frames (simulator truth).
"""
import atexit, argparse, tempfile, shutil
from pathlib import Path
import numpy as np, pandas as pd, torch
from piezo1_calcium_tracker.simulate import simulate_movie, SimulationConfig, PunctaConfig, CalciumConfig, BackgroundConfig, save_simulation
from piezo1_calcium_tracker.calcium_calls import rest_snr
from piezo1_calcium_tracker.metrics import calcium_truth
from piezo1_calcium_tracker.pipeline import calls_config
from calcium_detection import run, calls_on_truth, local_dff, bootstrap_rates

def envelope_movie(seed, frames, d, photons, dff):
    cal = CalciumConfig(event_rate=0.02, diffuse_rate=0.15, diffuse_amplitude=1.5, indicator_photons=photons, amplitude=dff,
                        background=BackgroundConfig(photons_per_px=10.))
    sim = simulate_movie(SimulationConfig(n_frames=frames, height=128, width=128, seed=seed, puncta=PunctaConfig(density_per_um2=0.4), calcium=cal))
    save_simulation(sim, d/str(seed))
    return sim

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--model', required=True)
    ap.add_argument('--movies', type=int, default=2, help='movies per grid point (at most 10)')
    ap.add_argument('--frames', type=int, default=100)
    ap.add_argument('--photons', default='60,80,110,150,220', help='resting indicator photons per frame (comma-separated)')
    ap.add_argument('--dff', default='1.5,2,3', help='mean ΔF/F₀ of the local events (comma-separated)')
    a = ap.parse_args()
    if not 1 <= a.movies <= 10: ap.error(f'--movies must be 1–10 (the seeds of a grid point step by 10), got {a.movies}')
    torch.set_num_threads(2)
    cfg = calls_config(torch.load(a.model, map_location='cpu', weights_only=False))       # the calls p1ct_run applies
    print(f'calls: {cfg}')
    d = Path(tempfile.mkdtemp()); atexit.register(shutil.rmtree, d, ignore_errors=True)   # also when stopped or failed
    rows = []
    for i, (ph, dff) in enumerate((float(p), float(f)) for p in a.photons.split(',') for f in a.dff.split(',')):
        parts, truth_parts, rest, ev = [], [], [], []
        for k in range(a.movies):
            seed = 9000 + 10 * i + k
            sim = envelope_movie(seed, a.frames, d, ph, dff)
            loc, gt, lm, gm = run(sim, a.model, d, seed)
            lab = calcium_truth(gm)
            parts.append((lab, lm.calcium_signal.to_numpy(), gm.track_id.to_numpy()))
            tc = calls_on_truth(sim, loc.attrs['calcium_sigma_nm'], cfg)
            truth_parts.append((tc.label.to_numpy(), tc.calcium_signal.to_numpy(), tc.track_id.to_numpy()))
            if (r := rest_snr(loc)[0]) is not None: rest.append(r)
            pos = lab == 1
            ev.append(gm['indicator [photon]'].to_numpy()[pos] * local_dff(sim, gm)[pos] / lm['calcium_amp_sd [photon]'].to_numpy()[pos])
        p, t = bootstrap_rates(parts), bootstrap_rates(truth_parts)
        f = lambda v, c: f'{v:.3f} [{c[0]:.3f}, {c[1]:.3f}]'
        rows.append(dict(indicator_photons=ph, dff=dff, rest_snr=round(float(np.median(rest)), 2) if rest else None,
                         event_snr=round(float(np.median(np.concatenate(ev))), 2), sensitivity=f(p['sensitivity'], p['sens_95ci']),
                         specificity=f(p['specificity'], p['spec_95ci']), sens_true_tracks=round(t['sensitivity'], 3), spec_true_tracks=round(t['specificity'], 3)))
        print(pd.DataFrame(rows[-1:]).to_string(index=False, header=len(rows) == 1), flush=True)
    print('\npipeline calls (95 % intervals, bootstrap over puncta) and the same calls on true positions and tracks:')
    print(pd.DataFrame(rows).to_string(index=False))
    shutil.rmtree(d)

if __name__ == '__main__': main()
