__version__ = "0.1.0"

# The Python API at the top level: `from piezo1_calcium_tracker import analyse_movie`. Imported on first use, so that
# importing one module (or starting a command-line tool) does not load the whole pipeline.
_API = dict(analyse_movie='pipeline', analyse_movies='pipeline', RunResult='pipeline', InferenceConfig='pipeline',
            Camera='camera', read_movie='io')

def __getattr__(name):
    if name in _API:
        import importlib
        return getattr(importlib.import_module(f'.{_API[name]}', __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

def __dir__(): return sorted(list(globals()) + list(_API))
