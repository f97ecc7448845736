"""Profiles for the benchmark: py-spy samples a running process, and the collapsed stacks are
summarised as the functions that hold the CPU (own time) and the calls they sit under (total
time), in the text that goes into docs/benchmarks.md."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

_OURS = re.compile(r"/((?:services|shared|ops|bench)/[^/].*)$")
_FRAME = re.compile(r"^(?P<name>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def py_spy() -> str | None:
    return shutil.which("py-spy") or (
        str(Path(sys.executable).with_name("py-spy"))
        if Path(sys.executable).with_name("py-spy").exists()
        else None
    )


def start_recording(pid: int, seconds: int, output: Path) -> subprocess.Popen[bytes] | None:
    """Sample ``pid`` for ``seconds`` in the background (None when py-spy is unavailable)."""
    executable = py_spy()
    if executable is None:
        return None
    argv = [executable, "record", "-p", str(pid), "-d", str(seconds), "-r", "100"]
    argv += ["-f", "raw", "-o", str(output), "--nonblocking"]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _label(frame: str) -> str:
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match["file"]
    ours = _OURS.search(path)
    if ours:
        return f"{match['name']} ({ours[1]})"
    for marker in ("site-packages/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{match['name']} ({path})"


def _is_ours(label: str) -> bool:
    return any(f"({root}/" in label for root in ("services", "shared"))


def summarise(raw: Path, top: int = 12) -> str:
    """Own and total shares of the samples in a py-spy collapsed-stack file."""
    if not raw.exists():
        return "(py-spy recorded nothing)"
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [_label(f) for f in stack.split(";") if not f.startswith("process ")]
        frames = [f for f in frames if not f.startswith("thread ")]
        if not frames:
            continue
        n = int(count)
        samples += n
        own[frames[-1]] += n
        for frame in set(frames):
            total[frame] += n
    if samples == 0:
        return "(no samples)"
    lines = [f"{samples} samples", "", "own time (the function itself):"]
    lines += [f"  {100 * n / samples:5.1f}%  {name}" for name, n in own.most_common(top)]
    lines += ["", "total time of SIGAP's own functions (with what they call):"]
    ours = [(name, n) for name, n in total.most_common() if _is_ours(name)][:top]
    lines += [f"  {100 * n / samples:5.1f}%  {name}" for name, n in ours]
    return "\n".join(lines)


if __name__ == "__main__":
    print(summarise(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 12))
