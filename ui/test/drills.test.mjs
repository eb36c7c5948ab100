// drills.test.mjs - a CEPTOAR drill (セプター訓練) in a real browser: the
// bank CEPTOAR's secretariat starts a drill on the drills page, an operator
// acknowledges it in its inbox and the live figures change; a member's
// webhook receives its message, whose link opens the acknowledgement page
// without signing in; the per-member results and the history follow.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { apiCall, assertClean, expectRefused, gotoMenu, newPage, shot, signIn, token, unlabelled, waitFor, withServer } from './harness.mjs';

let srv;
let browser;
let hook;
const posts = [];
const tok = {};

withServer(async (s, b) => {
  srv = s;
  browser = b;
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      try { posts.push(JSON.parse(body)); } catch (e) { /* not JSON: ignored */ }
      res.end('ok');
    });
  });
  await new Promise((ok) => hook.listen(0, '127.0.0.1', ok));
  for (const u of ['bankcep1', 'bankb1']) tok[u] = token(srv, u);
  // BANK-B is also reached by webhook
  await apiCall(srv, tok.bankb1, 'POST', '/orgs/BANK-B/contacts', {
    channel: 'webhook', address: `http://127.0.0.1:${hook.address().port}/drill`, label: 'SOC',
    secret: 'ui-test-secret-0123456789',
  });
});

test.after(() => hook && hook.close());

const stat = (page, id) => page.locator(`#${id} .drill-n`).innerText();

