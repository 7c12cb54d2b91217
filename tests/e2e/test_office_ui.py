"""Several PCs in the app (issue #20), as the office sees them: Settings →
複数台で使う on a ledger on its own, this PC made the hub with its pairing
code and QR code, and the header saying the work is synced; then a PC that
joins a hub (a `daicho hub serve` on loopback, behind a link this test cuts)
by typing its address and code, imports the customers it had, works
offline, and settles the conflict card its offline edit made; a PC whose
join form finds the hub on the network by itself (mDNS); and a PC whose
copy drifted from the hub's, set right from the banner."""

import json
import os
import re
import socket
import sqlite3
import subprocess
import threading

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import TARGET
from test_ledger_app import cli, first_run
from test_request_settings import open_customer

# The hub an app starts listens on loopback, on a port of its own, never on
# the office's port of the machine running the tests. The app inherits this
# from tauri-driver, which the session starts after collection.
os.environ.setdefault("DAICHO_HUB_LISTEN", "127.0.0.1:0")

DAICHO = TARGET / "debug" / "daicho"


def open_office_tab(app):
    app.click("nav-settings")
    app.click("settings-office")
    return app.find("office-settings")


def wait_attr(app, testid, name, value, timeout=20):
    def there(d):
        # A failure the tab shows is the reason: say it rather than time out.
        errors = d.find_elements(By.CSS_SELECTOR, '[data-testid="office-error"]')
        assert not errors, errors[0].text
        return app.find(testid).get_attribute(name) == value

    app.until(there, timeout, f"{testid} never had {name}={value!r}")


