// loop.test.mjs - the full loop in a real browser, in Japanese and in
// English: an operator reports an IT failure; NISC composes an alert to the
// operator's sector, sees who it will reach per CEPTOAR and sends it; another
// operator finds it in its inbox and acknowledges it; the sender sees the
// acknowledgement count change without reloading. Screenshots of each page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiCall, assertClean, expectRefused, newPage, openMenu, shot, signIn, token, unlabelled, withServer } from './harness.mjs';

let srv;
let browser;

withServer((s, b) => {
  srv = s;
  browser = b;
});

const TEXT = {
  ja: { ack: '確認しました', acked: '確認済み', send: '送信', sendNow: '送信する', reports: 'IT障害報告', inbox: '受信箱', reaches: '組織に届きます' },
  en: { ack: 'Acknowledge', acked: 'Acknowledged', send: 'Send', sendNow: 'Send now', reports: 'IT-failure reports', inbox: 'Inbox', reaches: 'It reaches' },
};

for (const lang of ['ja', 'en']) {
  test(`the full loop (${lang})`, async () => {
    const L = TEXT[lang];
    const stamp = `${lang}-${Date.now()}`;

    // 1. an operator reports an IT failure, shared with its CEPTOAR
    const op = await newPage(browser, lang);
    await signIn(op, srv.base, 'banka1');
    assert.ok(await (await openMenu(op, L.reports)).isVisible());
    await shot(op, `home-operator-${lang}`);
    await op.goto(srv.base + '/#/reports/new');
    await op.locator('#rf-title').fill(`勘定系の障害 ${stamp}`);
    await op.locator('#rf-description').fill('オンライン取引が停止しています。');
    await op.locator('input[name=cause][value=unintentional]').check();
    await op.locator('input[name=tlp][value=GREEN]').check();
    await op.locator('input[name=scope][value=ceptoar]').check();
    // the anonymisation as others will see it
    const seen = await op.locator('#rf-seen-as').innerText();
    assert.match(seen, lang === 'ja' ? /金融の事業者/ : /a Finance operator/);
    await op.locator('#rf-show-name').check();
    assert.match(await op.locator('#rf-seen-as').innerText(), lang === 'ja' ? /第一テスト銀行/ : /First Test Bank/);
    await op.locator('#rf-show-name').uncheck();
    assert.deepEqual(await unlabelled(op), [], 'every control of the report form is labelled');
    await shot(op, `report-form-${lang}`);
    await op.locator('form button[type=submit].primary').click();
    await op.waitForURL(/#\/reports\/[0-9a-f-]{36}$/);
    await op.locator('h1', { hasText: stamp }).waitFor();
    assert.ok(await op.locator('.tlp-green').first().isVisible());
    await shot(op, `report-view-${lang}`);

    // another operator of the CEPTOAR sees it, anonymised
    const other = await newPage(browser, lang);
    await signIn(other, srv.base, 'bankc1');
    await other.goto(srv.base + '/#/reports');
    const row = other.locator('#reports-table tbody tr', { hasText: stamp });
    await row.waitFor();
    assert.match(await row.innerText(), lang === 'ja' ? /金融の事業者/ : /a Finance operator/);
    assert.doesNotMatch(await row.innerText(), /第一テスト銀行|First Test Bank/);
    await shot(other, `reports-${lang}`);

    // 2. NISC composes an alert to the finance sector and previews who gets it
    const nisc = await newPage(browser, lang);
    await signIn(nisc, srv.base, 'nisc1');
    await nisc.goto(srv.base + '/#/alerts/new');
    await nisc.locator('#ac-title-ja').fill(`不正アクセスへの注意 ${stamp}`);
    await nisc.locator('#ac-title-en').fill(`Beware of intrusions ${stamp}`);
    await nisc.locator('#ac-body-ja').fill('金融機関を狙う攻撃が観測されています。');
    await nisc.locator('input[name=aud-mode][value=sectors]').check();
    await nisc.locator('input[type=checkbox][value=finance]').check();
    await nisc.locator('#preview-total').waitFor();
    const bankRow = nisc.locator('#preview-table tr[data-ceptoar=bank-ceptoar] td.num');
    await bankRow.waitFor();
    const previewBank = Number(await bankRow.innerText());
    assert.ok(previewBank >= 3, `the three banks at least, got ${previewBank}`);
    assert.match(await nisc.locator('#preview-total').innerText(), new RegExp(L.reaches));
    assert.deepEqual(await unlabelled(nisc), [], 'every control of the alert form is labelled');
    await shot(nisc, `alert-compose-${lang}`);
    await nisc.locator('#send-button').click();
    await nisc.locator('#confirm-send').waitFor();
    await nisc.locator('#send-button', { hasText: L.sendNow }).click();
    await nisc.waitForURL(/#\/alerts\/[0-9a-f-]{36}$/);
    const acked = nisc.locator('#per-ceptoar tr[data-ceptoar=bank-ceptoar] [data-col=acked]');
    await acked.waitFor();
    assert.equal(await acked.innerText(), '0');
    const recipients = Number(await nisc.locator('#per-ceptoar tr[data-ceptoar=bank-ceptoar] td.num').first().innerText());
    assert.equal(recipients, previewBank, 'the preview said how many of bank-ceptoar it reaches');
    await shot(nisc, `alert-view-${lang}`);

    // 3. another operator acknowledges it in its inbox
    const rec = await newPage(browser, lang);
    await signIn(rec, srv.base, 'bankb1');
    await rec.goto(srv.base + '/#/inbox');
    const title = lang === 'ja' ? `不正アクセスへの注意 ${stamp}` : `Beware of intrusions ${stamp}`;
    const link = rec.locator('#inbox-table a', { hasText: title });
    await link.waitFor();
    await shot(rec, `inbox-${lang}`);
    await link.click();
    await rec.locator('#ack-button', { hasText: L.ack }).click();
    await rec.locator('#ack-state').waitFor();
    assert.match(await rec.locator('#ack-state').innerText(), /bankb1/);
    await shot(rec, `delivery-${lang}`);
    await rec.goto(srv.base + '/#/inbox?state=acked');
    await rec.locator('#inbox-table tr', { hasText: title }).locator('.badge-ok', { hasText: L.acked }).waitFor();

    // 4. the sender sees the count change without reloading
    await nisc.waitForFunction(
      () => document.querySelector('#per-ceptoar tr[data-ceptoar=bank-ceptoar] [data-col=acked]')?.textContent === '1',
      null, { timeout: 15000 },
    );
    const unacked = await nisc.locator('#unacked-list').innerText();
    assert.doesNotMatch(unacked, /第二テスト銀行|Second Test Bank/);
    assert.match(unacked, /第三テスト銀行|Third Test Bank/);

    // the API agrees with what the pages showed
    const nt = token(srv, 'nisc1');
    const alerts = await apiCall(srv, nt, 'GET', '/alerts?q=' + encodeURIComponent(stamp));
    const d = await apiCall(srv, nt, 'GET', `/alerts/${alerts.items[0].id}/deliveries`);
    assert.equal(d.counts.acked, 1);

    for (const p of [op, other, nisc, rec]) {
      assert.deepEqual(p.problems, [], 'no page errors or CSP violations');
      await p.context().close();
    }
  });
}

test('an update of a report: a stale version is said, nothing typed is lost', async () => {
  const at = token(srv, 'banka1');
  const r = await apiCall(srv, at, 'POST', '/reports', {
    title: 'ATM 網の障害', description: '一部の ATM が停止。', tlp: 'AMBER', scope: 'ministry',
  });
  const p = await newPage(browser, 'ja');
  await signIn(p, srv.base, 'banka1');
  await p.goto(`${srv.base}/#/reports/${r.id}`);
  await p.locator('a.button.primary', { hasText: '続報・更新を作成' }).click();
  await p.locator('#rf-title').waitFor();
  assert.equal(await p.locator('#rf-title').inputValue(), 'ATM 網の障害');
  await p.locator('#rf-status2').selectOption('update');
  await p.locator('#rf-description').fill('一部の ATM が停止。14 時に半数が復旧。');
  // meanwhile a colleague adds a version
  await apiCall(srv, at, 'PATCH', `/reports/${r.id}`, { version: 1, status: 'update', service_impact: '窓口は通常どおり' });
  await p.locator('form button[type=submit].primary').click();
  await p.locator('.notice-warn', { hasText: '他の担当者がこの報告を更新しました' }).waitFor();
  assert.equal(await p.locator('#rf-description').inputValue(), '一部の ATM が停止。14 時に半数が復旧。');
  await p.locator('.notice-warn button').click();
  await p.locator('form button[type=submit].primary').click();
  await p.waitForURL(new RegExp(`#/reports/${r.id}$`));
  await p.locator('h1', { hasText: 'ATM 網の障害' }).waitFor();
  assert.match(await p.locator('main').innerText(), /第3版/);
  assert.match(await p.locator('main').innerText(), /14 時に半数が復旧/);
  assert.match(await p.locator('main').innerText(), /窓口は通常どおり/, 'the colleague\'s version is kept');
  // a problem record for the deliberate 409 answer
  expectRefused(p, 409, 1);
  assertClean(p, 'a conflicting edit');
  await p.context().close();
});

test('the inbox searches Japanese and English text', async () => {
  const p = await newPage(browser, 'en');
  await signIn(p, srv.base, 'bankb1');
  await p.goto(srv.base + '/#/inbox');
  await p.locator('#inbox-table').waitFor();
  for (const [q, want] of [['不正アクセス', 2], ['intrusions', 2], ['no such words here', 0]]) {
    await p.locator('#inbox-q').fill(q);
    await p.locator('form[role=search] button[type=submit]').click();
    await p.waitForFunction((n) => document.querySelectorAll('#inbox-table a').length === n, want, { timeout: 10000 });
  }
  assert.deepEqual(p.problems, []);
  await p.context().close();
});

test('a tablet-sized window shows the menu and the inbox', async () => {
  const p = await newPage(browser, 'ja', { width: 820, height: 1180 });
  await signIn(p, srv.base, 'bankb1');
  await p.goto(srv.base + '/#/inbox');
  await p.locator('#inbox-table').waitFor();
  await shot(p, 'inbox-tablet-ja');
  assert.ok(await (await openMenu(p, '受信箱')).isVisible());
  assert.deepEqual(p.problems, []);
  await p.context().close();
});

test('sign-in errors are shown, and the session survives a reload', async () => {
  const p = await newPage(browser, 'ja');
  await p.goto(srv.base + '/');
  await p.locator('#login-name').fill('nisc1');
  await p.locator('#login-password').fill('wrong password here');
  await p.locator('form button[type=submit]').click();
  await p.locator('.error[role=alert]').waitFor();
  await shot(p, 'login-ja');
  await signIn(p, srv.base, 'nisc1');
  await p.reload();
  await p.locator('nav.mainnav').waitFor();
  // a change after the reload still carries the CSRF token
  await p.goto(srv.base + '/#/alerts/new');
  await p.locator('input[name=aud-mode][value=all]').check();
  await p.locator('#preview-total').waitFor();
  assert.deepEqual(p.problems, []);
  await p.context().close();
});

test('the home page shows what needs the user', async () => {
  const nt = token(srv, 'nisc1');
  const pt = token(srv, 'power1');
  await apiCall(srv, nt, 'POST', '/incidents', { title: '関東地方の広域停電', description: '広域停電に伴う重要インフラへの影響', ack_hours: 2 });
  for (const [sev, title, hours] of [['high', '広域停電に伴う非常用電源の確認について', 4],
    ['critical', '制御システムを狙う不正アクセスへの注意喚起', 24]])
    await apiCall(srv, nt, 'POST', '/alerts', {
      severity: sev, title_ja: title, body_ja: '詳細は本文のとおり。', tlp: 'GREEN',
      audience: { sectors: ['electricity'] }, ack_within_hours: hours,
    });
  await apiCall(srv, pt, 'POST', '/reports', {
    title: '変電所監視システムの通信断', description: '広域停電により監視回線が断。', tlp: 'AMBER', scope: 'ceptoar',
    cause_category: 'spillover',
  });
  const p = await newPage(browser, 'ja');
  await signIn(p, srv.base, 'power1');
  await p.waitForFunction(() => document.querySelectorAll('#home-unacked li').length === 2, null, { timeout: 15000 });
  assert.match(await p.locator('#h-incidents').locator('..').innerText(), /関東地方の広域停電/);
  assert.match(await p.locator('#h-reports').locator('..').innerText(), /変電所監視システムの通信断/);
  assert.equal(await p.locator('nav.mainnav a', { hasText: '相互依存性解析' }).count(), 0, 'operators run no analysis');
  await shot(p, 'home-ja');
  const nisc = await newPage(browser, 'ja');
  await signIn(nisc, srv.base, 'nisc1');
  await nisc.locator('#home-following li').first().waitFor();
  assert.match(await nisc.locator('#home-following').innerText(), /テスト電力/);
  await shot(nisc, 'home-nisc-ja');
  for (const x of [p, nisc]) {
    assert.deepEqual(x.problems, []);
    await x.context().close();
  }
});
