"""The command line: help, init twice, a database from a newer ceptoar,
settings precedence (flags > environment > config file), registry output,
and clear refusals of bad input."""

import csv
import io
import os
import sqlite3
import subprocess
import time

import pytest
import requests

from apilib import BIN, STOP_TIMEOUT, clean_env, free_port, run_cli

HELP = {
    (): ["--db", "--config", "--log-level", "init", "serve", "user", "token", "org", "registry", "audit"],
    ("init",): ["--admin", "--credentials"],
    ("serve",): ["--listen", "--threads"],
    ("user",): ["add", "list", "--name", "--org", "--role"],
    ("user", "add"): ["--name", "--org", "--role"],
    ("token",): ["issue", "list", "revoke", "--user", "--days"],
    ("token", "issue"): ["--user", "--days"],
    ("org",): ["import"],
    ("registry",): ["sectors", "ministries", "ceptoars", "agencies", "channels", "map", "--csv"],
    ("audit",): ["list", "verify"],
}


@pytest.mark.parametrize("cmd", sorted(HELP), ids=lambda c: " ".join(c) or "top")
def test_help(cmd):
    p = run_cli(list(cmd) + ["--help"], check=False)
    assert p.returncode == 0, p
    for word in HELP[cmd]:
        assert word in p.stdout, "`ceptoar %s --help` does not mention %s:\n%s" % (" ".join(cmd), word, p.stdout)


@pytest.mark.parametrize("args", [["no-such-command"], ["--no-such-flag", "init"], ["user", "frobnicate"],
                                  ["token", "issue"], ["user", "add", "--name", "x"]])
def test_usage_errors_exit_2(tmp_path, args):
    p = run_cli(args, db=str(tmp_path / "x.db"), check=False)
    assert p.returncode == 2, p
    assert p.stderr.strip(), p


# Each command's actions, checked before anything is opened: an unknown action,
# an option that does not apply, too few or too many arguments (and an optional
# one given twice) are refused with exit 2 and a message that names them.
ACTION_REFUSALS = [
    (["report", "frobnicate"], "ceptoar report: unknown action frobnicate"),
    (["report", "show"], "show needs a report ID"),
    (["report", "show", "1", "2"], "show takes only a report ID"),
    (["report", "create", "x"], "create takes no arguments"),
    (["report", "list", "--file", "x.json"], "--file does not apply to list"),
    (["alert", "deliveries"], "deliveries needs an alert ID"),
    (["alert", "verify"], "verify needs FILE (an exported alert)"),
    (["inbox", "ack", "1", "2"], "ack takes only a DELIVERY_ID"),
    (["deliver", "run", "--json"], "--json does not apply to run"),
    (["deliver", "now"], "unknown action now"),
    (["keys", "list", "x"], "list takes no arguments"),
    (["correlations", "exclude", "--json"], "--json does not apply to exclude"),
    (["council", "reply"], "reply needs an item ID"),
    (["incident", "close"], "close needs an incident ID"),
    (["incident", "reopen", "1"], "unknown action reopen"),
    (["contact", "remove", "nisc"], "remove needs an ORG and a CONTACT_ID"),
    (["delivery", "manual"], "manual needs a DELIVERY_ID"),
    (["notices", "list", "x"], "list takes no arguments"),
    (["exercise", "show"], "show needs an exercise ID"),
    (["exercise", "templates", "x"], "templates takes no arguments"),
    (["plan", "load-sample", "a", "b"], "load-sample takes a sample NAME (optional)"),
    (["plan", "add-measure", "1"], "add-measure needs a PLAN and a PILLAR (id or code)"),
    (["stats", "it-failures", "x"], "it-failures takes no arguments"),
    (["stats", "failures"], "unknown action failures"),
    (["survey", "open", "1", "2"], "open takes a survey ID (optional)"),
    (["survey", "answers"], "answers needs a survey ID"),
    (["guideline", "show", "3", "4"], "show takes EDITION (optional)"),
    (["guideline", "item", "3"], "item needs EDITION ID"),
    (["guideline", "diff", "1", "2", "3"], "diff takes only FROM TO"),
    (["drill", "record", "1"], "record needs a drill ID and a TARGET id (see `drill calls`)"),
    (["drill", "list", "--title", "x"], "--title does not apply to list"),
    # paging options: one rule and one message in every command
    (["survey", "list", "--limit", "0"], "--limit must be 1-"),
    (["guideline", "documents", "--offset", "-1"], "--offset must be 0-"),
    (["report", "list", "--limit", "many"], "--limit must be 1-"),
    (["plan", "list", "--offset", "x"], "--offset must be 0-"),
]


@pytest.mark.parametrize("args,message", ACTION_REFUSALS, ids=lambda a: " ".join(a) if isinstance(a, list) else None)
def test_action_refusals(tmp_path, args, message):
    db = tmp_path / "none.db"
    p = run_cli(args, db=str(db), check=False)
    assert p.returncode == 2, p
    assert message in p.stderr, p
    assert "Try `ceptoar %s" % args[0] in p.stderr, p
    assert not db.exists(), "a refused command must not create the database"


