"""Identities: users, API tokens (secret shown once, expiry, revocation),
disabled users, browser sessions with their cookie and CSRF token, /me."""

import sqlite3
import time

import pytest
import requests

from apilib import (DELETE_OK, HTTP_TIMEOUT, assert_error, describe, run_cli, unique)

LOGIN_OK = 200  # POST /api/v1/sessions answers {"csrf": ...}
PASSWORD = "correct horse battery staple"


def me(dep, raw_token):
    return dep.request("GET", "/api/v1/me", token=None, raw_token=raw_token)


# ---- users ---------------------------------------------------------------------

def test_user_add_get_and_list(deploy):
    name = unique("alice")
    r = deploy.post("/api/v1/users", {"name": name, "org": "fsa", "role": "ministry",
                                      "display_name": "金融 花子", "email": "hanako@example.jp",
                                      "password": PASSWORD})
    assert r.status_code == 201, describe(r)
    u = r.json()
    assert u["name"] == name and u["role"] == "ministry" and u["id"]
    for text in (r.text, deploy.get("/api/v1/users/" + name).text, deploy.get("/api/v1/users/" + u["id"]).text):
        assert "argon2" not in text and PASSWORD not in text and "password_hash" not in text, text
    got = deploy.get("/api/v1/users/" + u["id"]).json()
    assert got["name"] == name and got["display_name"] == "金融 花子" and got["email"] == "hanako@example.jp"
    listed = deploy.all_items("/api/v1/users", params={"org": "fsa", "role": "ministry"})
    assert name in {x["name"] for x in listed}
    assert all(x["role"] == "ministry" for x in listed)
    assert name not in {x["name"] for x in deploy.all_items("/api/v1/users", params={"org": "meti"})}


@pytest.mark.parametrize("change,status,field", [
    ({"role": "superuser"}, 400, "role"),
    ({"role": None}, 400, "role"),
    ({"org": "no-such-org"}, 422, "org"),
    ({"password": "short-11chr"}, 400, "password"),
    ({"name": "has space"}, 400, "name"),
    ({"name": ""}, 400, "name"),
    ({"name": None}, 400, "name"),
    ({"email": 5}, 400, "email"),
    ({"shoe_size": 44}, 400, "shoe_size"),
])
def test_user_add_refused(deploy, change, status, field):
    body = {"name": unique("ref"), "org": "nisc", "role": "auditor", "password": PASSWORD}
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}
    before = deploy.total("/api/v1/users")
    assert_error(deploy.post("/api/v1/users", body), status, field=field)
    assert deploy.total("/api/v1/users") == before


@pytest.mark.parametrize("change,field", [
    ({"password": "x" * 257}, "password"),
    ({"name": "n" * 65}, "name"),
])
def test_user_add_over_caps(deploy, change, field):
    body = {"name": unique("cap"), "org": "nisc", "role": "auditor"}
    body.update(change)
    before = deploy.total("/api/v1/users")
    r = deploy.post("/api/v1/users", body)
    assert r.status_code in (400, 413), describe(r)
    assert_error(r, r.status_code, field=field)
    assert deploy.total("/api/v1/users") == before


def test_password_of_exactly_12_characters_is_accepted(deploy):
    # 12 characters, 36 bytes: the minimum counts characters
    deploy.make_user(password="パスワード十二文字です。")


def test_duplicate_user_name_is_409(deploy):
    u = deploy.make_user()
    before = deploy.total("/api/v1/users")
    assert_error(deploy.post("/api/v1/users", {"name": u["name"], "org": "mic", "role": "ministry"}),
                 409, code="conflict")
    assert deploy.total("/api/v1/users") == before


def test_user_patch(deploy):
    u = deploy.make_user(org="nisc", role="auditor")
    r = deploy.patch("/api/v1/users/" + u["name"], {"role": "nisc", "display_name": "変更後"})
    assert r.status_code == 200, describe(r)
    got = deploy.get("/api/v1/users/" + u["name"]).json()
    assert got["role"] == "nisc" and got["display_name"] == "変更後"
    assert_error(deploy.patch("/api/v1/users/" + u["name"], {"role": "king"}), 400, field="role")
    assert_error(deploy.patch("/api/v1/users/" + u["name"], {"name": "renamed"}), 400, field="name")
    assert_error(deploy.patch("/api/v1/users/no-such-user", {"display_name": "x"}), 404)
    assert deploy.get("/api/v1/users/" + u["name"]).json()["role"] == "nisc"


