"""THE ROLE TABLE: every endpoint of docs/api.md against every role, with the
expected status of each cell written out below.

Rules (docs/api.md, src/core/policy.h):
  - registry reads: every authenticated user;
  - registry writes, users, tokens: admin only;
  - audit: admin and auditor;
  - an operator's systems (重要システム): the operator's own users, the ministry
    overseeing its sector, NISC; nobody else (not even admin);
  - /me: every authenticated user; sign-in (POST /sessions) needs no credentials;
  - sharing (src/core/policy.c, src/share/*.c): an operator reports for its own
    org; a report is read by its org, its ministry, NISC and, within its TLP
    and scope, its CEPTOARs; whoever may read it but not change it gets 403 for
    a change, whoever may not read it 404 (a hidden report looks absent); NISC,
    ministries, agencies and CEPTOAR secretariats send alerts; an alert is read
    by its sender's org, its recipients and NISC; its deliveries are followed by
    the sender's org, NISC and the secretariats of the CEPTOARs involved; only
    the receiving org opens and acknowledges a delivery (admin and auditor have
    no inbox: 403);
  - an org's contacts: read by the org itself, admin, NISC and the secretariats
    of its CEPTOARs (who phone and FAX), kept by the org itself and admin; a
    delivery's channel record: whoever follows the delivery (else 404); phone and
    FAX deliveries logged by NISC and the delivery's secretariat; notices: the
    users of an org that sends or follows alerts;
  - interdependency analysis: the analysts of NISC, ministries, agencies and
    CEPTOAR secretariats upload models and queue jobs for their own org; models
    and jobs are read by their org and NISC (else 404); admin, operators and
    auditors have none (403 on the lists);
  - the threat taxonomy, signing keys, verification, incidents and situation
    reports: every authenticated user; correlations: NISC and council
    secretariats; exclusions, incidents' declaration, close and links: NISC;
    the council space: council secretariats post, government reads only what
    was shared with it, everyone else reads an empty list;
  - exercises: NISC, ministries and CEPTOAR secretariats plan them (their org
    controls what it plans; NISC oversees all); a player's org sees the exercise
    and its own view but not the MSEL, the status or the report (403); evaluators
    and advisers read the MSEL, status, notes and report and write notes
    (advisers advice only), control nothing (403); someone with no part gets 404;
    the templates are for every user;
  - CEPTOAR drills: NISC and a CEPTOAR's secretariat start them (the secretariat for its
    own CEPTOAR); a drill is read by its starter org, NISC, the secretariat of its CEPTOAR and
    the ministry of that CEPTOAR's sector (else 404; the lists 403 for roles that read no
    drill); members acknowledge in their own org's inbox (403 without an inbox, 404 when the
    org was not drilled); the acknowledgement by token needs no credentials (an unknown token
    is 404 for everyone);
  - the action plan's PDCA: every user reads plans, measures, the summary, the
    evaluation and the indicators; NISC makes, edits (the plan, its pillars and
    measures) and deletes plans, loads samples, evaluates and fills indicators; the owners of a measure (here 金融庁) file its
    progress, which NISC and the ministries read; IT-failure statistics: NISC and
    the ministries;
  - the Guideline (指針): every user reads it, its OSCAL form, differences and
    coverage; NISC loads and removes editions; a sector's documents (安全基準等)
    are kept by its ministry and NISC, who alone read the non-public ones
    (404 for others); the penetration survey (浸透状況調査): NISC and the
    sector's ministry run it and read its aggregates; the operators asked see
    it and answer for their own org; answers are read by the answering org only
    (404 for everyone else); someone with no part gets 404;
  - no token or a bogus one: 401 everywhere except /healthz, sign-in and the drill token.

Columns: admin; nisc; ministry = a 金融庁 (fsa) user; min2 = a 経済産業省 (meti) user;
ceptoar = a bank-ceptoar user; op = a user of op-bank-1 (finance, the operator
whose systems are asked for); op2 = a user of another finance operator; agency =
a JPCERT/CC user; auditor; none = no credentials; bogus = an unknown bearer token.

Placeholders give each cell fresh objects where a write would change state:
{u} a unique suffix; {op1} op-bank-1's id; {org} a fresh operator org; {svc} a
fresh service of {org}; {sys} a fresh system of op-bank-1; {user} a fresh user;
{tok} a fresh token's id; {pwuser} a user with a password; {report} a fresh
AMBER report of op-bank-1 shared with its CEPTOAR (scope ceptoar); {att} an
attachment of {report}; {alert} a fresh GREEN alert of NISC to the finance
sector whose fan-out is done; {delivery} its delivery to op-bank-1; {alertjson}
{alert} as exported (GET); {council} a fresh council item of the bank-ceptoar
secretariat (a council member), not shared with government; {councilgov} one
that is; {incident} a fresh open incident; {contact} a fresh FAX contact of
op-bank-1; {model} a fresh analysis model of NISC; {job} a finished IIM job of NISC; {drill} a fresh
drill of bank-ceptoar started by its secretariat, calling phones too, fanned out (op-bank-1 is a
member); {dtarget} op-bank-1's phone target in it (a fresh phone contact);
{exercise} a fresh exercise planned by NISC, op-bank-1 a player, the 金融庁 user an
evaluator and the JPCERT/CC user a third-party adviser; {inject} a pending inject of
it; {plan} a fresh plan of NISC with one pillar, {pillar}, and one measure, {measure},
owned by 金融庁; {epillar} a second pillar of it without measures; {indicator} an
indicator of it; {sample} the sample plan-2008; {ed3} the Guideline's 3rd edition, {item} one of its items, {edition} a fresh
imported edition; {doc} a fresh public finance document, {docnp} a non-public one;
{survey} a fresh draft finance survey of NISC, {osurvey} a fresh open one, {rsurvey}
an open one where op-bank-1 has submitted its answers. After a refused write the test
checks that the object is still as it was."""

import json
import re
import secrets
import time

import pytest

from apilib import assert_error, describe
from sharefix import create_report, send_alert, wait_fanout

COLUMNS = ["admin", "nisc", "ministry", "ministry2", "ceptoar", "operator", "operator2", "agency",
           "auditor", "none", "bogus"]

PASSWORD = "role table password"

