"""Rosters laid out as offices really keep them, imported in the real app:
a ledger that writes each customer on two rows, and an owners' household
list that has no status column."""

from pathlib import Path

from selenium.webdriver.common.by import By

from test_ledger_app import cli, first_run

ROSTERS = Path(__file__).resolve().parents[1] / "fixtures" / "rosters"


def read_roster(app, roster: Path, people: int) -> None:
    app.click("nav-import")
    app.type_into("import-path", str(roster))
    app.click("import-read")
    app.wait_text("summary-records", f"{people}")


def stat(app, key: str) -> int:
    return int(app.find(f"summary-{key}").find_element(By.TAG_NAME, "strong").text.replace(",", ""))


def scroll_to(app, element) -> None:
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)


def test_two_row_ledger_shows_which_rows_became_one_person(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    app = launch(db)
    first_run(app)
    read_roster(app, ROSTERS / "roster_two_row.xlsx", 400)
    pairing = app.text_of("import-pairing")
    # The header is rows 4–5; the first customer is rows 6 and 7.
    assert "1人を2行で書いています" in pairing and "6・7行目 → 1人" in pairing and "8・9行目 → 1人" in pairing, pairing
    marked = [cell.text for cell in app.find("import-preview").find_elements(By.CSS_SELECTOR, ".settings-table td .list-badge")]
    assert marked and set(marked) == {"2行目"}, marked
    assert not app.find("import-preview").find_elements(By.CSS_SELECTOR, '[data-testid="import-file-status"]'), "the file has a status column"
    app.screenshot("30-import-two-row-preview")
    scroll_to(app, app.find("import-preview").find_element(By.CSS_SELECTOR, ".settings-table td .list-badge"))
    app.screenshot("30b-import-two-row-mapping")
    app.click("import-commit")
    app.wait_text("import-done", "新規 400 件", timeout=90)
    assert cli(db, "stats")["customers"] == 400


def test_household_list_takes_one_status_and_keeps_the_family(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    app = launch(db)
    first_run(app)
    read_roster(app, ROSTERS / "roster_households.xlsx", 500)
    app.select("import-file-status", "新築OB客")
    # The preview is read again with the chosen status; the sample shows it.
    app.wait_text("import-sample", "新築OB客")
    app.screenshot("31-import-households-preview")
    app.click("import-commit")
    app.wait_text("import-done", "新規 500 件", timeout=90)
    stats = cli(db, "stats")
    assert stats["customers"] == 500, stats
    by_status = {s["status"]: s["count"] for s in stats["by_status"]}
    assert by_status["新築OB客"] == 500, by_status

    # 金子 直樹's household: 妻 千代, from the 家族 column.
    app.click("nav-customers")
    app.wait_text("list-total", "500 件")
    app.type_into("search", "金子")
    row = app.xpath("//*[starts-with(@data-testid, 'row-')][contains(., '直樹')]")
    row.click()
    app.wait_text("detail-name", "金子")
    app.click("tab-household")
    members = app.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".household .member"))
    values = [[i.get_attribute("value") for i in m.find_elements(By.CSS_SELECTOR, "input:not([type=checkbox])")] for m in members]
    assert any("千代" in v[0] and "妻" in v[2] for v in values), values
    app.screenshot("32-import-household-member")


def test_business_contacts_are_skipped_unless_the_office_includes_them(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    app = launch(db)
    first_run(app)
    read_roster(app, ROSTERS / "roster_labelsoft_export.csv", 600)
    app.wait_text("summary-skipped", "25")
    # The reason names the checkbox that overrides it.
    assert app.text_of("import-skipped").count("「取引先も取り込む」を選んでください") == 25
    assert "取引先も取り込む" in app.text_of("import-include-business")
    # Columns no field takes are listed with their values, not dropped.
    unmapped = app.find("import-unmapped")
    assert unmapped.find_elements(By.CSS_SELECTOR, "tbody tr"), "the unmapped columns are listed"
    scroll_to(app, unmapped)
    app.screenshot("33-import-unmapped-columns")
    scroll_to(app, app.find("import-include-business"))
    app.screenshot("34-import-business-skipped")
    app.click("import-include-business")
    # Included, a company is a record unless it lacks any address or phone.
    app.until(lambda d: stat(app, "skipped") != 25)
    still_skipped = stat(app, "skipped")
    assert "住所・電話・携帯・メールのどれもありません" in app.text_of("import-skipped")
    app.wait_text("summary-records", f"{600 + 25 - still_skipped}")
