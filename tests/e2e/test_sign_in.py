"""Who may do what, in the real app (issue #18): an office that turned
sign-in on with the CLI opens on the sign-in screen; 営業 signs in with a
PIN, is shown who may restore and change staff, exports a segment's DM list,
and that export is in the record under their name; the app locks by hand and
after the idle time, and asks for the PIN again."""

import hashlib
import json
import os
import re
import subprocess
import time
from pathlib import Path

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import TARGET
from test_ledger_app import first_run

PIN = "1234"


def daicho(db: Path, *args: str, acting: str | None = None, pin: str | None = None, new_pin: str | None = None) -> str:
    """The real CLI, as a named staff member when `acting` is given."""
    env = dict(os.environ)
    if pin:
        env["DAICHO_PIN"] = pin
    if new_pin:
        env["DAICHO_NEW_PIN"] = new_pin
    who = ["--as", acting] if acting else []
    out = subprocess.run([str(TARGET / "debug" / "daicho"), "--db", str(db), *who, *args], env=env, capture_output=True, text=True, check=True)
    return out.stdout


def office_with_sign_in(db: Path) -> None:
    """What the office's 管理者 does once with the CLI: two staff, PINs, sign-in on."""
    daicho(db, "staff", "add", "山田", "--role", "管理者")
    daicho(db, "staff", "add", "佐藤", "--role", "営業")
    daicho(db, "staff", "add", "鈴木", "--role", "閲覧のみ")
    daicho(db, "sample", "--count", "50")
    daicho(db, "staff", "pin", "山田", acting="山田", new_pin=PIN)
    daicho(db, "staff", "pin", "佐藤", acting="山田", new_pin=PIN)
    daicho(db, "staff", "pin", "鈴木", acting="山田", new_pin=PIN)
    daicho(db, "staff", "sign-in", "on", acting="山田", pin=PIN)


ROLES = {"山田": "管理者", "佐藤": "営業", "鈴木": "閲覧のみ", "山田 一郎": "管理者"}


def sign_in(app, name: str, pin: str) -> None:
    """Picks one's name (shown with the role), types the PIN, presses Enter."""
    app.find("sign-in-screen")
    app.select("sign-in-staff", f"{name}（{ROLES[name]}）")
    app.type_into("sign-in-pin", pin)
    app.find("sign-in-pin").send_keys(Keys.ENTER)


def open_first_customer(app) -> None:
    app.click("nav-customers")
    app.all_in("customer-list", '[data-testid^="row-"]')[0].click()
    app.find("detail-name")


def absent(app, testid: str) -> bool:
    return not app.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def disabled(app, testid: str) -> bool:
    """As the browser has it: a control inside a disabled fieldset is disabled too."""
    return app.driver.execute_script("return arguments[0].matches(':disabled')", app.find(testid))


def export_a_segment(app, out: Path) -> int:
    """佐藤 builds a segment (everyone with a mailable address), saves it and writes its DM list."""
    app.click("nav-dm")
    app.click("segment-new")
    from selenium.webdriver.support.select import Select

    # The new segment's first condition may be drawn again just after the
    # click, taking a choice made on the first drawing with it: choose until
    # the count shows the choice took.
    for attempt in range(3):
        try:
            condition = app.find("dm-screen").find_element(By.CSS_SELECTOR, ".condition select")
            Select(condition).select_by_visible_text("郵送できる住所")
            app.until(lambda d: re.search(r"該当 [1-9]", app.text_of("filter-count")), 5)
            break
        except (TimeoutException, StaleElementReferenceException):
            if attempt == 2:
                raise
    app.type_into("segment-name", "郵送できる人")
    app.click("segment-save")
    app.wait_text("dm-screen", "保存しました")
    app.click("dm-prepare")
    app.find("dm-prepared")
    rows = int(re.search(r"(\d+) 通", app.text_of("dm-rows")).group(1))
    app.type_into("dm-dest", str(out))
    app.click("dm-export")
    app.wait_text("dm-done", f"{rows} 通分")
    return rows


