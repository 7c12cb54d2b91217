"""What an office does on day one, in the real app."""

import csv
import datetime
import hashlib
import json
import subprocess
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.action_chains import ActionChains

from conftest import TARGET


def cli(db: Path, *args: str):
    out = subprocess.run([str(TARGET / "debug" / "daicho"), "--db", str(db), *args, "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def first_run(app, staff="佐藤 健一"):
    app.find("first-run-start")
    app.type_into("first-run-staff", staff)
    app.click("first-run-start")
    app.find("today-screen")
    app.click("nav-customers")
    app.find("customer-list")


def test_add_find_change_status_and_see_history(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    app = launch(db)
    app.find("preset-builder")
    app.screenshot("01-first-run")
    first_run(app)
    app.wait_text("list-total", "0 件")
    app.screenshot("02-empty-ledger")

    # A wrong postal code is named at its field and nothing is written.
    app.click("new-customer")
    app.type_into("field-family_name", "山田")
    app.type_into("field-given_name", "太郎")
    app.type_into("field-family_kana", "やまだ")
    app.type_into("field-given_kana", "たろう")
    app.type_into("field-mobile", "090-1234-5678")
    app.type_into("field-postal_code", "12-34")
    app.type_into("field-prefecture", "東京都")
    app.type_into("field-city", "世田谷区")
    app.type_into("field-address1", "桜新町1-2-3")
    app.click("save-customer")
    assert "7桁" in app.text_of("error-postal_code")
    app.screenshot("03-invalid-postal-code")
    assert cli(db, "stats")["customers"] == 0

    app.type_into("field-postal_code", "1540015")
    app.click("save-customer")
    app.find("detail-name")
    app.wait_text("list-total", "1 件")
    assert "重要顧客" in app.text_of("labels")
    app.screenshot("04-customer-created")

    for query in ["ﾔﾏﾀﾞ", "やまだ", "09012345678"]:
        app.type_into("search", query)
        app.wait_text("list-total", "1 件")
        assert "山田 太郎" in app.text_of("customer-list"), query
    app.type_into("search", "佐藤")
    app.wait_text("list-total", "0 件")
    app.type_into("search", "ﾔﾏﾀﾞ")
    app.wait_text("list-total", "1 件")
    app.screenshot("05-search-half-width-kana")

    app.select("status-select", "商談中")
    app.type_into("status-note", "来月から打合せ開始")
    app.click("status-apply")
    app.wait_text("customer-list", "商談中")
    app.click("tab-history")
    app.wait_text("history", "商談中")
    history = app.text_of("history")
    assert "見学会からの新規引合い" in history and "来月から打合せ開始" in history and "佐藤 健一" in history
    app.screenshot("06-history")
    app.quit()

    # Restart: everything is still there.
    again = launch(db)
    again.type_into("search", "やまだ")
    again.wait_text("list-total", "1 件")
    assert "商談中" in again.text_of("customer-list")
    customers = cli(db, "customers", "--search", "09012345678")
    assert [c["status"] for c in customers] == ["商談中"]


def test_sample_data_and_settings_screens(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    app = launch(db)
    first_run(app)
    app.click("nav-settings")
    app.click("settings-general")
    app.click("sample-data")
    app.wait_text("settings", "300 件追加しました")
    app.screenshot("07-settings-general")
    app.click("settings-statuses")
    names = [i.get_attribute("value") for i in app.all_in("status-table", "tbody tr td:nth-child(2) input")]
    assert names[:4] == ["見学会からの新規引合い", "WEBからの新規引合い", "リアルな新規引合い", "商談中"] and len(names) == 10
    app.screenshot("08-settings-statuses")
    app.click("settings-staff")
    staff = [i.get_attribute("value") for i in app.all_in("staff-table", "tbody tr td:first-child input")]
    assert "佐藤 健一" in staff
    app.click("settings-backups")
    app.find("backup-list")
    app.screenshot("09-settings-backups")
    app.click("nav-customers")
    total = cli(db, "stats")["customers"]
    assert total >= 300
    app.wait_text("list-total", f"{total:,} 件")
    app.all_in("customer-list", '[data-testid^="row-"]')[0].click()
    app.find("detail-name")
    app.screenshot("10-list-with-sample-data")
    # Typing a postal code fills the address from Japan Post's data.
    app.click("new-customer")
    app.type_into("field-postal_code", "0600001")
    app.until(lambda d: app.find("field-prefecture").get_attribute("value") == "北海道")
    assert app.find("field-city").get_attribute("value") == "札幌市中央区"
    assert app.find("field-address1").get_attribute("value") == "北一条西"


def test_a_file_that_is_not_a_ledger_is_refused_untouched(launch, tmp_path):
    db = tmp_path / "photo.sqlite3"
    db.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not a ledger" * 100)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    app = launch(db)
    app.wait_text("open-error", "壊れている")
    app.screenshot("11-open-error")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_import_a_roster_preview_commit_and_see_customers(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    roster = Path(__file__).resolve().parents[1] / "fixtures" / "rosters" / "roster_messy.xlsx"
    app = launch(db)
    first_run(app)
    app.click("nav-import")
    app.type_into("import-path", str(roster))
    app.click("import-read")
    app.wait_text("summary-records", "400")
    assert "32" in app.text_of("summary-mergedInFile")
    assert "合計" in app.text_of("import-skipped")
    assert cli(db, "stats")["customers"] == 0, "the preview writes nothing"
    app.screenshot("12-import-preview")
    app.click("import-commit")
    app.wait_text("import-done", "新規 400 件", timeout=60)
    app.find("import-history")
    app.screenshot("13-import-done")
    assert cli(db, "stats")["customers"] == 400
    app.click("nav-customers")
    app.wait_text("list-total", "400 件")
    app.type_into("search", "ﾌｼﾞｲ")
    app.wait_text("customer-list", "藤井")
    app.screenshot("14-imported-customers")


def test_a_broken_roster_is_refused_with_its_name(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    fake = tmp_path / "顧客名簿.xlsx"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    app = launch(db)
    first_run(app)
    app.click("nav-import")
    app.type_into("import-path", str(fake))
    app.click("import-read")
    app.wait_text("import-error", "顧客名簿.xlsx")
    refusal = app.text_of("import-error")
    assert "壊れている" in refusal and "Excel や OpenDocument のファイルではありません" in refusal, refusal
    app.screenshot("15-import-refused")


def test_import_legacy_workbook_and_label_software_csv(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    rosters = Path(__file__).resolve().parents[1] / "fixtures" / "rosters"
    app = launch(db)
    first_run(app)
    app.click("nav-import")
    app.type_into("import-path", str(rosters / "roster_legacy.xls"))
    app.click("import-read")
    app.wait_text("summary-records", "300")
    assert "停止" in app.text_of("import-preview"), "sheet names offered for choice"
    app.screenshot("16-import-legacy-sheets")
    app.type_into("import-path", str(rosters / "roster_fude_sjis.csv"))
    app.click("import-read")
    app.wait_text("summary-records", "250")
    assert "Shift_JIS" in app.text_of("import-preview")
    app.find("import-encoding")
    app.click("import-commit")
    app.wait_text("import-done", "新規 250 件", timeout=60)
    assert cli(db, "stats")["customers"] == 250


def test_segment_and_dm_export(launch, tmp_path):
    import zipfile

    db = tmp_path / "daicho.sqlite3"
    roster = Path(__file__).resolve().parents[1] / "fixtures" / "rosters" / "roster_basic.xlsx"
    app = launch(db)
    first_run(app)
    cli(db, "import", str(roster))
    app.click("nav-dm")
    app.wait_text("filter-count", "該当 300 人")
    app.click("segment-new")
    app.wait_text("filter-count", "該当 0 人")
    condition = app.find("dm-screen").find_element(By.CSS_SELECTOR, ".condition select")
    from selenium.webdriver.support.select import Select

    Select(condition).select_by_visible_text("誕生月")
    truth = json.loads((roster.parent / "truth" / "roster_basic.xlsx.json").read_text())
    month = f"-{datetime.date.today().month:02d}-"
    born_this_month = sum(1 for p in truth["people"] if month in p["birthday"])
    app.wait_text("filter-count", f"該当 {born_this_month} 人")
    app.type_into("segment-name", "誕生月DM")
    app.click("segment-save")
    app.wait_text("dm-screen", "保存しました")
    assert [s["name"] for s in cli(db, "segments")] == ["誕生月DM"]
    app.click("dm-prepare")
    app.find("dm-prepared")
    app.wait_text("filter-count", f"該当 {born_this_month} 人")
    app.screenshot("17-dm-segment")
    # Everyone: the truth file's DM list has 248 pieces.
    app.xpath("//button[text()='全顧客']").click()
    app.wait_text("filter-count", "該当 300 人")
    app.click("dm-prepare")
    app.wait_text("dm-rows", "248 通")
    assert "DM不要 13人" in app.text_of("dm-excluded")
    shown_merged = app.text_of("dm-merged")
    out = tmp_path / "dm.xlsx"
    app.type_into("dm-dest", str(out))
    app.click("dm-export")
    app.wait_text("dm-done", "248 通分")
    app.screenshot("18-dm-exported")
    with zipfile.ZipFile(out) as book:
        shared = book.read("xl/worksheets/sheet1.xml").decode()
    assert "要連絡" not in shared, "no internal note leaks into the file"
    # LibreOffice opens it as a printer would: text cells, zeros kept, postal order.
    converted = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(converted), str(out)], check=True, capture_output=True, timeout=120)
    rows = list(csv.reader((converted / "dm.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["郵便番号", "住所1", "住所2", "会社名", "部署", "氏名", "連名", "敬称"]
    assert len(rows) == 249
    postal = [r[0] for r in rows[1:]]
    assert postal == sorted(postal) and postal[0].startswith("0"), postal[:3]
    assert all(r[7] in ("様", "御中") for r in rows[1:])
    # The screen told how many people share another's piece, as the CLI does.
    by_cli = cli(db, "export", "dm", "--all", "--out", str(tmp_path / "cli.xlsx"))
    assert by_cli["rows"] == 248
    assert shown_merged == f"{by_cli['households_merged']} 人" and by_cli["households_merged"] > 0


def test_label_software_csv_lists_what_cp932_cannot_hold(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    app = launch(db)
    first_run(app)
    cli(db, "add", "--family", "𠮷田", "--given", "一郎", "--postal-code", "100-0001", "--address", "東京都千代田区千代田1-1")
    cli(db, "add", "--family", "髙橋", "--given", "花子", "--postal-code", "100-0002", "--address", "東京都千代田区皇居外苑1-1")
    app.click("nav-dm")
    app.wait_text("filter-count", "該当 2 人")
    app.select("dm-format", "CSV（Shift_JIS / CP932）宛名ソフト向け")
    app.click("dm-prepare")
    app.wait_text("dm-problems", "𠮷田 一郎：「𠮷」（U+20BB7）は CP932 にないため「吉」で書き出します")
    assert "髙" not in app.text_of("dm-problems"), "CP932 (Windows) has 髙: nothing to replace"
    out = tmp_path / "labels.csv"
    app.type_into("dm-dest", str(out))
    assert not app.find("dm-export").is_enabled(), "nothing is written before the user accepts"
    app.screenshot("27-dm-cp932-problems")
    app.click("dm-approve")
    app.click("dm-export")
    app.wait_text("dm-done", "2 通分")
    text = out.read_bytes().decode("cp932")
    assert text.splitlines()[0] == "郵便番号,住所1,住所2,会社名,部署,氏名,連名,敬称"
    assert "吉田 一郎" in text and "髙橋 花子" in text


def test_static_list_from_a_search(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    roster = Path(__file__).resolve().parents[1] / "fixtures" / "rosters" / "roster_basic.xlsx"
    app = launch(db)
    first_run(app)
    cli(db, "import", str(roster))
    app.click("nav-dm")
    app.click("list-new")
    app.type_into("segment-name", "見学会招待")
    app.click("segment-save")
    app.wait_text("dm-screen", "リスト")
    app.click("nav-customers")
    app.type_into("search", "ヤマダ")
    expected = len(cli(db, "customers", "--search", "ヤマダ"))
    app.wait_text("list-total", f"{expected} 件")
    app.click("add-to-list")
    app.xpath("//div[@class='popover']/button[text()='見学会招待']").click()
    app.wait_text("customer-list", "")
    app.until(lambda d: f"{expected} 人を「見学会招待」に追加しました" in d.page_source)
    app.click("nav-dm")
    app.xpath("//nav//button[contains(., '見学会招待')]").click()
    app.wait_text("filter-count", f"該当 {expected} 人")
    app.screenshot("19-static-list")


def test_today_contacts_aftercare_and_dashboard(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    app = launch(db)
    first_run(app)
    today = datetime.date.today()
    customer = cli(db, "add", "--family", "青木", "--given", "一郎", "--phone", "0312345678")[0]["id"]
    cli(db, "contacts", "add", str(customer), "--kind", "来場", "--at", f"{today - datetime.timedelta(days=20)} 10:00")

    # Grade A (every 7 days) with the last contact 20 days ago: overdue.
    app.click("nav-today")
    app.click("nav-customers")
    app.type_into("search", "青木")
    app.wait_text("list-total", "1 件")
    app.all_in("customer-list", '[data-testid^="row-"]')[0].click()
    app.select("field-grade", "A")
    app.click("save-customer")
    app.until(lambda d: cli(db, "customers", "--search", "青木")[0]["grade"] == "A")
    app.click("nav-today")
    app.wait_text("today-overdue", "青木 一郎")
    assert app.text_of("today-overdue-count") == "1"
    app.screenshot("20-today-overdue")

    # Logging a call clears it.
    app.click(f"today-open-{customer}")
    app.click("tab-contacts")
    app.select("contact-kind", "電話")
    app.type_into("contact-note", "プランの感想を伺った")
    app.click("contact-log")
    app.wait_text("contact-message", "記録しました")
    app.wait_text("contact-list", "プランの感想を伺った")
    app.screenshot("21-contact-logged")
    app.click("nav-today")
    app.wait_text("today-overdue-count", "0")

    # A handover three months ago (on the 1st) schedules the inspections; the
    # 3-month one is due this month and shows on Today.
    first = today.replace(day=1)
    month = first.month - 3
    handover = first.replace(year=first.year + (month - 1) // 12, month=(month - 1) % 12 + 1)
    contract = handover.replace(year=handover.year - 1)
    app.click("nav-customers")
    app.type_into("search", "青木")
    app.all_in("customer-list", '[data-testid^="row-"]')[0].click()
    app.click("tab-projects")
    app.click("project-add")
    app.type_into("project-title", "青木様邸 新築工事")
    app.set_value("project-amount", "32000000")
    app.set_value("project-contract_on", str(handover))
    app.set_value("project-handover_on", str(contract))
    app.click("project-save")
    app.wait_text("project-error-handover_on", "契約日")
    assert cli(db, "stats")["customers"] == 1
    app.screenshot("22-project-dates-out-of-order")
    app.set_value("project-contract_on", str(contract))
    app.set_value("project-handover_on", str(handover))
    app.click("project-save")
    app.wait_text("aftercare-scheduled", "3か月点検")
    three = handover.replace(year=handover.year + (handover.month + 2) // 12, month=(handover.month + 2) % 12 + 1)
    assert f"3か月点検（{three}）" in app.text_of("aftercare-scheduled")
    assert f"1年点検（{handover.replace(year=handover.year + 1)}）" in app.text_of("aftercare-scheduled")
    app.wait_text("status-offer", "新築OB客")
    app.screenshot("23-handover-offers-owner-status")
    app.click("status-offer-accept")
    app.gone("status-offer")
    app.click("nav-today")
    app.wait_text("today-inspection", "3か月点検")
    app.screenshot("24-today-inspection")

    # A referral made in the customer panel shows in the network on the dashboard.
    referred = cli(db, "add", "--family", "石田", "--given", "花子", "--phone", "0312340000")[0]["id"]
    app.click("nav-customers")
    app.type_into("search", "石田")
    app.wait_text("customer-list", "石田 花子")
    app.all_in("customer-list", '[data-testid^="row-"]')[0].click()
    app.click("tab-referrals")
    app.type_into("referrer-search", "青木")
    app.click(f"referrer-pick-{customer}")
    app.wait_text("referrer", "青木 一郎")

    # The dashboard reads the same ledger and draws its charts; a month's
    # targets are saved in it.
    app.click("nav-analytics")
    for chart in ["chart-status", "chart-monthly", "chart-funnel", "chart-source", "chart-contacts", "chart-network"]:
        assert app.chart_ink(chart) > 500, f"{chart} drew nothing"
    app.set_value("target-inquiries", "12")
    app.click("targets-save")
    app.wait_text("analytics-notice", "保存しました")
    app.until(lambda d: app.chart_ink("chart-monthly") > 500)
    app.screenshot("25-dashboard")
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", app.find("chart-network"))
    app.screenshot("26-dashboard-referral-network")

    # Clicking a node opens that customer: 石田 is the one prospect, drawn in
    # the first colour of the ECharts 6 palette (#5070dd), above the legend.
    x, y = app.driver.execute_script(
        """const c = document.querySelector('[data-testid="chart-network"] canvas');
        const px = c.getContext("2d").getImageData(0, 0, c.width, c.height * 0.8).data;
        let sx = 0, sy = 0, n = 0;
        for (let i = 0; i < px.length; i += 4) {
          if (px[i] === 0x50 && px[i + 1] === 0x70 && px[i + 2] === 0xdd) { sx += (i / 4) % c.width; sy += Math.floor(i / 4 / c.width); n++; }
        }
        const scale = c.width / c.clientWidth;
        return [sx / n / scale, sy / n / scale];""")
    canvas = app.driver.find_element(By.CSS_SELECTOR, '[data-testid="chart-network"] canvas')
    ActionChains(app.driver).move_to_element_with_offset(canvas, int(x - canvas.size["width"] / 2), int(y - canvas.size["height"] / 2)).click().perform()
    app.wait_text("detail-name", "石田 花子")
