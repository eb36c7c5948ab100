"""Shared helpers of the API test suite: a deployment (database + running
server), the principals the tests act as, HTTP helpers and the one check of
the error shape.

A deployment is built only through the product's own interfaces: the CLI
(`init`, `user add`, `token issue`) and the HTTP API (operator orgs are
created with POST /api/v1/orgs as the first administrator).
"""

import itertools
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import time

import requests

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("CEPTOAR_BIN") or os.path.join(REPO, "build", "ceptoar")
REFERENCE = os.path.join(REPO, "data", "reference")

HTTP_TIMEOUT = 60  # seconds per request (the sanitizer build is slow)
START_TIMEOUT = 30  # seconds for a server to answer /healthz
STOP_TIMEOUT = 10  # seconds for a server to exit after SIGTERM

# The error codes the contract (docs/api.md) allows for each status.
ERROR_CODES = {
    400: {"invalid", "parse"},
    401: {"unauthorized"},
    403: {"forbidden"},
    404: {"not_found"},
    405: {"method_not_allowed"},
    409: {"conflict"},
    413: {"too_large"},
    415: {"unsupported_media_type"},
    422: {"unprocessable"},
    500: {"internal"},
}

# What a successful DELETE answers (no body).
DELETE_OK = 204

_counter = itertools.count(1)


def unique(prefix="t"):
    """A short identifier no other test uses: letters, digits and '-'."""
    return "%s-%d-%s" % (prefix, next(_counter), secrets.token_hex(3))


def describe(r):
    """One line for assertion messages: request and answer."""
    req = r.request
    body = req.body
    if isinstance(body, bytes):
        body = body[:300].decode("utf-8", "replace")
    elif isinstance(body, str):
        body = body[:300]
    return "%s %s body=%r -> %d %s" % (req.method, req.url, body, r.status_code, r.text[:600])


def assert_error(r, status, code=None, field=None, message_contains=None):
    """THE check of an error answer: the status, a JSON body of exactly
    {"error": {"code", "message"[, "field"]}}, a code that fits the status,
    and (when given) the expected code, field and message text. Returns the
    inner error object."""
    assert r.status_code == status, "expected %d: %s" % (status, describe(r))
    ctype = r.headers.get("Content-Type", "")
    assert ctype.startswith("application/json"), "error is not JSON (%r): %s" % (ctype, describe(r))
    try:
        body = r.json()
    except ValueError:
        raise AssertionError("error body is not valid JSON: %s" % describe(r))
    assert isinstance(body, dict) and set(body) == {"error"}, "bad error shape: %s" % describe(r)
    err = body["error"]
    assert isinstance(err, dict), describe(r)
    assert set(err) <= {"code", "message", "field"}, "unexpected keys in error: %s" % describe(r)
    assert isinstance(err.get("code"), str) and err["code"], describe(r)
    assert isinstance(err.get("message"), str) and err["message"].strip(), describe(r)
    if "field" in err:
        assert isinstance(err["field"], str) and err["field"], describe(r)
    if status in ERROR_CODES:
        assert err["code"] in ERROR_CODES[status], "code %r does not fit status %d: %s" % (
            err["code"], status, describe(r))
    if code is not None:
        assert err["code"] == code, "expected code %r: %s" % (code, describe(r))
    if field is not None:
        assert err.get("field") == field, "expected field %r: %s" % (field, describe(r))
    if message_contains is not None:
        assert message_contains in err["message"], "expected %r in message: %s" % (
            message_contains, describe(r))
    return err


def assert_status(r, status):
    assert r.status_code == status, "expected %d: %s" % (status, describe(r))
    if status >= 400:
        assert_error(r, status)
    return r


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env():
    """The environment without the settings the binary reads (CEPTOAR_DB,
    CEPTOAR_LISTEN, CEPTOAR_CONFIG, ...); tests that want one set it."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CEPTOAR_") or k == "CEPTOAR_BIN"}


def run_cli(args, db=None, check=True, env=None, timeout=120, input=None, cwd=None):
    """Run the binary; returns CompletedProcess (text). With check, a non-zero
    exit fails the test with the command's output."""
    cmd = [BIN]
    if db is not None:
        cmd += ["--db", db]
    cmd += list(args)
    full_env = clean_env()
    if env:
        full_env.update(env)
    p = subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=timeout,
                       input=input, cwd=cwd)
    if check and p.returncode != 0:
        raise AssertionError("%s exited %d\nstdout: %s\nstderr: %s" % (
            " ".join(cmd), p.returncode, p.stdout[-3000:], p.stderr[-3000:]))
    return p


