"""Cold start of the release app beside a bare Tauri window built the same way.

    scripts/bench-start.sh            (builds both in release, then runs this)

For each run the OS file cache is dropped (when run as root), the window is
started through tauri-driver under Xvfb, and the clock stops when the first
screen is painted: for the app, Today and then the customer list's first
page on a 100,000-customer ledger; for the bare window, its one static page.
Memory is the resident set of the app process and its WebKit processes,
three seconds after the list is shown (idle) and at its highest (peak).
Prints a Markdown table for docs/benchmarks.md.
"""

import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support.ui import WebDriverWait

TARGET = Path(os.environ["CARGO_TARGET_DIR"]) / "release"
APP, BARE, CLI = TARGET / "daicho-app", TARGET / "daicho-bench-shell", TARGET / "daicho"
RUNS = int(os.environ.get("RUNS", "5"))
CUSTOMERS = int(os.environ.get("CUSTOMERS", "100000"))
PORT = 4446  # tauri-driver itself uses 4445 for WebKitWebDriver


def wait_port(port):
    for _ in range(200):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("tauri-driver did not start")


def drop_caches():
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def family(pid):
    """The process and all its descendants (WebKit's web and network processes)."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True).stdout
    children = {}
    for line in out.splitlines():
        p, pp = map(int, line.split())
        children.setdefault(pp, []).append(p)
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def memory_kb(pid, field):
    total = 0
    for p in family(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def app_pid(binary):
    out = subprocess.run(["pgrep", "-n", "-f", str(binary)], capture_output=True, text=True).stdout.split()
    return int(out[0]) if out else None


def settled_memory(binary):
    """Resident memory three seconds after the screen is shown, and its peak."""
    pid = app_pid(binary)
    time.sleep(3)
    return memory_kb(pid, "VmRSS"), memory_kb(pid, "VmHWM")


def start(binary, args):
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": str(binary), "args": args})
    # tauri-driver can answer before WebKitWebDriver listens: a refused first
    # session is asked for again (the timing of such a run is not used).
    for attempt in range(3):
        try:
            return webdriver.Remote(f"http://127.0.0.1:{PORT}", options=options)
        except Exception:
            if attempt == 2:
                raise
            time.sleep(2)


def present(driver, css, timeout=120):
    try:
        WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))
    except Exception:
        # What the window showed instead (a prompt, an error): said, and kept.
        shot = Path(tempfile.gettempdir()) / "bench-start-timeout.png"
        driver.save_screenshot(str(shot))
        body = driver.find_element(By.TAG_NAME, "body").text
        raise RuntimeError(f"{css} never appeared; the window showed: {body[:500]!r} ({shot})") from None


def painted(driver):
    """Two animation frames: what is in the DOM has reached the screen."""
    driver.execute_async_script("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));")


def run_app(ledger):
    work = Path(tempfile.mkdtemp())
    db = work / "daicho.sqlite3"
    shutil.copy(ledger, db)
    cold = drop_caches()
    t0 = time.perf_counter()
    driver = start(APP, ["--db", str(db)])
    present(driver, '[data-testid="today-screen"]')
    painted(driver)
    today = time.perf_counter() - t0
    driver.find_element(By.CSS_SELECTOR, '[data-testid="nav-customers"]').click()
    present(driver, '[data-testid^="row-"]')
    painted(driver)
    listed = time.perf_counter() - t0
    idle, peak = settled_memory(APP)
    driver.quit()
    shutil.rmtree(work)
    return today, listed, idle, peak, cold


def run_bare():
    cold = drop_caches()
    t0 = time.perf_counter()
    driver = start(BARE, [])
    present(driver, "#ready")
    painted(driver)
    shown = time.perf_counter() - t0
    idle, peak = settled_memory(BARE)
    driver.quit()
    return shown, idle, peak, cold


def main():
    ledger = Path(tempfile.gettempdir()) / f"daicho-start-ledger-{CUSTOMERS}.sqlite3"
    if not ledger.exists():
        print(f"generating a {CUSTOMERS}-customer ledger…", file=sys.stderr)
        subprocess.run([str(CLI), "--db", str(ledger), "sample", "--count", str(CUSTOMERS), "--seed", "42"], check=True)
        # The office has been through the first-run screen already.
        # Closed, not only committed: the last connection's close moves the
        # WAL into the file, and each run copies the file alone (an open
        # connection left the first runs on the first-run screen).
        conn = sqlite3.connect(ledger)
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('first_run_done', 'true')")
        conn.commit()
        conn.close()
    env = dict(os.environ)
    procs = []
    if not env.get("DISPLAY"):
        env["DISPLAY"] = ":98"
        procs.append(subprocess.Popen(["Xvfb", ":98", "-screen", "0", "1440x900x24", "-nolisten", "tcp"], stderr=subprocess.DEVNULL))
        time.sleep(1)
    driver_bin = shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver")
    procs.append(subprocess.Popen([driver_bin, "--port", str(PORT), "--native-driver", "/usr/bin/WebKitWebDriver"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    wait_port(PORT)
    try:
        # One unmeasured start of each warms up the driver.
        run_bare()
        apps = [run_app(ledger) for _ in range(RUNS)]
        bares = [run_bare() for _ in range(RUNS)]
    finally:
        for p in reversed(procs):
            p.terminate()
    med = statistics.median
    cold = all(a[4] for a in apps) and all(b[3] for b in bares)
    t_today, t_list = med(a[0] for a in apps), med(a[1] for a in apps)
    t_bare = med(b[0] for b in bares)
    idle, peak = med(a[2] for a in apps) / 1024, med(a[3] for a in apps) / 1024
    b_idle, b_peak = med(b[1] for b in bares) / 1024, med(b[2] for b in bares) / 1024
    print(f"| start to first paint, {CUSTOMERS} customers ({'cold file cache' if cold else 'warm file cache'}, median of {RUNS}) | time | idle memory | peak memory |")
    print("| --- | --- | --- | --- |")
    print(f"| bare Tauri window (one static page) | {t_bare:.2f} s | {b_idle:.0f} MB | {b_peak:.0f} MB |")
    print(f"| Daichō: Today painted | {t_today:.2f} s | | |")
    print(f"| Daichō: customer list, first page painted | {t_list:.2f} s | {idle:.0f} MB | {peak:.0f} MB |")
    print(f"| ratio (list / bare) | {t_list / t_bare:.2f}× | {idle / b_idle:.2f}× | {peak / b_peak:.2f}× |")


if __name__ == "__main__":
    main()
