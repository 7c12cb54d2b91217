"""A ledger kept where offices keep files (issue 15): one in a folder a sync
client copies is refused with its reason, and one click copies it to this PC
and opens the copy, the file in the synced folder left as it was."""

import hashlib
import json
import os
from pathlib import Path

from test_ledger_app import cli, first_run


def test_a_ledger_in_a_dropbox_folder_is_copied_to_this_pc_and_opened(launch, tmp_path):
    home = Path(os.environ["DAICHO_E2E_HOME"])
    synced = tmp_path / "Dropbox"
    synced.mkdir()
    db = synced / "daicho.sqlite3"
    cli(db, "sample", "--count", "12")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    # Dropbox says where its folder is in ~/.dropbox/info.json.
    info = home / ".dropbox" / "info.json"
    info.parent.mkdir(exist_ok=True)
    info.write_text(json.dumps({"personal": {"path": str(synced)}}))
    try:
        app = launch(db)
        app.wait_text("open-error", "Dropbox")
        app.screenshot("storage-01-refused-in-dropbox")
        app.click("copy-to-this-pc")
        # Made by `daicho sample`, the ledger has not seen the app's first run.
        # Its staff already has 佐藤 健一: the first run picks that person.
        first_run(app)
        app.wait_text("list-total", "12 件")
        app.screenshot("storage-02-copy-opened")
    finally:
        info.unlink()
    copy = home / ".local/share/jp.daicho.ledger/daicho.sqlite3"
    assert copy.exists()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not (synced / "daicho.sqlite3-wal").exists()
