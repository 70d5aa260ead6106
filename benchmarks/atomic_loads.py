"""Kill and disk-full trials of loads on the embedded store: afterwards old or new, never lost.

    python benchmarks/atomic_loads.py --kills 30 --disk-full 8

The store first holds two municipalities: 99990 (200 agencies, "old") and 99991 (10 agencies), built as
records (``tests/graph/bulk_package.py``). Each trial copies that store and, in a child process, loads a
new version of 99990:

* kill trials: 17,000 agencies in a chain (34,000 records, the bulk ``COPY`` path from 20,000 records, the
  size of the issue's 33,705-record package) through ``GraphStore.load_package``. The child gets SIGKILL
  or SIGTERM (each kind of trial gets both) at a random instant of its run (within 90 % of an undisturbed
  load's length); during the LadybugDB checkpoint that writes
  the commit into the database file (when a ``*.wal.checkpoint`` file appears in the store folder, plus a
  random part of the checkpoint's measured length); or when the staged write is marked ready
  (``tsunagari-staging.ready``, just before the rename);
* disk-full trials: ``tsunagari load`` (the real CLI) of a CSV package from ``generate.py`` (3,000
  actors, 9,042 records: the ``UNWIND`` path, whose write-ahead log is the largest), with the store folder
  on a small tmpfs mounted in a user and mount namespace (``unshare --user --map-root-user --mount``; no
  root needed). Two trials give a tmpfs too small for the load from the start; the others give room
  enough, and then, at an instant of the load, another process fills the file system to the last byte
  (``ENOSPC`` wherever the load is: the copy, LadybugDB's log, the checkpoint). The space is then freed,
  the store read again, and the load run again.

After each trial a fresh process opens the store read-only and reads every municipality, then another
opens it for writing (which finishes or removes what the killed load left) and reads it again. A trial
counts as **old** or **new** when 99990 is exactly that version (content hash, node and tie counts) in
both reads and 99991 is intact; **lost** when it is neither (missing, a mix, or the other municipality
changed); **unopenable** when the store cannot be opened or read.

``--store-code PATH`` runs the trials against another checkout of Tsunagari (e.g. a worktree of the code
before the staged writes), to measure the engine's own behaviour.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent / "tests" / "graph"
READY_MARK = "tsunagari-staging.ready"
KILL_AGENCIES = 17_000
DISK_ACTORS = 3_000


def _env(code: Path, store: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(code), "TSUNAGARI_STORE": f"embedded://{store}", "TSUNAGARI_LANG": "ja"}


def _cli(code: Path, store: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tsunagari.cli", *args], env=_env(code, store), cwd=code,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


BUILD = """
import sys
sys.path.insert(0, sys.argv[2])
from bulk_package import bulk_package
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings
packages = {"base": [bulk_package("99990", 200, version="old"), bulk_package("99991", 10, version="other")],
            "new": [bulk_package("99990", int(sys.argv[3]), version="new")]}[sys.argv[4]]
with open_store(Settings(store_url=sys.argv[1])) as store:
    store.load_packages(packages)
"""


def _build(code: Path, store: Path, which: str, agencies: int = KILL_AGENCIES) -> subprocess.Popen:
    """A child writing the starting store (``base``) or loading the new version of 99990 (``new``)."""
    return subprocess.Popen([sys.executable, "-c", BUILD, f"embedded://{store}", str(TESTS), str(agencies), which],
                            env=_env(code, store), cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)


READ = """
import json, sys
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings
out = {}
try:
    with open_store(Settings(store_url=sys.argv[1]), read_only=sys.argv[2] == "ro", wait_seconds=10) as store:
        hashes = {m.code: m.content_hash for m in store.list_municipalities()}
        for code, graph in store.read_graphs().items():
            out[code] = [hashes[code], graph.number_of_nodes(), graph.number_of_edges()]
    print(json.dumps({"ok": True, "munis": out}))
except Exception as err:
    print(json.dumps({"ok": False, "error": f"{type(err).__name__}: {str(err)[:200]}"}))
"""


def _read(code: Path, store: Path, mode: str) -> dict:
    """The store's municipalities read by a fresh process (``ro``: read-only, ``rw``: opened for writing)."""
    done = subprocess.run([sys.executable, "-c", READ, f"embedded://{store}", mode], env=_env(code, store),
                          cwd=code, capture_output=True, text=True, timeout=300)
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"ok": False, "error": f"exit {done.returncode}: {done.stderr.strip()[-200:]}"}


