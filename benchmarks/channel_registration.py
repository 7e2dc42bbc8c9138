"""Benchmark: a misregistered calcium channel, measured and undone (`channel_offset`, `p1ct_run`'s default), against the
same movie analysed as if the channels were registered, and against the registered movie.

    python benchmarks/channel_registration.py [--frames 100] [--size 128]

Held-out dual-channel movies (seeds 7002 and 7202: the EMCCD and dim-indicator conditions of calcium_detection.py),
each simulated with the calcium channel shifted by the offsets below; the shipped hybrid model and its fitted calls.
Per movie: the map measured on it (shift, or affine with magnification and rotation), the error of its shift at the
field centre, and the per punctum-frame calcium sensitivity and specificity (ground-truth puncta matched within
250 nm) with the measured map ('auto') and with [0, 0] ('assumed registered'), on the puncta that channel 2 recorded
(`calcium_imaged`; not_imaged: the share of scored puncta-frames whose channel-2 position lies outside the field).
"""
import atexit, argparse, tempfile, shutil, sys, warnings
from pathlib import Path
import numpy as np, pandas as pd, torch
sys.path.insert(0, str(Path(__file__).parent))
from calcium_detection import movie_config
from piezo1_calcium_tracker.simulate import simulate_movie, save_simulation
from piezo1_calcium_tracker.pipeline import analyse_movie, InferenceConfig
from piezo1_calcium_tracker.metrics import match
from piezo1_calcium_tracker.metrics import calcium_truth, call_rates

MAPS = [((0., 0.), 1., 0.), ((60., -40.), 1., 0.), ((230., -140.), 1., 0.), ((-480., 310.), 1., 0.),   # shifts (nm): none, sub-pixel, 2.7 px, 5.7 px
        ((230., -140.), 1.01, 0.5)]                                                             # the same shift, magnified 1 %, turned 0.5°

def movie(seed, variant, cmap, frames, size):
    return simulate_movie(movie_config(seed, frames, variant, size, channel_offset_nm=cmap[0], channel_magnification=cmap[1], channel_rotation_deg=cmap[2]))

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--frames', type=int, default=100); ap.add_argument('--size', type=int, default=128)
    a = ap.parse_args()
    torch.set_num_threads(2); warnings.simplefilter('ignore')
    rows = []
    d = Path(tempfile.mkdtemp()); atexit.register(shutil.rmtree, d, ignore_errors=True)   # also when stopped or failed
    for variant, seed in [('emccd', 7002), ('dim', 7202)]:
        for cmap in MAPS:
            sim = movie(seed, variant, cmap, a.frames, a.size)
            off = cmap[0]
            save_simulation(sim, d/'m')
            gt = sim.emitters[sim.emitters.photons >= 100].reset_index(drop=True)
            for how, co in [('auto', 'auto'), ('assumed registered', (0., 0.))]:
                s = analyse_movie(d/'m/movie.tif', d/'m/camera.yaml', d/'r', cfg=InferenceConfig(figures=False, channel_offset_nm=co), progress=False).summary
                loc = pd.read_csv(d/'r/localizations.csv')
                m = match(loc, gt); g = gt.iloc[m.gt_index]
                seen = loc.calcium_imaged.to_numpy()[m.pred_index] == 1       # scored where channel 2 recorded the punctum
                r = call_rates(calcium_truth(g)[seen], g.in_diffuse.to_numpy()[seen], loc.calcium_signal.to_numpy()[m.pred_index][seen])
                co_ = s['channel_offset_nm']
                rows.append(dict(condition=variant, offset_nm=f'({off[0]:.0f}, {off[1]:.0f})' + (f' ×{cmap[1]:g} {cmap[2]:g}°' if cmap[1:] != (1., 0.) else ''),
                                 channels=how, error_nm=np.hypot(co_['dx_nm'] - off[0], co_['dy_nm'] - off[1]) if how == 'auto' else np.nan,
                                 map=co_['how'].split(',')[0], magnification=co_.get('magnification', np.nan), rotation_deg=co_.get('rotation_deg', np.nan),
                                 significance=co_.get('significance', np.nan), not_imaged=1 - seen.mean(), sensitivity=r['sensitivity'], specificity=r['specificity']))
                print(rows[-1], flush=True)
    df = pd.DataFrame(rows)
    print(df.round(3).to_string(index=False))
    shutil.rmtree(d)

if __name__ == '__main__': main()
