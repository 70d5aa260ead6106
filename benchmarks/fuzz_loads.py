"""Fuzz the loader: seeded mutations of the sample packages, each read as a folder, a zip or a workbook.

Every case must end in one of two ways:

- **refused**: a :class:`~tsunagari.loaders.errors.DataPackageError` whose every error names a file
  (and row and column where there is one), which the CLI prints with exit 2;
- **accepted**: a package that, loaded into an embedded store and read back, is identical.

Anything else is a **crash** (another exception, an error naming no file) or a **round-trip
difference**, printed with the seed that reproduces it. ``tests/corpus/test_fuzz.py`` runs a few
hundred cases of this harness in CI.

Usage::

    python benchmarks/fuzz_loads.py --cases 10000 [--seed 0] [--no-store]
    python benchmarks/fuzz_loads.py --replay 1234     # one case, with its traceback
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tsunagari.errors import TsunagariError  # noqa: E402
from tsunagari.loaders.errors import DataPackageError, PackageNotFoundError  # noqa: E402
from tsunagari.loaders.validate import read_package  # noqa: E402

SOURCES = [ROOT / "tests" / "fixtures" / "mini", *sorted((ROOT / "data_samples").iterdir())]
SOURCES = [s for s in SOURCES if (s / "manifest.csv").exists()]

HOSTILE_CELLS = [
    "", " ", "-1", "0", "1e309", "NaN", "inf", "9" * 25, "-" + "9" * 20, "0x1F", "１２３", "２５．６％", "25.6%",
    "150%", "true", "はい", "none", "null", "=cmd|' /C calc'!A0", "+SUM(A1)", "@A1", "a:b", "a b", "、", ";;",
    "事例1;事例2", "\u202e逆", "😀", "\x00", "\x1b[31m", "'", '"', '""', "`", "{x}", "\\", "<script>", "\r",
    "\n", "北地区", "hub", "north", "庁内部署", "福祉", "ひきこもり", "MEMBER_OF", "COLLABORATES_WITH", "座長",
    "委託", "R5/3/31", "2024-04-01", "03-1234-5678", "taro@example.jp", "123456789012", "長" * 40_000,
    "x" * 300, "1,000", "１，０００人", "12か所", "3.5", "-0", "0.0", "1_000",
]
ALIASES = ["機関・部署", "関係", "つながり", "基本情報", "地区", "会議体", "事業", "住民組織", "課題", "unknown",
           "AGENCIES", " ties", "ties.csv"]


@dataclass
class Outcome:
    """What one case ended in."""

    kind: str  # "refused", "accepted", "crash", "roundtrip"
    detail: str = ""
    mutations: list[str] = field(default_factory=list)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _write_rows(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _mutate_folder(rng: random.Random, folder: Path, log: list[str]) -> None:
    files = sorted(folder.glob("*.csv"))
    if not files:
        return
    target = rng.choice(files)
    op = rng.choice(["cell", "cell", "cell", "cell", "header", "drop_column", "bytes", "truncate", "line_delete",
                     "line_duplicate", "line_swap", "reencode", "delete_file", "rename_file", "copy_file", "empty",
                     "insert_raw", "extra_cell", "quote"])
    log.append(f"{op}:{target.name}")
    data = target.read_bytes()
    text = data.decode("utf-8", errors="replace")
    if op in ("cell", "header", "drop_column", "extra_cell"):
        rows = _rows(text)
        if not rows:
            return
        if op == "cell" and len(rows) > 1:
            r = rng.randrange(1, len(rows))
            if rows[r]:
                c = rng.randrange(len(rows[r]))
                rows[r][c] = rng.choice(HOSTILE_CELLS) if rng.random() < 0.7 else rng.choice(rng.choice(rows))
        elif op == "header" and rows[0]:
            c = rng.randrange(len(rows[0]))
            rows[0][c] = rng.choice(["", "id", "name", rows[0][rng.randrange(len(rows[0]))], "氏名", "電話番号",
                                     "ＩＤ", "Name ", "名称", "x", rng.choice(HOSTILE_CELLS)[:20]])
        elif op == "drop_column" and rows[0]:
            c = rng.randrange(len(rows[0]))
            rows = [row[:c] + row[c + 1:] for row in rows]
        elif op == "extra_cell" and len(rows) > 1:
            r = rng.randrange(1, len(rows))
            rows[r].append(rng.choice(["x", "", "第2章"]))
        target.write_text(_write_rows(rows), "utf-8")
    elif op == "bytes":
        buf = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            if buf:
                buf[rng.randrange(len(buf))] = rng.randrange(256)
        target.write_bytes(bytes(buf))
    elif op == "truncate":
        target.write_bytes(data[: rng.randrange(len(data) + 1)])
    elif op in ("line_delete", "line_duplicate", "line_swap"):
        lines = text.splitlines(keepends=True)
        if len(lines) < 2:
            return
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        if op == "line_delete":
            del lines[i]
        elif op == "line_duplicate":
            lines.insert(j, lines[i])
        else:
            lines[i], lines[j] = lines[j], lines[i]
        target.write_text("".join(lines), "utf-8")
    elif op == "reencode":
        encoding = rng.choice(["cp932", "utf-16", "euc_jp", "utf-8-sig", "latin-1", "utf-16-le", "utf-32"])
        try:
            target.write_bytes(text.encode(encoding))
        except UnicodeEncodeError:
            target.write_bytes(text.encode(encoding, errors="replace"))
    elif op == "delete_file":
        target.unlink()
    elif op == "rename_file":
        target.rename(folder / f"{rng.choice(ALIASES)}{rng.choice(['.csv', '.tsv', '.txt', '.CSV'])}")
    elif op == "copy_file":
        shutil.copy(target, folder / f"{rng.choice(ALIASES)}.csv")
    elif op == "empty":
        target.write_bytes(rng.choice([b"", b"\n", b"\xef\xbb\xbf", b" ,\n"]))
    elif op == "insert_raw":
        at = rng.randrange(len(data) + 1)
        junk = rng.choice([b'"', b",", b"\n", b"\r", b"\t", b"\x00", b'""', b'"\n"', b"\xff\xfe", b"\x82",
                           bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))])
        target.write_bytes(data[:at] + junk + data[at:])
    elif op == "quote":
        at = rng.randrange(len(text) + 1)
        target.write_text(text[:at] + '"' + text[at:], "utf-8")


def _to_zip(rng: random.Random, folder: Path, target: Path, log: list[str]) -> Path:
    prefix = rng.choice(["", "", f"{folder.name}/", "pkg/sub/"])
    with zipfile.ZipFile(target, "w", rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])) as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, prefix + file.name)
    if rng.random() < 0.4:
        data = bytearray(target.read_bytes())
        op = rng.choice(["flip", "truncate", "zero"])
        log.append(f"zip_{op}")
        if op == "flip":
            for _ in range(rng.randint(1, 6)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif op == "truncate":
            data = data[: rng.randrange(len(data))]
        else:
            start = rng.randrange(len(data))
            data[start:start + rng.randint(1, 64)] = bytes(min(64, len(data) - start))
        target.write_bytes(bytes(data))
    return target


def _to_workbook(rng: random.Random, folder: Path, target: Path, log: list[str]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for file in sorted(folder.iterdir()):
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        try:
            rows = _rows(text)
        except csv.Error:
            continue
        title = file.stem[:31] or "x"
        if any(ch in title for ch in "[]:*?/\\") or title in workbook.sheetnames:
            continue
        sheet = workbook.create_sheet(title)
        for row in rows:
            values: list[object] = []
            for cell in row:
                cell = "".join(ch for ch in cell if ch >= " " or ch in "\t\n\r")
                if rng.random() < 0.3:
                    try:
                        values.append(int(cell) if cell.isdigit() and len(cell) < 15 else float(cell))
                        continue
                    except ValueError:
                        pass
                values.append(cell)
            sheet.append(values)
        if rng.random() < 0.1 and sheet.max_row > 1:
            log.append(f"formula:{title}")
            sheet.cell(rng.randint(2, sheet.max_row), rng.randint(1, max(1, sheet.max_column)), "=1+1")
        if rng.random() < 0.1 and sheet.max_row > 1:
            log.append(f"percent:{title}")
            cell = sheet.cell(rng.randint(2, sheet.max_row), rng.randint(1, max(1, sheet.max_column)), 0.256)
            cell.number_format = "0.0%"
    if not workbook.sheetnames:
        workbook.create_sheet("empty")
    workbook.save(target)
    if rng.random() < 0.4:
        with zipfile.ZipFile(target) as archive:
            parts = {info.filename: archive.read(info) for info in archive.infolist()}
        name = rng.choice(sorted(parts))
        op = rng.choice(["flip", "truncate", "delete", "dtd", "dimension"])
        log.append(f"xlsx_{op}:{name}")
        data = parts[name]
        if op == "flip" and data:
            buf = bytearray(data)
            for _ in range(rng.randint(1, 6)):
                buf[rng.randrange(len(buf))] = rng.randrange(256)
            parts[name] = bytes(buf)
        elif op == "truncate":
            parts[name] = data[: rng.randrange(len(data) + 1)]
        elif op == "delete":
            del parts[name]
        elif op == "dtd":
            parts[name] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + (
                data[data.index(b"?>") + 2:] if data.startswith(b"<?xml") else data)
        elif op == "dimension":
            parts[name] = data.replace(b'<dimension ref="', b'<dimension ref="A1:B2" old="', 1)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, content in parts.items():
                archive.writestr(part, content)
    return target


def build_case(seed: int, workdir: Path) -> tuple[Path, list[str]]:
    """The mutated package of case ``seed`` under ``workdir``, and the mutations applied."""
    rng = random.Random(seed)
    source = rng.choice(SOURCES)
    workdir.mkdir(parents=True, exist_ok=True)
    folder = workdir / source.name
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("README*"))
    log = [source.name]
    for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
        _mutate_folder(rng, folder, log)
    form = rng.choices(["folder", "zip", "xlsx"], weights=[6, 2, 2])[0]
    log.insert(1, form)
    if form == "zip":
        return _to_zip(rng, folder, workdir / "package.zip", log), log
    if form == "xlsx":
        return _to_workbook(rng, folder, workdir / "package.xlsx", log), log
    return folder, log


def _expected(package) -> tuple[dict, list]:  # the graph a package should read back as (None dropped)
    nodes = {}
    for node in package.nodes:
        attributes = {k: v for k, v in node.properties.items() if v is not None}
        if node.label == "Municipality":
            attributes["content_hash"] = package.content_hash
        nodes[node.uid] = {"kind": node.label, **attributes}
    edges = sorted((t.from_uid, t.to_uid, t.tid, {"kind": t.kind, **{k: v for k, v in t.properties.items()
                                                                    if v is not None}}) for t in package.ties)
    return nodes, edges


def run_case(seed: int, *, store=None, proven: set[str] | None = None) -> Outcome:
    """Build case ``seed``, read it, and (if accepted and ``store`` given) round-trip it through ``store``.

    ``proven`` holds the content hashes already read back identical: a package with one of them has
    the same records, so it is not loaded again (most harmless mutations give the sample's own hash).
    """
    with tempfile.TemporaryDirectory(prefix="tsunagari-fuzz-") as tmp:
        try:
            path, log = build_case(seed, Path(tmp))
        except Exception as err:  # the harness itself failed to build the case: not the loader's fault
            return Outcome("skipped", f"build: {type(err).__name__}: {err}")
        try:
            package = read_package(path)
        except DataPackageError as err:
            errors = [i for i in err.issues if i.severity == "error"]
            unnamed = [i for i in errors if not i.file]
            if not errors or unnamed:
                return Outcome("crash", f"refusal naming no file: {err.issues[:3]}", log)
            return Outcome("refused", errors[0].code, log)
        except PackageNotFoundError as err:
            return Outcome("refused", err.key, log)
        except TsunagariError as err:
            return Outcome("crash", f"{type(err).__name__}: {err}", log)
        except Exception:
            return Outcome("crash", _signature(), log)
        if store is None:
            return Outcome("accepted", "", log)
        if proven is not None and package.content_hash in proven:
            return Outcome("accepted", "", log)
        try:
            store.load_packages([package])  # replaces the municipality of the previous case with this code
            graph = store.read_graph(package.code)
        except Exception:
            return Outcome("crash", "store: " + _signature(), log)
        nodes, edges = _expected(package)
        got_edges = sorted((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True))
        if dict(graph.nodes(data=True)) != nodes or got_edges != edges:
            return Outcome("roundtrip", "graph read back differs", log)
        if proven is not None:
            proven.add(package.content_hash)
        return Outcome("accepted", "", log)


def _signature() -> str:
    kind, value, tb = sys.exc_info()
    frames = traceback.extract_tb(tb)
    ours = [f for f in frames if "tsunagari" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{kind.__name__ if kind else '?'} at {where}: {str(value)[:120]}"


def run(cases: int, *, seed: int = 0, store_url: str | None = None, report_every: int = 0) -> dict[str, object]:
    """Run ``cases`` cases from ``seed``; returns the counts and the failing seeds by kind of failure."""
    counts: Counter[str] = Counter()
    failures: dict[str, list[int]] = {}
    store_cm = None
    store = None
    if store_url is not None:
        from tsunagari.graph.open import open_store
        from tsunagari.settings import Settings

        store_cm = open_store(Settings(store_url=store_url))
        store = store_cm.__enter__()
    started = time.monotonic()
    proven: set[str] = set()
    try:
        for case in range(seed, seed + cases):
            outcome = run_case(case, store=store, proven=proven)
            counts[outcome.kind] += 1
            if outcome.kind in ("crash", "roundtrip"):
                failures.setdefault(outcome.detail, []).append(case)
            if report_every and (case - seed + 1) % report_every == 0:
                print(f"{case - seed + 1:,} cases, {time.monotonic() - started:,.0f} s: {dict(counts)}",
                      file=sys.stderr, flush=True)
    finally:
        if store_cm is not None:
            store_cm.__exit__(None, None, None)
    return {"counts": dict(counts), "failures": failures, "seconds": time.monotonic() - started,
            "distinct_accepted": len(proven)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-store", action="store_true", help="skip the store round trip of accepted cases")
    parser.add_argument("--replay", type=int, help="run one case and show its traceback")
    args = parser.parse_args(argv)
    if args.replay is not None:
        with tempfile.TemporaryDirectory() as tmp:
            path, log = build_case(args.replay, Path(tmp))
            print("mutations:", log, file=sys.stderr)
            read_package(path)
            print("accepted")
        return 0
    with tempfile.TemporaryDirectory(prefix="tsunagari-fuzz-store-") as tmp:
        result = run(args.cases, seed=args.seed, store_url=None if args.no_store else f"embedded://{tmp}/store",
                     report_every=500)
    counts = result["counts"]
    print(f"cases: {args.cases:,} (seeds {args.seed}..{args.seed + args.cases - 1}), {result['seconds']:,.0f} s")
    for kind in ("refused", "accepted", "crash", "roundtrip", "skipped"):
        print(f"  {kind}: {counts.get(kind, 0):,}")  # type: ignore[union-attr]
    if not args.no_store:
        print(f"  accepted with distinct content, each read back from the store: {result['distinct_accepted']:,}")
    for detail, seeds in sorted(result["failures"].items(), key=lambda kv: -len(kv[1])):  # type: ignore[union-attr]
        print(f"  {len(seeds):,} × {detail}  (e.g. --replay {seeds[0]})")
    return 1 if counts.get("crash") or counts.get("roundtrip") else 0  # type: ignore[union-attr]


if __name__ == "__main__":
    raise SystemExit(main())