def test_this_pc_becomes_the_hub_and_shows_a_pairing_code(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    app = launch(db)
    first_run(app)
    # On its own the ledger says nothing of sync and has no inbox.
    assert not app.driver.find_elements(By.CSS_SELECTOR, '[data-testid="sync-state"]')
    assert not app.driver.find_elements(By.CSS_SELECTOR, '[data-testid="nav-inbox"]')

    tab = open_office_tab(app)
    assert tab.get_attribute("data-role") == "alone"
    app.find("office-choice-join")
    app.screenshot("office-ui-01-alone")

    # 「このPCを親機にする」 asks first, then makes the hub and shows a code.
    app.click("office-become-hub")
    app.find("office-hub-yes")
    app.screenshot("office-ui-02-hub-confirm")
    app.click("office-hub-yes")
    code = app.find("office-pairing-code", timeout=30).text
    assert re.fullmatch(r"\d{6}-[0-9A-Z]{4}-[0-9A-Z]{4}", code), code
    wait_attr(app, "office-settings", "data-role", "hub")
    assert app.text_of("office-hub-url").startswith("https://127.0.0.1:")
    qr = app.find("office-pairing-qr")
    app.until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", qr))
    assert "30 分間有効" in app.text_of("office-pairing-panel")
    app.wait_text("office-pcs", "0 番", timeout=20)  # this PC, the office's first

    # This PC syncs with its own hub: the header says so, and the inbox is there.
    app.wait_text("sync-state", "同期済み", timeout=20)
    assert re.search(r"同期済み \d{2}:\d{2}", app.text_of("sync-state"))
    app.find("nav-inbox")
    app.screenshot("office-ui-03-hub-pairing-code")

    # A second code is a new one.
    app.click("office-pairing")
    app.until(lambda d: app.text_of("office-pairing-code") != code)

    # The chip says what it means when asked.
    app.click("sync-state")
    app.xpath("//*[contains(@class,'sync-popover')]")
    app.screenshot("office-ui-04-header-synced")

    app.click("nav-inbox")
    app.find("inbox-empty")


class Link:
    """A TCP proxy between the app and the hub: the network cable this test pulls."""

    def __init__(self, target: int):
        self.target = target
        self.cut = False
        self.open = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            client, _ = self.server.accept()
            if self.cut:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        try:
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def set_cut(self, cut: bool):
        self.cut = cut
        if cut:
            for s in self.open:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.open.clear()


def serve_hub(hub, listen="127.0.0.1:0"):
    serving = subprocess.Popen([str(DAICHO), "--db", str(hub), "hub", "serve", "--listen", listen, "--json"], stdout=subprocess.PIPE, text=True)
    url = json.loads(serving.stdout.readline())["url"]
    return serving, int(url.rsplit(":", 1)[1])


def settled(pc) -> bool:
    """Syncs the PC once; whether it then has no card open."""
    cli(pc, "sync", "--once")
    return cli(pc, "conflicts") == []


def customer_id(db, name):
    return cli(db, "customers", "--search", name)[0]["id"]


def test_a_pc_joins_imports_its_customers_and_settles_a_conflict(launch, tmp_path):
    # The office: a first PC set up as the app leaves it (its staff, its
    # first-run questions answered) with 青木 and 上田, the hub made from it.
    first = tmp_path / "pc0.sqlite3"
    cli(first, "staff", "add", "鈴木 一郎")
    with sqlite3.connect(first) as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('first_run_done', 'true') ON CONFLICT(key) DO UPDATE SET value = 'true'")
    cli(first, "add", "--family", "青木", "--given", "一郎", "--phone", "03-1111-1111")
    cli(first, "add", "--family", "上田", "--given", "二郎", "--phone", "03-1111-2222")
    # In a folder of its own: an app finds its hub as hub.sqlite3 beside its ledger.
    (tmp_path / "hub").mkdir()
    hub = tmp_path / "hub" / "hub.sqlite3"
    cli(hub, "hub", "init", "--from", str(first), "--name", "事務所PC", "--pc-name", "事務所のPC")
    serving, port = serve_hub(hub)
    try:
        cli(first, "sync", "--once", "--hub", f"https://127.0.0.1:{port}")
        code = cli(hub, "hub", "pair")["code"]
        link = Link(port)

        # The joining PC had customers of its own: 青木 again, and 石田.
        db = tmp_path / "reception.sqlite3"
        cli(db, "add", "--family", "青木", "--given", "一郎", "--phone", "03-1111-1111")
        cli(db, "add", "--family", "石田", "--given", "花子", "--phone", "03-5555-0000")
        app = launch(db)
        first_run(app)

        open_office_tab(app)
        app.type_into("office-address", f"127.0.0.1:{link.port}")
        # Typed as read off the hub's screen: lower case, spaces for the dashes.
        app.type_into("office-code", code.lower().replace("-", " "))
        assert app.find("office-code").get_attribute("value") == code
        app.type_into("office-pc-name-input", "受付PC")
        app.screenshot("office-ui-05-join-form")
        app.click("office-join")
        app.wait_text("office-joined", "事務所PC", timeout=60)
        wait_attr(app, "office-settings", "data-role", "pc")
        app.wait_text("office-previous-counts", "新規 1 人 ／ 同じ人として統合 1 人", timeout=30)
        assert "受付PC" in app.text_of("office-pcs")
        app.screenshot("office-ui-06-joined-previous-customers")
        app.click("office-previous-import")
        app.wait_text("office-previous-done", "取り込み履歴")
        app.wait_text("sync-state", "同期済み", timeout=20)

        # The link is cut: the header says so, and the edit waits to be sent.
        aoki = customer_id(first, "青木")
        link.set_cut(True)
        wait_attr(app, "sync-state", "data-tone", "offline")
        open_customer(app, "青木")
        app.type_into("field-phone", "03-2222-2222")
        app.click("save-customer")
        app.wait_text("sync-state", "未送信 1 件", timeout=20)
        app.wait_text("sync-banner", "親機に接続できません（オフラインで作業中）")
        app.screenshot("office-ui-07-header-offline")

        # Meanwhile the first PC changes the same phone, and its change reaches the hub first.
        cli(first, "update", str(aoki), "--phone", "03-3333-3333")
        cli(first, "sync", "--once")
        link.set_cut(False)

        # The app's change arrives later and is kept; the card and the ⚠ appear.
        app.wait_text("sync-state", "同期済み", timeout=30)
        app.wait_text("inbox-badge", "1", timeout=30)
        app.find("conflict-mark-phone", timeout=20)
        app.screenshot("office-ui-08-conflict-mark")
        app.click("conflict-mark-phone")
        card = app.all_in("inbox-screen", ".conflict-card")[0]
        card_id = card.get_attribute("data-testid").rsplit("-", 1)[1]
        assert "03-3333-3333" in app.text_of(f"conflict-a-{card_id}")
        assert "03-2222-2222" in app.text_of(f"conflict-b-{card_id}")
        assert "03-2222-2222" in app.text_of(f"conflict-now-{card_id}")
        assert "青木" in card.text and "電話番号" in card.text
        app.screenshot("office-ui-09-inbox")

        # 「Aを採用」 from the keyboard: the first PC's number is the one in effect, here and there.
        app.find(f"conflict-take-a-{card_id}").send_keys(Keys.ENTER)
        app.find("inbox-empty")
        app.gone("inbox-badge")
        app.click("nav-customers")
        app.wait_text("detail-name", "青木")
        app.until(lambda d: app.find("field-phone").get_attribute("value") == "03-3333-3333")
        app.gone("conflict-mark-phone")
        app.wait_text("sync-state", "同期済み", timeout=20)
        # The resolution is an edit like any other: it reaches the first PC and closes the card there.
        app.until(lambda d: settled(first), 30)
        assert cli(first, "customers", "--search", "青木")[0]["phone"] == "03-3333-3333"
        assert [c["family_name"] for c in cli(first, "customers", "--search", "石田")] == ["石田"]
    finally:
        serving.terminate()
        serving.wait(10)


def test_the_join_form_finds_the_hub_on_the_network(launch, tmp_path):
    # A hub on every interface announces itself (mDNS); the join form lists
    # it as soon as it opens, and the address it fills is one a PC joins by.
    first = tmp_path / "pc0.sqlite3"
    cli(first, "add", "--family", "森", "--given", "一郎")
    (tmp_path / "hub").mkdir()
    hub = tmp_path / "hub" / "hub.sqlite3"
    cli(hub, "hub", "init", "--from", str(first), "--name", "森工務店", "--pc-name", "事務所のPC")
    serving, port = serve_hub(hub, "0.0.0.0:0")
    try:
        code = cli(hub, "hub", "pair")["code"]
        app = launch(tmp_path / "reception.sqlite3")
        first_run(app)
        open_office_tab(app)
        found = app.until(
            lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, '[data-testid="office-found-hub"]') if "森工務店" in b.text], 20
        )[0]
        # Chosen (one hub alone is chosen already): its address is filled in.
        found.click()
        address = app.find("office-address").get_attribute("value")
        assert address.endswith(f":{port}"), address
        assert address in found.text and found.get_attribute("aria-pressed") == "true"
        app.screenshot("office-ui-10-found-hub")
        app.type_into("office-code", code)
        app.click("office-join")
        app.wait_text("office-joined", "森工務店", timeout=60)
        open_customer(app, "森")
    finally:
        serving.terminate()
        serving.wait(10)