def _classify(code: Path, store: Path, expected: dict, new: str) -> tuple[str, str]:
    """``old``, ``new``, ``lost`` or ``unopenable``, and a detail, from a read-only read and a writer's read."""
    states = []
    for mode in ("ro", "rw"):
        seen = _read(code, store, mode)
        if not seen["ok"]:
            return "unopenable", f"{mode}: {seen['error']}"
        munis = {k: tuple(v) for k, v in seen["munis"].items()}
        if munis.get(expected["other_code"]) != expected["other"]:
            return "lost", f"{mode}: the other municipality changed: {munis.get(expected['other_code'])}"
        mine = munis.get(expected["code"])
        state = "old" if mine == expected["old"] else "new" if mine == tuple(expected[new]) else "lost"
        if state == "lost":
            return "lost", f"{mode}: municipality {expected['code']} is {mine}"
        states.append(state)
    if states[0] != states[1]:
        return "lost", f"read-only open saw {states[0]}, a writer's open {states[1]}"
    return states[0], ""


def _usage(folder: Path) -> int:
    total = 0
    for entry in os.scandir(folder):
        try:
            total += entry.stat().st_blocks * 512
        except FileNotFoundError:
            pass
    return total


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


def _checkpointing(folder: Path) -> bool:
    return any(n.endswith(".wal.checkpoint") for n in _names(folder))


def _expected_after(code: Path, work: Path, name: str, load) -> tuple:
    """99990 as a load leaves it: (content hash, nodes, ties), from a scratch copy of the starting store."""
    scratch = work / f"scratch-{name}"
    shutil.copytree(work / "base", scratch)
    child = load(scratch)
    if child.wait() != 0:
        raise SystemExit(f"the {name} load failed: {child.stderr.read()}")
    child.stderr.close()
    return tuple(_read(code, scratch, "ro")["munis"]["99990"])


def _timed_load(folder: Path, child: subprocess.Popen) -> dict:
    """How long an undisturbed load takes, how long its checkpoint lasts, and its peak extra disk use."""
    started = time.monotonic()
    base = _usage(folder)
    checkpoint_start = checkpoint_end = None
    peak = 0
    while child.poll() is None:
        peak = max(peak, _usage(folder))
        if _checkpointing(folder):
            checkpoint_start = checkpoint_start or time.monotonic()
        elif checkpoint_start and not checkpoint_end:
            checkpoint_end = time.monotonic()
        time.sleep(0.002)
    child.stderr.close()
    return {"seconds": time.monotonic() - started,
            "checkpoint": (checkpoint_end or time.monotonic()) - (checkpoint_start or started),
            "peak_extra_mib": (peak - base) / 2**20}


def prepare(code: Path, work: Path) -> dict:
    """Build the starting store and the CSV package, and measure one undisturbed load of each kind."""
    sys.path.insert(0, str(HERE))
    from generate import write_package

    base = work / "base"
    building = _build(code, base, "base")
    if building.wait() != 0:
        raise SystemExit(f"could not build the starting store: {building.stderr.read()}")
    building.stderr.close()
    before = _read(code, base, "ro")["munis"]
    csv_package = write_package(0, work / "csv", actors=DISK_ACTORS)
    (csv_package / "manifest.csv").write_text(  # the generated city, renumbered as 99990 to replace the old one
        (csv_package / "manifest.csv").read_text("utf-8").replace("90001", "99990"), "utf-8")
    expected = {"code": "99990", "other_code": "99991", "old": tuple(before["99990"]),
                "other": tuple(before["99991"]), "csv_path": str(csv_package), "base_mib": _usage(base) / 2**20,
                "new_kill": _expected_after(code, work, "kill", lambda s: _build(code, s, "new")),
                "new_disk": _expected_after(code, work, "disk", lambda s: _cli(code, s, "load", str(csv_package)))}
    for name, load in (("kill", lambda s: _build(code, s, "new")),
                       ("disk", lambda s: _cli(code, s, "load", str(csv_package)))):
        trial = work / f"calibrate-{name}"
        shutil.copytree(base, trial)
        expected[name] = _timed_load(trial, load(trial))
        shutil.rmtree(trial)
        print(f"{name} load: {expected[name]['seconds']:.1f} s, checkpoint {expected[name]['checkpoint']:.2f} s, "
              f"peak disk use +{expected[name]['peak_extra_mib']:.1f} MiB over the store's "
              f"{expected['base_mib']:.1f} MiB", flush=True)
    return expected


