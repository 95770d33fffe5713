"""A real Label Studio for the tests: installed in its own virtualenv, started on 127.0.0.1.

Label Studio pins its own dependencies (Django, pydantic, ...) that clash with ours, so it lives in
a virtualenv of its own under the user's cache folder, keyed by version, made once
(:func:`install`; ``.ci/run`` calls ``python tests/labelstudio_live.py install`` so CI never
skips).  :class:`LabelStudio` starts it with SQLite in a throwaway data folder, a throwaway user
and API token, and talks to its REST API with the standard library only.  The database of its first start is kept
(:func:`template`), so later starts skip the migrations.  :class:`Browser` drives
headless Chromium through the DevTools protocol (a minimal WebSocket client, standard library
only) to log in, open the labeling page, read its DOM and take a screenshot.
"""

from __future__ import annotations

import base64
import ctypes
import http.cookiejar
import json
import os
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

VERSION = "1.23.2"
PACKAGE = f"label-studio=={VERSION}"
USER, PASSWORD, TOKEN = "annotator@example.com", "throwaway-pass-1", "newsanno-test-token-0123456789"
# Label Studio phones home by default (error reports, analytics, version check): off, no network.
QUIET = {
    "SENTRY_DSN": "",
    "FRONTEND_SENTRY_DSN": "",
    "LATEST_VERSION_CHECK": "false",
    "COLLECT_ANALYTICS": "false",
    "DJANGO_DB": "sqlite",
    "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
}


def home() -> Path:
    """The virtualenv folder of the pinned Label Studio (under the user's cache folder)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "newsanno" / f"label-studio-{VERSION}"


def template() -> Path:
    """A database Label Studio migrated and saved right after its first start (user, no projects):
    later starts copy it and skip the minute of migrations."""
    return home() / "migrated.sqlite3"


def executable() -> Path:
    return home() / "bin" / "label-studio"


def install() -> str | None:
    """Make the virtualenv once (a ``.ready`` marker says it is complete); None, or why it failed."""
    venv = home()
    if (venv / ".ready").is_file() and executable().is_file():
        return None
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
    if made.returncode != 0:
        return f"python -m venv failed: {made.stderr.strip()[-300:]}"
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", PACKAGE], capture_output=True, text=True)
    if pip.returncode != 0 or not executable().is_file():
        return f"pip install {PACKAGE} failed: {(pip.stderr or pip.stdout).strip()[-300:]}"
    (venv / ".ready").write_text(PACKAGE + "\n", encoding="utf-8")
    return None


def _die_with_parent() -> None:
    """In the child, before exec: end when the test run that started it ends (Linux), so a crashed
    pytest leaves no server or browser behind."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LabelStudio:
    """A running Label Studio and a client of its REST API (token authentication)."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        data_dir.mkdir(parents=True, exist_ok=True)
        self.database = data_dir / "label_studio.sqlite3"
        self.from_template = template().is_file()
        if self.from_template:
            shutil.copyfile(template(), self.database)
        env = dict(os.environ, **QUIET, LABEL_STUDIO_BASE_DATA_DIR=str(data_dir))
        args = [str(executable()), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(self.port)]
        args += [
            "--data-dir",
            str(data_dir),
            "--username",
            USER,
            "--password",
            PASSWORD,
            "--user-token",
            TOKEN,
            "--enable-legacy-api-token",
        ]
        self._out = log.open("wb")
        self.process = subprocess.Popen(
            args, env=env, stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent
        )
        self.started = time.monotonic()
        self.startup_seconds = 0.0

    def wait(self, timeout: float = 600) -> None:
        """Wait until /health answers; RuntimeError (with the log's tail) when it never does."""
        while time.monotonic() - self.started < timeout:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=5) as r:
                    if r.status == 200:
                        self.startup_seconds = time.monotonic() - self.started
                        self._save_template()
                        return
            except OSError:
                time.sleep(1)
        tail = self.log.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RuntimeError(f"Label Studio did not answer /health on {self.url}:\n{tail}")

    def _save_template(self) -> None:
        if self.from_template or template().is_file():
            return
        partial = template().with_suffix(".partial")
        with sqlite3.connect(self.database) as source, sqlite3.connect(partial) as copy:
            source.backup(copy)  # a consistent copy of a database in use
        os.replace(partial, template())

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)  # its own session: the server and the runserver child it spawns
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self._out.close()

    def call(self, method: str, path: str, body: Any = None, *, raw: bool = False) -> Any:
        """One REST call; the decoded JSON answer (bytes when ``raw``)."""
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"}
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as r:
                answer = r.read()
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path}: HTTP {exc.code}: {exc.read()[:1000]!r}") from exc
        return answer if raw else (json.loads(answer) if answer else None)

    # --- the steps of docs/labelstudio.md, through the API ---

    def create_project(self, title: str, labeling_config: str) -> int:
        return int(self.call("POST", "/api/projects", {"title": title, "label_config": labeling_config})["id"])

    def import_tasks(self, project: int, tasks: list[dict[str, Any]]) -> dict[str, Any]:
        return self.call("POST", f"/api/projects/{project}/import?commit_to_project=true", tasks)

    def tasks(self, project: int) -> list[dict[str, Any]]:
        """The project's tasks with their annotations, drafts and predictions (its JSON export of all tasks)."""
        return self.export(project, all_tasks=True)

    def export(self, project: int, export_type: str = "JSON", *, all_tasks: bool = False) -> Any:
        """What Label Studio's own export gives (``exportType=JSON`` unless told)."""
        query = urllib.parse.urlencode({"exportType": export_type, "download_all_tasks": "true" if all_tasks else "false"})
        return json.loads(self.call("GET", f"/api/projects/{project}/export?{query}", raw=True))

    def session_cookie(self) -> dict[str, str]:
        """Log in through the login form (as a browser does): the session cookie for Chromium."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(self.url + "/user/login/", timeout=60).read()
        csrf = next(c.value for c in jar if c.name == "csrftoken")
        form = urllib.parse.urlencode({"email": USER, "password": PASSWORD, "csrfmiddlewaretoken": csrf}).encode()
        request = urllib.request.Request(self.url + "/user/login/", data=form, headers={"Referer": self.url + "/user/login/"})
        opener.open(request, timeout=60).read()
        cookies = {c.name: c.value for c in jar}
        assert "sessionid" in cookies, f"login as {USER} failed: {sorted(cookies)}"
        return cookies


class _Socket:
    """The client side of one WebSocket (RFC 6455), enough for the DevTools protocol."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=120)
        key = base64.b64encode(os.urandom(16)).decode()
        request = f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert head.startswith(b"HTTP/1.1 101"), head

    def _exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("DevTools socket closed")
            data += chunk
        return data

    def send(self, text: str) -> None:
        payload, mask = text.encode(), os.urandom(4)
        n = len(payload)
        header = bytes([0x81]) + (
            bytes([0x80 | n])
            if n < 126
            else bytes([0x80 | 126]) + struct.pack(">H", n)
            if n < 65536
            else bytes([0x80 | 127]) + struct.pack(">Q", n)
        )
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def receive(self) -> str:
        message = b""
        while True:
            first, second = self._exact(2)
            n = second & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            message += self._exact(n)
            if first & 0x80:
                return message.decode()


