// analysis.test.mjs - the interdependency analysis pages in a real browser:
// a model uploaded, a run of the blackout template followed from its
// progress to its chart and propagation chain (in Japanese, and in English
// with a cancelled Monte Carlo, a ranking and an IIM), and an operator told
// that the analysis is not for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, apiCall, expectRefused, newPage, shot, signIn, token, unlabelled, withServer } from './harness.mjs';

let srv;
let browser;
let modelFile;
let modelId;

withServer((s, b) => {
  srv = s;
  browser = b;
  modelFile = join(srv.dir, 'japan.json');
  execFileSync(BIN, ['sim', 'generate', 'japan', '--scale', '0.02', '--out', modelFile], { stdio: 'pipe' });
});

// Start a job on kind's form: fill(page) sets its options.
async function startJob(page, kind, fill) {
  await page.goto(srv.base + '/#/analysis/new');
  await page.locator('#job-kind-' + kind).check();
  if (kind === 'run' || kind === 'sweep' || kind === 'rank') await page.locator('#job-model').selectOption(modelId);
  if (fill) await fill(page);
  await page.locator('form.job-form button[type=submit]').click();
  await page.waitForURL(/#\/analysis\/jobs\/[0-9a-f-]+$/);
  return page.url().split('/').pop();
}

test('an analyst uploads a model and follows a blackout from its progress to its chart and chain (ja)', async () => {
  const page = await newPage(browser, 'ja');
  await signIn(page, srv.base, 'nisc1');

  // upload the model
  await page.goto(srv.base + '/#/analysis/models');
  await page.getByRole('heading', { name: 'モデルのアップロード' }).waitFor();
  assert.deepEqual(await unlabelled(page), []);
  await page.locator('#model-file').setInputFiles(modelFile);
  assert.equal(await page.locator('#model-name').inputValue(), 'japan', 'the name comes from the file');
  await page.locator('#model-name').fill('合成モデル（japan 0.02）');
  await page.getByRole('button', { name: 'アップロード' }).click();
  await page.getByText('モデル「合成モデル（japan 0.02）」を登録しました').waitFor({ timeout: 20000 });
  await page.locator('#analysis-models').getByRole('link', { name: '合成モデル（japan 0.02）', exact: true }).waitFor();

  const tok = token(srv, 'nisc1');
  const models = await apiCall(srv, tok, 'GET', '/analysis/models');
  modelId = models.items[0].id;
  assert.equal(models.items[0].name, '合成モデル（japan 0.02）');

  // a Monte Carlo run keeps the worker busy, so that the next job waits its turn
  const busy = await apiCall(srv, tok, 'POST', '/analysis/jobs',
    { kind: 'run', model: modelId, options: { scenario: 'compound', trials: 2500 } });

  const id = await startJob(page, 'run', async (p) => {
    await p.locator('#job-template').selectOption('blackout');
    await p.getByRole('button', { name: '東京都のみ を入力' }).click();
    assert.equal(await p.locator('#job-regions').inputValue(), '13');
    await p.locator('#job-regions').fill('13,14');
  });
  // the progress while it waits and runs
  const progress = page.locator('progress#job-progress');
  await progress.waitFor();
  assert.equal(await page.getByLabel('進捗').count() >= 1, true, 'the progress bar is labelled');
  assert.match(await page.locator('.job-state').innerText(), /待機中|実行中/);
  await page.getByRole('button', { name: 'ジョブを取り消す' }).waitFor();

  // then the chart of every sector
  const chart = page.locator('#run-timeline');
  await chart.locator('canvas').waitFor({ timeout: 60000 });
  assert.match(await page.locator('.job-state').innerText(), /完了/);
  const series = (await chart.getAttribute('data-series')).split('\n');
  for (const s of ['全体', '電力', '情報通信', '金融', '医療', '水道']) assert.ok(series.includes(s), `series ${s} in ${series}`);
  assert.match(await chart.getAttribute('aria-label'), /稼働率.*電力/);
  const box = await chart.boundingBox();
  assert.ok(box.width > 600 && box.height > 300, 'the chart has room');
  // its tooltip (rich text: nothing inline for the CSP to refuse)
  await chart.hover({ position: { x: box.width / 2, y: box.height / 2 } });
  await page.waitForTimeout(300);

  // the sector table and the propagation chain
  await page.locator('#run-sectors').getByText('電力').first().waitFor();
  const chain = page.locator('#run-chain');
  await chain.waitFor();
  const chainText = await chain.innerText();
  assert.match(chainText, /広域停電: layer power\/13/);
  assert.match(chainText, /配電用変電所/);
  assert.match(chainText, /からの電力が途絶/);

  // every file can be downloaded
  for (const f of ['result.json', 'timeline.csv', 'chain.json', 'chain.txt', 'nodes.csv', 'timeline.svg'])
    await page.getByRole('link', { name: `${f} をダウンロード` }).waitFor();
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'chain.txt をダウンロード' }).click(),
  ]);
  assert.equal(dl.suggestedFilename(), 'chain.txt');
  assert.deepEqual(await unlabelled(page), []);
  await shot(page, 'analysis-result-ja');

  // the list of jobs: both, done
  await page.goto(srv.base + '/#/analysis/jobs');
  const table = page.locator('#analysis-jobs');
  await table.locator(`a[href="#/analysis/jobs/${id}"]`).first().waitFor();
  await table.locator(`a[href="#/analysis/jobs/${busy.id}"]`).first().waitFor();
  assert.equal(await table.locator('tbody tr').count(), 2);
  assert.deepEqual(await unlabelled(page), []);
  assert.match(await table.innerText(), /完了/);
  await shot(page, 'analysis-jobs-ja');

  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the same in English, with a Monte Carlo cancelled, a ranking and an IIM', async () => {
  assert.ok(modelId, 'the model of the first test');
  const page = await newPage(browser, 'en');
  await signIn(page, srv.base, 'nisc1');

  await startJob(page, 'run', async (p) => {
    await p.locator('#job-template').selectOption('blackout');
  });
  const chart = page.locator('#run-timeline');
  await chart.locator('canvas').waitFor({ timeout: 60000 });
  const series = (await chart.getAttribute('data-series')).split('\n');
  for (const s of ['Whole model', 'Electric Power', 'Information and Communications', 'Finance'])
    assert.ok(series.includes(s), `series ${s} in ${series}`);
  const chainText = await page.locator('#run-chain').innerText();
  assert.match(chainText, /lost power from/);
  assert.match(chainText, /広域停電: layer power\/1[0-4]/);
  await page.getByRole('heading', { name: 'Propagation chain' }).waitFor();
  await shot(page, 'analysis-result-en');

  // a long Monte Carlo: its progress, then cancelled
  await startJob(page, 'run', async (p) => {
    await p.locator('#job-template').selectOption('compound');
    await p.locator('#job-trials').fill('20000');
  });
  await page.locator('progress#job-progress').waitFor();
  await page.locator('.job-state').getByText('Running').waitFor({ timeout: 20000 });
  await page.getByRole('button', { name: 'Cancel the job' }).click();
  await page.locator('.job-state').getByText('Cancelled').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('progress#job-progress').count(), 0);

  // a ranking: the bar chart of the most damaging losses
  await startJob(page, 'rank', async (p) => { await p.locator('#job-top').fill('10'); });
  await page.locator('#rank-chart canvas').waitFor({ timeout: 30000 });
  assert.equal((await page.locator('#rank-chart').getAttribute('data-series')).split('\n').length, 10);
  await page.locator('#rank-chart').hover({ position: { x: 300, y: 40 } });
  await page.waitForTimeout(300);
  await page.setViewportSize({ width: 820, height: 1180 }); // a tablet: the chart follows
  await page.waitForTimeout(300);
  assert.ok((await page.locator('#rank-chart canvas').boundingBox()).width < 800);
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.equal(await page.locator('#rank-table tbody tr').count(), 10);

  // an IIM on the illustrative matrix, and a server's refusal shown with its field
  await startJob(page, 'iim');
  await page.locator('#iim-chart canvas').waitFor({ timeout: 30000 });
  assert.match(await page.locator('#iim-table').innerText(), /Electric Power/);
  await page.goto(srv.base + '/#/analysis/new');
  for (const k of ['run', 'sweep', 'rank', 'iim', 'diim']) {
    await page.locator('#job-kind-' + k).check();
    assert.deepEqual(await unlabelled(page), [], 'the form of ' + k);
  }
  await page.locator('#job-kind-sweep').check();
  await page.locator('#job-model').selectOption(modelId);
  await page.locator('#job-layer').fill('power/99');
  await page.locator('#job-advanced').fill('{"trials": 2}');
  await page.locator('form.job-form button[type=submit]').click();
  // a sweep over a layer that does not exist fails in the worker: its error is shown
  await page.waitForURL(/#\/analysis\/jobs\//);
  await page.getByText('The job failed').waitFor({ timeout: 20000 });
  assert.match(await page.locator('.job-status').innerText(), /power\/99/);
  // an option the server refuses: the message, what was typed kept
  await page.goto(srv.base + '/#/analysis/new');
  await page.locator('#job-kind-sweep').check();
  assert.equal(await page.locator('#job-layer').inputValue(), 'power/99', 'the form is kept');
  await page.locator('#job-advanced').fill('{"bogus": 1}');
  const before400 = page.problems.length;
  await page.locator('form.job-form button[type=submit]').click();
  await page.locator('.error[role=alert]').first().waitFor();
  // the browser logs the refusal (400) that this step asked for
  expectRefused(page, 400, 1, before400);
  assert.match(await page.locator('.error[role=alert]').first().innerText(), /bogus/);
  assert.equal(await page.locator('#job-advanced').inputValue(), '{"bogus": 1}');

  // the model's page, and deleting it (its jobs stay)
  await page.goto(srv.base + '/#/analysis/models');
  await page.locator('#analysis-models').getByRole('link', { name: '合成モデル（japan 0.02）', exact: true }).click();
  await page.getByText('SHA-256').waitFor();
  await page.getByRole('button', { name: 'Delete the model', exact: true }).click();
  const dialog = page.locator('dialog.confirm[open]');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByText('The model "合成モデル（japan 0.02）" was deleted.').waitFor();
  await page.waitForURL(/#\/analysis\/models$/);
  await page.locator('#analysis-models').getByText('No models yet.').waitFor();
  await page.goto(srv.base + '/#/analysis/jobs');
  await page.locator('#analysis-jobs tbody tr').nth(5).waitFor(); // the jobs stay
  assert.match(await page.locator('#analysis-jobs').innerText(), /\(model deleted\)/);

  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an operator is told that the analysis is not for its role', async () => {
  const page = await newPage(browser, 'ja');
  await signIn(page, srv.base, 'banka1');
  await page.goto(srv.base + '/#/analysis');
  await page.getByText('相互依存性解析は、NISC、所管省庁、関係機関、セプター事務局の利用者が使えます').waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a sector named like a spreadsheet formula keeps its line on the chart', async () => {
  // timeline.csv marks such a name with an apostrophe for spreadsheets; the
  // page reads the file and must find the sector's column all the same
  const tok = token(srv, 'nisc1');
  const model = await apiCall(srv, tok, 'POST', '/analysis/models?name=formula', {
    name: 'formula',
    nodes: [{ id: 'sub', sector: '=1+1', layer: 'power/13', source: true, repair_hours: 1 },
      { id: 'hosp', sector: 'medical', region: '13' }],
    dependencies: [{ supplier: 'sub', dependent: 'hosp', kind: 'power' }],
  });
  const job = await apiCall(srv, tok, 'POST', '/analysis/jobs', { kind: 'run', model: model.id, options: {
    scenario: { name: 'x', horizon_hours: 10, events: [{ node: 'sub', start_hours: 1, duration_hours: 2 }] } } });
  const page = await newPage(browser, 'ja');
  await signIn(page, srv.base, 'nisc1');
  await page.goto(srv.base + '/#/analysis/jobs/' + job.id);
  const chart = page.locator('#run-timeline');
  await chart.locator('canvas').waitFor({ timeout: 60000 });
  const series = (await chart.getAttribute('data-series')).split('\n');
  assert.ok(series.includes('=1+1'), `series =1+1 in ${series}`);
  assert.ok(series.includes('医療'), `series 医療 in ${series}`);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