BODIES = {
    "-": None,
    "sector": {"id": "rt-{u}", "name_ja": "試験分野", "name_en": "Test sector", "ministry": "mic"},
    "org": {"kind": "operator", "code": "rt-{u}", "name_ja": "役割表事業者", "sector": "gas"},
    "orgpatch": {"name_en": "Changed by {u}"},
    "service": {"name_ja": "rt-svc-{u}", "service_level": "99%"},
    "system": {"name_ja": "rt-sys-{u}", "description": "x"},
    "csv": "code,name_ja,sector\r\nrt-{u},一括,gas\r\n",
    "user": {"name": "rt-{u}", "org": "nisc", "role": "auditor"},
    "userpatch": {"display_name": "Changed by {u}"},
    "token": {"user": "{user}", "label": "rt-{u}", "days": 1},
    "login": {"name": "{pwuser}", "password": PASSWORD},
    "report": {"title": "役割表報告 rt{u}", "status": "first", "cause_category": "unintentional",
               "tlp": "AMBER", "scope": "ceptoar"},
    "reportpatch": {"version": 1, "status": "update"},
    "file": "role table attachment {u}\n",
    "alert": {"severity": "low", "title_ja": "役割表 rt{u}", "body_ja": "本文", "tlp": "GREEN",
              "audience": {"sectors": ["finance"]}, "ack_within_hours": 24},
    "verify": "{alertjson}",
    "preview": {"audience": {"ceptoars": ["bank-ceptoar"]}, "tlp": "GREEN"},
    "exclusion": {"type": "text", "value": "rt-{u}", "reason": "role table"},
    "council": {"title": "rt-{u}", "body": "役割表の投稿"},
    "reply": {"body": "rt-{u}"},
    "incident": {"title": "rt-{u}", "ack_hours": 2},
    "linkreport": {"report": "{report}"},
    "linkalert": {"alert": "{alert}"},
    "contact": {"channel": "email", "address": "rt-{u}@example.jp", "label": "rt-{u}"},
    "manual": {"channel": "phone", "note": "rt-{u} 電話で伝達"},
    "model": {"nodes": [{"id": "rt-{u}", "sector": "electricity"}]},
    "job": {"kind": "iim", "options": {"perturbation": {"electricity": 0.25}}},
    "exercise": {"title": "rt-{u}"},
    "expatch": {"title": "rt-{u} changed"},
    "member": {"role": "player", "org": "nisc"},
    "memberrm": {"role": "player", "org": "{op1}"},
    "inject": {"at": "T+1h", "title": "rt-{u}"},
    "injectpatch": {"title": "rt-{u} changed"},
    "msel": "scenario_time,title\r\nT+2h,rt-{u}\r\n",
    "generate": {"job": "{job}"},
    "clock": {"action": "start"},
    "note": {"kind": "observation", "body": "rt-{u}"},
    "drill": {"ceptoar": "bank-ceptoar", "title": "rt-{u}", "message_ja": "役割表の訓練",
              "deadline_minutes": 60},
    "drilltoken": {"token": "rtUnknownToken{u}"},
    "record": {"outcome": "acked", "note": "rt-{u}"},
    "plan": {"kind": "yearly", "year": 2008, "title_ja": "rt-{u}", "pillars": [
        {"code": "1", "title_ja": "柱", "measures": [{"code": "1-a", "title_ja": "施策", "owners": ["fsa"]}]}]},
    "planpatch": {"title_ja": "rt-{u} changed"},
    "pillar": {"code": "rt-{u}", "title_ja": "rt-{u}"},
    "pillarpatch": {"title_ja": "rt-{u} changed"},
    "newmeasure": {"code": "rt-{u}", "title_ja": "rt-{u}", "owners": ["fsa"]},
    "measurepatch": {"title_ja": "rt-{u} changed", "owners": ["fsa", "meti"]},
    "progress": {"year": 2008, "half": "H1", "status": "on-track", "note": "rt-{u}"},
    "evaluation": {"grade": "A", "comment": "rt-{u}"},
    "indicator": {"area": "重要インフラ", "name_ja": "rt-{u}"},
    "indvalue": {"year": 2008, "value": 3},
    "guideline": {"edition": "rt-{u}", "title_ja": "役割表の指針",
                  "items": [{"id": "A", "kind": "section", "title_ja": "章"}]},
    "document": {"sector": "finance", "kind": "industry", "title_ja": "rt-{u}", "owner": "全銀協",
                 "public": True, "items": ["II.6.1.a.i"]},
    "docpatch": {"owner": "rt-{u}"},
    "survey": '{"sector": "finance", "year": {year}, "deadline": "{deadline}"}',
    "surveypatch": {"title_ja": "rt-{u}"},
    "question": {"title_ja": "rt-{u}"},
    "answer": {"answers": [{"question": "II.6.1.a.i", "status": "implemented", "evidence": "rt-{u}"}]},
}

# The Content-Type of a body that is not JSON.
CONTENT_TYPES = {"csv": "text/csv", "file": "text/plain", "msel": "text/csv"}

