"""The DM list's peer: the script an office's IT person would write, openpyxl
in write-only mode writing the same cells as Daichō's export (read from a
JSON file the bench writes first, not timed). Prints the bench's Run JSON.

    python openpyxl_dm.py CELLS.json OUT.xlsx
"""

import json
import resource
import sys
import time

from openpyxl import Workbook

with open(sys.argv[1], encoding="utf-8") as f:
    headers, rows = json.load(f)
started = time.perf_counter()
book = Workbook(write_only=True)
sheet = book.create_sheet("DM")
sheet.append(headers)
for row in rows:
    sheet.append(row)
book.save(sys.argv[2])
seconds = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_kb": peak_kb, "reports_per_second": 0, "idle_mb": 0, "save_seconds": 0}))
