"""Several PCs in the app (issue #20), as an office sets them up: the hub
and two app windows on one machine (loopback). The office PC becomes the
hub from Settings → 複数台で使う and shows a pairing code; a laptop joins
with it through a link this test can cut; both edit the same customer's
phone while the link is cut; once it is back, the conflict card is settled
in one window and the other shows the settlement.

Each window has its own tauri-driver and home (one WebKitWebDriver serves
one session)."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.file_detector import UselessFileDetector

from conftest import APP, SHOTS, App, _wait_port
from test_ledger_app import cli, first_run
from test_office_ui import Link
from test_request_settings import open_customer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Window(App):
    """An app window driven through its own tauri-driver."""

    def __init__(self, db: Path, port: int):
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": str(APP), "args": ["--db", str(db)]})
        for attempt in range(3):
            try:
                self.driver = webdriver.Remote(f"http://127.0.0.1:{port}", options=options)
                break
            except Exception:
                if attempt == 2:
                    raise
                time.sleep(2)
        self.driver.set_window_size(1440, 900)
        self.driver.file_detector = UselessFileDetector()


@pytest.fixture
def drivers(tmp_path):
    """Two tauri-drivers, each with a home of its own; the hub listens on a
    loopback port of the test's choosing."""
    assert APP.exists(), f"build the app first: {APP}"
    SHOTS.mkdir(exist_ok=True)
    procs, ports = [], []
    hub_port = free_port()
    display = os.environ.get("DISPLAY")
    if not display:
        display = ":97"
        procs.append(subprocess.Popen(["Xvfb", display, "-screen", "0", "1440x900x24", "-nolisten", "tcp"], stderr=subprocess.DEVNULL))
        time.sleep(1)
    tauri_driver = shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver")
    for name in ("office", "laptop"):
        home = tmp_path / f"home-{name}"
        home.mkdir()
        env = dict(os.environ, DISPLAY=display, HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"), DAICHO_HUB_LISTEN=f"127.0.0.1:{hub_port}")
        port, native = free_port(), free_port()
        log = open(SHOTS / f"tauri-driver-{name}.log", "w")
        procs.append(subprocess.Popen([tauri_driver, "--port", str(port), "--native-port", str(native), "--native-driver", "/usr/bin/WebKitWebDriver"], env=env, stdout=log, stderr=log))
        _wait_port(port, 20)
        ports.append(port)
    windows = []
    yield ports, hub_port, windows
    for w in windows:
        try:
            w.quit()
        except Exception:
            pass
    for p in reversed(procs):
        p.terminate()
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()


def phone_of(window: Window, name: str) -> str:
    open_customer(window, name)
    return window.find("field-phone").get_attribute("value")


def set_phone(window: Window, name: str, phone: str):
    open_customer(window, name)
    window.type_into("field-phone", phone)
    window.click("save-customer")
    window.until(lambda d: window.find("field-phone").get_attribute("value") == phone)


def test_a_hub_and_two_windows_settle_a_conflict(drivers, tmp_path):
    (office_port, laptop_port), hub_port, windows = drivers
    started = time.time()

    # The office PC: its ledger with a customer, then 「このPCを親機にする」.
    office_db = tmp_path / "office" / "daicho.sqlite3"
    office = Window(office_db, office_port)
    windows.append(office)
    first_run(office)
    cli(office_db, "add", "--family", "青木", "--given", "一郎", "--phone", "03-1234-5678")
    office.click("nav-settings")
    office.click("settings-office")
    office.click("office-become-hub")
    office.click("office-hub-yes")
    office.click("office-pairing")
    code = office.text_of("office-pairing-code").strip()
    assert len(code.replace("-", "")) == 14, code
    assert office.find("office-pairing-qr").get_attribute("src").startswith("data:image/svg+xml")
    office.screenshot("office-01-hub-pairing-code")

    # The laptop joins through a link the test can cut.
    link = Link(hub_port)
    laptop_db = tmp_path / "laptop" / "daicho.sqlite3"
    laptop = Window(laptop_db, laptop_port)
    windows.append(laptop)
    first_run(laptop)
    laptop.click("nav-settings")
    laptop.click("settings-office")
    laptop.type_into("office-address", f"127.0.0.1:{link.port}")
    laptop.type_into("office-code", code)
    laptop.type_into("office-pc-name-input", "田中ノート")
    laptop.screenshot("office-02-join-form")
    laptop.click("office-join")
    laptop.find("office-joined", timeout=60)
    laptop.screenshot("office-03-joined")
    setup_seconds = time.time() - started
    assert setup_seconds < 180, f"setting up the hub and a PC took {setup_seconds:.0f} s"
    assert phone_of(laptop, "青木") == "03-1234-5678", "the office's customer came with the snapshot"
    laptop.wait_text("sync-state", "同期済み", timeout=20)
    laptop.screenshot("office-04-header-synced")

    # Both change the same phone while the laptop is cut off.
    link.set_cut(True)
    set_phone(office, "青木", "03-1111-1111")
    set_phone(laptop, "青木", "090-2222-2222")
    laptop.wait_text("sync-state", "未送信", timeout=20)
    laptop.screenshot("office-05-header-offline")

    # The link comes back: the office gets a card; it takes A (its own).
    link.set_cut(False)
    laptop.wait_text("sync-state", "同期済み", timeout=30)
    office.click("nav-inbox")
    card = office.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid^="conflict-take-a-"]'), 30)[0]
    take_a = card.get_attribute("data-testid")
    office.screenshot("office-06-inbox")
    card_text = office.text_of("inbox-screen")
    assert "03-1111-1111" in card_text and "090-2222-2222" in card_text and "田中ノート" in card_text, card_text
    office.click(take_a)
    office.find("inbox-empty", timeout=10)

    # The laptop sees the settlement: the value, and no card.
    laptop.until(lambda d: cli(laptop_db, "customers", "--search", "青木")[0]["phone"] == "03-1111-1111")
    # The window reads it again once it polls the sync state (every 2 s).
    open_customer(laptop, "青木")
    laptop.until(lambda d: laptop.find("field-phone").get_attribute("value") == "03-1111-1111")
    laptop.click("nav-inbox")
    laptop.find("inbox-empty", timeout=20)
    laptop.screenshot("office-07-laptop-after-settlement")
    assert cli(office_db, "customers", "--search", "青木")[0]["phone"] == "03-1111-1111"
