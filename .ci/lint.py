"""Lint the exported package with ruff (`ruff.toml`: lines of at most 120 characters, pyflakes' checks).

Two kinds of line are nbdev's, not ours, and are left to it: a module's docstring (the notebook's one-line description)
and the first line of `__all__` (nbdev wraps the list at 120 characters, then prefixes `__all__ = `).
Everything else that ruff reports fails the check. Run from the repository root: `python .ci/lint.py`."""
import functools, json, subprocess, sys
from pathlib import Path

PACKAGE = 'piezo1_calcium_tracker'

@functools.cache
def nbdev_lines(path:Path)->set:
    "Line numbers (1-based) that nbdev writes itself: the module docstring and the first line of `__all__`."
    lines = path.read_text(encoding='utf-8').splitlines()
    return {i + 1 for i, l in enumerate(lines) if l.startswith('__all__ = ') or (i < 3 and l.startswith('"""'))}

def main()->int:
    r = subprocess.run([sys.executable, '-m', 'ruff', 'check', '--output-format', 'json', PACKAGE],
                       capture_output=True, text=True)
    try: hits = json.loads(r.stdout)
    except json.JSONDecodeError: print(r.stdout, r.stderr, sep='\n'); print('ruff did not run'); return 1
    keep = [h for h in hits if h['code'] != 'E501' or h['location']['row'] not in nbdev_lines(Path(h['filename']))]
    for h in keep: print(f"{Path(h['filename']).relative_to(Path.cwd())}:{h['location']['row']}: {h['code']} {h['message']}")
    n = sum(len(p.read_text(encoding='utf-8').splitlines()) for p in Path(PACKAGE).glob('*.py') if p.name != '_modidx.py')
    print(f"lint: {len(keep)} problems; {len(hits) - len(keep)} of {n} package lines are nbdev's own long lines "
          f"({100 * (len(hits) - len(keep)) / n:.1f} %)")
    return 1 if keep else 0

if __name__ == '__main__': sys.exit(main())
