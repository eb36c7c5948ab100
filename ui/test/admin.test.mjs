// admin.test.mjs - the administration pages in a real browser: users
// created, edited, disabled and enabled again; a token issued in the UI
// that works against the API until it is revoked in the UI (then 401); the
// audit trail showing the revocation and its hash chain verified intact;
// an auditor seeing only the audit trail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { PASSWORD, apiCall, assertClean, expectRefused, newPage, shot, signIn, unlabelled, withServer } from './harness.mjs';

let srv;
let browser;

function hasSqlite() {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'pipe' });
    return true;
  } catch (e) {
    return false;
  }
}

withServer((s, b) => {
  srv = s;
  browser = b;
});

async function status(tok, path) {
  const r = await fetch(srv.base + '/api/v1' + path, { headers: { Authorization: 'Bearer ' + tok } });
  return r.status;
}

test('an administrator manages users, issues a token and revokes it; the audit trail shows it, intact', async () => {
  const page = await newPage(browser, 'ja');
  await signIn(page, srv.base, 'admin1');

  // users
  await page.goto(srv.base + '/#/admin/users');
  const users = page.locator('#admin-users');
  await users.locator('strong', { hasText: /^nisc1$/ }).waitFor();
  assert.match(await users.innerText(), /監査担当/);
  await shot(page, 'admin-users-ja');
  assert.deepEqual(await unlabelled(page), []);

  await page.getByRole('button', { name: 'ユーザーを作成' }).click();
  assert.deepEqual(await unlabelled(page), [], 'the form to create a user');
  await page.locator('#nu-name').fill('mic2');
  await page.locator('#nu-display').fill('総務省 担当');
  await page.locator('#nu-org').fill('mic');
  await page.locator('#nu-role').selectOption('ministry');
  await page.locator('#nu-password').fill(PASSWORD);
  await page.locator('#nu-password2').fill(PASSWORD + 'x');
  await page.getByRole('button', { name: '作成', exact: true }).click();
  await page.getByText('確認用のパスワードが一致しません。').first().waitFor();
  assert.equal(await page.locator('#nu-name').inputValue(), 'mic2', 'what was typed is kept');
  await page.locator('#nu-password2').fill(PASSWORD);
  // the server's refusal, beside its field, with what was typed kept
  await page.locator('#nu-org').fill('no-such-org');
  const before = page.problems.length;
  await page.getByRole('button', { name: '作成', exact: true }).click();
  await page.locator('#nu-org-error').waitFor();
  assert.match(await page.locator('.error[role=alert]').first().innerText(), /org/);
  expectRefused(page, 422, 1, before);
  assert.equal(await page.locator('#nu-password').inputValue(), PASSWORD);
  await page.locator('#nu-org').fill('mic');
  await page.getByRole('button', { name: '作成', exact: true }).click();
  await page.getByText('ユーザー「mic2」を作成しました。').waitFor();
  await users.locator('strong', { hasText: /^mic2$/ }).waitFor();

  // edit: the display name and the role
  await page.getByRole('button', { name: 'mic2 を編集' }).click();
  assert.deepEqual(await unlabelled(page), [], 'the form to edit a user');
  await page.locator('#eu-display').fill('総務省 情報担当');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('ユーザー「mic2」を更新しました。').waitFor();
  await users.getByText('総務省 情報担当').waitFor();

  // disable (after a confirmation) and enable again
  await page.getByRole('button', { name: 'mic2 を無効化' }).click();
  const dialog = page.locator('dialog.confirm[open]');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /「mic2」を無効にします/);
  await dialog.getByRole('button', { name: '無効化' }).click();
  await page.getByText('ユーザー「mic2」を無効にしました。').waitFor();
  await page.getByRole('button', { name: 'mic2 を有効化' }).click();
  await page.getByText('ユーザー「mic2」を有効にしました。').waitFor();

  // tokens: issue one for nisc1, shown once
  await page.goto(srv.base + '/#/admin/tokens');
  await page.locator('#admin-tokens').waitFor();
  await page.locator('#tok-user').fill('nisc1');
  await page.locator('#tok-label').fill('連携テスト');
  await page.locator('#tok-days').fill('7');
  await page.getByRole('button', { name: '発行', exact: true }).click();
  const secretBox = page.locator('#token-secret');
  await secretBox.waitFor();
  assert.match(await secretBox.innerText(), /今しか表示されません/);
  const secret = await page.locator('#token-secret-value').inputValue();
  assert.match(secret, /^cep_/);
  const me = await apiCall(srv, secret, 'GET', '/me');
  assert.equal(me.name, 'nisc1', 'the token works against the API');
  const tokens = page.locator('#admin-tokens');
  await tokens.getByText('連携テスト').waitFor();
  await shot(page, 'admin-tokens-ja');
  assert.deepEqual(await unlabelled(page), []);
  await page.getByRole('button', { name: '保管しました（閉じる）' }).click();
  assert.equal(await secretBox.count(), 0, 'the secret is gone once closed');

  // revoke it, after a confirmation that can be cancelled
  const revoke = page.getByRole('button', { name: 'nisc1 のトークン「連携テスト」を失効' });
  await revoke.click();
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' }).catch(() => {});
  assert.equal(await page.locator('dialog.confirm[open]').count(), 0, 'Escape cancels');
  assert.equal(await status(secret, '/me'), 200, 'still valid after cancelling');
  await revoke.click();
  await dialog.getByRole('button', { name: '失効' }).click();
  await page.getByText('トークン「連携テスト」を失効させました。').waitFor();
  const row = tokens.locator('tr', { hasText: '連携テスト' });
  await row.getByText('失効', { exact: true }).waitFor();
  assert.equal(await status(secret, '/me'), 401, 'the revoked token is refused');

  // the audit trail shows the revocation; the chain is intact
  await page.goto(srv.base + '/#/admin/audit');
  const audit = page.locator('#admin-audit');
  await audit.getByText('token.revoke').first().waitFor();
  assert.match(await audit.locator('tbody tr').first().innerText(), /token\.revoke/);
  await page.locator('#audit-action').fill('token');
  await page.getByRole('button', { name: '絞り込む' }).click();
  await audit.getByText('token.issue').first().waitFor();
  const actions = await audit.locator('tbody tr').allInnerTexts();
  assert.ok(actions.every((r) => /token\./.test(r)), 'only token actions');
  await page.getByRole('button', { name: 'ハッシュチェーンを検証' }).click();
  await page.locator('#audit-verify-result').getByText('ハッシュチェーンは完全です').waitFor();
  await shot(page, 'admin-audit-ja');
  assert.deepEqual(await unlabelled(page), []);

  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an auditor sees only the audit trail (en)', async () => {
  const page = await newPage(browser, 'en');
  await signIn(page, srv.base, 'audit1');
  await page.goto(srv.base + '/#/admin/users');
  await page.locator('#admin-audit').waitFor();
  const tabs = page.getByRole('navigation', { name: 'Administration pages' });
  assert.deepEqual(await tabs.getByRole('link').allInnerTexts(), ['Audit trail']);
  await page.getByText('Auditors see the audit trail only.').waitFor();
  await page.getByRole('button', { name: 'Verify the hash chain' }).click();
  await page.locator('#audit-verify-result').getByText('The hash chain is intact').waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an operator is told that administration is not for it', async () => {
  const page = await newPage(browser, 'ja');
  await signIn(page, srv.base, 'banka1');
  await page.goto(srv.base + '/#/admin/users');
  await page.getByText('管理のページは管理者と監査担当が使えます。').waitFor();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

// Last: it breaks the trail of this server's database.
test('an edited audit entry is shown where the chain breaks', { skip: !hasSqlite() && 'no sqlite3 command' }, async () => {
  execFileSync('sqlite3', [srv.db, "UPDATE audit SET detail = '{\"edited\":true}' WHERE seq = 3"], { stdio: 'pipe' });
  const page = await newPage(browser, 'ja');
  await signIn(page, srv.base, 'admin1');
  await page.goto(srv.base + '/#/admin/audit');
  await page.locator('#admin-audit').waitFor();
  const before = page.problems.length;
  await page.getByRole('button', { name: 'ハッシュチェーンを検証' }).click();
  const bad = page.locator('#audit-verify-result .verify-bad');
  await bad.waitFor();
  const text = await bad.innerText();
  assert.match(text, /ハッシュチェーンが壊れています/);
  assert.match(text, /記録 #3:/);
  // the browser logs the 409 that carries the report
  expectRefused(page, 409, 1, before);
  assertClean(page, 'the audit trail checked');
  await page.context().close();
});
