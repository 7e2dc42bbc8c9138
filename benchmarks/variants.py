"""Movie generators unlike the development ones, shared by the benchmarks: each maps a `SimulationConfig` to another
PSF, pixel size (the same field of view) or camera."""
from dataclasses import replace
from piezo1_calcium_tracker.camera import Camera

GENERATORS = {
    'airy PSF': lambda c: replace(c, puncta=replace(c.puncta, psf='airy')),
    'pixel 160 nm': lambda c: replace(c, height=c.height * 100 // 160, width=c.width * 100 // 160,
                                      camera=replace(c.camera, pixel_size_nm=160.)),
    'sCMOS': lambda c: replace(c, camera=Camera(e_per_adu=0.5, read_noise_e=1.6, quantum_efficiency=0.8)),
}
