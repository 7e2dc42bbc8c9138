"""benchmarks/RESULTS.md: the results history, appended to by the benchmark scripts (newest last)."""
import datetime
from pathlib import Path
import pandas as pd
from piezo1_calcium_tracker.core import code_version

RESULTS = Path(__file__).parent/'RESULTS.md'

def markdown(df:pd.DataFrame)->str:
    "A table as markdown (without the tabulate package)."
    row = lambda r: '| ' + ' | '.join(map(str, r)) + ' |'
    return '\n'.join([row(df.columns), row(['---'] * len(df.columns)), *(row(r) for r in df.itertuples(index=False))])

def append_results(script:str, command:str, *tables:pd.DataFrame):
    "Append a section — script, date, code version, the command that produced it — and its tables."
    head = RESULTS.read_text() if RESULTS.exists() else '# Benchmark results\n\nWritten by the benchmark scripts; newest last.\n'
    body = '\n\n'.join(markdown(t) for t in tables)
    RESULTS.write_text(head + f"\n## {script} — {datetime.date.today()}, code {code_version()}\n\n`{command}` (2 CPU threads)\n\n{body}\n")