# method  path                                 body       admin nisc min  min2 cept op   op2  agcy aud  none bogus
TABLE = """
GET     /healthz                               -          200   200  200  200  200  200  200  200  200  200  200
GET     /api/v1/sectors                        -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/sectors/finance                -          200   200  200  200  200  200  200  200  200  401  401
POST    /api/v1/sectors                        sector     201   403  403  403  403  403  403  403  403  401  401
GET     /api/v1/ministries                     -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/ministries/fsa                 -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/ceptoars                       -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/ceptoars?sector=finance        -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/ceptoars/bank-ceptoar          -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/agencies                       -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/channels                       -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/ceptoar-map                    -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/ceptoar-map?format=csv         -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/threats                        -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/orgs                           -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/orgs/{op1}                     -          200   200  200  200  200  200  200  200  200  401  401
POST    /api/v1/orgs                           org        201   403  403  403  403  403  403  403  403  401  401
PATCH   /api/v1/orgs/{org}                     orgpatch   200   403  403  403  403  403  403  403  403  401  401
DELETE  /api/v1/orgs/{org}                     -          204   403  403  403  403  403  403  403  403  401  401
POST    /api/v1/orgs/{op1}/services            service    201   403  403  403  403  403  403  403  403  401  401
DELETE  /api/v1/orgs/{org}/services/{svc}      -          204   403  403  403  403  403  403  403  403  401  401
GET     /api/v1/orgs/{op1}/systems             -          403   200  200  403  403  200  403  403  403  401  401
GET     /api/v1/orgs/{op1}/contacts            -          200   200  403  403  200  200  403  403  403  401  401
POST    /api/v1/orgs/{op1}/contacts            contact    201   403  403  403  403  201  403  403  403  401  401
DELETE  /api/v1/orgs/{op1}/contacts/{contact}  -          204   403  403  403  403  204  403  403  403  401  401
POST    /api/v1/orgs/{op1}/systems             system     201   403  403  403  403  403  403  403  403  401  401
DELETE  /api/v1/orgs/{op1}/systems/{sys}       -          204   403  403  403  403  403  403  403  403  401  401
POST    /api/v1/orgs/import                    csv        201   403  403  403  403  403  403  403  403  401  401
GET     /api/v1/users                          -          200   403  403  403  403  403  403  403  403  401  401
POST    /api/v1/users                          user       201   403  403  403  403  403  403  403  403  401  401
GET     /api/v1/users/{user}                   -          200   403  403  403  403  403  403  403  403  401  401
PATCH   /api/v1/users/{user}                   userpatch  200   403  403  403  403  403  403  403  403  401  401
GET     /api/v1/tokens                         -          200   403  403  403  403  403  403  403  403  401  401
POST    /api/v1/tokens                         token      201   403  403  403  403  403  403  403  403  401  401
DELETE  /api/v1/tokens/{tok}                   -          204   403  403  403  403  403  403  403  403  401  401
GET     /                                      -          200   200  200  200  200  200  200  200  200  200  200
GET     /ui/app.js                             -          200   200  200  200  200  200  200  200  200  200  200
GET     /api/v1/me                             -          200   200  200  200  200  200  200  200  200  401  401
POST    /api/v1/sessions                       login      200   200  200  200  200  200  200  200  200  200  200
DELETE  /api/v1/sessions?everywhere=1          -          204   204  204  204  204  204  204  204  204  401  401
POST    /api/v1/reports                        report     403   403  403  403  403  201  201  403  403  401  401
GET     /api/v1/reports                        -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/reports?incident={incident}    -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/reports/{report}               -          404   200  200  404  200  200  404  404  404  401  401
GET     /api/v1/reports/{report}?version=1     -          404   200  200  404  200  200  404  404  404  401  401
PATCH   /api/v1/reports/{report}               reportpatch 404  403  403  404  403  200  404  404  404  401  401
POST    /api/v1/reports/{report}/attachments?name=rt.txt file 404 403 403 404 403 201 404 404 404 401 401
GET     /api/v1/reports/{report}/attachments/{att} -      404   200  200  404  200  200  404  404  404  401  401
POST    /api/v1/alerts                         alert      403   201  201  201  201  403  403  201  403  401  401
GET     /api/v1/alerts                         -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/alerts/{alert}                 -          404   200  200  404  200  200  200  404  404  401  401
GET     /api/v1/alerts/{alert}/deliveries      -          404   200  404  404  200  404  404  404  404  401  401
POST    /api/v1/alerts/verify                  verify     200   200  200  200  200  200  200  200  200  401  401
POST    /api/v1/alerts/preview                 preview    403   200  200  200  200  403  403  200  403  401  401
GET     /api/v1/inbox                          -          403   200  200  200  200  200  200  200  403  401  401
GET     /api/v1/deliveries/{delivery}          -          403   404  404  404  404  200  404  404  403  401  401
POST    /api/v1/deliveries/{delivery}/ack      -          403   404  404  404  404  200  404  404  403  401  401
GET     /api/v1/deliveries/{delivery}/channels -          404   200  404  404  200  404  404  404  404  401  401
POST    /api/v1/deliveries/{delivery}/manual   manual     404   201  404  404  201  404  404  404  404  401  401
GET     /api/v1/notices                        -          403   200  200  200  200  403  403  200  403  401  401
GET     /api/v1/keys                           -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/correlations                   -          403   200  403  403  200  403  403  403  403  401  401
GET     /api/v1/correlations?max_records=2     -          403   200  403  403  200  403  403  403  403  401  401
GET     /api/v1/correlations/exclusions        -          403   200  403  403  200  403  403  403  403  401  401
POST    /api/v1/correlations/exclusions        exclusion  403   201  403  403  403  403  403  403  403  401  401
GET     /api/v1/council                        -          200   200  200  200  200  200  200  200  200  401  401
POST    /api/v1/council                        council    403   403  403  403  201  403  403  403  403  401  401
GET     /api/v1/council/{council}              -          404   404  404  404  200  404  404  404  404  401  401
GET     /api/v1/council/{councilgov}           -          404   200  200  200  200  404  404  404  404  401  401
POST    /api/v1/council/{council}/replies      reply      403   403  403  403  201  403  403  403  403  401  401
GET     /api/v1/incidents                      -          200   200  200  200  200  200  200  200  200  401  401
POST    /api/v1/incidents                      incident   403   201  403  403  403  403  403  403  403  401  401
GET     /api/v1/incidents/{incident}           -          200   200  200  200  200  200  200  200  200  401  401
POST    /api/v1/incidents/{incident}/close     -          403   200  403  403  403  403  403  403  403  401  401
POST    /api/v1/incidents/{incident}/links     linkreport 403   204  403  403  403  403  403  403  403  401  401
POST    /api/v1/incidents/{incident}/links     linkalert  403   204  403  403  403  403  403  403  403  401  401
GET     /api/v1/incidents/{incident}/sitrep    -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/incidents/{incident}/sitrep?keep=1 -      200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/analysis/models                -          403   200  200  200  200  403  403  200  403  401  401
POST    /api/v1/analysis/models?name=rt-{u}    model      403   201  201  201  201  403  403  201  403  401  401
GET     /api/v1/analysis/models/{model}        -          404   200  404  404  404  404  404  404  404  401  401
DELETE  /api/v1/analysis/models/{model}        -          404   204  404  404  404  404  404  404  404  401  401
GET     /api/v1/analysis/jobs                  -          403   200  200  200  200  403  403  200  403  401  401
GET     /api/v1/analysis/jobs?state=done       -          403   200  200  200  200  403  403  200  403  401  401
POST    /api/v1/analysis/jobs                  job        403   202  202  202  202  403  403  202  403  401  401
GET     /api/v1/analysis/jobs/{job}            -          404   200  404  404  404  404  404  404  404  401  401
POST    /api/v1/analysis/jobs/{job}/cancel     -          404   422  404  404  404  404  404  404  404  401  401
GET     /api/v1/analysis/jobs/{job}/files/result.json - 404   200  404  404  404  404  404  404  404  401  401
GET     /api/v1/plans                          -          200   200  200  200  200  200  200  200  200  401  401
POST    /api/v1/plans                          plan       403   201  403  403  403  403  403  403  403  401  401
GET     /api/v1/plans/samples                  -          200   200  200  200  200  200  200  200  200  401  401
POST    /api/v1/plans/samples/{sample}         -          403   201  403  403  403  403  403  403  403  401  401
GET     /api/v1/plans/{plan}                   -          200   200  200  200  200  200  200  200  200  401  401
DELETE  /api/v1/plans/{plan}                   -          403   204  403  403  403  403  403  403  403  401  401
PATCH   /api/v1/plans/{plan}                   planpatch  403   200  403  403  403  403  403  403  403  401  401
POST    /api/v1/plans/{plan}/pillars           pillar     403   201  403  403  403  403  403  403  403  401  401
PATCH   /api/v1/plans/{plan}/pillars/{pillar}  pillarpatch 403  200  403  403  403  403  403  403  403  401  401
DELETE  /api/v1/plans/{plan}/pillars/{epillar} -          403   204  403  403  403  403  403  403  403  401  401
POST    /api/v1/plans/{plan}/pillars/{pillar}/measures newmeasure 403 201 403 403 403 403 403 403 403 401 401
PATCH   /api/v1/plans/{plan}/measures/{measure} measurepatch 403 200 403 403 403 403 403 403 403 401 401
DELETE  /api/v1/plans/{plan}/measures/{measure} -         403   204  403  403  403  403  403  403  403  401  401
GET     /api/v1/plans/{plan}/measures          -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/plans/{plan}/measures/{measure}/progress - 403 200 200 200 403  403  403  403  403  401  401
POST    /api/v1/plans/{plan}/measures/{measure}/progress progress 403 403 201 403 403 403 403 403 403 401 401
POST    /api/v1/plans/{plan}/measures/{measure}/evaluation evaluation 403 200 403 403 403 403 403 403 403 401 401
GET     /api/v1/plans/{plan}/summary           -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/plans/{plan}/evaluation        -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/plans/{plan}/evaluation?format=csv -      200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/plans/{plan}/indicators        -          200   200  200  200  200  200  200  200  200  401  401
POST    /api/v1/plans/{plan}/indicators        indicator  403   201  403  403  403  403  403  403  403  401  401
POST    /api/v1/plans/{plan}/indicators/{indicator}/values indvalue 403 200 403 403 403 403 403 403 403 401 401
GET     /api/v1/statistics/it-failures         -          403   200  200  200  403  403  403  403  403  401  401
GET     /api/v1/statistics/it-failures?format=csv -       403   200  200  200  403  403  403  403  403  401  401
GET     /api/v1/exercises                      -          403   200  200  200  200  200  200  200  403  401  401
POST    /api/v1/exercises                      exercise   403   201  201  201  201  403  403  403  403  401  401
GET     /api/v1/exercises/templates            -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/exercises/{exercise}           -          404   200  200  404  404  200  404  200  404  401  401
PATCH   /api/v1/exercises/{exercise}           expatch    404   200  403  404  404  403  404  403  404  401  401
DELETE  /api/v1/exercises/{exercise}           -          404   204  403  404  404  403  404  403  404  401  401
GET     /api/v1/exercises/{exercise}/members   -          404   200  200  404  404  403  404  200  404  401  401
POST    /api/v1/exercises/{exercise}/members   member     404   201  403  404  404  403  404  403  404  401  401
POST    /api/v1/exercises/{exercise}/members/remove memberrm 404 204 403 404  404  403  404  403  404  401  401
GET     /api/v1/exercises/{exercise}/injects   -          404   200  200  404  404  403  404  200  404  401  401
POST    /api/v1/exercises/{exercise}/injects   inject     404   201  403  404  404  403  404  403  404  401  401
PATCH   /api/v1/exercises/{exercise}/injects/{inject} injectpatch 404 200 403 404 404 403 404 403 404 401 401
DELETE  /api/v1/exercises/{exercise}/injects/{inject} - 404   204  403  404  404  403  404  403  404  401  401
GET     /api/v1/exercises/{exercise}/msel      -          404   200  200  404  404  403  404  200  404  401  401
GET     /api/v1/exercises/{exercise}/msel?format=csv -    404   200  200  404  404  403  404  200  404  401  401
POST    /api/v1/exercises/{exercise}/msel      msel       404   200  403  404  404  403  404  403  404  401  401
POST    /api/v1/exercises/{exercise}/generate  generate   404   422  403  404  404  403  404  403  404  401  401
POST    /api/v1/exercises/{exercise}/clock     clock      404   200  403  404  404  403  404  403  404  401  401
POST    /api/v1/exercises/{exercise}/reveal    -          404   422  403  404  404  403  404  403  404  401  401
GET     /api/v1/exercises/{exercise}/status    -          404   200  200  404  404  403  404  200  404  401  401
GET     /api/v1/exercises/{exercise}/player    -          404   200  403  404  404  200  404  403  404  401  401
GET     /api/v1/exercises/{exercise}/notes     -          404   200  200  404  404  403  404  200  404  401  401
POST    /api/v1/exercises/{exercise}/notes     note       404   201  201  404  404  403  404  403  404  401  401
GET     /api/v1/exercises/{exercise}/report    -          404   200  200  404  404  403  404  200  404  401  401
GET     /api/v1/exercises/{exercise}/report?format=csv - 404  200  200  404  404  403  404  200  404  401  401
GET     /api/v1/exercises/{exercise}/report?format=html - 404 200  200  404  404  403  404  200  404  401  401
GET     /api/v1/audit                          -          200   403  403  403  403  403  403  403  200  401  401
GET     /api/v1/drills                         -          403   200  200  200  200  403  403  403  403  401  401
POST    /api/v1/drills                         drill      403   201  403  403  201  403  403  403  403  401  401
GET     /api/v1/drills/inbox                   -          403   200  200  200  200  200  200  200  403  401  401
GET     /api/v1/drills/history?ceptoar=bank-ceptoar - 403 200  200  200  200  403  403  403  403  401  401
POST    /api/v1/drills/ack                     drilltoken 404   404  404  404  404  404  404  404  404  404  404
GET     /api/v1/drills/{drill}                 -          404   200  200  404  200  404  404  404  404  401  401
GET     /api/v1/drills/{drill}/members         -          404   200  200  404  200  404  404  404  404  401  401
GET     /api/v1/drills/{drill}/members?format=csv -       404   200  200  404  200  404  404  404  404  401  401
GET     /api/v1/drills/{drill}/calls           -          404   200  200  404  200  404  404  404  404  401  401
POST    /api/v1/drills/{drill}/ack             -          403   404  404  404  404  200  404  404  403  401  401
POST    /api/v1/drills/{drill}/targets/{dtarget}/record record 404 200 403 404  200  404  404  404  404  401  401
GET     /api/v1/guideline                      -          200   200  200  200  200  200  200  200  200  401  401
POST    /api/v1/guideline                      guideline  403   201  403  403  403  403  403  403  403  401  401
GET     /api/v1/guideline/{ed3}                -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/guideline/{ed3}?mark=must      -          200   200  200  200  200  200  200  200  200  401  401
DELETE  /api/v1/guideline/{edition}            -          403   204  403  403  403  403  403  403  403  401  401
GET     /api/v1/guideline/{ed3}/items/{item}   -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/guideline/{ed3}/oscal          -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/guideline/diff?from=3&to=3     -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/guideline/coverage?sector=finance -       200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/guideline/documents            -          200   200  200  200  200  200  200  200  200  401  401
POST    /api/v1/guideline/documents            document   403   201  201  403  403  403  403  403  403  401  401
GET     /api/v1/guideline/documents/{doc}      -          200   200  200  200  200  200  200  200  200  401  401
GET     /api/v1/guideline/documents/{docnp}    -          404   200  200  404  404  404  404  404  404  401  401
PATCH   /api/v1/guideline/documents/{doc}      docpatch   403   200  200  403  403  403  403  403  403  401  401
DELETE  /api/v1/guideline/documents/{doc}      -          403   204  204  403  403  403  403  403  403  401  401
GET     /api/v1/surveys                        -          403   200  200  200  403  200  200  403  403  401  401
POST    /api/v1/surveys                        survey     403   201  201  403  403  403  403  403  403  401  401
GET     /api/v1/surveys/trends                 -          403   200  200  200  403  403  403  403  403  401  401
GET     /api/v1/surveys/{rsurvey}              -          404   200  200  404  404  200  200  404  404  401  401
PATCH   /api/v1/surveys/{survey}               surveypatch 404  200  200  404  404  404  404  404  404  401  401
POST    /api/v1/surveys/{survey}/questions     question   404   201  201  404  404  404  404  404  404  401  401
POST    /api/v1/surveys/{survey}/open          -          404   200  200  404  404  404  404  404  404  401  401
POST    /api/v1/surveys/{osurvey}/close        -          404   200  200  404  404  403  403  404  404  401  401
POST    /api/v1/surveys/{osurvey}/remind       -          404   200  200  404  404  403  403  404  404  401  401
GET     /api/v1/surveys/{rsurvey}/answers      -          404   404  404  404  404  200  200  404  404  401  401
POST    /api/v1/surveys/{osurvey}/answers      answer     404   403  403  404  404  200  200  404  404  401  401
GET     /api/v1/surveys/{rsurvey}/answers/{op1} -         404   404  404  404  404  200  404  404  404  401  401
GET     /api/v1/surveys/{rsurvey}/results      -          404   200  200  404  404  403  403  404  404  401  401
GET     /api/v1/surveys/{rsurvey}/results?format=csv -    404   200  200  404  404  403  403  404  404  401  401
GET     /api/v1/audit/verify                   -          200   403  403  403  403  403  403  403  200  401  401
"""