# ---- tokens --------------------------------------------------------------------

def test_token_issue_shows_secret_once_and_works(deploy):
    u = deploy.make_user(org="mhlw", role="ministry")
    r = deploy.post("/api/v1/tokens", {"user": u["name"], "label": "laptop", "days": 1})
    assert r.status_code == 201, describe(r)
    t = r.json()
    secret = t["token"]
    assert isinstance(secret, str) and len(secret) >= 32 and t["id"]
    assert t["expires_at"]

    m = me(deploy, secret)
    assert m.status_code == 200, describe(m)
    assert m.json()["name"] == u["name"] and m.json()["role"] == "ministry"

    for r2 in (deploy.get("/api/v1/tokens", params={"user": u["name"]}),
               deploy.get("/api/v1/tokens", params={"limit": 500})):
        assert r2.status_code == 200, describe(r2)
        assert secret not in r2.text
    items = deploy.get("/api/v1/tokens", params={"user": u["name"]}).json()["items"]
    assert [x["id"] for x in items] == [t["id"]]
    assert items[0]["label"] == "laptop"
    for key in items[0]:
        assert key not in ("token", "hash", "secret", "token_hash"), items[0]
    # the hash stored for it does not appear either
    con = sqlite3.connect(deploy.db, timeout=10)
    (h,) = con.execute("SELECT hash FROM tokens WHERE id = ?", (t["id"],)).fetchone()
    con.close()
    assert h not in deploy.get("/api/v1/tokens", params={"limit": 500}).text


@pytest.mark.parametrize("days", [0, -1, 3651, "x", 1.5])
def test_token_days_out_of_range(deploy, days):
    u = deploy.make_user()
    before = deploy.total("/api/v1/tokens")
    assert_error(deploy.post("/api/v1/tokens", {"user": u["name"], "days": days}), 400, field="days")
    assert deploy.total("/api/v1/tokens") == before


def test_token_for_unknown_user(deploy):
    before = deploy.total("/api/v1/tokens")
    assert_error(deploy.post("/api/v1/tokens", {"user": "no-such-user", "days": 1}), 422, field="user")
    assert deploy.total("/api/v1/tokens") == before


def test_revoked_token_is_401(deploy):
    u = deploy.make_user()
    t = deploy.make_token(u["name"], days=30)
    assert me(deploy, t["token"]).status_code == 200
    r = deploy.delete("/api/v1/tokens/" + t["id"])
    assert r.status_code == DELETE_OK, describe(r)
    assert_error(me(deploy, t["token"]), 401, code="unauthorized")
    assert_error(deploy.request("GET", "/api/v1/sectors", token=None, raw_token=t["token"]), 401)
    assert_error(deploy.delete("/api/v1/tokens/no-such-token"), 404)


def test_expired_token_is_401(deploy):
    u = deploy.make_user()
    t = deploy.make_token(u["name"], days=1)
    keep = deploy.make_token(u["name"], days=1)
    assert me(deploy, t["token"]).status_code == 200
    con = sqlite3.connect(deploy.db, timeout=30)
    with con:
        n = con.execute("UPDATE tokens SET expires_at = ? WHERE id = ?", (int(time.time()) - 60, t["id"])).rowcount
    con.close()
    assert n == 1
    assert_error(me(deploy, t["token"]), 401, code="unauthorized")
    assert me(deploy, keep["token"]).status_code == 200  # only that one


def test_disabled_users_token_is_401(deploy):
    u = deploy.make_user(org="nisc", role="nisc", password=PASSWORD)
    t = deploy.make_token(u["name"], days=5)
    assert me(deploy, t["token"]).status_code == 200
    assert deploy.patch("/api/v1/users/" + u["name"], {"disabled": True}).status_code == 200
    assert_error(me(deploy, t["token"]), 401, code="unauthorized")
    assert_error(login(deploy, u["name"], PASSWORD), 401)
    assert deploy.patch("/api/v1/users/" + u["name"], {"disabled": False}).status_code == 200
    assert me(deploy, t["token"]).status_code == 200


