"""Benchmark: per punctum-frame calcium calls of the whole pipeline (network → tracking → calls) against the
classical ΔF/F₀ baseline and the network's decoder alone, on held-out dual-channel movies with diffuse events.

    python benchmarks/calcium_detection.py --model runs/hybrid/best.pth [--stress] [--export piezo1_calcium_tracker/models/hybrid.pth]

One validation movie per condition (seeds 7001, 7101, 7201) sets the threshold on the track-based,
movie-calibrated z (`fit_calcium_calls`, 97 % validation specificity counting the calls spread along tracks;
shipped) and, for comparison, fits its fusion with the decoder's probability; the test movies (seeds 7002…,
7102…, 7202…) are never seen by training or fitting. Ground-truth puncta are matched to the pipeline's
localizations within 250 nm; sensitivity on puncta with a local event, specificity on all others (diffuse-event
frames included), and specificity inside diffuse events separately. Events at puncta whose indicator has
bleached (no signal left to see) are left out of both and counted (n_dark). The sensitivity is also printed by
event SNR, next to the bound of an ideal per-frame detector. `--stress` adds seven further held-out conditions
(density, Airy PSF, fast diffusion, short events, many weak diffuse events, bright background, sCMOS with 65 nm
pixels) under the same fitted calls. With --export the model is written with its fitted calcium calls.
"""
import argparse, tempfile, shutil
from pathlib import Path
import numpy as np, pandas as pd, torch
from scipy import stats
from piezo1_calcium_tracker.core import to_dict
from piezo1_calcium_tracker.simulate import simulate_movie, SimulationConfig, PunctaConfig, CalciumConfig, BackgroundConfig, save_simulation
from piezo1_calcium_tracker.camera import Camera
from piezo1_calcium_tracker.inference import export_model
from piezo1_calcium_tracker.metrics import match, evaluate
from piezo1_calcium_tracker.pipeline import analyse_movie, InferenceConfig
from piezo1_calcium_tracker.calcium_calls import CalciumCallConfig, fit_calcium_calls, calcium_calls, calcium_truth, call_rates
from piezo1_calcium_tracker.calcium_baseline import roi_traces, dff_calls

VARIANTS = {   # held-out conditions; the fusion is fitted on one validation movie of each (seeds 7001, 7101, 7201)
    'emccd': dict(),
    'scmos': dict(camera=Camera(pixel_size_nm=108., baseline_adu=100., e_per_adu=0.5, em_gain=1., quantum_efficiency=0.8, read_noise_e=1.6),
                  sigma_nm=140., indicator_photons=300., calcium_bg=20.),
    'dim': dict(indicator_photons=80., amplitude=2.0),
}

STRESS = {    # further held-out conditions, test only (`--stress`): the calls fitted above, never refitted
    'dense 0.8/µm²': dict(puncta=dict(density_per_um2=0.8)),
    'Airy PSF, σ 150 nm': dict(puncta=dict(psf='airy', sigma_nm=150.)),
    'fast: D 0.2 µm²/s, 50 % mobile': dict(puncta=dict(diffusion_um2_per_s=0.2, mobile_fraction=0.5)),
    'short events (2 frames)': dict(calcium=dict(duration_frames=2.)),
    'many weak diffuse events': dict(calcium=dict(diffuse_rate=0.3, diffuse_amplitude=0.8)),
    'calcium background 30/px': dict(calcium=dict(background=BackgroundConfig(photons_per_px=30.))),
    'sCMOS, 65 nm pixels': dict(camera=Camera(pixel_size_nm=65., baseline_adu=100., e_per_adu=0.5, em_gain=1., quantum_efficiency=0.8, read_noise_e=1.6),
                                calcium=dict(indicator_photons=300.), size=196),
}

def stress_movie(seed, frames, d, name):
    v = STRESS[name]
    cal = dict(event_rate=0.02, diffuse_rate=0.15, diffuse_amplitude=1.5, indicator_photons=150., amplitude=3.0, background=BackgroundConfig(photons_per_px=10.))
    pun = dict(density_per_um2=0.4, sigma_nm=130.)
    cal.update(v.get('calcium', {})); pun.update(v.get('puncta', {}))
    kw = dict(camera=v['camera']) if 'camera' in v else {}
    size = v.get('size', 128)
    sim = simulate_movie(SimulationConfig(n_frames=frames, height=size, width=size, seed=seed, puncta=PunctaConfig(**pun), calcium=CalciumConfig(**cal), **kw))
    save_simulation(sim, d/str(seed))
    return sim

