// sharing_spaces.test.mjs - the CEPTOAR Council's space, large-scale
// incidents and common threats in a real browser: who posts and who reads
// in the council, an incident declared by NISC followed by an operator,
// the situation report per sector, correlations and NISC's exclusions,
// errors shown without losing what was typed, English.
import test from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, apiCall, assertClean, expectRefused, newPage, shot, signIn, token, waitFor, withServer } from './harness.mjs';

let srv;
let browser;
const tok = {};

withServer((s, b) => {
  srv = s;
  browser = b;
  // A second council secretariat.
  srv.cli(['user', 'add', '--name', 'elcep1', '--org', 'electricity-ceptoar', '--role', 'ceptoar',
    '--display-name', 'elcep1', '--password-stdin'], PASSWORD + '\n');
  for (const u of ['nisc1', 'bankcep1', 'banka1', 'power1']) tok[u] = token(srv, u);
});

const rows = (page, id) => page.locator(`#${id} tbody tr`);

test('council: a secretariat posts, another replies, government sees only what is shared', async () => {
  // bankcep1 posts a council-only item through the page; an empty title first.
  const cep = await newPage(browser, 'ja');
  await signIn(cep, srv.base, 'bankcep1');
  await cep.goto(srv.base + '/#/council');
  await cep.locator('details.sp-compose summary').click();
  await cep.locator('#council-body').fill('金融分野で不審な通信を観測しました。\n詳細は追って共有します。');
  await cep.locator('details.sp-compose button[type=submit]').click();
  await cep.locator('#council-title-error').waitFor();
  assert.match(await cep.locator('.error[role=alert]').innerText(), /title/);
  assert.equal(await cep.locator('#council-title').getAttribute('aria-invalid'), 'true');
  assert.match(await cep.locator('#council-body').inputValue(), /不審な通信/); // nothing lost
  await cep.locator('#council-title').fill('不審な通信の観測 (カウンシル限り)');
  await cep.locator('#council-tlp').selectOption('AMBER');
  await cep.locator('details.sp-compose button[type=submit]').click();
  await cep.locator('.notice', { hasText: '投稿しました' }).waitFor();
  await cep.locator('#council-items a', { hasText: '不審な通信の観測' }).waitFor();
  assert.equal(await cep.locator('#council-title').inputValue(), '');
  assert.match(await cep.locator('#council-items').innerText(), /TLP:AMBER/);
  await shot(cep, 'council-ja');

  // Another council secretariat reads it and replies from the keyboard.
  const el = await newPage(browser, 'ja');
  await signIn(el, srv.base, 'elcep1');
  await el.goto(srv.base + '/#/council');
  await el.locator('#council-items a', { hasText: '不審な通信の観測' }).click();
  await el.locator('#page-title', { hasText: '不審な通信の観測' }).waitFor();
  assert.match(await el.locator('article').innerText(), /詳細は追って共有します/);
  assert.match(await el.locator('article').innerText(), /カウンシル限り/);
  await el.locator('#reply-body').fill('電力分野でも同じ宛先への通信を確認しました。');
  await el.locator('#reply-body').press('Tab');
  await el.keyboard.press('Tab');
  await el.keyboard.press('Enter');
  await el.locator('.sp-reply', { hasText: '電力分野でも同じ宛先' }).waitFor();
  assert.match(await el.locator('#council-replies-h').innerText(), /1/);
  assert.equal(await el.locator('#reply-body').inputValue(), '');
  await shot(el, 'council-item-ja');
  const itemUrl = el.url();

  // The ministry does not see it: not in the list, not by its address.
  const fsa = await newPage(browser, 'ja');
  await signIn(fsa, srv.base, 'fsa1');
  await fsa.goto(srv.base + '/#/council');
  await fsa.locator('#council-items tbody tr').first().waitFor();
  assert.match(await fsa.locator('main').innerText(), /共有されない限り政府機関には表示されません/);
  assert.doesNotMatch(await fsa.locator('#council-items').innerText(), /不審な通信の観測/);
  assert.equal(await fsa.locator('details.sp-compose').count(), 0); // no posting for government
  await fsa.goto(itemUrl);
  await fsa.locator('.error[role=alert]').waitFor();
  assert.match(await fsa.locator('main').innerText(), /カウンシル限りの項目は政府機関には表示されません/);

  // Once bankcep1 shares an item with government, the ministry reads it.
  await apiCall(srv, tok.bankcep1, 'POST', '/council',
    { title: '政府と共有する注意喚起', body: '所管省庁にも共有します。', tlp: 'GREEN', shared_with_government: true });
  await fsa.goto(srv.base + '/#/council');
  await fsa.locator('#council-items a', { hasText: '政府と共有する注意喚起' }).waitFor();
  assert.equal(await rows(fsa, 'council-items').count(), 1);
  assert.match(await fsa.locator('#council-items').innerText(), /TLP:GREEN/);
  await fsa.locator('#council-items a', { hasText: '政府と共有する注意喚起' }).click();
  await fsa.locator('#page-title', { hasText: '政府と共有する注意喚起' }).waitFor();
  assert.equal(await fsa.locator('#reply-body').count(), 0);
  await shot(fsa, 'council-gov-ja');

  // An operator reads nothing here.
  const op = await newPage(browser, 'ja');
  await signIn(op, srv.base, 'banka1');
  await op.goto(srv.base + '/#/council');
  await op.locator('#council-items tbody tr').first().waitFor();
  assert.match(await op.locator('#council-items').innerText(), /該当するものはありません/);

  expectRefused(cep, 400, 1); // the empty title
  assertClean(cep, 'the secretariat posting');
  for (const p of [el, fsa, op]) assertClean(p, 'the council\'s readers');
});