def test_me(deploy):
    r = deploy.get("/api/v1/me", token="operator")
    assert r.status_code == 200, describe(r)
    m = r.json()
    assert m["name"] == deploy.user_names["operator"] and m["role"] == "operator"
    assert deploy.orgs["op1"]["id"] in r.text
    assert "password" not in m
    assert_error(deploy.get("/api/v1/me", token=None), 401, code="unauthorized")


def test_cli_token_list_and_revoke(deploy):
    u = deploy.make_user()
    t = deploy.make_token(u["name"], days=2, label="cli-test")
    out = run_cli(["token", "list"], db=deploy.db).stdout
    assert t["id"] in out and t["token"] not in out
    users = run_cli(["user", "list"], db=deploy.db).stdout
    assert u["name"] in users and deploy.user_names["operator"] in users
    run_cli(["token", "revoke", t["id"]], db=deploy.db)
    assert_error(me(deploy, t["token"]), 401)


# ---- sessions ------------------------------------------------------------------

def login(dep, name, password):
    return requests.post(dep.url + "/api/v1/sessions", json={"name": name, "password": password},
                         timeout=HTTP_TIMEOUT)


def session_cookie(r):
    raw = r.headers.get("Set-Cookie", "")
    assert raw.startswith("ceptoar_session="), "no session cookie: %s / %r" % (describe(r), raw)
    value = raw.split(";", 1)[0].split("=", 1)[1]
    attrs = [a.strip().lower() for a in raw.split(";")[1:]]
    return value, attrs


def with_cookie(dep, method, path, cookie, csrf=None, body=None):
    h = {"Cookie": "ceptoar_session=" + cookie}
    if csrf is not None:
        h["X-CSRF-Token"] = csrf
    return dep.request(method, path, token=None, json_body=body, headers=h)


@pytest.fixture
def admin_with_password(deploy):
    u = deploy.make_user(org="nisc", role="admin", password=PASSWORD)
    return u["name"]


def test_login_sets_strict_httponly_cookie(deploy, admin_with_password):
    r = login(deploy, admin_with_password, PASSWORD)
    assert r.status_code == LOGIN_OK, describe(r)
    csrf = r.json()["csrf"]
    assert isinstance(csrf, str) and len(csrf) >= 16
    cookie, attrs = session_cookie(r)
    assert len(cookie) >= 32
    assert "httponly" in attrs, attrs
    assert "samesite=strict" in attrs, attrs
    assert cookie not in r.text  # the secret travels only in the cookie


def test_wrong_password_and_unknown_user_look_the_same(deploy, admin_with_password):
    a = login(deploy, admin_with_password, PASSWORD + "!")
    b = login(deploy, "no-such-user-" + unique("x"), PASSWORD)
    ea = assert_error(a, 401, code="unauthorized")
    eb = assert_error(b, 401, code="unauthorized")
    assert ea == eb
    assert "Set-Cookie" not in a.headers and "Set-Cookie" not in b.headers


def test_login_bad_requests(deploy):
    assert_error(requests.post(deploy.url + "/api/v1/sessions", json={"name": "x"}, timeout=HTTP_TIMEOUT), 400)
    assert_error(requests.post(deploy.url + "/api/v1/sessions", data="name=x&password=y",
                               headers={"Content-Type": "application/x-www-form-urlencoded"},
                               timeout=HTTP_TIMEOUT), 415)


def test_failed_sign_ins_are_limited_per_name_and_per_address(new_deployment):
    """5 failures for one name, or 30 from one address, within 15 minutes: that
    name, or every name from that address, is refused (429, Retry-After)
    without the password being checked, the right one included."""
    dep = new_deployment("limit")
    alice = dep.make_user(org="nisc", role="admin", password=PASSWORD)["name"]
    bob = dep.make_user(org="nisc", role="admin", password=PASSWORD)["name"]
    for _ in range(5):
        assert_error(login(dep, alice, PASSWORD + "?"), 401, code="unauthorized")
    r = login(dep, alice, PASSWORD)
    err = assert_error(r, 429, code="too_many_requests", message_contains="this account")
    assert 0 < int(r.headers["Retry-After"]) <= 900, r.headers
    assert "Set-Cookie" not in r.headers, err
    # the limit is the name's: another account from the same address signs in
    assert login(dep, bob, PASSWORD).status_code == LOGIN_OK
    # a bad request is not a failed sign-in
    for _ in range(30):
        assert_error(requests.post(dep.url + "/api/v1/sessions", json={"name": bob},
                                   timeout=HTTP_TIMEOUT), 400, field="password")
    assert login(dep, bob, PASSWORD).status_code == LOGIN_OK
    # 30 failures from the address, over many names: every name is refused
    for i in range(24):
        assert_error(login(dep, "nobody-%d-%s" % (i, unique("n")), PASSWORD), 401)
    assert login(dep, bob, PASSWORD).status_code == LOGIN_OK  # 29 so far
    assert_error(login(dep, "nobody-last", PASSWORD), 401)
    r = login(dep, bob, PASSWORD)
    assert_error(r, 429, code="too_many_requests", message_contains="this address")
    assert 0 < int(r.headers["Retry-After"]) <= 900


