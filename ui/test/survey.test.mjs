// survey.test.mjs - a penetration survey (浸透状況調査) in a real browser:
// NISC opens the finance survey of a year through the pages (threshold 2),
// BANK-A and BANK-B answer their questionnaires and submit, BANK-A sees the
// survey in its inbox; the finance ministry and NISC read the aggregate with
// its chart; when NISC raises the threshold above the respondents the
// aggregate is withheld. Also the Guideline page: the tree with its marks and
// a sector's coverage matrix. Screenshots of the main views.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClean, expectRefused, gotoMenu, newPage, shot, signIn, unlabelled, withServer } from './harness.mjs';

let srv;
let browser;

withServer((s, b) => {
  srv = s;
  browser = b;
});

async function openSurvey(page, id) {
  await gotoMenu(page, '/surveys');
  await page.locator('#surveys-table').waitFor();
  await page.locator(`#surveys-table tr[data-id="${id}"] a`).click();
  await page.locator('#sv-state').waitFor();
}

async function answerAll(page, status) {
  await page.locator('.sv-questions > li').first().waitFor(); // the questions load after the survey
  const n = await page.locator('.sv-questions > li').count();
  assert.equal(n, 24, 'the questionnaire has the 24 marked items of the Guideline');
  for (let i = 0; i < n; i++) {
    await page.locator(`#sv-q-${i}`).selectOption(status);
    await page.locator(`#sv-e-${i}`).fill(`規程 第${i + 1}条`);
  }
  await page.locator('#sv-submit').click();
  await page.locator('#sv-msg').waitFor();
}