def parse_table():
    cells = []
    for line in TABLE.strip().splitlines():
        parts = line.split()
        method, path, body = parts[0], parts[1], parts[2]
        statuses = [int(x) for x in parts[3:]]
        assert len(statuses) == len(COLUMNS), line
        assert body in BODIES, line
        for col, status in zip(COLUMNS, statuses):
            cells.append(pytest.param(method, path, body, col, status, id="%s %s as %s" % (method, path, col)))
    return cells


def test_table_covers_every_endpoint_of_the_contract():
    """Every route in docs/api.md's tables has a row here."""
    import os
    from apilib import REPO
    with open(os.path.join(REPO, "docs", "api.md"), encoding="utf-8") as f:
        doc = f.read()
    routes = set()
    for m in re.finditer(r"^\| (GET|POST|PATCH|DELETE|PUT) \| `([^`]+)`", doc, re.M):
        path = re.sub(r"\{[^}]+\}", "{}", m.group(2))
        routes.add((m.group(1), path))
    routes.add(("GET", "/healthz"))
    have = set()
    for line in TABLE.strip().splitlines():
        method, path = line.split()[:2]
        path = path.split("?")[0]
        path = re.sub(r"\{[^}]+\}|finance|fsa|bank-ceptoar|result\.json|app\.js", "{}", path)
        have.add((method, path))
    missing = routes - have
    assert not missing, "endpoints of docs/api.md with no row in the role table: %s" % sorted(missing)


