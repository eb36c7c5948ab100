// plans.test.mjs - the action plan's PDCA in a real browser: NISC loads the
// 2008 sample plan (seed 000) from the plans page; fsa1 (金融庁) narrows the
// measures to its own and files a half-yearly progress report on one; NISC
// opens the evaluation form of that measure, sees the ministry's report,
// grades it 「A」 (A with a staffing caveat) and the summary updates to "1 of
// 13 measures"; NISC defines an evaluation indicator and fills two years, and
// the trend chart says it improved; an operator reads the plan without the
// forms, and its report form shows its service's verification level; the
// IT-failure statistics count BANK-A's breach for fsa1. Then NISC corrects a
// plan: a measure's title and owner, a measure added under an empty pillar,
// the plan's title; the 金融庁 sees the plan without any edit control; a
// graded measure is deleted only after the second confirmation.
// Screenshots of the main views.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiCall, assertClean, expectRefused, gotoMenu, newPage, shot, signIn, token, unlabelled, waitFor, withServer } from './harness.mjs';

let srv;
let browser;

withServer((s, b) => {
  srv = s;
  browser = b;
});


const row = (page, code) => page.locator('#plan-measures tbody tr', { hasText: code });

test('a plan from the sample through progress to evaluation', async () => {
  // 1. NISC loads the sample plan
  const nisc = await newPage(browser, 'ja');
  await signIn(nisc, srv.base, 'nisc1');
  await gotoMenu(nisc, '行動計画');
  await nisc.locator('#plan-samples button').click();
  await nisc.waitForURL(/#\/plans\/[^/]+$/);
  const planId = decodeURIComponent(nisc.url().match(/#\/plans\/([^/]+)$/)[1]);
  await nisc.locator('h1', { hasText: '2008年度の取組目標' }).waitFor();
  assert.match(await nisc.locator('#plan-headline').innerText(), /13 の具体的施策のうち 0/);
  await nisc.locator('#plan-measures tbody tr').nth(12).waitFor();
  assert.equal(await nisc.locator('#plan-measures tbody tr').count(), 13);
  assert.match(await row(nisc, '①ア)a').innerText(), /2008-09-30/);
  assert.match(await row(nisc, '①ア)a').innerText(), /金融庁/);
  assertClean(nisc, 'NISC, the loaded plan');

  // 2. the 金融庁 files progress on one of its measures
  const fsa = await newPage(browser, 'ja');
  await signIn(fsa, srv.base, 'fsa1');
  await fsa.goto(srv.base + '/#/plans/' + encodeURIComponent(planId));
  await fsa.locator('#plan-measures tbody tr').nth(12).waitFor();
  await fsa.locator('#plan-mine').check();
  await fsa.waitForFunction(() => document.querySelectorAll('#plan-measures tbody tr').length === 5);
  // NISC's own measures offer the ministry no progress form
  await row(fsa, '①ア)a').locator('button[data-act=progress]').click();
  await fsa.locator('#progress-form').waitFor();
  assert.deepEqual(await unlabelled(fsa), [], 'every control of the measures and the progress form is labelled');
  await fsa.locator('#pf-year').fill('2008');
  await fsa.locator('#pf-half').selectOption('H1');
  await fsa.locator('#pf-status').selectOption('delayed');
  await fsa.locator('#pf-note').fill('金融分野の安全基準等の確認・検証は10月にずれ込む見込み');
  await fsa.locator('#progress-form button[type=submit]').click();
  await fsa.locator('#progress-form .notice', { hasText: '進捗を報告しました' }).waitFor();
  await row(fsa, '①ア)a').filter({ hasText: '遅れ' }).waitFor();
  // a bad year is refused with the field marked, nothing stored
  await fsa.locator('#pf-year').fill('1999');
  await fsa.locator('#progress-form button[type=submit]').click();
  await fsa.locator('#pf-year[aria-invalid=true]').waitFor();
  expectRefused(fsa, 400, 1);
  await shot(fsa, 'plans-progress-ja');
  assertClean(fsa, 'the ministry filing progress');

  // 3. NISC evaluates the measure; the summary updates
  await nisc.reload();
  await row(nisc, '①ア)a').filter({ hasText: '遅れ' }).waitFor();
  await row(nisc, '①ア)a').locator('button[data-act=evaluate]').click();
  await nisc.locator('#eval-form').waitFor();
  assert.match(await nisc.locator('#eval-form').innerText(), /10月にずれ込む/);
  await nisc.locator('#ef-grade option[value="A-staffing"]').waitFor({ state: 'attached' });
  await nisc.locator('#ef-grade').selectOption('A-staffing');
  await nisc.locator('#ef-comment').fill('予定どおり推進できたが、所管省庁の体制に課題');
  await nisc.locator('#eval-form button[type=submit]').click();
  await nisc.locator('#eval-form .notice', { hasText: '評価を保存しました' }).waitFor();
  await nisc.locator('#plan-headline', { hasText: '13 の具体的施策のうち 1 (約7.7%)' }).waitFor();
  assert.equal((await nisc.locator('.grade-card[data-grade="A-staffing"] .big').innerText()).trim(), '1');
  assert.match(await row(nisc, '①ア)a').innerText(), /「A」/);
  await shot(nisc, 'plans-evaluate-ja');

  // 4. an evaluation indicator with two years: its trend
  await nisc.locator('#if-area').fill('重要インフラ');
  await nisc.locator('#if-name-ja').fill('検証レベルを逸脱したIT障害の件数');
  await nisc.locator('#if-name-en').fill('IT failures beyond a verification level');
  await nisc.locator('#if-unit').fill('件');
  await nisc.locator('#if-better').selectOption('lower');
  await nisc.locator('#ind-form button[type=submit]').click();
  await nisc.locator('.indicator h3', { hasText: '検証レベルを逸脱したIT障害の件数' }).waitFor();
  for (const [year, value] of [['2007', '12'], ['2008', '9']]) {
    await nisc.locator('#iv-year').fill(year);
    await nisc.locator('#iv-value').fill(value);
    await nisc.locator('#ind-value-form button[type=submit]').click();
    await nisc.locator('.indicator svg.trend text', { hasText: year }).first().waitFor();
  }
  await nisc.locator('.indicator .trend-text', { hasText: '改善' }).waitFor();
  assert.match(await nisc.locator('.indicator .trend-text').innerText(), /低下 \(-3\)/);
  assert.deepEqual(await unlabelled(nisc), [], 'every control of the evaluation and indicator forms is labelled');
  await shot(nisc, 'plans-indicators-ja');
  assertClean(nisc, 'NISC evaluating');

  // 5. in English, and as an operator: the plan without the forms
  const op = await newPage(browser, 'en');
  await signIn(op, srv.base, 'banka1');
  await gotoMenu(op, 'Action plan');
  await op.locator('#plans-table a').first().click();
  await op.locator('#plan-headline', { hasText: '1 of 13 measures, 7.7%, as planned' }).waitFor();
  assert.equal(await op.locator('#plan-measures button[data-act]').count(), 0);
  assert.equal(await op.locator('#ind-form').count(), 0);
  assert.equal(await op.locator('nav.mainnav a', { hasText: 'IT-failure statistics' }).count(), 0);
  await shot(op, 'plans-operator-en');
  assertClean(op, 'an operator reading the plan');

  // 6. BANK-A's report form shows its service's verification level beside the
  // breach box; the IT-failure statistics count BANK-A's breach for the 金融庁
  const svc = await apiCall(srv, token(srv, 'admin1'), 'POST', '/orgs/BANK-A/services', {
    name_ja: '勘定系サービス', service_level: '24時間365日', verification_level: '2時間以上の全面停止',
  });
  await op.goto(srv.base + '/#/reports/new');
  await op.locator(`#rf-service option[value="${svc.id}"]`).waitFor({ state: 'attached' });
  await op.locator('#rf-service').selectOption(svc.id);
  await op.locator('#rf-vlevel', { hasText: '2時間以上の全面停止' }).waitFor();
  assertClean(op, 'the report form');
  await apiCall(srv, token(srv, 'banka1'), 'POST', '/reports', {
    title: '勘定系の停止 (検証レベル逸脱)', status: 'first', occurred_at: '2025-05-10T10:00:00+09:00',
    cause_category: 'unintentional', verification_breached: true, tlp: 'AMBER', scope: 'ministry',
  });
  await gotoMenu(fsa, 'IT障害統計');
  await fsa.locator('#st-year').selectOption('2025');
  await fsa.locator('#stats-total', { hasText: '合計 1 件' }).waitFor();
  assert.match(await fsa.locator('#stats-table tbody').innerText(), /金融[\s\S]*1/);
  assert.deepEqual(await unlabelled(fsa), [], 'every control of the statistics is labelled');
  await shot(fsa, 'statistics-ja');
  assertClean(fsa, 'the statistics');
});

test('NISC corrects a plan; a ministry sees no edit controls', async () => {
  const plan = await apiCall(srv, token(srv, 'nisc1'), 'POST', '/plans', {
    kind: 'yearly', year: 2009, title_ja: '編集する年度計画', pillars: [
      { code: 'A', title_ja: '柱A', measures: [
        { code: 'A-1', title_ja: '誤字のある施策', owners: ['fsa'], deadline: '2009-09-30' }] },
      { code: 'B', title_ja: '柱B' }],
  });
  const nisc = await newPage(browser, 'ja');
  await signIn(nisc, srv.base, 'nisc1');
  await nisc.goto(srv.base + '/#/plans/' + encodeURIComponent(plan.id));
  await row(nisc, 'A-1').waitFor();

  // 1. the measure's title and owner (金融庁 → 経済産業省)
  await row(nisc, 'A-1').locator('button[data-act=edit]').click();
  await nisc.locator('#measure-form input[data-owner="meti"]').waitFor();
  assert.equal(await nisc.locator('#measure-form input[data-owner="fsa"]').isChecked(), true);
  assert.deepEqual(await unlabelled(nisc), [], 'every control of the edit forms is labelled');
  // an empty code is refused with the field marked, nothing stored
  await nisc.locator('#mf-code').fill('');
  await nisc.locator('#measure-form button[type=submit]').click();
  await nisc.locator('#mf-code[aria-invalid=true]').waitFor();
  expectRefused(nisc, 400, 1);
  await nisc.locator('#mf-code').fill('A-1');
  await nisc.locator('#mf-title-ja').fill('誤字を直した施策');
  await nisc.locator('#measure-form input[data-owner="fsa"]').uncheck();
  await nisc.locator('#measure-form input[data-owner="meti"]').check();
  await nisc.locator('#measure-form button[type=submit]').click();
  await row(nisc, 'A-1').filter({ hasText: '誤字を直した施策' }).waitFor();
  assert.match(await row(nisc, 'A-1').innerText(), /経済産業省/);
  assert.doesNotMatch(await row(nisc, 'A-1').innerText(), /金融庁/);
  assert.equal(await nisc.locator('#measure-form').count(), 0);

  // 2. a measure added mid-year under pillar B
  await nisc.locator('#plan-pillars tr[data-pillar="B"] button[data-act=measure-add]').click();
  await nisc.locator('#measure-form input[data-owner="nisc"]').waitFor();
  await nisc.locator('#mf-code').fill('B-1');
  await nisc.locator('#mf-title-ja').fill('年度途中に追加した施策');
  await nisc.locator('#mf-deadline').fill('2010-03-31');
  await nisc.locator('#measure-form input[data-owner="nisc"]').check();
  await nisc.locator('#measure-form button[type=submit]').click();
  await row(nisc, 'B-1').waitFor();
  assert.match(await row(nisc, 'B-1').innerText(), /2010-03-31/);
  await nisc.locator('#plan-headline', { hasText: '2 の具体的施策' }).waitFor();
  assert.match(await nisc.locator('#plan-pillars tr[data-pillar="B"]').innerText(), /1/);

  // 3. pillar B put first, then back below A: the measures' list follows
  const pillarOrder = async () => nisc.locator('#plan-pillars tr[data-pillar]').evaluateAll(
    (rows) => rows.map((r) => r.getAttribute('data-pillar')).join(''));
  assert.equal(await nisc.locator('#plan-pillars tr[data-pillar="A"] button[data-act=pillar-up]').isDisabled(), true);
  await nisc.locator('#plan-pillars tr[data-pillar="B"] button[data-act=pillar-up]').click();
  await waitFor('B first', async () => (await pillarOrder()) === 'BA');
  await waitFor('the measures in the pillars\' order', async () =>
    /B-1[\s\S]*A-1/.test(await nisc.locator('#plan-measures').innerText()));
  assert.equal(await nisc.locator('#plan-pillars tr[data-pillar="B"] button[data-act=pillar-up]').isDisabled(), true);
  await nisc.locator('#plan-pillars tr[data-pillar="B"] button[data-act=pillar-down]').click();
  await waitFor('A first again', async () => (await pillarOrder()) === 'AB');

  // 3b. a second measure of pillar B moved above the first, and back; a
  // pillar's first measure has no ↑, its last no ↓, a lone one neither
  const pillarB = (await apiCall(srv, token(srv, 'nisc1'), 'GET', `/plans/${plan.id}`)).pillars
    .find((p) => p.code === 'B');
  await apiCall(srv, token(srv, 'nisc1'), 'POST', `/plans/${plan.id}/pillars/${pillarB.id}/measures`, {
    code: 'B-2', title_ja: '二つ目の施策', owners: ['nisc'], deadline: '2010-03-31',
  });
  await nisc.reload();
  await row(nisc, 'B-2').waitFor();
  const measureOrder = async () => nisc.locator('#plan-measures tbody tr').evaluateAll(
    (rows) => rows.map((r) => r.innerText.match(/[AB]-\d/)[0]).join(' '));
  const disabled = async (code, act) => row(nisc, code).locator(`button[data-act=${act}]`).isDisabled();
  assert.equal(await measureOrder(), 'A-1 B-1 B-2');
  assert.deepEqual([await disabled('A-1', 'measure-up'), await disabled('A-1', 'measure-down')], [true, true]);
  assert.deepEqual([await disabled('B-1', 'measure-up'), await disabled('B-2', 'measure-down')], [true, true]);
  await row(nisc, 'B-2').locator('button[data-act=measure-up]').click();
  await waitFor('B-2 above B-1', async () => (await measureOrder()) === 'A-1 B-2 B-1');
  assert.deepEqual([await disabled('B-2', 'measure-up'), await disabled('B-1', 'measure-down')], [true, true]);
  const stored = (await apiCall(srv, token(srv, 'nisc1'), 'GET', `/plans/${plan.id}/measures`)).items;
  assert.deepEqual(stored.map((m) => m.code), ['A-1', 'B-2', 'B-1'], 'the server keeps the new order');
  await row(nisc, 'B-2').locator('button[data-act=measure-down]').click();
  await waitFor('B-1 first again', async () => (await measureOrder()) === 'A-1 B-1 B-2');
  // on the list of one's own measures the order cannot be told: no ↑ ↓
  await nisc.locator('#plan-mine').check();
  await row(nisc, 'B-2').waitFor();
  assert.equal(await nisc.locator('#plan-measures button[data-act=measure-up]').count(), 0);
  await nisc.locator('#plan-mine').uncheck();
  await row(nisc, 'A-1').waitFor();
  await apiCall(srv, token(srv, 'nisc1'), 'DELETE', `/plans/${plan.id}/measures/${
    stored.find((m) => m.code === 'B-2').id}`);
  await nisc.reload();
  await row(nisc, 'B-1').waitFor();
  assert.equal(await row(nisc, 'B-2').count(), 0);

  // 4. the plan's title
  await nisc.locator('#plan-edit').click();
  await nisc.locator('#pe-title-ja').fill('直した年度計画');
  await nisc.locator('#plan-edit-form button[type=submit]').click();
  await nisc.locator('h1', { hasText: '直した年度計画' }).waitFor();
  await shot(nisc, 'plans-edit-ja');
  assertClean(nisc, 'NISC editing a plan');

  // 5. the 金融庁 reads the corrected plan without edit controls
  const fsa = await newPage(browser, 'ja');
  await signIn(fsa, srv.base, 'fsa1');
  await fsa.goto(srv.base + '/#/plans/' + encodeURIComponent(plan.id));
  await row(fsa, 'B-1').waitFor();
  assert.match(await row(fsa, 'A-1').innerText(), /誤字を直した施策/);
  assert.equal(await fsa.locator('#plan-measures button[data-act=edit], #plan-measures button[data-act=delete], '
    + '#plan-measures button[data-act=measure-up], #plan-measures button[data-act=measure-down]').count(), 0);
  assert.equal(await fsa.locator('#plan-pillars, #plan-edit, #measure-form, #pillar-add').count(), 0);
  assertClean(fsa, 'a ministry reading the corrected plan');

  // 6. NISC deletes the graded measure: refused first, then with its grade
  const b1 = (await apiCall(srv, token(srv, 'nisc1'), 'GET', `/plans/${plan.id}/measures`)).items
    .find((m) => m.code === 'B-1');
  await apiCall(srv, token(srv, 'nisc1'), 'POST', `/plans/${plan.id}/measures/${b1.id}/evaluation`, { grade: 'A' });
  await nisc.reload();
  await row(nisc, 'B-1').locator('button[data-act=delete]').click();
  await nisc.locator('#measure-delete-confirm').click();
  await nisc.locator('#measure-delete-force').click();
  await nisc.locator('#plan-headline', { hasText: '1 の具体的施策' }).waitFor();
  assert.equal(await row(nisc, 'B-1').count(), 0);
  expectRefused(nisc, 409, 1); // the refusal asked for
  assertClean(nisc, 'NISC deleting a graded measure');
});