def read_credentials(path):
    creds = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            k, v = line.split("=", 1)
            creds[k.strip()] = v.strip()
    return creds


def backup_db(src_path, dst_path):
    """Copy a live database consistently with SQLite's backup API."""
    src = sqlite3.connect(src_path)
    dst = sqlite3.connect(dst_path)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


class Server:
    """One `ceptoar serve` process on a free port, stderr kept in a log."""

    def __init__(self, db, workdir, extra_args=(), env=None, port=None):
        self.db = db
        self.port = port or free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.log_path = os.path.join(workdir, "serve-%d.log" % self.port)
        self.log = open(self.log_path, "wb")
        full_env = clean_env()
        if env:
            full_env.update(env)
        self.cmd = [BIN, "--db", db, "serve", "--listen", "127.0.0.1:%d" % self.port] + list(extra_args)
        self.proc = subprocess.Popen(self.cmd, stdout=self.log, stderr=subprocess.STDOUT, env=full_env)
        self.returncode = None

    def log_bytes(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read()

    def log_text(self):
        return self.log_bytes().decode("utf-8", "replace")

    def wait_ready(self):
        deadline = time.time() + START_TIMEOUT
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("server exited %d before answering /healthz:\n%s" % (
                    self.proc.returncode, self.log_text()[-5000:]))
            try:
                r = requests.get(self.url + "/healthz", timeout=2)
                if r.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError("server did not answer /healthz within %d s:\n%s" % (
            START_TIMEOUT, self.log_text()[-5000:]))

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        """SIGTERM; returns the exit status (None when it had to be killed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.log.close()
                return None
        self.returncode = self.proc.returncode
        self.log.close()
        return self.returncode

    def assert_clean_stop(self):
        rc = self.stop()
        assert rc == 0, "server %s did not exit 0 within %d s of SIGTERM (status %r); its log:\n%s" % (
            self.url, STOP_TIMEOUT, rc, self.log_text()[-20000:])


class Deployment:
    """A database set up through `ceptoar init` and a running server, with
    one principal per role (and a second operator and ministry for the
    relationship rules).

    Principals (key -> user name, org, role):
      admin      the first administrator written by init (org nisc)
      nisc       org nisc, role nisc
      ministry   org fsa (overseeing finance), role ministry
      ministry2  org meti (not overseeing finance), role ministry
      ceptoar    org bank-ceptoar, role ceptoar
      operator   org op-bank-1 (finance, bank-ceptoar), role operator
      operator2  org op-bank-2 (finance), role operator
      agency     org jpcert-cc, role agency
      auditor    org nisc, role auditor
    """

    ROLE_USERS = [
        # key, org, role
        ("nisc", "nisc", "nisc"),
        ("ministry", "fsa", "ministry"),
        ("ministry2", "meti", "ministry"),
        ("ceptoar", "bank-ceptoar", "ceptoar"),
        ("operator", "@op1", "operator"),
        ("operator2", "@op2", "operator"),
        ("agency", "jpcert-cc", "agency"),
        ("auditor", "nisc", "auditor"),
    ]

    def __init__(self, workdir, tag="d", env=None):
        """env: extra environment variables for the server (e.g. the delivery
        channels' CEPTOAR_SMTP_URL); the CLI runs without them."""
        self.dir = workdir
        self.tag = tag
        self.env = dict(env or {})
        self.db = os.path.join(workdir, "ceptoar.db")
        self.server = None
        self.tokens = {}
        self.user_names = {}
        self.orgs = {}

    # -- setup -----------------------------------------------------------
    def start(self):
        if not os.path.exists(BIN):
            raise AssertionError("no binary at %s (build it with `make`, or set CEPTOAR_BIN)" % BIN)
        p = run_cli(["init"], db=self.db)
        self.init_output = p.stdout + p.stderr
        cred = self.db + ".admin-credentials"
        if not os.path.exists(cred):
            m = re.search(r"(/\S+credentials\S*)", self.init_output)
            assert m, "init did not say where the admin credentials are:\n" + self.init_output
            cred = m.group(1).rstrip(".,;:)")
        assert os.path.exists(cred), "credentials file %s missing; init said:\n%s" % (cred, self.init_output)
        self.credentials = read_credentials(cred)
        for k in ("name", "password", "token"):
            assert self.credentials.get(k), "credentials file lacks %s: %r" % (k, self.credentials)
        self.admin_name = self.credentials["name"]
        self.admin_password = self.credentials["password"]
        self.tokens["admin"] = self.credentials["token"]
        self.user_names["admin"] = self.admin_name

        self.server = Server(self.db, self.dir, env=self.env)
        self.server.wait_ready()
        self.url = self.server.url

        # Operator orgs through the API, as the contract says.
        for key, code, name_ja, name_en, ceptoars in [
            ("op1", "%s-op-bank-1" % self.tag, "テスト銀行", "Test Bank", ["bank-ceptoar"]),
            ("op2", "%s-op-bank-2" % self.tag, "テスト第二銀行", "Second Test Bank", []),
        ]:
            r = self.post("/api/v1/orgs", {"kind": "operator", "code": code, "name_ja": name_ja,
                                           "name_en": name_en, "sector": "finance",
                                           "ceptoars": ceptoars})
            assert r.status_code == 201, "creating operator org: " + describe(r)
            self.orgs[key] = r.json()
            assert self.orgs[key].get("id"), describe(r)
            self.orgs[key]["code"] = code

        for key, org, role in self.ROLE_USERS:
            if org.startswith("@"):
                org = self.orgs[org[1:]]["code"]
            name = "%s-%s" % (self.tag, key)
            run_cli(["user", "add", "--name", name, "--org", org, "--role", role], db=self.db)
            tok = run_cli(["token", "issue", "--user", name], db=self.db).stdout.strip()
            assert tok and "\n" not in tok and " " not in tok, "token issue printed %r" % tok
            self.tokens[key] = tok
            self.user_names[key] = name
        return self

    def stop(self):
        if self.server:
            self.server.assert_clean_stop()

    # -- HTTP ------------------------------------------------------------
    def request(self, method, path, token="admin", json_body=None, data=None, headers=None,
                params=None, raw_token=None):
        """token: a principal key ('admin', 'operator', ...), None for no
        credentials; raw_token: a literal bearer token instead."""
        h = dict(headers or {})
        if raw_token is not None:
            h["Authorization"] = "Bearer " + raw_token
        elif token is not None:
            h["Authorization"] = "Bearer " + self.tokens[token]
        if json_body is not None:
            data = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            h.setdefault("Content-Type", "application/json")
        return requests.request(method, self.url + path, data=data, headers=h, params=params,
                                timeout=HTTP_TIMEOUT, allow_redirects=False)

    def get(self, path, token="admin", **kw):
        return self.request("GET", path, token=token, **kw)

    def post(self, path, body, token="admin", **kw):
        return self.request("POST", path, token=token, json_body=body, **kw)

    def patch(self, path, body, token="admin", **kw):
        return self.request("PATCH", path, token=token, json_body=body, **kw)

    def delete(self, path, token="admin", **kw):
        return self.request("DELETE", path, token=token, **kw)

    def ok(self, method, path, body=None, token="admin", status=None, **kw):
        """A request that must succeed; returns the decoded body (or None)."""
        r = self.request(method, path, token=token, json_body=body, **kw)
        if status is not None:
            assert r.status_code == status, describe(r)
        else:
            assert 200 <= r.status_code < 300, describe(r)
        if r.status_code == 204 or not r.content:
            return None
        return r.json()

    def total(self, path, token="admin"):
        r = self.get(path, token=token, params={"limit": 1})
        assert r.status_code == 200, describe(r)
        return r.json()["total"]

    def all_items(self, path, token="admin", params=None):
        """Every item of a list, page by page."""
        items, offset = [], 0
        while True:
            p = dict(params or {})
            p.update({"limit": 500, "offset": offset})
            r = self.get(path, token=token, params=p)
            assert r.status_code == 200, describe(r)
            body = r.json()
            items += body["items"]
            offset += len(body["items"])
            if not body["items"] or offset >= body["total"]:
                return items

    def snapshot(self):
        """Counts a user would see change: orgs, users, tokens, sectors, audit entries."""
        return {
            "orgs": self.total("/api/v1/orgs"),
            "users": self.total("/api/v1/users"),
            "tokens": self.total("/api/v1/tokens"),
            "sectors": self.total("/api/v1/sectors"),
            "audit": self.total("/api/v1/audit"),
        }

    def healthy(self):
        r = requests.get(self.url + "/healthz", timeout=HTTP_TIMEOUT)
        return r.status_code == 200 and r.json().get("status") == "ok"

    # -- helpers to make objects -----------------------------------------
    def make_operator(self, sector="finance", ceptoars=None, prefix="op"):
        code = unique(prefix)
        body = {"kind": "operator", "code": code, "name_ja": "事業者 " + code, "name_en": "Operator " + code,
                "sector": sector}
        if ceptoars is not None:
            body["ceptoars"] = ceptoars
        org = self.ok("POST", "/api/v1/orgs", body, status=201)
        org.setdefault("code", code)
        return org

    def make_service(self, org_id):
        return self.ok("POST", "/api/v1/orgs/%s/services" % org_id,
                       {"name_ja": "勘定系サービス", "name_en": "Core banking service",
                        "service_level": "24時間365日", "verification_level": "年1回"}, status=201)

    def make_system(self, org_id, service_id=None):
        body = {"name_ja": "勘定系システム", "name_en": "Core banking system",
                "description": "重要システムの説明"}
        if service_id:
            body["service_id"] = service_id
        return self.ok("POST", "/api/v1/orgs/%s/systems" % org_id, body, status=201)

    def make_user(self, org="nisc", role="auditor", password=None):
        name = unique("u")
        body = {"name": name, "org": org, "role": role, "display_name": "User " + name,
                "email": name + "@example.jp"}
        if password:
            body["password"] = password
        u = self.ok("POST", "/api/v1/users", body, status=201)
        u.setdefault("name", name)
        return u

    def make_token(self, user, days=None, label="test"):
        body = {"user": user, "label": label}
        if days is not None:
            body["days"] = days
        return self.ok("POST", "/api/v1/tokens", body, status=201)


def raw_http(port, head, body=b"", chunk=65536, read_timeout=30):
    """Send a request over a plain socket (for bodies a server may refuse
    before reading them); returns (status, headers dict, body bytes). Stops
    sending when the server closes its side."""
    s = socket.create_connection(("127.0.0.1", port), timeout=read_timeout)
    try:
        s.sendall(head)
        try:
            for i in range(0, len(body), chunk):
                s.sendall(body[i:i + chunk])
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        data = b""
        try:
            while True:
                part = s.recv(65536)
                if not part:
                    break
                data += part
                if b"\r\n\r\n" in data:
                    hdr, _, rest = data.partition(b"\r\n\r\n")
                    m = re.search(rb"(?im)^content-length:\s*(\d+)", hdr)
                    if m and len(rest) >= int(m.group(1)):
                        break
        except (ConnectionResetError, socket.timeout):
            pass
    finally:
        s.close()
    if not data:
        return None, {}, b""
    hdr, _, rest = data.partition(b"\r\n\r\n")
    lines = hdr.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
    status = int(m.group(1)) if m else None
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return status, headers, rest


class RawResponse:
    """Adapts raw_http's answer to what assert_error reads."""

    class _Req:
        def __init__(self, method, url):
            self.method, self.url, self.body = method, url, None

    def __init__(self, method, url, status, headers, body):
        self.status_code = status if status is not None else -1
        self.headers = {k.title(): v for k, v in headers.items()}
        self.content = body
        self.text = body.decode("utf-8", "replace")
        self.request = self._Req(method, url)

    def json(self):
        return json.loads(self.content.decode("utf-8"))


def raw_request(dep, method, path, body, content_type, token="admin"):
    head = ("%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % (
                method, path, dep.server.port, dep.tokens[token], content_type, len(body))).encode()
    status, headers, rbody = raw_http(dep.server.port, head, body)
    return RawResponse(method, dep.url + path, status, headers, rbody)


def load_reference(name):
    with open(os.path.join(REFERENCE, name), encoding="utf-8") as f:
        return json.load(f)
