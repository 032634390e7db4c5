"""`python -m bench.profile_worker OUT.json <orchestrator arguments>`: the worker's CLI under
cProfile; when it ends (SIGTERM: its graceful stop), the profile's own time is summed per
package (httpcore, psycopg, asyncio, orchestrator, ...) and written to OUT.json as
`{"total_s": …, "packages": {name: seconds}}`. cProfile inflates many small Python calls,
so the shares say where the time goes, not how fast the worker is without it.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import sys
import sysconfig
from collections import Counter
from pathlib import Path

STDLIB = sysconfig.get_paths()["stdlib"]


def package_of(filename: str, function: str) -> str:
    """The package a profiled function belongs to, from its file name."""
    if filename == "~":  # a C function (socket I/O, select, ...) called from Python
        if "socket" in function or "select" in function or "epoll" in function:
            return "C: socket and epoll calls"
        return "C: other built-ins"
    if filename.startswith("<frozen "):  # e.g. <frozen importlib._bootstrap>: imports
        return "stdlib " + filename.removeprefix("<frozen ").split(".", 1)[0].rstrip(">")
    if filename.startswith("<"):
        return "generated code " + filename
    path = filename.replace("\\", "/")
    for marker in ("/site-packages/", "/dist-packages/"):
        if marker in path:
            return path.split(marker, 1)[1].split("/", 1)[0].removesuffix(".py")
    if "/orchestrator/" in path:
        return "orchestrator"
    if path.startswith(STDLIB):
        rest = path[len(STDLIB) :].lstrip("/")
        return "stdlib " + rest.split("/", 1)[0].removesuffix(".py")
    return "other"


def summarize(profiler: cProfile.Profile) -> dict[str, object]:
    stats = pstats.Stats(profiler)
    by_package: Counter[str] = Counter()
    raw = stats.stats  # type: ignore[attr-defined]
    for (filename, _line, function), (_cc, _nc, tottime, _ct, _callers) in raw.items():
        by_package[package_of(filename, function)] += tottime
    total = sum(by_package.values())
    return {"total_s": total, "packages": dict(by_package.most_common())}


def main() -> None:
    out = Path(sys.argv[1])
    args = sys.argv[2:]
    from orchestrator.cli import main as cli

    profiler = cProfile.Profile()
    code: int | str | None = 0
    profiler.enable()
    try:
        cli.main(args=args, prog_name="orchestrator", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
    finally:
        profiler.disable()
        out.write_text(json.dumps(summarize(profiler), indent=2))
    sys.exit(code)


if __name__ == "__main__":
    main()
