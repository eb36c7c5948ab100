"""Receivers for the tests of delivery channels, shared by test_channels.py,
test_drills.py and test_exercises.py: a real SMTP server on loopback (aiosmtpd,
Debian's python3-aiosmtpd) that keeps every message and can refuse chosen
recipients for good (550, a bounce), a webhook receiver (http.server) that
records every POST and answers scripted statuses, their module fixtures (`smtp`,
`hooks`: import them into a test module to use them), a deployment whose worker
sends to them, and two helpers: waiting for the worker and reading the database
directly where the API does not show a detail.
"""

import http.server
import sqlite3
import threading
import time

import pytest
from aiosmtpd.controller import Controller

from apilib import Deployment, free_port

WAIT = 30  # seconds: upper bound for anything the worker should do (sanitizer builds are slow)
SECRET = "test-secret-0123456789abcdef"


# ---- receivers ---------------------------------------------------------------

class Mailbox:
    """An aiosmtpd handler keeping every message: (mail_from, rcpt_tos, bytes).
    Recipients in `reject` are refused at RCPT with 550 (a permanent failure)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []
        self.reject = set()
        self.refused = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            if address in self.reject:
                self.refused.append(address)
                return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content
                                  or envelope.content))
        return "250 OK"

    def to(self, rcpt):
        with self.lock:
            return [m for m in self.messages if rcpt in m[1]]


class SMTP:
    """A real SMTP server on a fixed loopback port that can be stopped and started again."""

    def __init__(self):
        self.port = free_port()
        self.box = Mailbox()
        self.ctl = None

    def start(self):
        self.ctl = Controller(self.box, hostname="127.0.0.1", port=self.port)
        self.ctl.start()

    def stop(self):
        if self.ctl:
            self.ctl.stop()
            self.ctl = None


class Hooks:
    """A webhook receiver: records (path, headers, body, status answered) of every
    POST; answers the statuses scripted for a path first, then 200. A path
    starting with /hang waits (until released) before answering."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.script = {}
        self.release = threading.Event()
        hooks = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                with hooks.lock:
                    queue = hooks.script.get(self.path) or []
                    status = queue.pop(0) if queue else 200
                    hooks.requests.append((self.path, dict(self.headers), body, status))
                if self.path.startswith("/hang"):
                    hooks.release.wait(60)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def to(self, path):
        with self.lock:
            return [r for r in self.requests if r[0] == path]

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


# ---- fixtures and a deployment that sends to the receivers --------------------

@pytest.fixture(scope="module")
def smtp():
    s = SMTP()
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def hooks():
    h = Hooks()
    yield h
    h.close()


def receiving_deployment(tmp_path_factory, smtp, tag, base_url=None):
    """A started deployment whose delivery worker sends e-mail to smtp (retrying after
    1 s); the caller stops it (d.stop())."""
    env = {"CEPTOAR_SMTP_URL": "smtp://127.0.0.1:%d" % smtp.port,
           "CEPTOAR_SMTP_FROM": "ceptoar@nisc.example.jp", "CEPTOAR_RETRY_BASE_SECONDS": "1"}
    if base_url:
        env["CEPTOAR_BASE_URL"] = base_url
    d = Deployment(str(tmp_path_factory.mktemp("ceptoar-" + tag)), tag=tag, env=env)
    try:
        d.start()
    except BaseException:
        if d.server:
            d.server.stop()
        raise
    return d


def db_rows(dep, sql, args=()):
    con = sqlite3.connect(dep.db, timeout=30)
    try:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute(sql, args).fetchall()]
    finally:
        con.close()


def wait_for(what, fn, dep, timeout=WAIT):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.1)
    raise AssertionError("timed out waiting for %s; server log:\n%s" % (
        what, dep.server.log_text()[-6000:]))