def test_sales_signs_in_exports_and_the_app_locks(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    office_with_sign_in(db)
    app = launch(db)

    # Nothing but the sign-in screen: no navigation, no customer.
    app.find("sign-in-screen")
    assert absent(app, "nav-customers")
    app.screenshot("sign-in-01-screen")

    # A wrong PIN is told, and nobody is signed in.
    sign_in(app, "佐藤", "9999")
    app.wait_text("sign-in-error", "佐藤さんの PIN が違います。")
    app.screenshot("sign-in-02-wrong-pin")
    sign_in(app, "佐藤", PIN)
    app.find("today-screen")
    assert app.text_of("current-role") == "営業"
    assert app.find("current-staff").get_attribute("value") == "2"
    assert absent(app, "nav-import"), "営業 does not import"

    # Restoring and changing staff are a 管理者's: the screen says so.
    app.click("nav-settings")
    hidden = app.text_of("settings-hidden")
    assert "バックアップの書き出しと復元（バックアップ）は管理者ができます。" in hidden
    assert "設定の変更（ステータス・ラベル・フォロー・アフター・全般・複数台で使う）は管理者ができます。" in hidden
    assert absent(app, "settings-backups")
    app.click("settings-staff")
    assert app.text_of("not-permitted-staff") == "担当者と権限の変更は管理者ができます。"
    assert not app.driver.find_elements(By.CSS_SELECTOR, '[data-testid^="staff-role-"]'), "roles are read, not changed"
    assert not absent(app, "staff-pin-2"), "their own PIN they may set"
    assert absent(app, "staff-pin-1")
    app.screenshot("sign-in-03-sales-settings")

    # 営業 edits customers, but erasing and disclosing a person are a 管理者's.
    open_first_customer(app)
    assert app.find("save-customer").is_enabled()
    assert absent(app, "erase") and absent(app, "disclose")

    # 佐藤 exports a segment's DM list; the record names them, the segment and the file.
    out = tmp_path / "dm-sato.xlsx"
    rows = export_a_segment(app, out)
    app.screenshot("sign-in-04-sales-exported")
    record = json.loads(daicho(db, "exports", "--json", acting="山田", pin=PIN))
    mine = [e for e in record if e["file_name"] == out.name]
    assert len(mine) == 1, record
    entry = mine[0]
    assert (entry["staff_name"], entry["role"], entry["kind"]) == ("佐藤", "営業", "dm_list")
    assert entry["segment"] == "郵送できる人", "the list by its name"
    assert entry["people"] >= rows
    assert entry["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()

    app.click("nav-settings")
    app.click("settings-exports")
    line = app.text_of(f"export-{entry['id']}")
    for shown in ("佐藤", "営業", "DMリスト", out.name, "郵送できる人", entry["sha256"][:12]):
        assert shown in line, (shown, line)
    app.screenshot("sign-in-05-export-record")

    # ロック: back to the sign-in screen at once; the PIN is asked again.
    app.click("lock")
    app.find("sign-in-screen")
    assert absent(app, "nav-settings")
    sign_in(app, "山田", PIN)
    app.find("today-screen")
    assert app.text_of("current-role") == "管理者"

    # Switching to another person in the header asks for their PIN.
    app.select("current-staff", "佐藤")
    app.find("pin-dialog")
    app.type_into("switch-pin", "0000")
    app.find("switch-pin").send_keys(Keys.ENTER)
    app.wait_text("pin-error", "佐藤さんの PIN が違います。")
    assert app.text_of("current-role") == "管理者", "a wrong PIN switches nobody"
    app.screenshot("sign-in-06-switch-asks-pin")
    app.click("pin-cancel")
    app.gone("pin-dialog")

    # The 管理者 sees the same record, and sets the idle time to its shortest.
    app.click("nav-settings")
    app.click("settings-exports")
    assert "佐藤" in app.text_of(f"export-{entry['id']}")
    app.click("settings-access")
    app.set_value("access-idle-minutes", "1")
    app.click("access-save")
    app.find("access-saved")
    assert json.loads(daicho(db, "staff", "--json", acting="山田", pin=PIN))["sign_in_required"]
    app.screenshot("sign-in-07-access-settings")

    # A minute without a key or a click locks the app (nothing here moves the mouse).
    started = time.monotonic()
    app.find("sign-in-screen", timeout=90)
    idle = time.monotonic() - started
    assert 50 < idle < 80, f"locked after {idle:.0f} s"
    app.screenshot("sign-in-08-idle-locked")

    # 閲覧のみ reads: every change is hidden or disabled, each saying who may.
    sign_in(app, "鈴木", PIN)
    app.find("today-screen")
    assert app.text_of("current-role") == "閲覧のみ"
    assert absent(app, "new-customer") and absent(app, "nav-import")
    open_first_customer(app)
    assert app.text_of("not-permitted-customers") == "顧客・商談・対応履歴の変更は管理者・営業ができます。"
    assert disabled(app, "save-customer") and disabled(app, "field-family_name")
    assert absent(app, "trash-toggle") and absent(app, "edit-labels")
    app.screenshot("sign-in-10-read-only-customer")
    app.click("nav-dm")
    assert app.text_of("not-permitted-export") == "顧客データの書き出しは管理者・営業・事務ができます。"
    assert absent(app, "dm-prepare") and absent(app, "segment-save")


def test_a_one_person_office_turns_sign_in_on_from_settings(launch, tmp_path):
    """Sign-in off is the app as before; turning it on needs one's own PIN first."""
    db = tmp_path / "daicho.sqlite3"
    app = launch(db)
    first_run(app, staff="山田 一郎")
    assert app.text_of("current-role") == "管理者", "the first member is the office's 管理者"
    assert absent(app, "lock"), "no lock without sign-in"

    app.click("nav-settings")
    app.click("settings-access")
    app.click("access-sign-in")
    app.click("access-save")
    app.wait_text("access-sign-in-error", "自分の PIN を設定してください")

    app.click("settings-staff")
    app.wait_text("staff-has-pin-1", "未設定")
    app.click("staff-pin-1")
    app.type_into("new-pin", "2468")
    app.type_into("new-pin-repeat", "2486")
    app.click("pin-submit")
    app.wait_text("pin-error", "2回の入力が一致しません。")
    app.type_into("new-pin-repeat", "2468")
    app.click("pin-submit")
    app.wait_text("staff-has-pin-1", "設定済み")

    app.click("settings-access")
    app.click("access-sign-in")
    app.click("access-save")
    app.find("access-saved")
    app.find("lock").click()
    app.find("sign-in-screen")
    app.screenshot("sign-in-09-own-office-locked")
    sign_in(app, "山田 一郎", "2468")
    app.find("today-screen")
