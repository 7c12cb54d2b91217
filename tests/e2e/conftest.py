"""End-to-end harness: the real app binary in its real webview (WebKitGTK),
driven through tauri-driver and WebKitWebDriver under Xvfb."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import urllib3
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
APP = Path(os.environ.get("DAICHO_APP", TARGET / "debug" / "daicho-app"))
SHOTS = Path(__file__).parent / "screenshots"
DRIVER_PORT = 4444


def _wait_port(port: int, seconds: float) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"port {port} did not open")


@pytest.fixture(scope="session")
def driver_server(tmp_path_factory):
    assert APP.exists(), f"build the app first: {APP}"
    SHOTS.mkdir(exist_ok=True)
    procs = []
    env = dict(os.environ)
    # A home of the session's own: what the app keeps per user (its data
    # folder, notes of exports under way, a Dropbox's info.json) never
    # touches the real user's.
    home = tmp_path_factory.mktemp("home")
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"))
    os.environ["DAICHO_E2E_HOME"] = str(home)
    if not env.get("DISPLAY"):
        env["DISPLAY"] = ":99"
        procs.append(subprocess.Popen(["Xvfb", ":99", "-screen", "0", "1440x900x24", "-nolisten", "tcp"], stderr=subprocess.DEVNULL))
        time.sleep(1)
    os.environ["DISPLAY"] = env["DISPLAY"]
    tauri_driver = shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver")
    log = open(SHOTS / "tauri-driver.log", "w")
    procs.append(subprocess.Popen([tauri_driver, "--port", str(DRIVER_PORT), "--native-driver", "/usr/bin/WebKitWebDriver"], env=env, stdout=log, stderr=log))
    _wait_port(DRIVER_PORT, 20)
    yield
    for p in reversed(procs):
        p.terminate()
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()


class App:
    """One running app window on one ledger file."""

    def __init__(self, db: Path):
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": str(APP), "args": ["--db", str(db)]})
        self.driver = self._session(options)
        self.driver.set_window_size(1440, 900)
        # Typed paths are text for the app, not files for Selenium to upload.
        self.driver.file_detector = UselessFileDetector()

    @staticmethod
    def _session(options):
        # tauri-driver answers before WebKitWebDriver listens; the first
        # session of a run can be refused, so it is asked for again.
        for attempt in range(3):
            try:
                return webdriver.Remote(f"http://127.0.0.1:{DRIVER_PORT}", options=options)
            except (WebDriverException, urllib3.exceptions.HTTPError):
                if attempt == 2:
                    raise
                time.sleep(2)

    def find(self, testid: str, timeout: float = 10):
        return WebDriverWait(self.driver, timeout).until(lambda d: d.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]'))

    def xpath(self, path: str, timeout: float = 10):
        # Screens load their data after navigation; wait rather than race the first paint.
        return WebDriverWait(self.driver, timeout).until(lambda d: d.find_element(By.XPATH, path))

    def all_in(self, testid: str, css: str, timeout: float = 10):
        """The elements matching css inside testid, once there is at least one."""
        return WebDriverWait(self.driver, timeout).until(lambda d: self.find(testid).find_elements(By.CSS_SELECTOR, css))

    def set_value(self, testid: str, value: str) -> None:
        """Sets a date or number input the way a picker does; WebKit's date
        fields take keystrokes in the locale's order, which Xvfb's C locale
        makes mm/dd/yyyy."""
        self.driver.execute_script(
            "const el = arguments[0];"
            "Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, arguments[1]);"
            "el.dispatchEvent(new Event('input', { bubbles: true }));",
            self.find(testid),
            value,
        )

    def gone(self, testid: str, timeout: float = 10):
        # React may replace the element while it is being looked at.
        wait = WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,))
        wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]'))

    def until(self, predicate, timeout: float = 10, message: str = ""):
        # The screens re-render as they poll (the sync state every 2 s): an
        # element found a moment ago may be replaced before it is read.
        wait = WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,))
        return wait.until(predicate, message)

    def text_of(self, testid: str) -> str:
        return self._fresh(lambda: self.find(testid).text)

    def wait_text(self, testid: str, expected: str, timeout: float = 10) -> None:
        self.until(lambda d: expected in self.find(testid).text, timeout, f"{testid} never showed {expected!r}")

    def type_into(self, testid: str, text: str) -> None:
        # clear() bypasses React's change events; select-all and delete do not.
        element = self.find(testid)
        element.send_keys(Keys.CONTROL, "a")
        element.send_keys(Keys.DELETE)
        element.send_keys(text)

    def click(self, testid: str) -> None:
        def scroll_and_click():
            element = self.find(testid)
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'nearest'})", element)
            element.click()

        self._fresh(scroll_and_click)

    @staticmethod
    def _fresh(action):
        # A re-render between finding and using replaces the element: find it again.
        for attempt in range(3):
            try:
                return action()
            except StaleElementReferenceException:
                if attempt == 2:
                    raise

    def select(self, testid: str, visible_text: str) -> None:
        from selenium.webdriver.support.select import Select

        element = self.find(testid)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        Select(element).select_by_visible_text(visible_text)

    def chart_ink(self, testid: str, timeout: float = 15) -> int:
        """How many pixels of the chart's canvas are drawn, once ECharts has drawn it."""
        WebDriverWait(self.driver, timeout).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"][data-rendered="true"] canvas')
        )
        return self.driver.execute_script(
            """const c = document.querySelector(`[data-testid="${arguments[0]}"] canvas`);
            const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
            return n;""",
            testid,
        )

    def screenshot(self, name: str) -> Path:
        # WebKit shows the previous paint until two animation frames have passed.
        self.driver.execute_async_script("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));")
        path = SHOTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def quit(self) -> None:
        self.driver.quit()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.failed_call = report.failed
    return report


@pytest.fixture
def launch(driver_server, request):
    apps = []

    def start(db: Path) -> App:
        app = App(db)
        apps.append(app)
        return app

    yield start
    for n, app in enumerate(apps):
        try:
            # The screen at the moment of a failure says more than the trace.
            if getattr(request.node, "failed_call", False):
                app.screenshot(f"FAILED-{request.node.name}-{n}")
            app.quit()
        except Exception:
            pass
