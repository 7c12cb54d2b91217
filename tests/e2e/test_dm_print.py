"""The DM screen's postcard print: the first page previewed from the real PDF,
then the PDF written where the office said."""

import subprocess

from selenium.webdriver.common.by import By

from test_ledger_app import cli, first_run


def test_postcard_preview_and_pdf(launch, tmp_path):
    db = tmp_path / "daicho.sqlite3"
    app = launch(db)
    first_run(app)
    # The form's one-line address is split the same way (prefecture, city, street).
    # Two of one household: one card, the second name as 連名 beside the first.
    for given in ("龍之介", "美由紀"):
        cli(
            db,
            "add",
            "--family", "長谷川",
            "--given", given,
            "--postal-code", "154-0015",
            "--address", "東京都世田谷区桜新町一丁目二番三号",
            "--building", "コーポ桜一〇一",
        )
    app.click("nav-dm")
    app.wait_text("filter-count", "該当 2 人")
    app.select("dm-format", "はがき印刷（PDF）")
    app.find("print-panel")
    assert "実際のサイズ（100%）" in app.text_of("print-panel")
    # The saved options load after the panel opens; type once they have.
    app.until(lambda d: app.find("print-sender-name").is_enabled())
    app.type_into("print-sender-name", "桜木工務店")
    app.type_into("print-sender-postal", "154-0016")
    app.type_into("print-sender-address", "東京都世田谷区弦巻二丁目五番八号")
    app.type_into("print-sender-phone", "03-1234-5678")
    app.click("print-preview-button")
    image = app.find("print-preview", timeout=30)
    app.until(
        lambda d: d.execute_script("const i = arguments[0]; return i.complete && i.naturalWidth > 0;", image),
        30,
        "the preview image never loaded",
    )
    assert image.get_attribute("src").startswith("data:image/png")
    # The whole postcard in the window (screenshot() waits two animation frames).
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'end'})", image)
    shot = app.screenshot("dm_postcard_preview")
    assert shot.exists()

    app.click("dm-prepare")
    app.find("dm-prepared")
    app.wait_text("dm-rows", "1 通")
    # A print's pieces are laid out, not columns: no column table.
    assert not app.driver.find_elements(By.CSS_SELECTOR, '[data-testid="dm-sample"]')
    out = tmp_path / "postcards.pdf"
    app.type_into("dm-dest", str(out))
    if app.driver.find_elements(By.CSS_SELECTOR, '[data-testid="dm-approve"]'):
        app.click("dm-approve")
    app.click("dm-export")
    app.wait_text("dm-done", "1 通分", timeout=30)
    app.find("open-pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    # -raw reads the text in the order it was drawn: column by column, so
    # the names come out whole (without it, side-by-side columns interleave).
    text = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True, check=True).stdout
    text = "".join(text.split())
    # One card for the household: the addressee, then the other as 連名.
    assert "長谷川龍之介様美由紀様" in text or "長谷川美由紀様龍之介様" in text, text
