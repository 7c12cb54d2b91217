"""After-care requests as the office sets them up and hands them on (issue
#17): a category and a partner added in Settings → アフター with the
office's own warranty, a request received on the house with its urgency,
given a partner and a cost, its partner's sheet saved and read back, the
requests screen worked from the keyboard, and the request closed with the
partner."""

import datetime

import openpyxl
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select

from test_ledger_app import cli, first_run
from test_requests import dm_exclusions, hand_over_the_house


def open_customer(app, name):
    """Searches for one customer and opens them once the list shows only them."""
    app.click("nav-customers")
    app.type_into("search", name)
    app.wait_text("list-total", "1 件")
    app.wait_text("customer-list", name)
    app.all_in("customer-list", '[data-testid^="row-"]')[0].click()
    app.wait_text("detail-name", name)


def add_to_list(app, list_name, name):
    """Types a name into a Settings → アフター list's add row and waits for its row."""
    section = app.find(f"aftercare-list-{list_name}")
    field = section.find_element(By.CSS_SELECTOR, ".add-row input")
    field.send_keys(name)
    section.find_element(By.CSS_SELECTOR, ".add-row button").click()
    app.until(
        lambda d: name in [i.get_attribute("value") for i in app.find(f"aftercare-table-{list_name}").find_elements(By.CSS_SELECTOR, "tbody input:not([type])")]
    )


def entry_id(app, list_name, name):
    for row in app.all_in(f"aftercare-table-{list_name}", "tbody tr"):
        if row.find_element(By.CSS_SELECTOR, "td input").get_attribute("value") == name:
            return row.find_element(By.CSS_SELECTOR, '[data-testid^="aftercare-retire-"]').get_attribute("data-testid").rsplit("-", 1)[1]
    raise AssertionError(f"{name} not in {list_name}")


def set_dm_exclusion(app, on):
    app.click("nav-settings")
    app.click("settings-afterCare")
    box = app.find("aftercare-dm-exclude")
    if box.is_selected() != on:
        box.click()
        app.wait_text("aftercare-dm-message", "保存しました")
    app.until(lambda d: app.find("aftercare-dm-exclude").is_selected() == on)