def test_a_pc_whose_copy_drifted_takes_the_hubs_copy_from_the_banner(launch, tmp_path):
    # An office of one hub and a PC that joined it from the command line.
    first = tmp_path / "pc0.sqlite3"
    cli(first, "staff", "add", "鈴木 一郎")
    with sqlite3.connect(first) as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('first_run_done', 'true') ON CONFLICT(key) DO UPDATE SET value = 'true'")
    cli(first, "add", "--family", "青木", "--given", "一郎", "--phone", "03-1111-1111")
    (tmp_path / "hub").mkdir()
    hub = tmp_path / "hub" / "hub.sqlite3"
    cli(hub, "hub", "init", "--from", str(first), "--name", "事務所PC", "--pc-name", "事務所のPC")
    serving, port = serve_hub(hub)
    try:
        code = cli(hub, "hub", "pair")["code"]
        (tmp_path / "pc").mkdir()
        pc = tmp_path / "pc" / "daicho.sqlite3"
        cli(pc, "join", "--hub", f"https://127.0.0.1:{port}", "--code", code, "--name", "受付PC")
        # A change that went around the ledger (a tool, an old file copied
        # back): nothing in the outbox, so the hub never hears of it.
        conn = sqlite3.connect(pc)
        with conn:
            conn.execute("UPDATE customers SET phone = '03-9999-9999' WHERE family_name = '青木'")
        conn.close()

        # On start the app compares its copy with the hub's, stops sync and says how to fix it.
        app = launch(pc)
        app.find("sync-repair", timeout=30)
        assert "customers" in app.text_of("sync-banner")
        wait_attr(app, "sync-state", "data-tone", "stopped")
        app.screenshot("office-ui-11-drifted")
        app.click("sync-repair")
        app.find("sync-repaired", timeout=30)
        app.wait_text("sync-state", "同期済み", timeout=20)
        app.screenshot("office-ui-12-repaired")
        open_customer(app, "青木")
        app.until(lambda d: app.find("field-phone").get_attribute("value") == "03-1111-1111")
        # The drifted copy is kept beside the ledger, as the banner says.
        kept = list(pc.parent.glob("daicho-before-repair-*.sqlite3"))
        assert len(kept) == 1 and kept[0].name in app.text_of("sync-repaired"), kept
        with sqlite3.connect(kept[0]) as conn:
            assert conn.execute("SELECT phone FROM customers WHERE family_name = '青木'").fetchone() == ("03-9999-9999",)
    finally:
        serving.terminate()
        serving.wait(10)
