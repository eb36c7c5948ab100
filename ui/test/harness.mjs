// harness.mjs - what the browser tests share: a real ceptoar server on a
// fresh database (reference data, a few operators, one user per role), and
// Debian's Chromium driven by playwright-core.
//
// Environment: CEPTOAR_BIN (default build/ceptoar), CHROMIUM (default
// /usr/bin/chromium), SCREENSHOTS (folder for the review screenshots,
// default build/ui-screenshots).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = resolve(process.env.CEPTOAR_BIN || join(root, 'build', 'ceptoar'));
export const SHOTS = resolve(process.env.SCREENSHOTS || join(root, 'build', 'ui-screenshots'));
export const PASSWORD = 'correct horse battery staple';

// Operators of the test population: code, name_ja, name_en, sector, ceptoars.
export const OPERATORS = [
  ['BANK-A', '第一テスト銀行', 'First Test Bank', 'finance', 'bank-ceptoar'],
  ['BANK-B', '第二テスト銀行', 'Second Test Bank', 'finance', 'bank-ceptoar'],
  ['BANK-C', '第三テスト銀行', 'Third Test Bank', 'finance', 'bank-ceptoar'],
  ['POWER-A', 'テスト電力', 'Test Power', 'electricity', 'electricity-ceptoar'],
];

// Users: name, org (id or code), role.
export const USERS = [
  ['admin1', 'nisc', 'admin'],
  ['nisc1', 'nisc', 'nisc'],
  ['fsa1', 'fsa', 'ministry'],
  ['bankcep1', 'bank-ceptoar', 'ceptoar'],
  ['banka1', 'BANK-A', 'operator'],
  ['bankb1', 'BANK-B', 'operator'],
  ['bankc1', 'BANK-C', 'operator'],
  ['power1', 'POWER-A', 'operator'],
  ['audit1', 'nisc', 'auditor'],
];

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function cli(db, args, input) {
  return execFileSync(BIN, ['--db', db, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

// Start a server on a new database with the population above. Returns
// {base, db, dir, cli(args, input), stop()}.
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'ceptoar-ui-'));
  const db = join(dir, 'ui.db');
  cli(db, ['init', '--no-admin']);
  const csv = ['code,name_ja,name_en,sector,ceptoars']
    .concat(OPERATORS.map((o) => o.join(',')))
    .join('\n') + '\n';
  writeFileSync(join(dir, 'ops.csv'), csv);
  cli(db, ['org', 'import', join(dir, 'ops.csv')]);
  for (const [name, org, role] of USERS)
    cli(db, ['user', 'add', '--name', name, '--org', org, '--role', role, '--display-name', name, '--password-stdin'],
      PASSWORD + '\n');
  const port = await freePort();
  const log = join(dir, 'serve.log');
  const proc = spawn(BIN, ['--db', db, '--log-level', 'warn', 'serve', '--listen', `127.0.0.1:${port}`, '--threads', '4'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let out = '';
  proc.stderr.on('data', (d) => { out += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(base + '/healthz');
      if (r.ok) break;
    } catch (e) {
      if (i > 100) throw new Error('the server did not start:\n' + out);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    db,
    dir,
    cli: (args, input) => cli(db, args, input),
    log: () => out,
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      writeFileSync(log, out);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A server and a browser for the tests of one file: started before them
// (then ready(srv, browser) runs, for the file's own setup) and stopped after.
export function withServer(ready) {
  let srv;
  let browser;
  before(async () => {
    srv = await startServer();
    browser = await launch();
    await ready(srv, browser);
  });
  after(async () => {
    if (browser) await browser.close();
    if (srv) await srv.stop();
  });
}

// Debian's Chromium, headless, without the sandbox (tests run as root), with
// nothing reaching out to the network on its own.
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      '--disable-default-apps', '--metrics-recording-only',
    ],
  });
}

// A new browser page in its own context (cookies apart) at 1280x800, that
// fails the test on a page error or a CSP violation. lang: 'ja' or 'en'.
export async function newPage(browser, lang = 'ja', viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, locale: lang === 'ja' ? 'ja-JP' : 'en-GB', timezoneId: 'Asia/Tokyo' });
  await context.addInitScript((l) => { try { localStorage.setItem('ceptoar.lang', l); } catch (e) { /* none */ } }, lang);
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) page.problems.push('console: ' + m.text());
  });
  return page;
}

// No page error, CSP violation or unexpected failed request on page (what:
// the step, for the message).
export function assertClean(page, what) {
  assert.deepEqual(page.problems, [], `no page errors or CSP violations (${what})`);
}

// A step asked for refusals on purpose, and the browser logs each failed
// request: exactly n of the problems logged since index `from` (take
// page.problems.length before the step) are answers with that status; they
// are taken off the list. Anything else stays, for assertClean.
export function expectRefused(page, status, n = 1, from = 0) {
  const re = new RegExp(`status of ${status}\\b`);
  const logged = page.problems.slice(from);
  assert.equal(logged.filter((p) => re.test(p)).length, n,
    `${n} answer(s) ${status} expected; logged:\n${logged.join('\n')}`);
  page.problems.splice(from, logged.length, ...logged.filter((p) => !re.test(p)));
}

// Sign in on the sign-in page as name.
export async function signIn(page, base, name) {
  await page.goto(base + '/');
  await page.locator('#login-name').fill(name);
  await page.locator('#login-password').fill(PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.locator('nav.mainnav').waitFor();
}

// A link of the main menu: what is its path ('/reports') or its text (the
// whole text, a string or a RegExp). It may sit in a closed group.
export function menuLink(page, what) {
  return page.locator('nav.mainnav').locator(menuSelector(page, what));
}

function menuSelector(page, what) {
  if (typeof what === 'string' && what.startsWith('/')) return page.locator(`a[href="#${what}"]`);
  const re = typeof what === 'string' ? new RegExp(`^\\s*${what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) : what;
  return page.locator('a', { hasText: re });
}

// Show a link of the main menu, opening its group when it is in one; returns
// the link.
export async function openMenu(page, what) {
  const link = menuLink(page, what);
  await link.waitFor({ state: 'attached' });
  if (!(await link.isVisible())) {
    const group = page.locator('nav.mainnav .navgroup', { has: menuSelector(page, what) });
    await group.locator(':scope > button').click();
  }
  await link.waitFor();
  return link;
}

// Go to a page through the main menu (see menuLink).
export async function gotoMenu(page, what) {
  await (await openMenu(page, what)).click();
}

// The controls of the page that have no name (no label, aria-label(ledby)
// or text): [] when every control is labelled.
export async function unlabelled(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('main input, main select, main textarea, main button, dialog button')) {
      if (el.type === 'hidden') continue;
      const named = (el.labels && el.labels.length) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
        || (el.tagName === 'BUTTON' && el.textContent.trim());
      if (!named) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}

// A screenshot for review: SHOTS/NAME.png.
export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: true });
}

// An API token for name (for setting up data through the API).
export function token(srv, name) {
  return srv.cli(['token', 'issue', '--user', name]).trim().split(/\s+/).pop();
}

// Call the API as the holder of tok.
export async function apiCall(srv, tok, method, path, body) {
  const r = await fetch(srv.base + '/api/v1' + path, {
    method,
    headers: { Authorization: 'Bearer ' + tok, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  let data = null;
  try { data = JSON.parse(text); } catch (e) { data = text; }
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return data;
}

export function readJson(p) {
  return JSON.parse(readFileSync(p, 'utf8'));
}

// The first truthy value of fn(), polled every 100 ms; an error naming what
// after ms.
export async function waitFor(what, fn, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}
