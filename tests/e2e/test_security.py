"""What the webview may not do: reach the network, read files, or call
anything but Daichō's own commands (docs/security.md)."""

import http.server
import threading
import time

import pytest

from test_ledger_app import first_run


@pytest.fixture
def local_server():
    """A web server on loopback that records every request it gets: if the
    webview could reach it, the CSP would have let a remote source through."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(b"window.__pwned = true;")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def run_async(app, body: str):
    """Runs `body` (an async function body) in the page and returns its value."""
    return app.driver.execute_async_script(
        f"const done = arguments[arguments.length - 1]; (async () => {{ {body} }})().then(done, e => done('threw: ' + e));"
    )


def test_the_webview_cannot_reach_the_network_files_or_foreign_commands(launch, tmp_path, local_server):
    url, hits = local_server
    app = launch(tmp_path / "daicho.sqlite3")
    first_run(app)

    # The CSP refuses every remote source: fetch, script, image, frame.
    fetched = run_async(app, f"try {{ await fetch('{url}/fetch'); return 'loaded'; }} catch (e) {{ return 'refused'; }}")
    assert fetched == "refused"
    run_async(app, f"""
        for (const [tag, attr] of [['script', 'src'], ['img', 'src'], ['iframe', 'src'], ['link', 'href']]) {{
            const el = document.createElement(tag);
            if (tag === 'link') el.rel = 'stylesheet';
            el[attr] = '{url}/' + tag;
            document.body.appendChild(el);
        }}
        await new Promise(r => setTimeout(r, 1500));
        return true;""")
    assert app.driver.execute_script("return window.__pwned === true") is False
    # Inline script is refused as well (script-src 'self').
    app.driver.execute_script("const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.body.appendChild(s);")
    assert app.driver.execute_script("return window.__inline === 1") is False

    # No file of the machine can be read from the page.
    read = run_async(app, "try { const r = await fetch('file:///etc/passwd'); return 'read ' + (await r.text()).length; } catch (e) { return 'refused'; }")
    assert read == "refused"

    # Only the app's own commands and the dialogs answer; a plugin the app
    # does not grant is refused by the capability check.
    for command, args in [("plugin:fs|read_text_file", {"path": "/etc/passwd"}), ("plugin:shell|execute", {"program": "sh", "args": ["-c", "id"]}), ("plugin:http|fetch", {"url": url})]:
        answer = run_async(app, f"try {{ await window.__TAURI_INTERNALS__.invoke({command!r}, {args!r}); return 'allowed'; }} catch (e) {{ return 'refused: ' + e; }}")
        assert answer.startswith("refused"), f"{command}: {answer}"
    own = run_async(app, "return JSON.stringify(await window.__TAURI_INTERNALS__.invoke('list_statuses'));")
    assert "商談中" in own, own

    # Navigating the window away to a web address does not load it.
    app.driver.execute_script(f"window.location.href = '{url}/navigate';")
    time.sleep(2)
    assert "127.0.0.1" not in app.driver.current_url
    app.find("customer-list")

    assert hits == [], f"the webview reached the network: {hits}"
