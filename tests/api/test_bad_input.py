"""Bad input a client can send: each gets a clear JSON error, nothing changes
(counts of orgs, users, tokens, sectors and audit entries stay the same) and
the server keeps answering. Also raw-socket garbage and truncated requests."""

import json
import socket
import time

import pytest

from apilib import assert_error, describe, raw_http, raw_request, unique


def org_body(**kw):
    b = {"kind": "operator", "code": unique("bad"), "name_ja": "不正入力", "sector": "gas"}
    b.update(kw)
    return b


def nested(depth):
    """An org body whose total nesting depth is `depth` (the body object counts as 1)."""
    inner = "[" * (depth - 1) + "]" * (depth - 1)
    return ('{"kind":"operator","code":"%s","name_ja":"x","sector":"gas","ceptoars":%s}'
            % (unique("deep"), inner)).encode()


def jdump(obj):
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


# name, method, path, body bytes, content type, status, code, field
CASES = [
    ("malformed json", "POST", "/api/v1/orgs", b'{"kind": "operator", "name_ja": ', "application/json", 400, "parse", None),
    ("trailing garbage", "POST", "/api/v1/orgs", jdump(org_body()) + b" }x", "application/json", 400, "parse", None),
    ("single quotes", "POST", "/api/v1/orgs", b"{'kind': 'operator'}", "application/json", 400, "parse", None),
    ("array at top", "POST", "/api/v1/orgs", b'[' + jdump(org_body()) + b']', "application/json", 400, None, None),
    ("string at top", "POST", "/api/v1/sectors", b'"space"', "application/json", 400, None, None),
    ("empty body", "POST", "/api/v1/orgs", b"", "application/json", 400, None, None),
    ("depth 33", "POST", "/api/v1/orgs", nested(33), "application/json", 413, "too_large", None),
    ("depth 100000", "POST", "/api/v1/orgs", nested(100000), "application/json", 413, "too_large", None),
    ("text/plain", "POST", "/api/v1/orgs", jdump(org_body()), "text/plain", 415, "unsupported_media_type", None),
    ("form", "POST", "/api/v1/users", b"name=x&org=nisc&role=admin", "application/x-www-form-urlencoded", 415,
     "unsupported_media_type", None),
    ("csv to a json route", "POST", "/api/v1/orgs", b"code,name_ja,sector\r\n", "text/csv", 415, None, None),
    ("unknown field", "POST", "/api/v1/orgs", jdump(org_body(colour="red")), "application/json", 400, "invalid", "colour"),
    ("unknown field on patch", "PATCH", "/api/v1/orgs/{op1}", jdump({"colour": "red"}), "application/json", 400,
     "invalid", "colour"),
    ("unknown user field", "POST", "/api/v1/users", jdump({"name": unique("u"), "org": "nisc", "role": "auditor",
                                                            "is_root": True}), "application/json", 400, None, "is_root"),
    ("wrong type", "POST", "/api/v1/orgs", jdump(org_body(kind=5)), "application/json", 400, "invalid", "kind"),
    ("invalid utf-8", "POST", "/api/v1/orgs", b'{"kind":"operator","code":"bad-utf8","name_ja":"\xff\xfe\x80",'
     b'"sector":"gas"}', "application/json", 400, None, None),
    ("overlong utf-8", "POST", "/api/v1/orgs", b'{"kind":"operator","code":"bad-overlong","name_ja":"\xc0\xaf",'
     b'"sector":"gas"}', "application/json", 400, None, None),
    ("lone surrogate", "POST", "/api/v1/orgs", b'{"kind":"operator","code":"bad-sur","name_ja":"\\ud800",'
     b'"sector":"gas"}', "application/json", 400, None, None),
    ("NUL in a string", "POST", "/api/v1/orgs", b'{"kind":"operator","code":"bad-nul","name_ja":"a\\u0000b",'
     b'"sector":"gas"}', "application/json", 400, None, None),
    ("limit 0", "GET", "/api/v1/orgs?limit=0", b"", None, 400, "invalid", "limit"),
    ("map format", "GET", "/api/v1/ceptoar-map?format=xml", b"", None, 400, "invalid", "format"),
    ("invalid utf-8 query", "GET", "/api/v1/orgs?q=%FF%FE", b"", None, 400, "invalid", "q"),
    ("huge offset", "GET", "/api/v1/orgs?offset=99999999999999999999", b"", None, 400, "invalid", "offset"),
]