def kill_trials(code: Path, work: Path, expected: dict, count: int, seed: int) -> Counter:
    rng = random.Random(seed)
    counts: Counter = Counter()
    modes = ("random", "checkpoint", "checkpoint", "ready")
    for i in range(count):
        mode = modes[i % len(modes)]
        sig = (signal.SIGKILL, signal.SIGTERM)[(i + i // len(modes)) % 2]  # each mode gets both signals
        trial = work / f"kill{i}"
        shutil.copytree(work / "base", trial)
        child = _build(code, trial, "new")
        started = time.monotonic()
        if mode == "random":
            deadline = started + rng.uniform(0.2, 0.9 * expected["kill"]["seconds"])
            while child.poll() is None and time.monotonic() < deadline:
                time.sleep(0.001)
        else:
            while child.poll() is None and not (
                    _checkpointing(trial) if mode == "checkpoint" else READY_MARK in _names(trial)):
                time.sleep(0.0005)
            if mode == "checkpoint":
                time.sleep(rng.uniform(0, expected["kill"]["checkpoint"]))
        at = time.monotonic() - started
        finished = child.poll() is not None
        if not finished:
            child.send_signal(sig)
        child.wait()
        child.stderr.close()
        state, detail = _classify(code, trial, expected, "new_kill")
        counts[state] += 1
        counts[f"{mode}:{state}"] += 1
        how = "finished before the signal" if finished else f"{sig.name} at {at:.2f} s"
        print(f"kill {i + 1:2d} {mode:10s} {how:28s} -> {state} {detail}", flush=True)
        shutil.rmtree(trial)
    return counts


COST = """
import json, os, shutil, sys, time
sys.path.insert(0, sys.argv[3])
from generate import generate_package, generate_packages
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings
folder, count = sys.argv[1], int(sys.argv[2])
settings = Settings(store_url=f"embedded://{folder}")
with open_store(settings) as store:
    store.load_packages(list(generate_packages(count)))
database = os.path.join(folder, "tsunagari.lbug")
size = os.path.getsize(database)
times = []
for seed in (1, 2, 3):  # municipality 1 replaced by another version, three times
    package = generate_package(1, seed=seed)
    started = time.perf_counter()
    with open_store(settings) as store:
        store.load_package(package)
    times.append(time.perf_counter() - started)
started = time.perf_counter()
shutil.copyfile(database, database + ".copy")
copy = time.perf_counter() - started
os.unlink(database + ".copy")
print(json.dumps({"size_mib": size / 2**20, "load_seconds": sorted(times)[1], "copy_seconds": copy}))
"""


def cost(code: Path, work: Path, count: int) -> None:
    """What a staged write costs: replacing one municipality in a store of ``count``, and copying its file."""
    done = subprocess.run([sys.executable, "-c", COST, str(work / f"cost{count}"), str(count), str(HERE)],
                          env=_env(code, work), cwd=code, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"store of {count} municipalities: {figures['size_mib']:.1f} MiB; replacing one municipality "
          f"(open, load, close; median of 3): {figures['load_seconds']:.2f} s; copying the database file: "
          f"{figures['copy_seconds']:.2f} s", flush=True)


DISK_INNER = "--disk-full-inner"


def disk_full_trials(code: Path, work: Path, expected: dict, count: int, seed: int) -> Counter | None:
    """Run the disk-full trials in a user and mount namespace (a private tmpfs per trial)."""
    (work / "expected.json").write_text(json.dumps(expected))
    command = [sys.executable, __file__, DISK_INNER, str(work), "--store-code", str(code),
               "--disk-full", str(count), "--seed", str(seed)]
    for prefix in (["unshare", "--user", "--map-root-user", "--mount"], ["unshare", "--mount"]):
        probe = subprocess.run([*prefix, "true"], capture_output=True)
        if probe.returncode == 0:
            done = subprocess.run([*prefix, *command], stdout=subprocess.PIPE, text=True)
            lines = done.stdout.strip().splitlines()
            if done.returncode == 0 and lines and lines[-1].startswith("{"):
                return Counter(json.loads(lines[-1]))
            print(f"disk-full trials failed (exit {done.returncode})")
            return None
    print("disk-full trials skipped: cannot create a mount namespace here (unshare)")
    return None


def _mount(target: Path, size_bytes: int) -> None:
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_bytes}", "tmpfs", str(target)], check=True)


def _fill(folder: Path) -> Path:
    """Write zeros into ``folder`` until the file system is full."""
    filler = folder / "filler.bin"
    chunk = b"\0" * (1 << 16)
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(chunk)
        except OSError:
            pass
        small = b"\0" * 512
        try:
            while True:
                handle.write(small)
        except OSError:
            pass
    return filler


def _disk_inner(work: Path, code: Path, count: int, seed: int) -> None:
    expected = json.loads((work / "expected.json").read_text())
    expected["old"], expected["other"] = tuple(expected["old"]), tuple(expected["other"])
    rng = random.Random(seed)
    counts: Counter = Counter()
    base_bytes = _usage(work / "base")
    for i in range(count):
        mount = work / f"disk{i}"
        refused = i < 2  # too small from the start: the load must refuse before writing anything
        room = int(base_bytes * (1.5 if i == 0 else 3)) if refused else int(
            base_bytes + (expected["disk"]["peak_extra_mib"] * 3 + 40) * 2**20)
        _mount(mount, room)
        store = mount / "store"
        shutil.copytree(work / "base", store)
        child = _cli(code, store, "load", expected["csv_path"])
        filler = None
        when = ""
        if not refused:
            if i % 3 == 2:
                while child.poll() is None and not _checkpointing(store):
                    time.sleep(0.0005)
                when = "at the checkpoint"
            else:
                delay = rng.uniform(0.5, expected["disk"]["seconds"])
                time.sleep(delay)
                when = f"at {delay:.1f} s"
            if child.poll() is None:
                filler = _fill(mount)
            else:
                when = "never: the load had finished"
        rc = child.wait()
        said = [line for line in child.stderr.read().splitlines() if line.strip() and "loading:" not in line]
        said = said[-3:] or ["(nothing)"]  # the message (or LadybugDB's last words), without the progress bar
        child.stderr.close()
        clear = any("空きが足りない" in line for line in said) and not any("Traceback" in s for s in said)
        state_full, detail_full = _classify(code, store, expected, "new_disk")
        if filler is not None:
            filler.unlink()
        subprocess.run(["mount", "-o", f"remount,size={room + 200 * 2**20}", str(mount)], check=True)
        state_freed, detail_freed = _classify(code, store, expected, "new_disk")
        again = _cli(code, store, "load", expected["csv_path"])
        again_rc = again.wait()
        again.stderr.close()
        state_again, _ = _classify(code, store, expected, "new_disk")
        for key in (state_freed, f"full:{state_full}", f"exit:{rc}", "clear message" if clear else "no clear message",
                    f"reload:{state_again}" if again_rc == 0 else "reload failed"):
            counts[key] += 1
        kind = "refused (tmpfs too small)" if refused else f"filled {when}"
        print(f"disk {i + 1} {kind:30s} exit {rc:3d} said: {' | '.join(said)[:160]!r}", file=sys.stderr)
        print(f"       while full: {state_full} {detail_full}; after freeing: {state_freed} {detail_freed}; "
              f"load again: exit {again_rc}, {state_again}", file=sys.stderr, flush=True)
        subprocess.run(["umount", str(mount)], check=True)
    print(json.dumps(counts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--disk-full", type=int, default=8)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--cost", type=int, default=0, metavar="N",
                        help="only measure a load into a store of N municipalities (the cost of the copy)")
    parser.add_argument("--store-code", type=Path, default=HERE.parent,
                        help="the Tsunagari checkout whose store is tried (default: this one)")
    parser.add_argument(DISK_INNER, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    code = args.store_code.resolve()
    if args.disk_full_inner:
        _disk_inner(args.disk_full_inner, code, args.disk_full, args.seed)
        return
    work = Path(tempfile.mkdtemp(prefix="tsunagari-atomic-"))
    if args.cost:
        try:
            cost(code, work, args.cost)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    try:
        expected = prepare(code, work)
        kills = kill_trials(code, work, expected, args.kills, args.seed) if args.kills else Counter()
        disks = disk_full_trials(code, work, expected, args.disk_full, args.seed) if args.disk_full else None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nkill trials ({args.kills}): " + ", ".join(f"{k} {kills[k]}" for k in ("old", "new", "lost", "unopenable")))
    for mode in ("random", "checkpoint", "ready"):
        print(f"  {mode}: " + ", ".join(f"{k} {kills[f'{mode}:{k}']}" for k in ("old", "new", "lost", "unopenable")))
    if disks is not None:
        print(f"disk-full trials ({args.disk_full}), after freeing the space: "
              + ", ".join(f"{k} {disks[k]}" for k in ("old", "new", "lost", "unopenable")))
        print("  while full: " + ", ".join(f"{k} {disks[f'full:{k}']}" for k in ("old", "new", "lost", "unopenable")))
        print(f"  clear message {disks['clear message']}, exits "
              + ", ".join(f"{k[5:]}: {v}" for k, v in sorted(disks.items()) if k.startswith("exit:"))
              + f"; load again after freeing: new {disks['reload:new']}")


if __name__ == "__main__":
    main()
