// exercises.test.mjs - a cross-sector exercise in a real browser: NISC plans
// one (two injects to the finance players: one typed in the MSEL form, one
// imported as CSV), adds BANK-A and POWER-A as players and fsa1 as an
// evaluator, starts it and advances the clock; BANK-A sees the exercise
// banner and the inject in the exercise's inbox, acknowledges it and files a
// report inside the exercise, and none of it shows in its real inbox or
// report list; NISC's live status shows the acknowledgement; fsa1 records an
// observation and reads the after-action report with BANK-A's time to
// acknowledge; the controller edits and skips injects, reveals the cause
// and ends the exercise. Screenshots of the main views.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiCall, assertClean, expectRefused, gotoMenu, newPage, shot, signIn, token, unlabelled, withServer } from './harness.mjs';

let srv;
let browser;

withServer((s, b) => {
  srv = s;
  browser = b;
});

const STAMP = Date.now();
const TITLE = `分野横断的演習 ${STAMP}`;
const INJECT1 = `勘定系システムの異常な通信 ${STAMP}`;
const INJECT2 = `インターネットバンキングへの DDoS ${STAMP}`;
const REPORT = `訓練: 勘定系の障害 ${STAMP}`;

// fetch as the holder of tok inside exercise ex (the header the UI sends)
async function inExercise(tok, ex, path) {
  const r = await fetch(srv.base + '/api/v1' + path, {
    headers: { Authorization: 'Bearer ' + tok, 'X-Ceptoar-Exercise': ex },
  });
  assert.equal(r.status, 200, `${path} in the exercise: ${r.status}`);
  return r.json();
}