test('incidents: NISC declares and links, an operator follows, NISC closes', async () => {
  // Two reports of two sectors sharing an indicator, and an alert.
  const r1 = await apiCall(srv, tok.banka1, 'POST', '/reports', {
    title: 'ATM 網の停止', description: '停電の影響', status: 'first',
    occurred_at: '2026-11-20T01:00:00Z', detected_at: '2026-11-20T01:10:00Z', cause_category: 'spillover',
    indicators: [{ type: 'ip', value: '192.0.2.77' }], tlp: 'AMBER', scope: 'ceptoar',
  });
  const r2 = await apiCall(srv, tok.power1, 'POST', '/reports', {
    title: '変電所の停止', description: '設備故障', status: 'first',
    occurred_at: '2026-11-20T00:50:00Z', detected_at: '2026-11-20T01:00:00Z', cause_category: 'disaster-illness',
    indicators: [{ type: 'ip', value: '192.0.2.77' }], tlp: 'GREEN', scope: 'all',
  });
  await apiCall(srv, tok.nisc1, 'POST', '/alerts', {
    severity: 'high', title_ja: '広域停電に関する注意喚起', body_ja: '本文', audience: { sectors: ['finance', 'electricity'] }, tlp: 'GREEN',
  });

  const nisc = await newPage(browser, 'ja');
  await signIn(nisc, srv.base, 'nisc1');
  await nisc.goto(srv.base + '/#/incidents');
  await nisc.locator('#incidents-open tbody tr').first().waitFor();
  assert.match(await nisc.locator('#incidents-open').innerText(), /対応中の大規模障害はありません/);
  await nisc.locator('details.sp-compose summary').click();
  await nisc.locator('#inc-title').fill('関東広域停電');
  await nisc.locator('#inc-desc').fill('関東一円で停電。金融・電力に影響。');
  await nisc.locator('#inc-ack').fill('100');
  await nisc.locator('details.sp-compose button[type=submit]').click();
  await nisc.locator('#inc-ack-error').waitFor();
  assert.equal(await nisc.locator('#inc-title').inputValue(), '関東広域停電'); // kept
  await nisc.locator('#inc-ack').fill('1');
  await nisc.locator('details.sp-compose button[type=submit]').click();
  await nisc.waitForURL(/#\/incidents\/[0-9a-f-]+$/);
  await nisc.locator('#page-title', { hasText: '関東広域停電' }).waitFor();
  assert.match(await nisc.locator('.sp-banner').innerText(), /対応中/);

  // Link both reports and the alert from the page: the second report found by its id.
  await nisc.locator('#link-report-q').fill(r2.id);
  await waitFor('the search by id', async () => (await nisc.locator('#link-report option[value]:not([value=""])').count()) === 1);
  assert.equal(await nisc.locator('#link-report option[value]:not([value=""])').getAttribute('value'), r2.id);
  await nisc.locator('#link-report-q').fill('');
  for (const id of [r1.id, r2.id]) {
    await nisc.locator(`#link-report option[value="${id}"]`).waitFor({ state: 'attached' });
    await nisc.locator('#link-report').selectOption(id);
    await nisc.getByRole('button', { name: '報告を連携' }).click();
    await nisc.locator(`#incident-reports a[href="#/reports/${id}"]`).waitFor();
  }
  await nisc.locator('#link-alert option', { hasText: '広域停電に関する注意喚起' }).waitFor({ state: 'attached' });
  await nisc.locator('#link-alert').selectOption({ label: await nisc.locator('#link-alert option', { hasText: '広域停電' }).innerText() });
  await nisc.getByRole('button', { name: '情報提供を連携' }).click();
  await nisc.locator('#incident-alerts a', { hasText: '広域停電に関する注意喚起' }).waitFor();
  assert.equal(await rows(nisc, 'incident-sitrep').count(), 2);
  const sitrep = await nisc.locator('#incident-sitrep').innerText();
  assert.match(sitrep, /金融/);
  assert.match(sitrep, /電力/);
  assert.equal(await nisc.locator('#stat-reports .big').innerText(), '2');
  assert.match(await nisc.locator('#incident-reports').innerText(), /第一テスト銀行/);
  await shot(nisc, 'incident-ja');
  const incidentUrl = nisc.url();

  // An operator of the electricity sector sees the incident and what it may read of it.
  const op = await newPage(browser, 'ja');
  await signIn(op, srv.base, 'power1');
  await op.goto(srv.base + '/#/incidents');
  await op.locator('#incidents-open a', { hasText: '関東広域停電' }).click();
  await op.locator('#page-title', { hasText: '関東広域停電' }).waitFor();
  await op.locator('#incident-sitrep tbody tr').first().waitFor();
  const opSitrep = await op.locator('#incident-sitrep').innerText();
  assert.match(opSitrep, /電力/);
  assert.doesNotMatch(opSitrep, /金融/); // the bank's AMBER report stays within its CEPTOAR
  assert.doesNotMatch(await op.locator('#incident-reports').innerText(), /ATM 網の停止/);
  assert.match(await op.locator('#incident-alerts').innerText(), /広域停電に関する注意喚起/); // received by its org
  assert.equal(await op.locator('#link-report').count(), 0);
  assert.equal(await op.getByRole('button', { name: '事案を終了する' }).count(), 0);
  await shot(op, 'incident-operator-ja');

  // NISC closes it; the operator's list shows it as closed.
  await nisc.goto(incidentUrl);
  await nisc.getByRole('button', { name: '事案を終了する' }).click();
  await nisc.locator('.sp-confirm').waitFor();
  // the confirmation takes the focus (once it has rendered)
  await waitFor('the focus on the confirmation', async () =>
    (await nisc.evaluate(() => document.activeElement && document.activeElement.textContent)) === '終了する', 3000);
  await nisc.keyboard.press('Enter');
  await nisc.locator('.notice', { hasText: '平時の体制に戻っています' }).waitFor();
  assert.equal(await nisc.locator('#link-report').count(), 0);
  await op.goto(srv.base + '/#/incidents');
  await op.locator('#incidents-closed a', { hasText: '関東広域停電' }).waitFor();
  assert.match(await op.locator('#incidents-open').innerText(), /対応中の大規模障害はありません/);
  await shot(op, 'incidents-ja');
  expectRefused(nisc, 400, 1); // ack_hours 100
  assertClean(nisc, 'NISC');
  assertClean(op, 'the operator');
});

test('common threats: NISC sees reports, the council sees counts, NISC excludes a value', async () => {
  // The reports of the incident test share 192.0.2.77 across finance and
  // electricity; one more value for the exclusion.
  await apiCall(srv, tok.banka1, 'POST', '/reports', {
    title: 'DNS の異常', description: 'x', status: 'first', occurred_at: '2026-11-21T01:00:00Z',
    detected_at: '2026-11-21T01:10:00Z', cause_category: 'intentional',
    indicators: [{ type: 'domain', value: 'resolver.example' }], tlp: 'GREEN', scope: 'all',
  });
  await apiCall(srv, tok.power1, 'POST', '/reports', {
    title: 'DNS の遅延', description: 'x', status: 'first', occurred_at: '2026-11-21T01:00:00Z',
    detected_at: '2026-11-21T01:10:00Z', cause_category: 'intentional',
    indicators: [{ type: 'domain', value: 'resolver.example' }], tlp: 'GREEN', scope: 'all',
  });

  const cep = await newPage(browser, 'ja');
  await signIn(cep, srv.base, 'bankcep1');
  await cep.goto(srv.base + '/#/correlations');
  await cep.locator('#corr-table tbody tr', { hasText: 'resolver.example' }).waitFor();
  const heads = (await cep.locator('#corr-table thead th').allInnerTexts()).map((h) => h.trim());
  assert.ok(heads.includes('報告数') && !heads.includes('報告'), heads.join(','));
  assert.equal(await cep.locator('#corr-table a[href^="#/reports/"]').count(), 0);
  assert.equal(await cep.locator('#excl-value').count(), 0);
  assert.match(await cep.locator('main').innerText(), /匿名化/);

  const nisc = await newPage(browser, 'ja');
  await signIn(nisc, srv.base, 'nisc1');
  await nisc.goto(srv.base + '/#/correlations');
  const row = nisc.locator('#corr-table tbody tr', { hasText: '192.0.2.77' });
  await row.waitFor();
  assert.match(await row.innerText(), /金融/);
  assert.match(await row.innerText(), /電力/);
  assert.equal(await row.locator('a[href^="#/reports/"]').count(), 2);
  await shot(nisc, 'correlations-ja');

  // A bad bound shows the server's error at its field.
  await nisc.locator('#corr-max').fill('1');
  await nisc.getByRole('button', { name: '再計算' }).click();
  await nisc.locator('#corr-max-error').waitFor();
  assert.equal(await nisc.locator('#corr-max').inputValue(), '1');
  await nisc.locator('#corr-max').fill('50');
  await nisc.getByRole('button', { name: '再計算' }).click();
  await nisc.locator('#corr-table tbody tr', { hasText: 'resolver.example' }).waitFor();

  // Exclude resolver.example from its row; it stops correlating.
  await nisc.getByRole('button', { name: 'resolver.example を除外リストへ' }).click();
  assert.equal(await nisc.locator('#excl-value').inputValue(), 'resolver.example');
  assert.equal(await nisc.locator('#excl-type').inputValue(), 'domain');
  assert.equal(await nisc.evaluate(() => document.activeElement.id), 'excl-reason');
  await nisc.keyboard.type('社内の共用リゾルバ');
  await nisc.keyboard.press('Enter');
  await nisc.locator('#corr-exclusions tbody tr', { hasText: 'resolver.example' }).waitFor();
  await nisc.locator('#corr-table tbody tr', { hasText: 'resolver.example' }).waitFor({ state: 'detached' });
  assert.match(await nisc.locator('#corr-exclusions').innerText(), /社内の共用リゾルバ/);
  // An empty value is refused, with the reason kept.
  await nisc.locator('#excl-reason').fill('理由だけ');
  await nisc.getByRole('button', { name: '除外リストに追加' }).click();
  await nisc.locator('#excl-value-error').waitFor();
  assert.equal(await nisc.locator('#excl-reason').inputValue(), '理由だけ');
  await shot(nisc, 'correlations-exclusions-ja');

  // The council sees the exclusion list too, and a ministry is told it may not read this.
  await cep.reload();
  await cep.locator('#corr-exclusions tbody tr', { hasText: 'resolver.example' }).waitFor();
  const fsa = await newPage(browser, 'ja');
  await signIn(fsa, srv.base, 'fsa1');
  await fsa.goto(srv.base + '/#/correlations');
  await fsa.locator('.error[role=alert]').waitFor();
  assert.equal(await fsa.locator('#corr-table').count(), 0);
  expectRefused(nisc, 400, 2); // max_records 1, the empty value
  assertClean(nisc, 'NISC');
  for (const p of [cep, fsa]) assertClean(p, 'the space\'s members');
});

test('council, incidents and common threats in English', async () => {
  const page = await newPage(browser, 'en');
  await signIn(page, srv.base, 'nisc1');
  await page.goto(srv.base + '/#/council');
  await page.locator('#council-items a', { hasText: '政府と共有する注意喚起' }).waitFor();
  assert.match(await page.locator('main').innerText(), /Council-only items are not shown to government unless shared/);
  assert.match(await page.locator('#council-items thead').innerText(), /Government/);
  await shot(page, 'council-en');
  await page.goto(srv.base + '/#/incidents');
  await page.locator('#incidents-closed a', { hasText: '関東広域停電' }).click();
  await page.locator('#incident-sitrep tbody tr').first().waitFor();
  assert.match(await page.locator('#incident-sitrep').innerText(), /Finance/);
  assert.match(await page.locator('main').innerText(), /normal mode again/);
  await shot(page, 'incident-en');
  await page.goto(srv.base + '/#/correlations');
  await page.locator('#corr-table tbody tr', { hasText: '192.0.2.77' }).waitFor();
  assert.match(await page.locator('#corr-table').innerText(), /Electric Power/);
  assert.match(await page.locator('#corr-exclusions thead').innerText(), /Reason/);
  await shot(page, 'correlations-en');
  assertClean(page, 'the page');
});
