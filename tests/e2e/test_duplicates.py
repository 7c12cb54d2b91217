"""重複の候補 in the real app: a pair typed twice is listed with its reason,
merged side by side picking a field, and the merge undone."""

from pathlib import Path


from test_ledger_app import cli, first_run


def test_duplicates_listed_merged_side_by_side_and_undone(launch, tmp_path: Path):
    db = tmp_path / "daicho.sqlite3"
    app = launch(db)
    first_run(app)
    kept = cli(db, "add", "--family", "山田", "--given", "太郎", "--phone", "03-1234-5678")[0]["id"]
    other = cli(db, "add", "--family", "山田", "--given", "太郎", "--mobile", "0312345678", "--phone", "03-9999-0000", "--email", "taro@example.jp")[0]["id"]
    # Same name, another phone: never a candidate.
    cli(db, "add", "--family", "山田", "--given", "太郎", "--phone", "06-1234-5678")

    app.click("side-duplicates")
    app.wait_text(f"pair-{kept}-{other}", "氏名と電話番号が同じ")
    assert "1 組" in app.text_of("duplicates-count")
    app.screenshot("60-duplicates")

    app.click(f"merge-open-{kept}-{other}")
    app.find("merge-dialog")
    app.click("pick-phone-other")
    app.screenshot("61-merge-dialog")
    app.click("merge-confirm")
    app.wait_text("merge-done", "統合しました")
    app.find("duplicates-empty")
    survivor = next(c for c in cli(db, "customers") if c["id"] == kept)
    assert (survivor["phone"], survivor["email"]) == ("03-9999-0000", "taro@example.jp")
    assert len(cli(db, "customers")) == 2

    app.click("merge-undo-now")
    app.until(lambda d: len(cli(db, "customers")) == 3)
    app.wait_text(f"pair-{kept}-{other}", "氏名と電話番号が同じ")
    app.screenshot("62-merge-undone")