def test_session_reads_and_csrf_guards_writes(deploy, admin_with_password):
    r = login(deploy, admin_with_password, PASSWORD)
    assert r.status_code == LOGIN_OK, describe(r)
    csrf = r.json()["csrf"]
    cookie, _ = session_cookie(r)

    g = with_cookie(deploy, "GET", "/api/v1/me", cookie)
    assert g.status_code == 200 and g.json()["name"] == admin_with_password, describe(g)
    assert with_cookie(deploy, "GET", "/api/v1/sectors", cookie).status_code == 200

    before = deploy.total("/api/v1/orgs")
    code = unique("csrf")
    body = {"kind": "operator", "code": code, "name_ja": "CSRF試験", "sector": "gas"}
    assert_error(with_cookie(deploy, "POST", "/api/v1/orgs", cookie, body=body), 403, code="forbidden")
    assert_error(with_cookie(deploy, "POST", "/api/v1/orgs", cookie, csrf="wrong" + csrf, body=body), 403)
    assert_error(with_cookie(deploy, "POST", "/api/v1/orgs", cookie, csrf="", body=body), 403)
    assert deploy.total("/api/v1/orgs") == before
    ok = with_cookie(deploy, "POST", "/api/v1/orgs", cookie, csrf=csrf, body=body)
    assert ok.status_code == 201, describe(ok)
    assert deploy.total("/api/v1/orgs") == before + 1

    # signing out is a change too
    assert_error(with_cookie(deploy, "DELETE", "/api/v1/sessions", cookie), 403)
    assert with_cookie(deploy, "GET", "/api/v1/me", cookie).status_code == 200
    out = with_cookie(deploy, "DELETE", "/api/v1/sessions", cookie, csrf=csrf)
    assert out.status_code == DELETE_OK, describe(out)
    assert_error(with_cookie(deploy, "GET", "/api/v1/me", cookie), 401, code="unauthorized")
    assert_error(with_cookie(deploy, "POST", "/api/v1/orgs", cookie, csrf=csrf,
                             body=dict(body, code=unique("csrf"))), 401)


def test_bogus_cookie_is_401(deploy):
    assert_error(with_cookie(deploy, "GET", "/api/v1/me", "not-a-session"), 401)


def test_sign_out_everywhere(deploy, admin_with_password):
    sessions = []
    for _ in range(2):
        r = login(deploy, admin_with_password, PASSWORD)
        assert r.status_code == LOGIN_OK, describe(r)
        sessions.append((session_cookie(r)[0], r.json()["csrf"]))
    (c1, x1), (c2, _x2) = sessions
    assert with_cookie(deploy, "GET", "/api/v1/me", c2).status_code == 200
    out = with_cookie(deploy, "DELETE", "/api/v1/sessions?everywhere=1", c1, csrf=x1)
    assert out.status_code == DELETE_OK, describe(out)
    assert_error(with_cookie(deploy, "GET", "/api/v1/me", c1), 401)
    assert_error(with_cookie(deploy, "GET", "/api/v1/me", c2), 401)


def test_disabling_a_user_ends_its_sessions(deploy):
    u = deploy.make_user(org="nisc", role="nisc", password=PASSWORD)
    r = login(deploy, u["name"], PASSWORD)
    assert r.status_code == LOGIN_OK, describe(r)
    cookie, _ = session_cookie(r)
    assert with_cookie(deploy, "GET", "/api/v1/me", cookie).status_code == 200
    assert deploy.patch("/api/v1/users/" + u["name"], {"disabled": True}).status_code == 200
    assert_error(with_cookie(deploy, "GET", "/api/v1/me", cookie), 401)
    assert deploy.patch("/api/v1/users/" + u["name"], {"disabled": False}).status_code == 200
    assert_error(with_cookie(deploy, "GET", "/api/v1/me", cookie), 401)  # still ended


