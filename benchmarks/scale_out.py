"""Benchmark: scale out on this machine — a folder of movies serially and on a 2-worker Dask cluster, and training
steps in one process and in two DDP processes (torchrun, gloo on the CPU).

    python benchmarks/scale_out.py [--movies 4] [--frames 100] [--size 128] [--steps 20] [--no_results]

Movies are simulated dual-channel PIEZO1 movies (seeds 9301+, 0.4 puncta/µm², calcium events), written as ImageJ
hyperstacks and analysed by `p1ct_run DIR` (whole processes, as a user runs them) with and without
`--scheduler local:2`; the table gives seconds and movies per hour. Training: `p1ct_train` on
configs/training_localization_cpu.yaml for `--steps` steps, alone and under `torchrun --nproc_per_node 2`, timed
as whole processes; samples per second count the batches of every rank. On 2 cores two processes share the cores
the single process already uses (torch uses both), so the gain here is the overlap of the serial parts, not a
second machine's worth.
"""
import argparse, json, shutil, subprocess, sys, tempfile, time
from pathlib import Path
import pandas as pd, yaml
sys.path.insert(0, str(Path(__file__).parent))
from results import append_results
from piezo1_calcium_tracker.simulate import simulate_movie, SimulationConfig, PunctaConfig, CalciumConfig
from piezo1_calcium_tracker.io import write_hyperstack

ROOT = Path(__file__).resolve().parent.parent

def timed(cmd):
    t0 = time.perf_counter(); r = subprocess.run(cmd, capture_output=True, text=True); dt = time.perf_counter() - t0
    if r.returncode: sys.exit(f"{' '.join(cmd)} failed:\n{r.stderr[-2000:]}")
    return dt

def movies(d, n, frames, size):
    (d/'movies').mkdir(parents=True)
    for i in range(n):
        sim = simulate_movie(SimulationConfig(n_frames=frames, height=size, width=size, seed=9301 + i,
                                              puncta=PunctaConfig(density_per_um2=0.4), calcium=CalciumConfig(event_rate=0.02)))
        write_hyperstack(d/f'movies/m{i}.tif', sim.movie, sim.config.camera.pixel_size_nm, frame_interval_s=sim.config.frame_interval_s)
    sim.config.camera.to_yaml(d/'camera.yaml')

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--movies', type=int, default=4); ap.add_argument('--frames', type=int, default=100); ap.add_argument('--size', type=int, default=128)
    ap.add_argument('--steps', type=int, default=20); ap.add_argument('--no_results', action='store_true')
    a = ap.parse_args()
    d = Path(tempfile.mkdtemp())
    try:
        movies(d, a.movies, a.frames, a.size)
        run = lambda out, *extra: timed(['p1ct_run', str(d/'movies'), '--camera', str(d/'camera.yaml'), '--out', str(d/out), *extra])
        rows = []
        for how, extra in [('serial', ()), ('Dask local:2', ('--scheduler', 'local:2'))]:
            s = run(how.split()[0], *extra)
            rows.append(dict(run=how, movies=a.movies, seconds=round(s, 1), movies_per_hour=round(a.movies / s * 3600)))
        t_batch = pd.DataFrame(rows); t_batch['speed-up'] = (t_batch.seconds[0] / t_batch.seconds).round(2)
        cfg = yaml.safe_load((ROOT/'configs/training_localization_cpu.yaml').read_text())
        bs = cfg.get('batch_size', 16)
        p1 = shutil.which('p1ct_train')
        rows = []
        for n in (1, 2):
            cmd = ([p1] if n == 1 else ['torchrun', '--standalone', '--nproc_per_node', '2', p1]) + \
                  ['--config', str(ROOT/'configs/training_localization_cpu.yaml'), '--steps', str(a.steps), '--device', 'cpu', '--output', str(d/f'train{n}')]
            s = timed(cmd)
            rows.append(dict(processes=n, steps=a.steps, seconds=round(s, 1), steps_per_s=round(a.steps / s, 2),
                             samples_per_s=round(a.steps * bs * n / s, 1), samples_per_s_per_rank=round(a.steps * bs / s, 1)))
        t_train = pd.DataFrame(rows)
        print(t_batch.to_string(index=False)); print(); print(t_train.to_string(index=False))
        if not a.no_results: append_results('scale_out.py', 'python benchmarks/scale_out.py ' + ' '.join(sys.argv[1:]), t_batch, t_train)
    finally: shutil.rmtree(d, ignore_errors=True)

if __name__ == '__main__': main()
