"""Benchmark: training samples/s and movie frames/s of the simulator on this machine.

    python benchmarks/simulation_speed.py [--threads 2] [--seconds 8]

Prints one table. The peer in every row is the bare cost of the same number of Poisson draws
(torch.poisson, chunked over the same threads): the floor that any exact shot-noise simulator pays.
"""
import argparse, time, platform
import torch
from piezo1_calcium_tracker.simulate import TrainingSampler, SamplerConfig, SimulationConfig, simulate_movie
from concurrent.futures import ThreadPoolExecutor

def rate(fn, seconds):
    fn()                                   # warm-up
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds: n += fn()
    return n / (time.perf_counter() - t0)

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--threads', type=int, default=2); ap.add_argument('--seconds', type=float, default=8.)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    g = torch.Generator().manual_seed(0)
    rows = []
    pool = ThreadPoolExecutor(a.threads)
    def poisson_floor(n_values):
        "Rate of bare torch.poisson draws (λ uniform in 2–42), split over the same threads."
        lam = torch.rand(n_values, generator=g) * 40 + 2
        gens = [torch.Generator().manual_seed(i) for i in range(a.threads)]   # one each: the default generator locks
        draw = lambda: (list(pool.map(lambda c, gg: torch.poisson(c, generator=gg), lam.chunk(a.threads), gens)), n_values)[1]
        return rate(draw, a.seconds / 2) / n_values
    for name, cfg in [('samples 64×64×3, 2 ch, Gaussian PSF', SamplerConfig(airy_fraction=0.)),
                      ('samples 64×64×3, 2 ch, 25 % Airy (default)', SamplerConfig()),
                      ('samples 64×64×3, 1 ch (localization), 25 % Airy', SamplerConfig(channels=1))]:
        s, B = TrainingSampler(cfg, seed=0), 256
        r = rate(lambda: len(s.sample(B)['frames']), a.seconds)
        floor = poisson_floor(B * cfg.channels * cfg.frames * cfg.size**2) * B
        rows.append((name, r, 'samples/s', floor))
    for size, T in [(128, 200), (256, 100)]:
        cfg = SimulationConfig(n_frames=T, height=size, width=size)
        r = rate(lambda: (simulate_movie(cfg), T)[1], a.seconds)
        floor = poisson_floor(T * 2 * size * size) * T
        rows.append((f'movie {size}×{size}, 2 ch, {T} frames', r, 'frames/s', floor))
    print(f"\nsimulator speed — {platform.processor() or platform.machine()}, torch {torch.__version__}, {a.threads} threads\n")
    print(f"| {'workload':<50} | {'rate':>10} | {'unit':<9} | {'Poisson floor':>13} | {'share of floor':>14} |")
    print(f"|{'-'*52}|{'-'*12}|{'-'*11}|{'-'*15}|{'-'*16}|")
    for name, r, unit, floor in rows:
        print(f"| {name:<50} | {r:>10.0f} | {unit:<9} | {floor:>13.0f} | {r / floor:>13.0%} |")

if __name__ == '__main__': main()