@pytest.fixture(scope="module")
def rt(new_deployment):
    d = new_deployment("roles")
    d.role_pwuser = d.make_user(org="nisc", role="auditor", password=PASSWORD)["name"]
    return d


def prepare(dep, text):
    """Fresh objects for the placeholders used in text."""
    ctx = {"u": "%s" % secrets.token_hex(4), "op1": dep.orgs["op1"]["id"], "pwuser": dep.role_pwuser}
    if "{org}" in text or "{svc}" in text:
        ctx["org"] = dep.make_operator(prefix="rt-org")["id"]
    if "{svc}" in text:
        ctx["svc"] = dep.make_service(ctx["org"])["id"]
    if "{sys}" in text:
        ctx["sys"] = dep.make_system(ctx["op1"])["id"]
    if "{user}" in text or "{tok}" in text:
        ctx["user"] = dep.make_user(org="nisc", role="auditor")["name"]
    if "{tok}" in text:
        t = dep.make_token(ctx["user"], days=1)
        ctx["tok"] = t["id"]
        ctx["tok_secret"] = t["token"]
    if "{report}" in text or "{att}" in text:
        ctx["report"] = create_report(dep, "operator", tlp="AMBER", scope="ceptoar")["id"]
    if "{att}" in text:
        r = dep.request("POST", "/api/v1/reports/%s/attachments" % ctx["report"], token="operator",
                        params={"name": "rt.txt"}, data=b"role table", headers={"Content-Type": "text/plain"})
        assert r.status_code == 201, describe(r)
        ctx["att"] = r.json()["id"]
    if "{alert}" in text or "{delivery}" in text or "{alertjson}" in text:
        ctx["alert"] = send_alert(dep, "nisc", {"sectors": ["finance"]})["id"]
        wait_fanout(dep, ctx["alert"])
    if "{delivery}" in text:
        items = [i for i in dep.all_items("/api/v1/inbox", token="operator") if i["alert"] == ctx["alert"]]
        assert len(items) == 1, items
        ctx["delivery"] = str(items[0]["id"])
    if "{alertjson}" in text:
        ctx["alertjson"] = dep.get("/api/v1/alerts/" + ctx["alert"], token="nisc").text
    for key, shared in (("council", False), ("councilgov", True)):
        if "{%s}" % key in text:
            body = {"title": "rt-item-%s" % ctx["u"], "body": "役割表", "shared_with_government": shared}
            ctx[key] = dep.ok("POST", "/api/v1/council", body, token="ceptoar", status=201)["id"]
    if "/contacts" in text or "{dtarget}" in text:  # an org keeps at most 20: make room
        for c in dep.get("/api/v1/orgs/%s/contacts" % ctx["op1"]).json()["items"]:
            if c["label"].startswith("rt-"):
                dep.ok("DELETE", "/api/v1/orgs/%s/contacts/%s" % (ctx["op1"], c["id"]))
    if "{contact}" in text:
        ctx["contact"] = dep.ok("POST", "/api/v1/orgs/%s/contacts" % ctx["op1"],
                                {"channel": "fax", "address": "03-0000-0000", "label": "rt-" + ctx["u"]},
                                status=201)["id"]
    if "{model}" in text:
        r = dep.request("POST", "/api/v1/analysis/models", token="nisc", params={"name": "rt-m-" + ctx["u"]},
                        data=json.dumps({"nodes": [{"id": "n1"}]}).encode(),
                        headers={"Content-Type": "application/json"})
        assert r.status_code == 201, describe(r)
        ctx["model"] = r.json()["id"]
    if "{job}" in text:
        ctx["job"] = dep.ok("POST", "/api/v1/analysis/jobs", {"kind": "iim", "options": {
            "perturbation": {"finance": 0.5}}}, token="nisc", status=202)["id"]
        deadline = time.time() + 30
        while dep.get("/api/v1/analysis/jobs/" + ctx["job"], token="nisc").json()["state"] != "done":
            assert time.time() < deadline, "the role table's job did not finish"
            time.sleep(0.05)
    if "{exercise}" in text:
        # planned by NISC; op-bank-1 plays, the 金融庁 user evaluates, JPCERT/CC advises
        ex = dep.ok("POST", "/api/v1/exercises", {"title": "rt-ex-" + ctx["u"]}, token="nisc", status=201)
        ctx["exercise"] = ex["id"]
        for m in ({"role": "player", "org": ctx["op1"]},
                  {"role": "evaluator", "user": dep.user_names["ministry"]},
                  {"role": "adviser", "user": dep.user_names["agency"]}):
            dep.ok("POST", "/api/v1/exercises/%s/members" % ex["id"], m, token="nisc", status=201)
    if "{inject}" in text:
        ctx["inject"] = dep.ok("POST", "/api/v1/exercises/%s/injects" % ctx["exercise"],
                               {"at": "T+3h", "title": "rt-inj-" + ctx["u"]}, token="nisc", status=201)["id"]
    if "{dtarget}" in text:  # op-bank-1 is called by phone in {drill}
        dep.ok("POST", "/api/v1/orgs/%s/contacts" % ctx["op1"],
               {"channel": "phone", "address": "03-9999-0000", "label": "rt-" + ctx["u"]},
               status=201)
    if "{drill}" in text:
        ctx["drill"] = dep.ok("POST", "/api/v1/drills", {
            "ceptoar": "bank-ceptoar", "title": "rt-drill-" + ctx["u"], "message_ja": "役割表の訓練",
            "deadline_minutes": 60, "manual": ["phone"]}, token="ceptoar", status=201)["id"]
        deadline = time.time() + 30
        while dep.get("/api/v1/drills/" + ctx["drill"], token="nisc").json()["fanout"] != "done":
            assert time.time() < deadline, "the role table's drill was not fanned out"
            time.sleep(0.05)
    if "{dtarget}" in text:
        op1 = [m for m in dep.all_items("/api/v1/drills/%s/members" % ctx["drill"], token="nisc")
               if m["org"] == ctx["op1"]][0]
        ctx["dtarget"] = str([c for c in op1["channels"] if c["channel"] == "phone"][0]["target"])
    if "{sample}" in text:
        ctx["sample"] = "plan-2008"
    if "{plan}" in text:
        # a plan of NISC's whose one measure 金融庁 (the ministry column) owns
        plan = dep.ok("POST", "/api/v1/plans", json.loads(fill(json.dumps(BODIES["plan"]), ctx)),
                      token="nisc", status=201)
        ctx["plan"] = plan["id"]
        ctx["pillar"] = plan["pillars"][0]["id"]
        ctx["measure"] = dep.ok("GET", "/api/v1/plans/%s/measures" % plan["id"], token="nisc")["items"][0]["id"]
    if "{epillar}" in text:
        ctx["epillar"] = dep.ok("POST", "/api/v1/plans/%s/pillars" % ctx["plan"],
                                {"code": "2", "title_ja": "空の柱"}, token="nisc", status=201)["id"]
    if "{indicator}" in text:
        ctx["indicator"] = dep.ok("POST", "/api/v1/plans/%s/indicators" % ctx["plan"],
                                  {"area": "rt", "name_ja": "rt-ind-" + ctx["u"]}, token="nisc", status=201)["id"]
    if "{incident}" in text:
        ctx["incident"] = dep.ok("POST", "/api/v1/incidents", {"title": "rt-inc-" + ctx["u"]}, token="nisc",
                                 status=201)["id"]
    prepare_standards(dep, text, ctx)
    return ctx