def movie(seed, frames, d, variant='emccd'):
    v = VARIANTS[variant]
    cal = CalciumConfig(event_rate=0.02, diffuse_rate=0.15, diffuse_amplitude=1.5, indicator_photons=v.get('indicator_photons', 150.),
                        amplitude=v.get('amplitude', 3.0), background=BackgroundConfig(photons_per_px=v.get('calcium_bg', 10.)))
    kw = dict(camera=v['camera']) if 'camera' in v else {}
    cfg = SimulationConfig(n_frames=frames, height=128, width=128, seed=seed, puncta=PunctaConfig(density_per_um2=0.4, sigma_nm=v.get('sigma_nm', 130.)),
                           calcium=cal, **kw)
    sim = simulate_movie(cfg)
    save_simulation(sim, d/str(seed))
    return sim

def run(sim, model, d, seed):
    analyse_movie(d/str(seed)/'movie.tif', d/str(seed)/'camera.yaml', d/f'run{seed}', model=model, cfg=InferenceConfig(figures=False), progress=False)
    loc = pd.read_csv(d/f'run{seed}/localizations.csv')
    gt = sim.emitters[sim.emitters.photons >= 100].reset_index(drop=True)
    m = match(loc, gt)
    return loc, gt, loc.iloc[m.pred_index].reset_index(drop=True), gt.iloc[m.gt_index].reset_index(drop=True)