@pytest.mark.parametrize("name,method,path,body,ctype,status,code,field", CASES, ids=[c[0] for c in CASES])
def test_bad_request_changes_nothing(deploy, name, method, path, body, ctype, status, code, field):
    path = path.replace("{op1}", deploy.orgs["op1"]["id"])
    before = deploy.snapshot()
    org_before = deploy.get("/api/v1/orgs/" + deploy.orgs["op1"]["id"]).json()
    headers = {"Content-Type": ctype} if ctype else {}
    r = deploy.request(method, path, data=body if body or method != "GET" else None, headers=headers)
    assert_error(r, status, code=code, field=field)
    assert deploy.snapshot() == before
    assert deploy.get("/api/v1/orgs/" + deploy.orgs["op1"]["id"]).json() == org_before
    assert deploy.healthy()


def test_depth_32_is_not_too_deep(deploy):
    """'deeper than 32' is refused; 32 itself reaches validation (ceptoars of the wrong type)."""
    before = deploy.snapshot()
    r = deploy.request("POST", "/api/v1/orgs", data=nested(32), headers={"Content-Type": "application/json"})
    assert_error(r, 400, field="ceptoars")
    assert deploy.snapshot() == before


def test_body_over_1_mib_is_413(deploy):
    pad = "a" * (1024 * 1024)
    body = jdump(org_body(name_ja=pad))
    assert len(body) > 1024 * 1024
    before = deploy.snapshot()
    r = raw_request(deploy, "POST", "/api/v1/orgs", body, "application/json")
    assert_error(r, 413, code="too_large")
    assert deploy.snapshot() == before
    assert deploy.healthy()


def test_body_over_1_mib_without_content_length(deploy):
    """A chunked body has no declared length; the cap still holds."""
    before = deploy.snapshot()

    def gen():
        yield b'{"kind":"operator","code":"chunked","sector":"gas","name_ja":"'
        for _ in range(40):
            yield b"a" * 65536
        yield b'"}'
    try:
        r = deploy.request("POST", "/api/v1/orgs", data=gen(), headers={"Content-Type": "application/json"})
    except Exception as e:  # the server may close the connection after answering
        r = None
        err = e
    if r is not None:
        assert_error(r, 413, code="too_large")
    else:
        assert deploy.healthy(), err
    assert deploy.snapshot() == before
    assert deploy.healthy()


@pytest.mark.parametrize("n,ok", [(200, True), (201, False)])
def test_name_cap_counts_characters(deploy, n, ok):
    """Names are capped at 200 characters (not bytes: these are 3 bytes each)."""
    name = "重" * n
    before = deploy.snapshot()
    r = deploy.post("/api/v1/orgs", org_body(name_ja=name))
    if ok:
        assert r.status_code == 201, describe(r)
        assert deploy.get("/api/v1/orgs/" + r.json()["id"]).json()["name_ja"] == name
    else:
        assert r.status_code in (400, 413), describe(r)
        assert_error(r, r.status_code, field="name_ja")
        assert deploy.snapshot() == before


def test_description_cap(deploy):
    org = deploy.orgs["op2"]
    path = "/api/v1/orgs/%s/systems" % org["id"]
    before = deploy.get(path, token="nisc").json()["total"]
    r = deploy.post(path, {"name_ja": "長すぎる説明", "description": "説" * 4001})
    assert r.status_code in (400, 413), describe(r)
    assert_error(r, r.status_code, field="description")
    assert deploy.get(path, token="nisc").json()["total"] == before


def test_json_with_charset_is_accepted(deploy):
    r = deploy.request("POST", "/api/v1/orgs", data=jdump(org_body()),
                       headers={"Content-Type": "application/json; charset=utf-8"})
    assert r.status_code == 201, describe(r)


@pytest.mark.parametrize("path", ["/api/v1/nope", "/nope", "/api/v2/sectors", "/api/v1/sectors/finance/extra/a/b",
                                  "/api/v1/orgs/" + "x" * 300, "/api/v1//sectors", "/api/v1/orgs/%ZZ"])
def test_unknown_path_is_404_json(deploy, path):
    before = deploy.snapshot()
    assert_error(deploy.get(path), 404, code="not_found")
    assert deploy.snapshot() == before


@pytest.mark.parametrize("method,path,allowed", [
    ("DELETE", "/api/v1/sectors", "GET"), ("PUT", "/api/v1/orgs", "POST"), ("POST", "/api/v1/me", "GET"),
    ("PATCH", "/api/v1/audit", "GET"), ("POST", "/healthz", "GET"), ("PUT", "/api/v1/orgs/{op1}", "PATCH"),
])
def test_wrong_method_is_405(deploy, method, path, allowed):
    path = path.replace("{op1}", deploy.orgs["op1"]["id"])
    before = deploy.snapshot()
    r = deploy.request(method, path, json_body={} if method in ("POST", "PUT", "PATCH") else None)
    assert_error(r, 405, code="method_not_allowed")
    assert allowed in r.headers.get("Allow", ""), r.headers
    assert deploy.snapshot() == before