ACTION_COMMANDS = ["report", "alert", "inbox", "deliver", "keys", "correlations", "council", "incident",
                   "contact", "delivery", "notices", "exercise", "plan", "stats", "survey", "guideline",
                   "drill", "registry", "org", "audit", "user", "token"]


@pytest.mark.parametrize("cmd", ACTION_COMMANDS)
def test_command_without_action_or_with_help(tmp_path, cmd):
    """Without an action: the usage on stderr and exit 2; with --help or -h in
    its place: the usage on stdout and exit 0. Neither opens a database."""
    db = tmp_path / "none.db"
    p = run_cli([cmd], db=str(db), check=False)
    assert p.returncode == 2 and p.stdout == "" and "Usage:" in p.stderr, p
    for flag in ("--help", "-h"):
        p = run_cli([cmd, flag], db=str(db), check=False)
        assert p.returncode == 0 and p.stderr == "" and "Usage:" in p.stdout, p
    assert not db.exists()


def table_counts(db):
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                            " AND name NOT LIKE 'sqlite_%'")]
        return {t: con.execute('SELECT count(*) FROM "%s"' % t).fetchone()[0] for t in tables}
    finally:
        con.close()


def dump(db):
    con = sqlite3.connect(db)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def test_init_twice_changes_nothing(tmp_path):
    db = str(tmp_path / "twice.db")
    run_cli(["init"], db=db)
    cred = db + ".admin-credentials"
    with open(cred) as f:
        cred_text = f.read()
    counts, lines = table_counts(db), dump(db)
    assert counts["audit"] > 0 and counts["sectors"] == 10 and counts["ceptoars"] == 15
    p = run_cli(["init"], db=db, check=False)
    assert p.returncode == 0, p
    assert table_counts(db) == counts
    after = dump(db)
    changed = sorted(set(lines) ^ set(after))
    assert not changed, "second init changed the database:\n" + "\n".join(changed[:20])
    with open(cred) as f:
        assert f.read() == cred_text
    assert run_cli(["audit", "verify"], db=db, check=False).returncode == 0


def test_init_credentials_file_is_private(tmp_path):
    db = str(tmp_path / "cred.db")
    p = run_cli(["init"], db=db)
    cred = db + ".admin-credentials"
    assert cred in p.stdout + p.stderr
    assert os.stat(cred).st_mode & 0o077 == 0
    # its password is not printed
    with open(cred) as f:
        pw = [line.split("=", 1)[1].strip() for line in f if line.startswith("password=")][0]
    assert pw not in p.stdout + p.stderr