def event_snr(sim, gm, lm, variant):
    "Per scored positive punctum-frame: ΔF (indicator × the event's ΔF/F₀), the amplitude noise during the event and at rest (median over its track's resting frames), whether it was called."
    ev = sim.events[sim.events.type == 'local']
    amp = {(t, f): a for t, s0, e0, a in ev[['track_id', 'start_frame', 'end_frame', 'amplitude']].itertuples(index=False) for f in range(s0, e0 + 1)}
    truth, sd = calcium_truth(gm), lm['calcium_amp_sd [photon]'].to_numpy()
    rest = pd.Series(sd[truth == 0]).groupby(gm.track_id.to_numpy()[truth == 0]).median()
    pos = truth == 1
    g = gm[pos]
    dff = np.array([amp.get((t, f), np.nan) for t, f in zip(g.track_id, g.frame)])
    return pd.DataFrame(dict(variant=variant, dF=g['indicator [photon]'].to_numpy() * dff, sd=sd[pos],
                             sd0=rest.reindex(g.track_id).fillna(pd.Series(sd[pos], index=g.track_id)).to_numpy(),
                             called=lm.calcium_signal.to_numpy()[pos]))

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--model', required=True); ap.add_argument('--export')
    ap.add_argument('--frames', type=int, default=100); ap.add_argument('--movies', type=int, default=2)
    ap.add_argument('--stress', action='store_true', help='also run the further held-out conditions of STRESS')
    ap.add_argument('--variants', default='emccd,scmos,dim', help='held-out conditions (comma-separated): ' + ', '.join(VARIANTS))
    a = ap.parse_args()
    torch.set_num_threads(2)
    d = Path(tempfile.mkdtemp())
    val = []
    for k, variant in enumerate(VARIANTS):     # whole validation tables (calls spread over unmatched localizations too); labels where matched
        seed = 7001 + 100 * k
        loc, gt, lm, gm = run(movie(seed, a.frames, d, variant), a.model, d, seed)
        label = np.full(len(loc), -1); label[match(loc, gt).pred_index] = calcium_truth(gm)
        val.append(loc.assign(label=label, track_id=loc.track_id + 10 ** 6 * k))
    vt = pd.concat(val, ignore_index=True)
    z, tf = vt.calcium_z.to_numpy(), dict(track_id=vt.track_id.to_numpy(), frame=vt.frame.to_numpy())
    fit = fit_calcium_calls(z, None, vt.label.to_numpy(), **tf)     # shipped: the calibrated z alone
    fused = fit_calcium_calls(z, vt.calcium_prob_net.to_numpy(), vt.label.to_numpy(), **tf)   # for comparison
    p_net, neg = vt.calcium_prob_net.to_numpy(), vt.label.to_numpy() == 0
    thr_net = float(np.quantile(p_net[neg], 0.97))
    print(f'fitted on the validation movies: {fit} (z > {(-np.log(1 / fit.threshold - 1) - fit.bias) / fit.w_z:.2f}); with the decoder: {fused}; decoder-alone threshold {thr_net:.2f}')
    rows, snr_rows = [], []
    for variant, i in [(v, i) for v in a.variants.split(',') for i in range(a.movies)]:
        seed = 7002 + i + 100 * list(VARIANTS).index(variant)
        sim = movie(seed, a.frames, d, variant)
        loc, gt, lm, gm = run(sim, a.model, d, seed)
        cam = sim.config.camera
        lab, dif = calcium_truth(gm), gm.in_diffuse.to_numpy()
        mi = match(loc, gt).pred_index
        rows.append(dict(variant=variant, movie=seed, method='pipeline: track z (threshold fitted)', **call_rates(lab, dif, calcium_calls(loc, fit).calcium_signal.to_numpy()[mi])))
        rows.append(dict(variant=variant, movie=seed, method='track z + decoder (fused, fitted)', **call_rates(lab, dif, calcium_calls(loc, fused).calcium_signal.to_numpy()[mi])))
        rows.append(dict(variant=variant, movie=seed, method='track z > 2, spread > 1.5 (default)', **call_rates(lab, dif, calcium_calls(loc, CalciumCallConfig()).calcium_signal.to_numpy()[mi])))
        rows.append(dict(variant=variant, movie=seed, method='decoder alone (per frame)', **call_rates(lab, dif, (lm.calcium_prob_net.to_numpy() > thr_net).astype(int))))
        ca = cam.to_photons(sim.movie[:, 1].astype(np.float32))
        calls = dff_calls(gt, roi_traces(ca, gt, cam.pixel_size_nm))
        rows.append(dict(variant=variant, movie=seed, method='ΔF/F₀ 5×5 ROI on true tracks (classical)', **call_rates(calcium_truth(gt), gt.in_diffuse.to_numpy(), calls.calcium_signal.to_numpy())))
        snr_rows.append(event_snr(sim, gm, lm.assign(calcium_signal=calcium_calls(loc, fit).calcium_signal.to_numpy()[mi]), variant))
        r = evaluate(loc, gt, pixel_size_nm=cam.pixel_size_nm, camera=cam)
        print(f"movie {seed}: localization Jaccard {r['jaccard']:.3f}, RMSE/CRLB {r['rmse_over_crlb']:.2f}")
    df = pd.DataFrame(rows)
    print(df.round(3).to_string(index=False))
    print(df.groupby(['variant', 'method'], sort=False)[['sensitivity', 'specificity', 'specificity_in_diffuse']].mean().round(3).to_string())
    snr = pd.concat(snr_rows, ignore_index=True)
    snr['snr'] = snr.dF / snr.sd
    snr['SNR'] = pd.cut(snr.snr, [0, 2, 3, 4, 6, 10, np.inf], right=False)
    print('\nsensitivity of the pipeline by event SNR (ΔF = indicator × event ΔF/F₀ over the amplitude noise calcium_amp_sd):')
    print(snr.groupby('SNR', observed=True).agg(n=('called', 'size'), sensitivity=('called', 'mean')).round(3).to_string())
    snr['ideal'] = stats.norm.cdf((snr.dF - stats.norm.ppf(0.95) * snr.sd0) / snr.sd)
    print('event SNR per condition, the pipeline\'s sensitivity, and the bound: an ideal per-frame detector (resting level and noise known,\n'
          'Gaussian noise) at 95 % specificity detects an event of ΔF with probability Φ((ΔF − 1.645 σ_rest) / σ_event):')
    print(snr.groupby('variant', sort=False).agg(snr_10=('snr', lambda v: v.quantile(.1)), snr_50=('snr', 'median'), snr_90=('snr', lambda v: v.quantile(.9)),
                                                 sensitivity=('called', 'mean'), ideal_at_95=('ideal', 'mean')).round(3).to_string())
    if a.stress:
        st = []
        for k, name in enumerate(STRESS):
            for i in range(a.movies):
                seed = 7500 + 10 * k + i
                sim = stress_movie(seed, a.frames, d, name)
                loc, gt, lm, gm = run(sim, a.model, d, seed)
                called = calcium_calls(loc, fit).calcium_signal.to_numpy()[match(loc, gt).pred_index]
                st.append(dict(condition=name, movie=seed, **call_rates(calcium_truth(gm), gm.in_diffuse.to_numpy(), called)))
        st = pd.DataFrame(st)
        print('\nfurther held-out conditions (pipeline calls):')
        print(st.round(3).to_string(index=False))
    if a.export:
        export_model(a.model, a.export, calcium_threshold=thr_net, calcium_calls=to_dict(fit))
        print(f'exported {a.export} with its calcium calls')
    shutil.rmtree(d)

if __name__ == '__main__': main()