def test_password_change(deploy):
    u = deploy.make_user(org="nisc", role="auditor", password=PASSWORD)
    new = "a brand new passphrase"
    assert deploy.patch("/api/v1/users/" + u["name"], {"password": new}).status_code == 200
    assert_error(login(deploy, u["name"], PASSWORD), 401)
    assert login(deploy, u["name"], new).status_code == LOGIN_OK
    assert_error(deploy.patch("/api/v1/users/" + u["name"], {"password": "too-short"}), 400, field="password")
    assert login(deploy, u["name"], new).status_code == LOGIN_OK


def test_user_without_password_cannot_log_in(deploy):
    u = deploy.make_user()
    assert_error(login(deploy, u["name"], PASSWORD), 401)
    assert_error(login(deploy, u["name"], "x" * 12), 401)
    r = login(deploy, u["name"], "")  # an empty password is refused as input
    assert r.status_code in (400, 401), describe(r)
    assert_error(r, r.status_code)
    assert "Set-Cookie" not in r.headers


def test_last_admin_cannot_be_disabled_or_demoted(new_deployment):
    d = new_deployment("lastadmin")
    admin = d.admin_name
    assert_error(d.patch("/api/v1/users/" + admin, {"disabled": True}), 422, code="unprocessable")
    assert_error(d.patch("/api/v1/users/" + admin, {"role": "auditor"}), 422)
    assert d.get("/api/v1/me").json()["role"] == "admin"


def test_expired_session_is_401(deploy):
    u = deploy.make_user(org="nisc", role="nisc", password=PASSWORD)
    r = login(deploy, u["name"], PASSWORD)
    assert r.status_code == LOGIN_OK, describe(r)
    cookie, _ = session_cookie(r)
    assert with_cookie(deploy, "GET", "/api/v1/me", cookie).status_code == 200
    con = sqlite3.connect(deploy.db, timeout=30)
    with con:
        n = con.execute("UPDATE sessions SET expires_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                        (int(time.time()) - 60, u["id"])).rowcount
    con.close()
    assert n == 1
    assert_error(with_cookie(deploy, "GET", "/api/v1/me", cookie), 401, code="unauthorized")


def test_csrf_guards_patch_and_delete(deploy, admin_with_password):
    r = login(deploy, admin_with_password, PASSWORD)
    assert r.status_code == LOGIN_OK, describe(r)
    csrf = r.json()["csrf"]
    cookie, _ = session_cookie(r)
    org = deploy.make_operator()
    path = "/api/v1/orgs/" + org["id"]
    assert_error(with_cookie(deploy, "PATCH", path, cookie, body={"region": "沖縄"}), 403)
    assert_error(with_cookie(deploy, "DELETE", path, cookie), 403)
    assert deploy.get(path).json()["region"] == ""
    assert with_cookie(deploy, "PATCH", path, cookie, csrf=csrf, body={"region": "沖縄"}).status_code == 200
    assert with_cookie(deploy, "DELETE", path, cookie, csrf=csrf).status_code == DELETE_OK
    assert_error(deploy.get(path), 404)


def test_csrf_token_of_another_session_is_refused(deploy, admin_with_password):
    a = login(deploy, admin_with_password, PASSWORD)
    b = login(deploy, admin_with_password, PASSWORD)
    cookie_a, _ = session_cookie(a)
    before = deploy.total("/api/v1/orgs")
    body = {"kind": "operator", "code": unique("xsess"), "name_ja": "別セッション", "sector": "gas"}
    assert_error(with_cookie(deploy, "POST", "/api/v1/orgs", cookie_a, csrf=b.json()["csrf"], body=body), 403)
    assert deploy.total("/api/v1/orgs") == before


@pytest.mark.parametrize("header", ["Basic {t}", "Token {t}", "Bearer", "Bearer ", "{t}", "Bearer {t}x"])
def test_malformed_authorization_is_401(deploy, header):
    h = {"Authorization": header.replace("{t}", deploy.tokens["admin"])}
    assert_error(deploy.request("GET", "/api/v1/me", token=None, headers=h), 401, code="unauthorized")