test('an exercise from plan to after-action report', async () => {
  // 1. NISC plans the exercise through the pages
  const nisc = await newPage(browser, 'ja');
  await signIn(nisc, srv.base, 'nisc1');
  await gotoMenu(nisc, '/exercises');
  await nisc.locator('#exercises-table').waitFor();
  await nisc.locator('#ex-create summary').click();
  await nisc.locator('#exf-template option').nth(1).waitFor({ state: 'attached' }); // the templates arrived
  assert.deepEqual(await unlabelled(nisc), [], 'every control of the list and the new-exercise form is labelled');
  await shot(nisc, 'exercises-new-ja');
  await nisc.locator('#exf-title').fill(TITLE);
  await nisc.locator('#exf-theme').fill('サイバー攻撃 / cyber attack');
  await nisc.locator('#exf-format').selectOption('functional');
  await nisc.locator('#exf-objectives').fill('受領確認の所要時間を測る\n原因の特定と共有');
  await nisc.locator('#exf-cause').fill('標的型メールによる不正アクセス');
  await nisc.locator('#exf-cause-category').selectOption('intentional');
  await nisc.locator('#ex-create button[type=submit]').click();
  await nisc.waitForURL(/#\/exercises\/[^/]+\/control$/);
  const exId = decodeURIComponent(nisc.url().match(/#\/exercises\/([^/]+)\/control$/)[1]);
  await nisc.locator('#exercise-banner').waitFor();
  await nisc.locator('h1', { hasText: TITLE }).waitFor();
  assert.match(await nisc.locator('#ex-clock-big').innerText(), /^T\+00:00$/);

  // the first inject through the MSEL form
  await nisc.locator('#ex-add-inject summary').click();
  await nisc.locator('#exi-at').fill('T+30m');
  await nisc.locator('#exi-type').fill('alert');
  await nisc.locator('#exi-from').fill('金融庁');
  await nisc.locator('#exi-to').fill('sector:finance');
  await nisc.locator('#exi-title').fill(INJECT1);
  await nisc.locator('#exi-description').fill('勘定系システムから海外の不審なアドレスへの通信が検知されました。状況を確認し報告してください。');
  await nisc.locator('#exi-severity').selectOption('high');
  await nisc.locator('#exi-within').fill('1h');
  await nisc.locator('#exi-form button[type=submit]').click();
  await nisc.locator('#ex-msel tbody tr[data-seq="1"]').waitFor();
  assert.match(await nisc.locator('#ex-msel tbody tr[data-seq="1"]').innerText(), /T\+00:30/);

  // the second one imported as an MSEL in CSV
  const csv = [
    'sequence,scenario_time,inject_type,delivery_method,from,to,description,expected_action,objective,controller,notes,title,expected,respond_within,severity',
    `2,T+1h,alert,inbox,NISC,sector:finance,ネットバンキングの応答が遅延しています。,報告と分野を越えた共有,分野横断的な共有,nisc1,,${INJECT2},ack;report;share,2h,medium`,
  ].join('\n') + '\n';
  await nisc.locator('#ex-msel-file').setInputFiles({ name: 'msel.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await nisc.locator('#ex-msel-import').click();
  await nisc.locator('.notice', { hasText: '1 件の状況付与を取り込みました' }).waitFor();
  await nisc.locator('#ex-msel tbody tr[data-seq="2"]').waitFor();

  // edit the imported inject; add a third one and leave it out
  await nisc.locator('#ex-msel tbody tr[data-seq="2"]').getByRole('button', { name: '状況付与 2 を編集' }).click();
  assert.equal(await nisc.locator('#exi-edit-at').inputValue(), 'T+1h');
  assert.equal(await nisc.locator('#exi-edit-title').inputValue(), INJECT2);
  await nisc.locator('#exi-edit-severity').selectOption('critical');
  await nisc.locator('#exi-edit-form button[type=submit]').click();
  await nisc.locator('.notice', { hasText: '状況付与を保存しました' }).waitFor();
  await nisc.locator('#ex-msel tbody tr[data-seq="2"] .sev-critical').waitFor();
  await nisc.locator('#ex-add-inject summary').click(); // editing closed the new-inject form
  await nisc.locator('#exi-at').fill('T+5h');
  await nisc.locator('#exi-title').fill(`予備の状況付与 ${STAMP}`);
  await nisc.locator('#exi-form button[type=submit]').click();
  const third = nisc.locator('#ex-msel tbody tr[data-seq="3"]');
  await third.waitFor();
  await third.getByRole('button', { name: '状況付与 3 をスキップ' }).click();
  await nisc.locator('#ex-msel tbody tr[data-seq="3"][data-state=skipped]').waitFor();

  // participants: two player organisations and an evaluator
  for (const org of ['BANK-A', 'POWER-A']) {
    await nisc.locator('#ex-m-org').selectOption(org);
    await nisc.locator('#ex-m-add-player').click();
    await nisc.locator('#ex-members tbody tr', { hasText: `(${org})` }).waitFor();
  }
  await nisc.locator('#ex-m-role').selectOption('evaluator');
  await nisc.locator('#ex-m-user').fill('fsa1');
  await nisc.locator('#ex-m-add-user').click();
  await nisc.locator('#ex-members tbody tr', { hasText: 'fsa1' }).waitFor();
  assert.deepEqual(await unlabelled(nisc), [], 'every control of the controller\'s tab is labelled');
  await shot(nisc, 'exercise-control-planned-ja');

  // 2. start, then advance the scenario clock by two hours
  await nisc.locator('#ex-start').click();
  await nisc.locator('#ex-summary [data-state=running]').waitFor();
  await nisc.locator('#ex-advance').fill('2h');
  await nisc.locator('#ex-advance-button').click();
  await nisc.waitForFunction(() => /^T\+0[2-9]:\d\d$/.test(document.querySelector('#ex-clock-big')?.textContent || ''),
    null, { timeout: 10000 });
  await nisc.locator('#ex-msel tbody tr[data-seq="1"][data-state=delivered]').waitFor({ timeout: 10000 });
  await nisc.locator('#ex-msel tbody tr[data-seq="2"][data-state=delivered]').waitFor({ timeout: 10000 });
  await nisc.locator('#ex-msel tbody tr[data-seq="3"][data-state=skipped]').waitFor();
  // pause and resume
  await nisc.locator('#ex-pause').click();
  await nisc.locator('#ex-summary [data-state=paused]').waitFor();
  await nisc.locator('#ex-resume').click();
  await nisc.locator('#ex-summary [data-state=running]').waitFor();

  // 3. BANK-A plays: the banner, the inject in the exercise inbox, an
  // acknowledgement and a report, all inside the exercise
  const bank = await newPage(browser, 'ja');
  await signIn(bank, srv.base, 'banka1');
  await gotoMenu(bank, '/exercises');
  await bank.locator('#exercises-table a', { hasText: TITLE }).click();
  await bank.locator('#ex-play').waitFor();
  const banner = bank.locator('#exercise-banner');
  assert.ok(await banner.isVisible());
  assert.match(await banner.innerText(), /訓練 EXERCISE/);
  assert.doesNotMatch(await bank.locator('main').innerText(), /標的型メールによる不正アクセス/, 'the cause stays hidden');
  const row = bank.locator('#ex-inbox tbody tr', { hasText: INJECT1 });
  await row.waitFor({ timeout: 10000 });
  await bank.locator('#ex-inbox tbody tr', { hasText: INJECT2 }).waitFor();
  await row.getByRole('button', { name: new RegExp(`${INJECT1}.*の内容を表示`) }).click();
  await bank.locator('#ex-delivery', { hasText: '海外の不審なアドレス' }).waitFor();
  assert.deepEqual(await unlabelled(bank), [], 'every control of the player\'s tab is labelled');
  await shot(bank, 'exercise-player-ja');
  await row.locator('button.ex-ack').click();
  await row.locator('.badge-ok', { hasText: '確認済み' }).waitFor();
  // the real report form, in the exercise's world: cause, threat type, an indicator
  await bank.locator('#ex-report-form #rf-title').fill(REPORT);
  await bank.locator('#ex-report-form #rf-description').fill('勘定系サーバーから不審な通信。調査中。');
  await bank.locator('#ex-report-form input[name=cause][value=intentional]').check();
  await bank.locator('#ex-report-form fieldset fieldset input[type=checkbox]').first().check();
  await bank.getByRole('button', { name: '指標を追加' }).click();
  await bank.locator('#rf-ind-value-0').fill('203.0.113.50');
  await bank.locator('#rf-submit').click();
  await bank.locator('.notice', { hasText: '報告を送信しました（訓練）' }).waitFor();
  await bank.locator('#ex-reports tbody tr', { hasText: REPORT }).waitFor({ timeout: 10000 });
  await shot(bank, 'exercise-player-acked-ja');

  // ... and none of it in the real world
  await bank.goto(srv.base + '/#/inbox');
  await bank.locator('#inbox-table').waitFor();
  await bank.waitForTimeout(300);
  assert.doesNotMatch(await bank.locator('#inbox-table').innerText(), new RegExp(String(STAMP)), 'the real inbox has no inject');
  await bank.goto(srv.base + '/#/reports');
  await bank.locator('#reports-table').waitFor();
  assert.doesNotMatch(await bank.locator('#reports-table').innerText(), new RegExp(String(STAMP)), 'the real report list has no exercise report');
  const bt = token(srv, 'banka1');
  const realInbox = await apiCall(srv, bt, 'GET', '/inbox?limit=500');
  assert.equal(realInbox.items.filter((d) => String(d.title_ja || '').includes(String(STAMP))).length, 0);
  const realReports = await apiCall(srv, bt, 'GET', '/reports?limit=500');
  assert.equal(realReports.items.filter((r) => String(r.title).includes(String(STAMP))).length, 0);
  const exInbox = await inExercise(bt, exId, '/inbox?limit=500');
  assert.equal(exInbox.items.filter((d) => String(d.title_ja || d.title_en || '').includes(String(STAMP))).length, 2);
  // POWER-A plays too, but the injects went to the finance sector only
  const pInbox = await inExercise(token(srv, 'power1'), exId, '/inbox?limit=500');
  assert.equal(pInbox.items.length, 0, 'the electricity player got no finance inject');

  // 4. NISC's live status shows BANK-A's acknowledgement and report
  const ackCell = nisc.locator('#ex-status tr[data-org="BANK-A"] [data-col=acked]');
  await nisc.waitForFunction(
    () => document.querySelector('#ex-status tr[data-org="BANK-A"] [data-col=acked]')?.textContent === '1',
    null, { timeout: 10000 },
  );
  assert.equal(await ackCell.innerText(), '1');
  await nisc.waitForFunction(
    () => Number(document.querySelector('#ex-status tr[data-org="BANK-A"] [data-col=reports]')?.textContent) >= 1,
    null, { timeout: 10000 },
  );
  assert.equal(await nisc.locator('#ex-status tr[data-org="POWER-A"] [data-col=acked]').innerText(), '0');
  await shot(nisc, 'exercise-control-running-ja');

  // the controller reveals the cause; the player sees it
  await nisc.locator('#ex-reveal').click();
  await nisc.locator('.notice', { hasText: '原因を明かしました' }).waitFor();
  await bank.goto(`${srv.base}/#/exercises/${encodeURIComponent(exId)}/play`);
  await bank.locator('#ex-revealed', { hasText: '標的型メールによる不正アクセス' }).waitFor({ timeout: 10000 });

  // 5. fsa1 evaluates: an observation and the after-action report
  const fsa = await newPage(browser, 'ja');
  await signIn(fsa, srv.base, 'fsa1');
  await fsa.goto(`${srv.base}/#/exercises/${encodeURIComponent(exId)}`);
  await fsa.locator('#ex-evaluate').waitFor();
  assert.ok(await fsa.locator('#exercise-banner').isVisible());
  await fsa.locator('#exn-org option', { hasText: 'BANK-A' }).waitFor({ state: 'attached' });
  await fsa.locator('#exn-org').selectOption(await fsa.locator('#exn-org option', { hasText: 'BANK-A' }).getAttribute('value'));
  await fsa.locator('#exn-body').fill('第一テスト銀行は状況付与から短時間で受領確認し、第一報を送った。');
  await fsa.locator('#exn-submit').click();
  await fsa.locator('#ex-notes tbody tr', { hasText: '短時間で受領確認' }).waitFor();
  await fsa.locator('#ex-report-rows').waitFor();
  const bankRow = fsa.locator('#ex-report-rows tbody tr', { hasText: INJECT1 }).filter({ hasText: 'BANK-A' });
  await bankRow.waitFor();
  const ack = (await bankRow.locator('[data-col=ack]').innerText()).trim();
  assert.match(ack, /^\d+:\d\d$/, `BANK-A's time to acknowledge is shown (got "${ack}")`);
  assert.match(await fsa.locator('#ex-report-participants').innerText(), /BANK-A/);
  assert.ok(await fsa.locator('#ex-chart svg rect').count() > 0, 'the bar chart is drawn');
  assert.equal(await fsa.locator('#ex-report-html').getAttribute('href'),
    `/api/v1/exercises/${encodeURIComponent(exId)}/report?format=html`);
  assert.deepEqual(await unlabelled(fsa), [], 'every control of the evaluation tab is labelled');
  await shot(fsa, 'exercise-evaluate-ja');

  // 6. the controller ends the exercise; the player can no longer act in it
  await nisc.locator('#ex-end').click();
  await nisc.locator('dialog.confirm[open] .confirm-yes').click();
  await nisc.locator('#ex-summary [data-state=ended]').waitFor();
  await bank.locator('#ex-summary [data-state=ended]').waitFor({ timeout: 10000 });
  assert.equal(await bank.locator('#rf-submit').count(), 0, 'no report form once ended');
  assert.equal(await bank.locator('button.ex-ack').count(), 0, 'no acknowledgement once ended');

  for (const [p, what] of [[nisc, 'nisc1'], [bank, 'banka1'], [fsa, 'fsa1']]) {
    assertClean(p, what);
    await p.context().close();
  }
});

test('the exercise pages in English, and who sees the menu entry', async () => {
  const p = await newPage(browser, 'en');
  await signIn(p, srv.base, 'banka1');
  await gotoMenu(p, '/exercises');
  await p.locator('#exercises-table a').first().click();
  await p.locator('#exercise-banner').waitFor();
  assert.match(await p.locator('#exercise-banner').innerText(), /EXERCISE/);
  await p.locator('#ex-inbox').waitFor();
  assert.match(await p.locator('#ex-play').innerText(), /Exercise inbox/);
  assert.deepEqual(await unlabelled(p), []);
  await shot(p, 'exercise-player-en');
  assertClean(p, 'banka1 en');
  await p.context().close();

  const a = await newPage(browser, 'ja');
  await signIn(a, srv.base, 'audit1');
  assert.equal(await a.locator('nav.mainnav a[href="#/exercises"]').count(), 0, 'auditors have no exercises');
  assertClean(a, 'audit1');
  await a.context().close();
});

// The facility model of the API tests: a plant feeds a substation, which
// feeds an exchange (4 h of battery) serving a bank's core system.
const MODEL = {
  name: '東京の一区画',
  nodes: [
    { id: 'plant', name: '東京 発電所 1', sector: 'electricity', region: '13', layer: 'power/13', source: true, repair_hours: 1 },
    { id: 'sub', name: '東京 変電所 1', sector: 'electricity', region: '13', layer: 'power/13', repair_hours: 2 },
    { id: 'exch', name: '東京 交換局 1', sector: 'info-comm', region: '13', layer: 'comms/13', source: true, repair_hours: 1 },
    { id: 'bank', name: '東京 勘定系 1', sector: 'finance', region: '13', weight: 5, repair_hours: 0.5 },
  ],
  dependencies: [
    { supplier: 'sub', dependent: 'exch', kind: 'power', buffer_hours: 4 },
    { supplier: 'exch', dependent: 'bank', kind: 'communications' },
  ],
  links: [['plant', 'sub']],
};

test('a scenario built from a cascade analysis, and an MSEL with bad rows', async () => {
  const nt = token(srv, 'nisc1');
  const model = await apiCall(srv, nt, 'POST', '/analysis/models?name=tokyo', MODEL);
  let job = await apiCall(srv, nt, 'POST', '/analysis/jobs', {
    kind: 'run', model: model.id,
    options: { scenario: { name: '発電所の停止', horizon_hours: 48, events: [{ node: 'plant', start_hours: 1, duration_hours: 10 }] } },
  });
  for (let i = 0; i < 600 && ['queued', 'running'].includes(job.state); i++) {
    await new Promise((r) => setTimeout(r, 100));
    job = await apiCall(srv, nt, 'GET', '/analysis/jobs/' + job.id);
  }
  assert.equal(job.state, 'done');
  const ex = await apiCall(srv, nt, 'POST', '/exercises', { title: `広域停電の演習 ${STAMP}` });

  const p = await newPage(browser, 'ja');
  await signIn(p, srv.base, 'nisc1');
  await p.goto(`${srv.base}/#/exercises/${encodeURIComponent(ex.id)}/control`);
  await p.locator('#ex-generate summary').click();
  await p.locator('#ex-gen-job').selectOption(job.id);
  await p.locator('#ex-generate button[type=submit]').click();
  await p.locator('#ex-generate .notice', { hasText: '件の状況付与を追加しました' }).waitFor();
  await p.waitForFunction(() => document.querySelectorAll('#ex-msel tbody tr[data-seq]').length >= 2, null, { timeout: 10000 });
  assert.match(await p.locator('#ex-msel').innerText(), /sector:electricity/);
  assert.deepEqual(await unlabelled(p), []);
  await shot(p, 'exercise-generated-ja');

  // an MSEL with two bad rows: nothing imported, each row named
  const before = await p.locator('#ex-msel tbody tr[data-seq]').count();
  const csv = 'sequence,scenario_time,title\n90,T+1x,壊れた行\n91,abc,もう一つ\n';
  await p.locator('#ex-msel-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await p.locator('#ex-msel-import').click();
  await p.locator('#ex-msel-errors li').nth(1).waitFor();
  assert.match(await p.locator('#ex-msel-errors').innerText(), /2 行目[\s\S]*3 行目/);
  assert.equal(await p.locator('#ex-msel tbody tr[data-seq]').count(), before);
  // the browser logs the deliberate 400
  expectRefused(p, 400, 1);
  assertClean(p, 'a bad MSEL import');
  await p.context().close();
});