@pytest.fixture
def newer_db(tmp_path):
    db = str(tmp_path / "newer.db")
    run_cli(["init"], db=db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 9999")
    con.commit()
    con.close()
    return db


def test_init_refuses_a_newer_database(newer_db):
    before = dump(newer_db)
    p = run_cli(["init"], db=newer_db, check=False)
    assert p.returncode != 0, p
    assert "newer" in (p.stdout + p.stderr).lower(), p
    assert dump(newer_db) == before


def test_serve_refuses_a_newer_database(newer_db):
    port = free_port()
    try:
        p = run_cli(["serve", "--listen", "127.0.0.1:%d" % port], db=newer_db, check=False, timeout=STOP_TIMEOUT + 5)
    except subprocess.TimeoutExpired:
        pytest.fail("serve did not refuse a database from a newer ceptoar (still running)")
    assert p.returncode != 0, p
    assert "newer" in (p.stdout + p.stderr).lower(), p


@pytest.mark.parametrize("cmd", [["user", "list"], ["audit", "verify"], ["registry", "sectors"]])
def test_other_commands_refuse_a_newer_database(newer_db, cmd):
    p = run_cli(cmd, db=newer_db, check=False)
    assert p.returncode not in (0, 3), p
    assert "newer" in (p.stdout + p.stderr).lower(), p


def test_serve_refuses_an_uninitialised_database(tmp_path):
    port = free_port()
    p = run_cli(["serve", "--listen", "127.0.0.1:%d" % port], db=str(tmp_path / "never-made.db"), check=False,
                timeout=STOP_TIMEOUT + 5)
    assert p.returncode != 0 and p.stderr.strip(), p


# ---- settings precedence ---------------------------------------------------------

def test_db_precedence_flag_env_file(tmp_path):
    a, b, c = (str(tmp_path / n) for n in ("file.db", "env.db", "flag.db"))
    conf = tmp_path / "ceptoar.conf"
    conf.write_text("# settings\ndb = %s\nlog_level = warn\n" % a)

    run_cli(["--config", str(conf), "init"])
    assert os.path.exists(a)
    run_cli(["--config", str(conf), "init"], env={"CEPTOAR_DB": b})
    assert os.path.exists(b)
    run_cli(["--config", str(conf), "--db", c, "init"], env={"CEPTOAR_DB": b})
    assert os.path.exists(c)
    # each init made exactly one database; later runs did not touch the others' admin files
    for db in (a, b, c):
        assert os.path.exists(db + ".admin-credentials")


def test_bad_config_file_names_the_line(tmp_path):
    conf = tmp_path / "bad.conf"
    conf.write_text("db = %s\ncolour = red\n" % (tmp_path / "x.db"))
    p = run_cli(["--config", str(conf), "init"], check=False)
    assert p.returncode != 0 and "2" in p.stderr and "colour" in p.stderr, p
    assert not os.path.exists(str(tmp_path / "x.db"))


def test_listen_precedence_flag_env_file(tmp_path):
    db = str(tmp_path / "listen.db")
    run_cli(["init"], db=db)
    p_file, p_env, p_flag = free_port(), free_port(), free_port()
    conf = tmp_path / "listen.conf"
    conf.write_text("listen = 127.0.0.1:%d\n" % p_file)

    def serve(args, env):
        full = clean_env()
        full.update(env)
        log = open(str(tmp_path / ("serve-%d.log" % len(args))), "wb")
        proc = subprocess.Popen([BIN, "--config", str(conf), "--db", db, "serve"] + args, env=full,
                                stdout=log, stderr=subprocess.STDOUT)
        return proc, log

    def answers(port):
        try:
            return requests.get("http://127.0.0.1:%d/healthz" % port, timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def wait_port(proc, port):
        deadline = time.time() + 30
        while time.time() < deadline:
            if answers(port):
                return True
            if proc.poll() is not None:
                return False
            time.sleep(0.1)
        return False

    for args, env, want, not_want in [
        ([], {}, p_file, p_env),
        ([], {"CEPTOAR_LISTEN": "127.0.0.1:%d" % p_env}, p_env, p_file),
        (["--listen", "127.0.0.1:%d" % p_flag], {"CEPTOAR_LISTEN": "127.0.0.1:%d" % p_env}, p_flag, p_env),
    ]:
        proc, log = serve(args, env)
        try:
            assert wait_port(proc, want), "serve %s env %s did not listen on %d" % (args, env, want)
            assert not answers(not_want)
        finally:
            proc.terminate()
            rc = proc.wait(STOP_TIMEOUT)
            log.close()
        assert rc == 0


# ---- registry and users from the command line ---------------------------------------

@pytest.fixture(scope="module")
def cli_db(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("cli") / "cli.db")
    run_cli(["init"], db=db)
    return db


def test_registry_sectors(cli_db):
    out = run_cli(["registry", "sectors"], db=cli_db).stdout
    for word in ("info-comm", "finance", "logistics", "金融", "情報通信", "物流", "fsa", "mlit"):
        assert word in out, out


def test_registry_ministries_and_ceptoars(cli_db):
    out = run_cli(["registry", "ministries"], db=cli_db).stdout
    for word in ("金融庁", "総務省", "厚生労働省", "経済産業省", "国土交通省"):
        assert word in out, out
    out = run_cli(["registry", "ceptoars"], db=cli_db).stdout
    for cid in ("t-ceptoar", "bank-ceptoar", "electricity-ceptoar", "logistics-ceptoar", "water-ceptoar"):
        assert cid in out, out
    assert "JPCERT" in run_cli(["registry", "agencies"], db=cli_db).stdout
    assert "衛星電話" in run_cli(["registry", "channels"], db=cli_db).stdout


def test_registry_map_csv(cli_db):
    out = run_cli(["registry", "map", "--csv"], db=cli_db).stdout
    if out.startswith("\ufeff"):
        out = out[1:]
    rows = [r for r in csv.reader(io.StringIO(out, newline="")) if r]
    assert len(rows) == 16, rows[:3]
    assert all(len(r) == len(rows[0]) for r in rows)
    assert any("bank-ceptoar" in r for r in rows[1:])


def test_cli_user_and_token(cli_db):
    run_cli(["user", "add", "--name", "cli-ops", "--org", "meti", "--role", "ministry"], db=cli_db)
    out = run_cli(["user", "list"], db=cli_db).stdout
    assert "cli-ops" in out
    tok = run_cli(["token", "issue", "--user", "cli-ops", "--days", "2"], db=cli_db).stdout.strip()
    assert len(tok) >= 32 and "\n" not in tok
    listed = run_cli(["token", "list"], db=cli_db).stdout
    assert tok not in listed


@pytest.mark.parametrize("args,word", [
    (["user", "add", "--name", "cli-bad-role", "--org", "nisc", "--role", "emperor"], "role"),
    (["user", "add", "--name", "cli-bad-org", "--org", "no-such-org", "--role", "auditor"], "org"),
    (["token", "issue", "--user", "no-such-user"], "user"),
    (["token", "issue", "--user", "admin", "--days", "0"], "days"),
    (["token", "revoke", "no-such-token"], "token"),
])
def test_cli_refusals(cli_db, args, word):
    users_before = table_counts(cli_db)
    p = run_cli(args, db=cli_db, check=False)
    assert p.returncode in (1, 2), p
    assert word in p.stderr.lower(), p
    assert table_counts(cli_db) == users_before