def prepare_standards(dep, text, ctx):
    """The placeholders of the Guideline, documents and surveys."""
    ctx["ed3"], ctx["item"] = "3", "II.6.1.a"
    if "{edition}" in text:
        ctx["edition"] = dep.ok("POST", "/api/v1/guideline", {
            "edition": "rt-ed-" + ctx["u"], "title_ja": "役割表", "items": [
                {"id": "A", "kind": "section", "title_ja": "章"}]}, token="nisc", status=201)["edition"]
    for key, public in (("doc", True), ("docnp", False)):
        if "{%s}" % key in text:
            body = {"sector": "finance", "kind": "internal", "title_ja": "rt-doc-" + ctx["u"], "owner": "rt",
                    "public": public, "items": ["II.6.1.b.i"]}
            if not public:
                body["reason"] = "役割表の非公開文書"
            ctx[key] = dep.ok("POST", "/api/v1/guideline/documents", body, token="nisc", status=201)["id"]
    if "{year}" in text or "{survey}" in text or "{osurvey}" in text:
        dep.rt_year = getattr(dep, "rt_year", 1999) + 1
        ctx["year"] = str(dep.rt_year)
        ctx["deadline"] = "2099-12-31T00:00:00Z"
    for key, opened in (("survey", False), ("osurvey", True)):
        if "{%s}" % key in text:
            ctx[key] = dep.ok("POST", "/api/v1/surveys", {
                "sector": "finance", "year": dep.rt_year, "deadline": ctx["deadline"], "open": opened,
                "remind_days": 0, "title_ja": "rt-sv-" + ctx["u"]}, token="nisc", status=201)["id"]
    if "{rsurvey}" in text:
        if not getattr(dep, "rt_rsurvey", None):
            sv = dep.ok("POST", "/api/v1/surveys", {"sector": "finance", "year": 2100, "open": True,
                                                   "deadline": "2099-12-31T00:00:00Z", "remind_days": 0},
                        token="nisc", status=201)
            qs = [{"question": q["id"], "status": "implemented"} for q in sv["questions"]]
            dep.ok("POST", "/api/v1/surveys/%s/answers" % sv["id"], {"answers": qs, "submit": True},
                   token="operator")
            dep.rt_rsurvey = sv["id"]
        ctx["rsurvey"] = dep.rt_rsurvey