def test_a_partner_gets_the_request_from_settings_to_sheet_to_close(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    app = launch(db)
    first_run(app)
    today = datetime.date.today()
    cli(db, "add", "--family", "青木", "--given", "一郎", "--postal-code", "100-0001", "--address", "東京都千代田区千代田1-1", "--phone", "03-1234-5678")
    cli(db, "add", "--family", "石田", "--given", "花子", "--postal-code", "100-0002", "--address", "東京都千代田区皇居外苑1-1")

    # Settings → アフター: the office's own category with a 5-year warranty, and its partner.
    app.click("nav-settings")
    app.click("settings-afterCare")
    app.find("aftercare-settings")
    add_to_list(app, "category", "シロアリ")
    add_to_list(app, "partner", "丸山板金")
    termite = entry_id(app, "category", "シロアリ")
    # A second 丸山板金 is refused in the partners' own section.
    partners = app.find("aftercare-list-partner")
    partners.find_element(By.CSS_SELECTOR, ".add-row input").send_keys("丸山板金")
    partners.find_element(By.CSS_SELECTOR, ".add-row button").click()
    app.wait_text("aftercare-list-partner", "「丸山板金」という協力業者は既にあります")
    app.type_into(f"aftercare-warranty-{termite}", "5")
    app.find(f"aftercare-warranty-{termite}").send_keys(Keys.TAB)  # saved as the field is left
    app.wait_text("aftercare-warranty-message", "保存しました")
    assert "品確法 10年" in app.text_of("aftercare-table-category"), "the law's categories are marked"
    assert app.find("aftercare-dm-exclude").is_selected(), "DM lists leave open requests out by default"
    app.screenshot("request-settings-01-aftercare-tab")

    # The house's own アフター: received there, pre-linked to it, as an emergency.
    open_customer(app, "青木 一郎")
    hand_over_the_house(app, today)
    toggle = app.all_in("project-list", '[data-testid^="project-requests-toggle-"]')[0]
    project = int(toggle.get_attribute("data-testid").rsplit("-", 1)[1])
    assert toggle.text == "アフター"
    toggle.click()
    section = f"project-requests-{project}"
    app.find(section)
    app.click("request-add")
    assert not app.driver.find_elements(By.CSS_SELECTOR, '[data-testid="request-project"]'), "the house is the one it was received on"
    app.select("request-category", "シロアリ")
    app.select("request-urgency", "緊急")
    app.type_into("request-complaint", "浴室の土台に羽アリが出た")
    app.screenshot("request-settings-02a-receive-on-the-house")
    app.click("request-save")
    app.wait_text(section, "シロアリ")
    [request] = cli(db, "requests")
    rid = request["id"]
    assert (request["project_id"], request["urgency"], request["category"]) == (project, "emergency", "シロアリ")
    assert app.text_of(f"request-urgency-{rid}") == "緊急"
    assert "自社5年保証 保証内" in app.text_of(f"request-warranty-{rid}"), "the office's period from Settings"
    app.screenshot("request-settings-02-house-aftercare")
    app.click(f"project-requests-toggle-{project}")
    app.wait_text(f"project-requests-toggle-{project}", "アフター 1件（未完了 1）")

    # The partner and the cost, set on the open request.
    app.click(f"project-requests-toggle-{project}")
    app.click(f"request-toggle-{rid}")
    app.click(f"request-edit-{rid}")
    app.select(f"request-edit-{rid}-partner", "丸山板金")
    app.set_value(f"request-edit-{rid}-cost", "38000")
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", app.find(f"request-edit-form-{rid}"))
    app.screenshot("request-settings-03a-edit-form")
    app.click(f"request-edit-save-{rid}")
    app.wait_text(f"request-{rid}", "協力業者: 丸山板金")
    assert "38,000 円" in app.text_of(f"request-{rid}")
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", app.find(f"request-{rid}"))
    app.screenshot("request-settings-03-partner-and-cost")
    [edited] = cli(db, "requests")
    assert (edited["partner"], edited["cost_yen"], edited["urgency"]) == ("丸山板金", 38000, "emergency")

    # The switch in Settings decides whether DM lists leave the owner out.
    assert "アフター対応中 1人" in dm_exclusions(app)
    set_dm_exclusion(app, False)
    assert "アフター対応中" not in dm_exclusions(app)
    set_dm_exclusion(app, True)

    # The requests screen, narrowed to the partner; their sheet saved and read back.
    app.click("nav-requests")
    app.select("requests-partner", "丸山板金")
    app.wait_text(f"requests-row-{rid}", "丸山板金")
    sheet = tmp_path / "丸山板金.xlsx"
    app.type_into("partner-sheet-dest", str(sheet))
    app.click("partner-sheet-save")
    app.wait_text("partner-sheet-message", "1 件を書き出しました")
    app.screenshot("request-settings-04-partner-sheet")
    rows = list(openpyxl.load_workbook(sheet).active.iter_rows(values_only=True))
    assert rows[0][0].startswith("丸山板金 御中"), rows[0]
    header, row = rows[1], rows[2]
    line = dict(zip(header, row))
    assert (line["お客様"], line["種類"], line["お申し出の内容"]) == ("青木 一郎", "シロアリ", "浴室の土台に羽アリが出た"), line
    assert line["電話"] == "03-1234-5678" and line["住所"].startswith("東京都千代田区"), line
    assert len(rows) == 3, "only the partner's open request"
    # A typed path names a file already there: it is kept, and the office is told.
    app.click("partner-sheet-save")
    app.wait_text("partner-sheet-message", "既にあります")

    # From the keyboard: Tab reaches the row, Space opens the customer on アフター.
    app.driver.execute_script("arguments[0].focus()", app.find("partner-sheet-save"))
    ActionChains(app.driver).send_keys(Keys.TAB).perform()
    focused = app.driver.switch_to.active_element
    assert focused.get_attribute("data-testid") == f"requests-row-{rid}"
    app.screenshot("request-settings-05-row-focused")
    ActionChains(app.driver).send_keys(Keys.SPACE).perform()
    app.wait_text("detail-name", "青木 一郎")
    app.wait_text("request-list", "シロアリ")

    # Closed with the partner, who is already chosen, and the final cost.
    app.click(f"request-toggle-{rid}")
    assert Select(app.find(f"request-close-{rid}-partner")).first_selected_option.text == "丸山板金"
    app.select(f"request-cause-{rid}", "経年")
    app.type_into(f"request-resolution-{rid}", "防蟻処理と土台の部分交換")
    app.set_value(f"request-close-{rid}-cost", "42000")
    app.click(f"request-close-{rid}")
    app.wait_text(f"request-closed-{rid}", "原因: 経年")
    app.screenshot("request-settings-06-closed")
    [closed] = cli(db, "requests")
    assert (closed["status"], closed["partner"], closed["cost_yen"]) == ("done", "丸山板金", 42000)

    # Done, the request is no longer on the partner's list.
    app.click("nav-requests")
    app.select("requests-partner", "丸山板金")
    app.find("requests-none")