test('a penetration survey from opening to the aggregate', async () => {
  // 1. NISC opens the finance survey
  const nisc = await newPage(browser, 'ja');
  await signIn(nisc, srv.base, 'nisc1');
  await gotoMenu(nisc, '浸透状況調査');
  await nisc.locator('#surveys-table').waitFor();
  await nisc.locator('#sv-create summary').click();
  await nisc.locator('#svf-sector option[value="finance"]').waitFor({ state: 'attached' });
  assert.deepEqual(await unlabelled(nisc), [], 'every control of the list and the form is labelled');
  await nisc.locator('#svf-sector').selectOption('finance');
  await nisc.locator('#svf-year').fill('2026');
  await nisc.locator('#svf-deadline').fill('2099-03-31T17:00');
  await nisc.locator('#svf-min').fill('2');
  await nisc.locator('#svf-remind').fill('0');
  await nisc.locator('#sv-create button[type=submit]').click();
  await nisc.waitForURL(/#\/surveys\/[^/]+$/);
  const id = decodeURIComponent(nisc.url().match(/#\/surveys\/([^/]+)$/)[1]);
  await nisc.locator('#sv-respondents tbody tr').nth(2).waitFor();
  assert.equal(await nisc.locator('#sv-respondents tbody tr').count(), 3, 'the three finance operators are asked');
  await nisc.locator('#sv-withheld').waitFor(); // nobody has answered yet
  await shot(nisc, 'survey-opened-ja');
  assertClean(nisc, 'NISC opening');

  // 2. BANK-A finds it in its inbox and answers
  const a = await newPage(browser, 'ja');
  await signIn(a, srv.base, 'banka1');
  await gotoMenu(a, '受信箱');
  await a.locator('main', { hasText: '【浸透状況調査】' }).waitFor();
  await openSurvey(a, id);
  assert.equal(await a.locator('#sv-respondents').count(), 0, 'an operator does not see who else answered');
  assert.equal(await a.locator('#sv-results').count(), 0, 'an operator does not see the aggregate');
  await answerAll(a, 'implemented');
  assert.match(await a.locator('#sv-msg').innerText(), /提出しました/);
  await a.locator('#sv-own').waitFor();
  assert.match(await a.locator('#sv-own').innerText(), /100\.0%、成長段階 4/);
  await shot(a, 'survey-questionnaire-ja');
  assertClean(a, 'BANK-A answering');

  // 3. BANK-B answers in English
  const b = await newPage(browser, 'en');
  await signIn(b, srv.base, 'bankb1');
  await openSurvey(b, id);
  assert.deepEqual(await unlabelled(b), [], 'every control of the questionnaire is labelled');
  await answerAll(b, 'partly');
  assert.match(await b.locator('#sv-msg').innerText(), /Submitted/);
  assertClean(b, 'BANK-B answering');

  // 4. the ministry sees the aggregate with its chart
  const fsa = await newPage(browser, 'ja');
  await signIn(fsa, srv.base, 'fsa1');
  await openSurvey(fsa, id);
  await fsa.locator('#sv-overall').waitFor();
  assert.match(await fsa.locator('#sv-overall').innerText(), /浸透率 50\.0%/);
  assert.equal(await fsa.locator('#sv-chart g').count(), 9, 'a bar for each of the 4 pillars and 5 priority items');
  assert.match(await fsa.locator('#sv-items tr[data-q="II.6.1.b.i"]').innerText(), /50\.0%\s+100\.0%/);
  await shot(fsa, 'survey-results-ja');
  assertClean(fsa, 'the ministry reading');

  // 5. NISC sees it too, then raises the threshold above the respondents: withheld
  await nisc.reload();
  await nisc.locator('#sv-overall').waitFor();
  assert.match(await nisc.locator('#sv-respondents').innerText(), /BANK-A[\s\S]*BANK-B/);
  await nisc.locator('#sv-min').fill('3');
  await nisc.locator('#sv-set-min').click();
  await nisc.locator('#sv-withheld').waitFor();
  assert.match(await nisc.locator('#sv-withheld').innerText(), /提出 2 事業者\(最小回答数 3\)/);
  assert.equal(await nisc.locator('#sv-chart').count(), 0, 'no chart while withheld');
  await fsa.reload();
  await fsa.locator('#sv-withheld').waitFor();
  assertClean(nisc, 'NISC withholding');
});

test('the Guideline with its marks and a sector coverage matrix', async () => {
  const fsa = await newPage(browser, 'ja');
  await signIn(fsa, srv.base, 'fsa1');
  await gotoMenu(fsa, '安全基準等');
  await fsa.locator('#gl-tree').waitFor();
  assert.match(await fsa.locator('#gl-counts').innerText(), /要検討事項 22、参考事項 2/);
  assert.equal(await fsa.locator('#gl-tree .gl-mark[data-mark="must"]').count(), 22);
  assert.equal(await fsa.locator('#gl-tree .gl-mark[data-mark="reference"]').count(), 2);
  await fsa.locator('#gl-sector').selectOption('finance');
  await fsa.locator('#gl-matrix').waitFor();
  await fsa.locator('#gl-doc-add summary').click();
  assert.deepEqual(await unlabelled(fsa), [], 'every control of the Guideline page is labelled');
  await fsa.locator('#gld-kind').selectOption('recommended');
  await fsa.locator('#gld-owner').fill('FISC');
  await fsa.locator('#gld-title').fill('金融機関等コンピュータシステムの安全対策基準');
  await fsa.locator('#gld-public').uncheck();
  await fsa.locator('#gld-items').fill('II.6.1.a.i, II.6.1.b.i');
  await fsa.locator('#gl-doc-add button[type=submit]').click();
  await fsa.locator('#gld-reason-error').waitFor(); // a non-public document must say why
  expectRefused(fsa, 400, 1); // that refusal, expected
  await fsa.locator('#gld-reason').fill('攻撃の手掛かりとなる手順を含むため');
  await fsa.locator('#gl-doc-add button[type=submit]').click();
  await fsa.locator('#gl-matrix th', { hasText: '金融機関等コンピュータシステムの安全対策基準' }).waitFor();
  assert.match(await fsa.locator('#gl-coverage-sum').innerText(), /22 項目のうち 2 項目/);
  await shot(fsa, 'guideline-coverage-ja');
  assertClean(fsa, 'the Guideline page');
});