test('drill: a secretariat starts it, members acknowledge in the inbox and by the link, the figures follow', async () => {
  const cep = await newPage(browser, 'ja');
  await signIn(cep, srv.base, 'bankcep1');
  await gotoMenu(cep, 'セプター訓練');
  await cep.locator('#drill-form').waitFor();
  assert.equal(await cep.locator('#drill-ceptoar').inputValue(), 'bank-ceptoar');
  assert.deepEqual(await unlabelled(cep), []);
  // an empty title is refused with the field named; what was typed stays
  await cep.locator('#drill-message-ja').fill('これは訓練です。受領確認をお願いします。');
  await cep.locator('#drill-form button[type=submit]').click();
  await cep.locator('#drill-title-error').waitFor();
  assert.match(await cep.locator('#drill-message-ja').inputValue(), /これは訓練です/);
  await cep.locator('#drill-title').fill('2026年度 第1回 連絡訓練');
  await cep.locator('#drill-message-en').fill('This is a drill. Please acknowledge.');
  await cep.locator('#drill-minutes').fill('60');
  await cep.locator('#drill-form button[type=submit]').click();
  await cep.locator('#page-title', { hasText: '2026年度 第1回 連絡訓練' }).waitFor();
  const drillId = cep.url().split('/').pop();
  await waitFor('the fan-out', async () => (await stat(cep, 'stat-members')) === '3');
  assert.equal(await stat(cep, 'stat-on-time'), '0');
  assert.equal(await stat(cep, 'stat-pending'), '3');
  await shot(cep, 'drill-started-ja');

  // an operator acknowledges it in its inbox
  const op = await newPage(browser, 'ja');
  await signIn(op, srv.base, 'banka1');
  await op.goto(srv.base + '/#/inbox');
  const row = op.locator(`#drill-inbox-table tr[data-drill="${drillId}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /2026年度 第1回 連絡訓練/);
  assert.match(await row.innerText(), /受領確認をお願いします/);
  assert.deepEqual(await unlabelled(op), []);
  await shot(op, 'drill-inbox-ja');
  await row.locator('button.drill-ack').click();
  await row.locator('.badge-ok').waitFor();
  // the secretariat's figures change while it looks
  await waitFor('the inbox acknowledgement in the figures', async () => (await stat(cep, 'stat-on-time')) === '1');

  // BANK-B's webhook carried its own link: opened without signing in
  const payload = await waitFor('the webhook', () => posts.find((p) => p.drill_id === drillId));
  assert.equal(payload.event, 'drill');
  assert.match(payload.ack_link, /\/#\/drill-ack\/[A-Za-z0-9_-]+$/);
  const anon = await newPage(browser, 'ja');
  await anon.goto(srv.base + '/#/drill-ack/' + payload.token);
  await anon.locator('#drill-ack-button').click();
  await anon.locator('#drill-ack-result').waitFor();
  assert.match(await anon.locator('.notice').innerText(), /期限内/);
  assert.match(await anon.locator('#drill-ack-result').innerText(), /第二テスト銀行/);
  assert.match(await anon.locator('#drill-ack-result').innerText(), /Webhook/);
  await shot(anon, 'drill-ack-ja');
  await anon.locator('button', { hasText: 'English' }).click(); // the mail is in both languages
  assert.match(await anon.locator('.notice').innerText(), /recorded \(on time\)/);
  // a wrong token says so
  const bad = await newPage(browser, 'ja');
  await bad.goto(srv.base + '/#/drill-ack/not-a-real-token');
  await bad.locator('#drill-ack-button').click();
  await bad.locator('.error[role=alert]').waitFor();
  assert.match(await bad.locator('.error[role=alert]').innerText(), /token/);

  await waitFor('the token acknowledgement in the figures', async () => (await stat(cep, 'stat-on-time')) === '2');
  const members = cep.locator('#drill-members');
  await waitFor('the per-member results', async () => /期限内[\s\S]*期限内/.test(await members.innerText()));
  assert.match(await cep.locator('#drill-members tr[data-org="BANK-C"]').innerText(), /確認待ち/);
  assert.match(await cep.locator('#drill-members tr[data-org="BANK-B"]').innerText(), /Webhook/);
  await cep.locator('#drill-result').selectOption('pending');
  await waitFor('the filter', async () => (await cep.locator('#drill-members tbody tr').count()) === 1);
  assert.match(await cep.locator('#drill-channels').innerText(), /受信箱/);
  await waitFor('the history', async () => /66\.7%/.test(await cep.locator('#drill-history').innerText()));
  assert.deepEqual(await unlabelled(cep), []);
  await shot(cep, 'drill-figures-ja');

  // the list of drills, in English
  const en = await newPage(browser, 'en');
  await signIn(en, srv.base, 'bankcep1');
  await en.goto(srv.base + '/#/drills');
  const listRow = en.locator('#drills-table tbody tr', { hasText: '2026年度 第1回 連絡訓練' });
  await listRow.waitFor();
  assert.match(await listRow.innerText(), /Running/);
  assert.match(await listRow.innerText(), /66\.7%/);
  await shot(en, 'drills-en');

  expectRefused(cep, 400, 1); // the empty title
  assertClean(cep, 'the secretariat starting a drill');
  for (const p of [op, anon, en]) assert.deepEqual(p.problems, []);
});

test('drill: phones are called by hand and the secretariat records each outcome', async () => {
  const bankc = token(srv, 'bankc1');
  await apiCall(srv, bankc, 'POST', '/orgs/BANK-C/contacts', { channel: 'phone', address: '03-5555-0101', label: '総務部' });
  const cep = await newPage(browser, 'ja');
  await signIn(cep, srv.base, 'bankcep1');
  await cep.goto(srv.base + '/#/drills');
  await cep.locator('#drill-form').waitFor();
  await cep.locator('#drill-title').fill('電話連絡訓練');
  await cep.locator('#drill-message-ja').fill('電話での受領確認の訓練です。');
  await cep.locator('#drill-manual-phone').check();
  await cep.locator('#drill-form button[type=submit]').click();
  await cep.waitForURL(/#\/drills\/[0-9a-f-]+$/);

  const call = cep.locator('#drill-calls li[data-org="BANK-C"]');
  await call.waitFor();
  assert.match(await call.innerText(), /電話/);
  assert.match(await call.innerText(), /03-5555-0101/);
  // a time in the future is refused, at its field
  await call.locator('input[type=datetime-local]').fill('2099-01-01T10:00');
  await call.locator('button.drill-record').click();
  await call.locator('[id$="-at-error"]').waitFor();
  // no answer first, then the member confirms
  await call.locator('input[type=datetime-local]').fill('');
  await call.locator('select').selectOption('unreachable');
  await call.locator('input[id$="-note"]').fill('応答なし');
  await call.locator('button.drill-record').click();
  await waitFor('the failed call', async () => /つながらなかった/.test(await call.innerText()) && /応答なし/.test(await call.innerText()));
  await call.locator('select').selectOption('acked');
  await call.locator('input[id$="-note"]').fill('総務部 山田様に架電');
  await call.locator('button.drill-record').click();
  await waitFor('the call list to empty', async () => (await cep.locator('#drill-calls li[data-org="BANK-C"]').count()) === 0);
  await waitFor('the member row', async () => /電話: 確認済/.test(await cep.locator('#drill-members tr[data-org="BANK-C"]').innerText()));
  // the figures follow at once: one phone, reached and acknowledged on time
  const phoneRow = cep.locator('#drill-channels tbody tr', { hasText: '電話' });
  await waitFor('the phone row of the figures', async () => (await phoneRow.count()) === 1 &&
    /^電話\t1\t1 \(100%\)\t1 \(100%\)/.test(await phoneRow.innerText()), 2500);
  await shot(cep, 'drill-calls-ja');
  expectRefused(cep, 400, 1); // the time in the future
  assertClean(cep, 'the secretariat recording calls');
});