class Browser:
    """Headless Chromium with one page, driven through the DevTools protocol."""

    def __init__(self, chromium: str, user_data: Path) -> None:
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
        flags += ["--disable-component-update", "--disable-sync", "--remote-debugging-port=0", f"--user-data-dir={user_data}"]
        flags += ["--window-size=1600,1200", "about:blank"]
        self.process = subprocess.Popen(
            [chromium, *flags], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, preexec_fn=_die_with_parent
        )
        port_file = user_data / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.is_file() and port_file.read_text().strip()):
            assert time.monotonic() < deadline, "chromium did not open its DevTools port"
            time.sleep(0.2)
        port = port_file.read_text().split()[0]
        pages = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30).read())
        self.ws = _Socket(next(p for p in pages if p["type"] == "page")["webSocketDebuggerUrl"])
        self.next_id = 0

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            answer = json.loads(self.ws.receive())
            if answer.get("id") == self.next_id:
                assert "error" not in answer, answer
                return answer.get("result", {})

    def evaluate(self, expression: str) -> Any:
        found = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return found.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 120) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.5)
        raise AssertionError(f"the page never satisfied {expression!r}")

    def key(self, key: str) -> None:
        """Press and release one printable key (a label's hotkey)."""
        code = f"Digit{key}" if key.isdigit() else f"Key{key.upper()}"
        self.send("Input.dispatchKeyEvent", type="keyDown", key=key, code=code, windowsVirtualKeyCode=ord(key.upper()), text=key)
        self.send("Input.dispatchKeyEvent", type="keyUp", key=key, code=code, windowsVirtualKeyCode=ord(key.upper()))

    def enter(self) -> None:
        self.send("Input.dispatchKeyEvent", type="keyDown", key="Enter", code="Enter", windowsVirtualKeyCode=13, text="\r")
        self.send("Input.dispatchKeyEvent", type="keyUp", key="Enter", code="Enter", windowsVirtualKeyCode=13)

    def text_box(self, pattern: str) -> list[float]:
        """The on-screen box of the first match of a JavaScript regex in the labelled text, outside every region."""
        script = f"""(() => {{
          const root = document.querySelector('.htx-highlight').closest('.lsf-htx-richtext');
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          const re = new RegExp({json.dumps(pattern)});
          let n;
          while ((n = walker.nextNode())) {{
            if (n.parentElement.closest('.htx-highlight')) continue;
            const m = re.exec(n.textContent);
            if (!m) continue;
            const r = document.createRange();
            r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
            const b = r.getBoundingClientRect();
            return [b.left, b.top, b.right, b.bottom];
          }}
          return null;
        }})()"""
        box = self.evaluate(script)
        assert box, f"no uncovered text matches {pattern!r}"
        return box

    def drag(self, box: list[float]) -> None:
        """Select the text in ``box`` with the mouse, as a person does."""
        y = (box[1] + box[3]) / 2
        self.send("Input.dispatchMouseEvent", type="mousePressed", x=box[0] + 1, y=y, button="left", clickCount=1)
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=(box[0] + box[2]) / 2, y=y, button="left")
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=box[2] - 1, y=y, button="left")
        self.send("Input.dispatchMouseEvent", type="mouseReleased", x=box[2] - 1, y=y, button="left", clickCount=1)

    def click(self, box: list[float]) -> None:
        x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        self.send("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1)
        self.send("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button="left", clickCount=1)

    def box_of(self, selector_js: str) -> list[float]:
        """The on-screen box of the element a JavaScript expression finds."""
        box = self.evaluate(
            f"(() => {{ const e = {selector_js}; if (!e) return null; const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; }})()"
        )
        assert box, f"nothing found by {selector_js}"
        return box

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            self.process.wait(timeout=30)


if __name__ == "__main__":
    if sys.argv[1:] != ["install"]:
        sys.exit("usage: python tests/labelstudio_live.py install")
    began = time.monotonic()
    failed = install()
    if failed:
        sys.exit(f"{PACKAGE}: {failed}")
    print(f"{PACKAGE} ready in {home()} ({time.monotonic() - began:.0f} s)")
