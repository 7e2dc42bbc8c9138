"""Benchmark: peak memory and time of `p1ct_run` on a long movie (2,000 frames of 256 × 256, two channels) against a
short one (200 frames) of the same size, in the same run: streaming in chunks keeps memory flat in the length.

    python benchmarks/long_movie.py [--frames 2000] [--size 256] [--keep DIR]

The movie is simulated in 200-frame blocks and written as one ImageJ hyperstack (by this script, not timed); each `p1ct_run` runs in its own
process under `/usr/bin/time -v` (maximum resident set size).
"""
import argparse, subprocess, tempfile, time, shutil
from pathlib import Path
import numpy as np
from piezo1_calcium_tracker.io import write_hyperstack
from piezo1_calcium_tracker.simulate import simulate_movie, SimulationConfig, PunctaConfig, CalciumConfig

def write_movie(path, frames, size, block=200):
    cfg = lambda s, n: SimulationConfig(n_frames=n, height=size, width=size, seed=9000 + s, puncta=PunctaConfig(density_per_um2=0.4),
                                        calcium=CalciumConfig(event_rate=0.02))
    parts = []
    for s in range(0, frames, block):
        sim = simulate_movie(cfg(s, min(block, frames - s)))
        parts.append(sim.movie)
    write_hyperstack(path, np.concatenate(parts), sim.config.camera.pixel_size_nm)   # (T, 2, Y, X) uint16: 0.5 GB for 2,000 × 256²
    sim.config.camera.to_yaml(Path(path).with_name('camera.yaml'))

def run(movie, out):
    "p1ct_run in its own process; its peak resident memory, split into anonymous (its own) and file-backed (the memory-mapped movie) pages."
    t0 = time.perf_counter()
    p = subprocess.Popen(['p1ct_run', str(movie), '--camera', str(Path(movie).with_name('camera.yaml')), '--out', str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = dict(VmRSS=0, RssAnon=0, RssFile=0)
    while p.poll() is None:
        try:
            for line in Path(f'/proc/{p.pid}/status').read_text().splitlines():
                k, _, v = line.partition(':')
                if k in peak: peak[k] = max(peak[k], int(v.split()[0]))
        except (FileNotFoundError, ProcessLookupError): pass
        time.sleep(0.2)
    out_text = p.stdout.read()
    assert p.returncode == 0, out_text
    return time.perf_counter() - t0, {k: v / 1024 ** 2 for k, v in peak.items()}, out_text.strip().splitlines()[0]

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--frames', type=int, default=2000); ap.add_argument('--size', type=int, default=256)
    ap.add_argument('--keep')
    a = ap.parse_args()
    d = Path(a.keep or tempfile.mkdtemp()); d.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in (200, a.frames):
        (d/f'm{n}').mkdir(exist_ok=True)
        mv = d/f'm{n}'/'movie.tif'
        t0 = time.perf_counter(); write_movie(mv, n, a.size); tw = time.perf_counter() - t0
        secs, mem, line = run(mv, d/f'out{n}')
        rows.append((n, mv.stat().st_size / 1024 ** 3, secs, n / secs, mem, line))
        print(f'simulated and wrote {n} frames in {tw:.0f} s; p1ct_run: {line}', flush=True)
    print(f"\n| frames ({a.size}×{a.size}, 2 ch) | movie on disk (GB) | p1ct_run wall (s) | frames/s | peak RSS (GB) | of it anonymous | of it file-backed (mapped movie) |\n|---|---|---|---|---|---|---|")
    for n, size_gb, secs, fps, m, _ in rows: print(f"| {n} | {size_gb:.2f} | {secs:.0f} | {fps:.1f} | {m['VmRSS']:.2f} | {m['RssAnon']:.2f} | {m['RssFile']:.2f} |")
    if not a.keep: shutil.rmtree(d)

if __name__ == '__main__': main()
