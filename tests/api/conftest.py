"""Fixtures of the API suite: deployments (a database made with `ceptoar
init` and a running `ceptoar serve`), stopped with SIGTERM at the end, which
must exit 0 within 10 s (under the sanitizer build a leak makes it non-zero).

`deploy` is shared by the whole session; modules that change what other
modules count (sectors, the role table) take their own through
`new_deployment`.

Run: /usr/bin/python3 -m pytest -q tests/api   (binary: $CEPTOAR_BIN or build/ceptoar)
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import apilib  # noqa: E402

_live = []


def _start(tmp_path_factory, tag):
    d = apilib.Deployment(str(tmp_path_factory.mktemp("ceptoar-" + tag)), tag=tag)
    _live.append(d)
    try:
        d.start()
    except BaseException:
        if d.server:
            d.server.stop()
            sys.stderr.write("server log:\n" + d.server.log_text()[-5000:] + "\n")
        _live.remove(d)
        raise
    return d


def _finish(d):
    _live.remove(d)
    d.stop()


@pytest.fixture(scope="session")
def deploy(tmp_path_factory):
    d = _start(tmp_path_factory, "s")
    yield d
    _finish(d)


@pytest.fixture(scope="module")
def new_deployment(tmp_path_factory):
    """Factory of deployments private to one module."""
    made = []

    def make(tag):
        d = _start(tmp_path_factory, tag)
        made.append(d)
        return d

    yield make
    errors = []
    for d in made:
        try:
            _finish(d)
        except AssertionError as e:
            errors.append(str(e))
    assert not errors, "\n".join(errors)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.failed:
        for d in list(_live):
            if d.server:
                if not d.server.alive():
                    rep.sections.append(("server %s DIED (status %r)" % (d.url, d.server.proc.returncode), ""))
                rep.sections.append(("server log %s (tail)" % d.url, d.server.log_text()[-4000:]))