def fill(s, ctx):
    return re.sub(r"\{(\w+)\}", lambda m: ctx[m.group(1)], s)


def unchanged(dep, method, path, body_key, ctx):
    """After a refused call: is the object as it was (nothing created, changed, deleted)?"""
    u = ctx["u"]
    if "/guideline" in path or "/surveys" in path:
        return standards_unchanged(dep, method, path, body_key, ctx)
    if body_key == "sector":
        return dep.get("/api/v1/sectors/rt-" + u).status_code == 404
    if body_key in ("org", "csv"):
        return dep.get("/api/v1/orgs/rt-" + u).status_code == 404
    if body_key == "orgpatch":
        return dep.get("/api/v1/orgs/" + ctx["org"]).json().get("name_en") != "Changed by " + u
    if body_key == "service":
        return "rt-svc-" + u not in dep.get("/api/v1/orgs/" + ctx["op1"]).text
    if body_key == "system":
        return "rt-sys-" + u not in dep.get("/api/v1/orgs/%s/systems?limit=500" % ctx["op1"], token="nisc").text
    if body_key == "user":
        return dep.get("/api/v1/users/rt-" + u).status_code == 404
    if body_key == "userpatch":
        return dep.get("/api/v1/users/" + ctx["user"]).json().get("display_name") != "Changed by " + u
    if body_key == "token":
        return dep.get("/api/v1/tokens", params={"user": ctx["user"]}).json()["total"] == 0
    if method == "DELETE" and "{tok}" in path:
        return dep.request("GET", "/api/v1/me", token=None, raw_token=ctx["tok_secret"]).status_code == 200
    if method == "DELETE" and "{svc}" in path:
        return ctx["svc"] in dep.get("/api/v1/orgs/" + ctx["org"]).text
    if method == "DELETE" and "{sys}" in path:
        return ctx["sys"] in dep.get("/api/v1/orgs/%s/systems?limit=500" % ctx["op1"], token="nisc").text
    if body_key == "model":
        return "rt-" + u not in dep.get("/api/v1/analysis/models", token="nisc", params={"limit": 500}).text
    if body_key == "job":
        return all(j["created_by"] != ctx["user_name"] for j in dep.get(
            "/api/v1/analysis/jobs", token="nisc", params={"limit": 500}).json()["items"])
    if method == "DELETE" and "{model}" in path:
        return dep.get("/api/v1/analysis/models/" + ctx["model"], token="nisc").status_code == 200
    if path.endswith("/cancel") and "{job}" in path:
        return dep.get("/api/v1/analysis/jobs/" + ctx["job"], token="nisc").json()["state"] == "done"
    if body_key == "contact":
        return "rt-" + u not in dep.get("/api/v1/orgs/%s/contacts" % ctx["op1"]).text
    if method == "DELETE" and "{contact}" in path:
        return ctx["contact"] in dep.get("/api/v1/orgs/%s/contacts" % ctx["op1"]).text
    if body_key == "manual":
        return dep.get("/api/v1/deliveries/%s/channels" % ctx["delivery"], token="nisc").json()["manual"] == []
    if method == "DELETE" and "{org}" in path:
        return dep.get("/api/v1/orgs/" + ctx["org"]).status_code == 200
    if body_key == "report":
        return dep.get("/api/v1/reports", token="nisc", params={"q": "rt" + u}).json()["total"] == 0
    if body_key == "reportpatch":
        return dep.get("/api/v1/reports/" + ctx["report"], token="nisc").json()["version"] == 1
    if body_key == "file":
        return dep.get("/api/v1/reports/" + ctx["report"], token="nisc").json().get("attachments") in (None, [])
    if body_key == "alert":
        return dep.get("/api/v1/alerts", token="nisc", params={"q": "rt" + u}).json()["total"] == 0
    if body_key == "drill":
        return "rt-" + u not in dep.get("/api/v1/drills", token="nisc", params={"limit": 500}).text
    if body_key == "record":
        return all(c["attempts"] == 0 for m in dep.all_items(
            "/api/v1/drills/%s/members" % ctx["drill"], token="nisc")
            for c in m["channels"] if c["channel"] == "phone")
    if "{drill}" in path and path.endswith("/ack"):
        return all(m["acked_at"] is None for m in dep.all_items(
            "/api/v1/drills/%s/members" % ctx["drill"], token="nisc"))
    if body_key == "exclusion":
        return "rt-" + u not in dep.get("/api/v1/correlations/exclusions", token="nisc",
                                        params={"limit": 500}).text
    if body_key == "council":
        return "rt-" + u not in dep.get("/api/v1/council", token="ceptoar", params={"limit": 500}).text
    if body_key == "reply":
        return dep.get("/api/v1/council/" + ctx["council"], token="ceptoar").json()["replies"] == []
    if body_key == "incident":
        return "rt-" + u not in dep.get("/api/v1/incidents", token="nisc", params={"limit": 500}).text
    if body_key == "linkreport":
        return dep.get("/api/v1/reports", token="nisc", params={"incident": ctx["incident"]}).json()["total"] == 0
    if body_key == "linkalert":
        return dep.get("/api/v1/incidents/" + ctx["incident"], token="nisc").json()["alerts"] == 0
    if path.endswith("/close"):
        return dep.get("/api/v1/incidents/" + ctx["incident"], token="nisc").json()["state"] == "open"
    if "{delivery}" in path:
        mine = [d for d in dep.all_items("/api/v1/alerts/%s/deliveries" % ctx["alert"], token="nisc")
                if str(d["id"]) == ctx["delivery"]]
        return len(mine) == 1 and mine[0]["opened_at"] is None and mine[0]["acked_at"] is None
    if "{exercise}" in path or body_key == "exercise":
        return exercise_unchanged(dep, method, path, body_key, ctx)
    if "/api/v1/plans" in path:
        return plan_unchanged(dep, method, path, body_key, ctx)

    if path.endswith("/sitrep?keep=1"):
        return dep.get("/api/v1/incidents/" + ctx["incident"], token="nisc").json()["last_sitrep_at"] is None
    return True


