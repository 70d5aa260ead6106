"""Peak memory and time of reading hostile inputs: zip and workbook bombs, a huge header line, huge CSVs.

Each case is built under a temporary folder, then read by ``read_package`` in a child process
whose peak resident memory (its own ``getrusage(RUSAGE_SELF).ru_maxrss``, interpreter and imports
included) and the time ``read_package`` took are printed
with the outcome (the issue codes of the refusal, or "accepted"). The child's address space is
capped at 4 GB so that a regression fails the case instead of the machine.

Usage::

    python benchmarks/hostile_inputs.py            # every case
    python benchmarks/hostile_inputs.py zip_bomb_1mb header_100mb
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
MB = 1024 * 1024
ZEROS = bytes(MB)

_CHILD = r"""
import json, resource, sys, time
from tsunagari.loaders.errors import DataPackageError
from tsunagari.loaders.validate import read_package
started = time.monotonic()
try:
    package = read_package(sys.argv[1])
    outcome = f"accepted ({len(package.nodes)} nodes, {len(package.ties)} ties)"
except DataPackageError as err:
    outcome = "refused: " + ", ".join(sorted({i.code for i in err.issues if i.severity == "error"}))
print(json.dumps({"outcome": outcome, "seconds": time.monotonic() - started,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _package(folder: Path) -> Path:
    shutil.copytree(MINI, folder)
    return folder


def zip_bomb_1mb(tmp: Path) -> Path:
    """One member of 1 GiB of zeros: about 1 MB compressed."""
    path = tmp / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for file in MINI.iterdir():
            if file.name != "agencies.csv":
                archive.write(file, file.name)
        with archive.open("agencies.csv", "w", force_zip64=True) as member:
            for _ in range(1024):
                member.write(ZEROS)
    return path


def zip_bomb_lying_header(tmp: Path) -> Path:
    """The 1 MB bomb with its central directory claiming 1 KB: zipfile stops at 1 KB and fails the CRC."""
    path = zip_bomb_1mb(tmp)
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x01\x02")
    # zip64: the real sizes live in the extra field; the 0xFFFFFFFF markers point there.
    name_length = int.from_bytes(data[at + 28:at + 30], "little")
    extra = at + 46 + name_length
    if data[extra:extra + 2] == b"\x01\x00":
        data[extra + 4:extra + 12] = (1024).to_bytes(8, "little")
    else:
        data[at + 24:at + 28] = (1024).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def zip_csv_2_6mb(tmp: Path) -> Path:
    """A plausible CSV of repeated rows, ~250 MB, in a ~2.6 MB zip."""
    path = tmp / "rows.zip"
    row = "g{},サロン,サロン,north,,,地域の見守り活動\n"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for file in MINI.iterdir():
            if file.name != "resident_groups.csv":
                archive.write(file, file.name)
        with archive.open("resident_groups.csv", "w", force_zip64=True) as member:
            member.write("id,name,type,district,count,aggregate,source\n".encode())
            block = "".join(row.format(i % 10) for i in range(10_000)).encode()
            for _ in range(250 * MB // len(block)):
                member.write(block)
    return path


def zip_many_bombs(tmp: Path) -> Path:
    """Ten members of 256 MiB of zeros each (2.6 GB declared), ~2.6 MB compressed."""
    path = tmp / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for n in range(10):
            with archive.open(f"ties{n}.csv" if n else "ties.csv", "w", force_zip64=True) as member:
                for _ in range(256):
                    member.write(ZEROS)
    return path


def xlsx_bomb_5mb(tmp: Path) -> Path:
    """A workbook whose one sheet is ~1 GB of repeated rows of XML, ~5 MB compressed."""
    path = tmp / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                         '<sheet name="agencies" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/><sheetData>')
            block = "".join(f'<row><c t="inlineStr"><is><t>{"見守り" * 20}</t></is></c></row>' for _ in range(1000)).encode()
            for _ in range(1024 * MB // len(block)):
                member.write(block)
            member.write(b"</sheetData></worksheet>")
    return path


def xlsx_billion_laughs(tmp: Path) -> Path:
    """A workbook whose sheet expands one entity into 10^9 'lol's."""
    import openpyxl

    path = tmp / "laughs.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "agencies"
    workbook.active.append(["id"])
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    dtd = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l0 "lol">' + b"".join(
        b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10)) + b"]>"
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = dtd + sheet.replace(b"<t>id</t>", b"<t>&l9;</t>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def header_100mb(tmp: Path) -> Path:
    """ties.csv whose first line is 100 MB of column names without a line break."""
    folder = _package(tmp / "pkg")
    with (folder / "ties.csv").open("wb") as f:
        f.write(b"from,to,kind")
        chunk = b",column" * (MB // 7)
        for _ in range(100):
            f.write(chunk)
        f.write(b"\nhub,renkei,MEMBER_OF\n")
    return folder


def csv_478mb(tmp: Path) -> Path:
    """resident_groups.csv of 478 MB (about 3.4 million plausible rows)."""
    folder = _package(tmp / "pkg")
    rng = random.Random(0)
    with (folder / "resident_groups.csv").open("w", encoding="utf-8") as f:
        f.write("id,name,type,district,count,aggregate,source\n")
        while f.tell() < 478 * MB:
            f.writelines(f"g{rng.randrange(10**9)},サロン{i},サロン,north,,,地域の見守り活動と交流の場\n"
                         for i in range(10_000))
    return folder


def csv_1m_rows_legitimate(tmp: Path) -> Path:
    """A legitimate-looking 1,000,000-row table (~120 MB) spread over the mini package's districts."""
    folder = _package(tmp / "pkg")
    with (folder / "resident_groups.csv").open("w", encoding="utf-8") as f:
        f.write("id,name,type,source\n")
        f.writelines(f"g{i},サロン{i},サロン,地域の見守り活動{i}\n" for i in range(1_000_000))
    return folder


def node_with_1m_ties(tmp: Path) -> Path:
    """One district with 1,000,000 resident groups located in it: 1M LOCATED_IN ties at one node."""
    folder = _package(tmp / "pkg")
    with (folder / "resident_groups.csv").open("w", encoding="utf-8") as f:
        f.write("id,name,type,district,source\n")
        f.writelines(f"g{i},サロン{i},サロン,north,t\n" for i in range(1_000_000))
    return folder


CASES: dict[str, Callable[[Path], Path]] = {
    "zip_bomb_1mb": zip_bomb_1mb,
    "zip_bomb_lying_header": zip_bomb_lying_header,
    "zip_csv_2_6mb": zip_csv_2_6mb,
    "zip_many_bombs_2_6mb": zip_many_bombs,
    "xlsx_bomb_5mb": xlsx_bomb_5mb,
    "xlsx_billion_laughs": xlsx_billion_laughs,
    "header_100mb": header_100mb,
    "csv_478mb": csv_478mb,
    "csv_1m_rows_legitimate": csv_1m_rows_legitimate,
    "node_with_1m_ties": node_with_1m_ties,
}


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (4 * 1024 * MB, 4 * 1024 * MB))


def measure(name: str) -> dict[str, object]:
    """Build case ``name`` and read it in a child process; peak RSS in MB, seconds, outcome."""
    with tempfile.TemporaryDirectory(prefix="tsunagari-hostile-") as tmp:
        path = CASES[name](Path(tmp))
        size = path.stat().st_size if path.is_file() else sum(f.stat().st_size for f in path.iterdir())
        started = time.monotonic()
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, env=env,
                              preexec_fn=_cap_memory, timeout=1800)
        seconds = time.monotonic() - started
    if done.returncode != 0:
        outcome, peak = f"CRASH exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}", None
    else:
        report = json.loads(done.stdout)
        outcome, peak, seconds = report["outcome"], report["peak_rss_mb"], report["seconds"]
    return {"case": name, "input_mb": size / MB, "peak_rss_mb": peak, "seconds": seconds, "outcome": outcome}


def main(argv: list[str]) -> int:
    names = argv or list(CASES)
    print(f"{'case':<24} {'input':>10} {'peak RSS':>10} {'time':>8}  outcome")
    failed = False
    for name in names:
        result = measure(name)
        peak = result["peak_rss_mb"]
        peak_text = f"{peak:,.0f} MB" if peak is not None else "-"
        print(f"{name:<24} {result['input_mb']:>7,.1f} MB {peak_text:>10} {result['seconds']:>6.1f} s  {result['outcome']}",
              flush=True)
        failed |= str(result["outcome"]).startswith("CRASH")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