# ---- raw sockets -----------------------------------------------------------------

def send_and_close(port, data, read=True):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except OSError:  # the server answered and closed before reading it all
            pass
        got = b""
        if read:
            try:
                while True:
                    part = s.recv(65536)
                    if not part:
                        break
                    got += part
            except (socket.timeout, ConnectionResetError):
                pass
        return got
    finally:
        s.close()


@pytest.mark.parametrize("data", [
    b"\x00\x01\x02\x03garbage\xff\xfe\r\n\r\n",
    b"GARBAGE / HTTP/9.9\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\n",
    b"GET /api/v1/sec",
    b"POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"kind\"",
    b"POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200000 + b"\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"\r\n" * 5000,
], ids=["binary", "bad version", "no end of headers", "cut request line", "short body", "bad length",
        "negative length", "huge header", "bad chunk", "blank lines"])
def test_raw_garbage_keeps_server_up(deploy, data):
    before = deploy.snapshot()
    answer = send_and_close(deploy.server.port, data)
    if answer:
        assert answer.startswith(b"HTTP/1."), answer[:200]
        status = int(answer.split(b" ", 2)[1])
        assert 400 <= status < 500 or status == 505, answer[:300]  # 505: HTTP version not supported
    assert deploy.server.alive()
    assert deploy.healthy()
    assert deploy.snapshot() == before


def test_idle_half_open_connections_do_not_block_others(deploy):
    socks = []
    try:
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", deploy.server.port), timeout=10)
            s.sendall(b"GET /api/v1/sectors HTTP/1.1\r\nHost: x\r\n")  # never finished
            socks.append(s)
        t = time.time()
        assert deploy.healthy()
        assert deploy.get("/api/v1/sectors").status_code == 200
        assert time.time() - t < 10
    finally:
        for s in socks:
            s.close()
    assert deploy.healthy()


def test_many_quick_connections(deploy):
    for _ in range(200):
        s = socket.create_connection(("127.0.0.1", deploy.server.port), timeout=10)
        s.close()
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    status, _h, body = raw_http(deploy.server.port, head)
    assert status == 200 and json.loads(body)["status"] == "ok"


def test_healthz(deploy):
    r = deploy.get("/healthz", token=None)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and isinstance(body["schema"], int) and body["schema"] >= 1


def test_access_log_times_a_slow_body_in_milliseconds(deploy):
    """The access log gives each request's time from its headers to its answer,
    in milliseconds: a body sent 0.4 s after the headers shows at least 400 ms,
    and no more than the test's own wall time."""
    path = "/api/v1/orgs"
    log_from = len(deploy.server.log_text())
    body = jdump(org_body(code=""))
    head = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Authorization: Bearer %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
            % (path, deploy.tokens["admin"], len(body))).encode()
    t = time.time()
    with socket.create_connection(("127.0.0.1", deploy.server.port), timeout=10) as s:
        s.sendall(head)
        time.sleep(0.4)
        s.sendall(body)
        answer = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    wall_ms = (time.time() - t) * 1000
    assert answer.startswith(b"HTTP/1.1 400"), answer[:300]
    deadline = time.time() + 5
    while True:
        lines = [ln for ln in deploy.server.log_text()[log_from:].splitlines()
                 if "http: POST %s 400 " % path in ln]
        if lines or time.time() > deadline:
            break
        time.sleep(0.05)
    assert len(lines) == 1, lines
    ms = float(lines[0].split(" 400 ", 1)[1].split("ms", 1)[0])
    assert 400 <= ms <= wall_ms + 50, (lines[0], wall_ms)


def test_access_log_keeps_a_request_to_one_line_of_utf8(deploy):
    """A path that decodes to a line break and to bytes that are not UTF-8
    (Shift_JIS "テ") is logged as one line of UTF-8: the controls as '?',
    the stray bytes as U+FFFD, so that a client cannot forge log lines or
    break a reader of the log."""
    start = len(deploy.server.log_bytes())
    status, _, _ = raw_http(deploy.server.port, b"GET /api/v1/x%0D%0Afake-line%83%65 HTTP/1.1\r\n"
                            b"Host: x\r\nConnection: close\r\n\r\n")
    assert status == 404
    deadline = time.time() + 5
    while True:
        new = deploy.server.log_bytes()[start:]
        if b"fake-line" in new or time.time() > deadline:
            break
        time.sleep(0.05)
    text = new.decode("utf-8")  # strict: the log stays UTF-8
    lines = [ln for ln in text.splitlines() if "fake-line" in ln]
    assert len(lines) == 1, lines
    assert "http: GET /api/v1/x??fake-line\ufffde 404 " in lines[0], lines[0]
    assert not any(ln.startswith("fake-line") for ln in text.splitlines())