def standards_unchanged(dep, method, path, body_key, ctx):
    """The Guideline, document and survey cells: nothing loaded, kept, opened or answered."""
    u = ctx["u"]
    if body_key == "guideline":
        return dep.get("/api/v1/guideline/rt-" + u).status_code == 404
    if "{edition}" in path:
        return dep.get("/api/v1/guideline/" + ctx["edition"]).status_code == 200
    if body_key == "document":
        return "rt-" + u not in dep.get("/api/v1/guideline/documents", token="nisc", params={"limit": 500}).text
    if "{doc}" in path:
        d = dep.get("/api/v1/guideline/documents/" + ctx["doc"], token="nisc")
        return d.status_code == 200 and d.json()["owner"] == "rt"
    if body_key == "survey":
        return dep.get("/api/v1/surveys", token="nisc", params={"year": ctx["year"]}).json()["total"] == 0
    for key in ("survey", "osurvey"):
        if "{%s}" % key in path:
            sv = dep.get("/api/v1/surveys/" + ctx[key], token="nisc").json()
            answers = dep.get("/api/v1/surveys/%s/answers" % ctx[key], token="operator")
            return (sv["title_ja"] == "rt-sv-" + u and len(sv["questions"]) == 24 and sv["reminders"] == 0
                    and sv["state"] == ("open" if key == "osurvey" else "draft")
                    and (answers.status_code == 404 or answers.json()["answers"] == []))
    return True


def exercise_unchanged(dep, method, path, body_key, ctx):
    """The exercise cells: the plan, members, MSEL, clock and notes as they were."""
    u = ctx["u"]
    if body_key == "exercise":
        return "rt-" + u not in dep.get("/api/v1/exercises", token="nisc", params={"limit": 500}).text
    ex = dep.get("/api/v1/exercises/" + ctx["exercise"], token="nisc").json()
    injects = dep.get("/api/v1/exercises/%s/injects" % ctx["exercise"], token="nisc").json()["items"]
    members = dep.get("/api/v1/exercises/%s/members" % ctx["exercise"], token="nisc").json()["items"]
    notes = dep.get("/api/v1/exercises/%s/notes" % ctx["exercise"], token="nisc").json()["items"]
    return (ex.get("title") == "rt-ex-" + u and ex["state"] == "planned" and len(members) == 3
            and len(injects) == (1 if "{inject}" in path else 0)
            and all(i["title"].startswith("rt-inj-") for i in injects) and notes == [])


def plan_unchanged(dep, method, path, body_key, ctx):
    """The plan cells: no plan made, changed or deleted, no pillar or measure added, changed
    or deleted, no progress, grade or indicator value."""
    u = ctx["u"]
    plans = dep.get("/api/v1/plans", token="nisc", params={"limit": 500}).json()["items"]
    if body_key == "plan":
        return all(p["title_ja"] != "rt-" + u for p in plans)
    if "{sample}" in path:
        return sum(p["source"].startswith("seed 000") for p in plans) <= 1
    if "{plan}" not in path:
        return True
    plan = dep.get("/api/v1/plans/" + ctx["plan"], token="nisc")
    if plan.status_code != 200:
        return False
    plan = plan.json()
    pillars = [(p["code"], p["title_ja"]) for p in plan["pillars"]]
    measures = dep.get("/api/v1/plans/%s/measures" % ctx["plan"], token="nisc").json()["items"]
    if (plan["title_ja"] != "rt-" + u or pillars != [("1", "柱")] + ([("2", "空の柱")] if "{epillar}" in path else [])
            or len(measures) != 1):
        return False
    measure = measures[0]
    indicators = dep.get("/api/v1/plans/%s/indicators" % ctx["plan"], token="nisc").json()["items"]
    return (measure["title_ja"] == "施策" and [o["code"] for o in measure["owners"]] == ["fsa"]
            and measure["progress"] == [] and measure["grade"] is None
            and len(indicators) == (1 if "{indicator}" in path else 0)
            and all(i["values"] == [] for i in indicators))


@pytest.mark.parametrize("method,path,body_key,who,expected", parse_table())
def test_role_table(rt, method, path, body_key, who, expected):
    body = BODIES[body_key]
    body_text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False) if body else ""
    ctx = prepare(rt, path + body_text)
    url_path = fill(path, ctx)
    headers = {}
    data = None
    if body is not None:
        data = fill(body_text, ctx).encode("utf-8")
        headers["Content-Type"] = CONTENT_TYPES.get(body_key, "application/json")
    kw = {"token": None}
    if who == "bogus":
        kw["raw_token"] = "bogus" + secrets.token_hex(20)
    elif who != "none":
        kw["token"] = who
    ctx["user_name"] = rt.user_names.get(who, who)
    r = rt.request(method, url_path, data=data, headers=headers, **kw)
    assert r.status_code == expected, "as %s: %s" % (who, describe(r))
    if expected >= 400:
        assert_error(r, expected)
        assert unchanged(rt, method, path, body_key, ctx), "refused %s %s as %s changed state" % (
            method, url_path, who)
    elif expected != 204 and r.content:
        assert r.headers.get("Content-Type", "").split(";")[0] in (
            "application/json", "text/csv", "application/octet-stream", "text/html",
            "text/javascript"), describe(r)
