// nav.test.mjs - the main menu: its groups (情報共有 / 分析・演習 / 基準・計画)
// fit one line at 1280 and 1024 px, each role sees its own entries, a group
// opens and closes with the keyboard and the mouse, the current page's group
// is marked, the labels follow the language, and on a phone-sized window an
// open group stays inside the window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { menuLink, newPage, openMenu, shot, signIn, withServer } from './harness.mjs';

let srv;
let browser;

withServer((s, b) => {
  srv = s;
  browser = b;
});

// The menu each role sees (the roles of each entry in main.jsx's NAV): a path
// is a link of the row, [group, paths...] a group and its links.
const SHARING_ALL = ['/inbox', '/reports', '/alerts', '/council', '/incidents', '/correlations'];
const EXPECTED = {
  nisc1: ['/', ['sharing', ...SHARING_ALL], ['analysis', '/analysis', '/exercises', '/drills'],
    ['standards', '/guideline', '/surveys', '/plans', '/statistics'], '/registry'],
  fsa1: ['/', ['sharing', '/inbox', '/reports', '/alerts', '/council', '/incidents'],
    ['analysis', '/analysis', '/exercises', '/drills'], ['standards', '/guideline', '/surveys', '/plans', '/statistics'],
    '/registry'],
  bankcep1: ['/', ['sharing', ...SHARING_ALL], ['analysis', '/analysis', '/exercises', '/drills'],
    ['standards', '/guideline', '/plans'], '/registry'],
  // an operator's one entry of 分析・演習 is a link of its own
  banka1: ['/', ['sharing', '/inbox', '/reports', '/alerts', '/incidents'], '/exercises',
    ['standards', '/guideline', '/surveys', '/plans'], '/registry'],
  power1: ['/', ['sharing', '/inbox', '/reports', '/alerts', '/incidents'], '/exercises',
    ['standards', '/guideline', '/surveys', '/plans'], '/registry'],
  // no group of sharing or analysis at all
  audit1: ['/', ['standards', '/guideline', '/plans'], '/registry', '/admin'],
  admin1: ['/', ['standards', '/guideline', '/plans'], '/registry', '/admin'],
};

// The menu as shown: paths of the row's links, [group, paths...] for a group.
function menuOf(page) {
  return page.evaluate(() => [...document.querySelectorAll('nav.mainnav > ul > li')].map((li) => {
    const path = (a) => a.getAttribute('href').replace(/^#/, '');
    if (!li.classList.contains('navgroup')) return path(li.querySelector('a'));
    return [li.dataset.group, ...[...li.querySelectorAll('a')].map(path)];
  }));
}

// The menu's row: its height, each item's top and height, and the tallest item.
function rowOf(page) {
  return page.evaluate(() => {
    const ul = document.querySelector('nav.mainnav > ul');
    const items = [...ul.children].map((li) => li.getBoundingClientRect());
    return {
      height: ul.getBoundingClientRect().height,
      tops: [...new Set(items.map((r) => Math.round(r.top)))],
      item: Math.max(...items.map((r) => r.height)),
      heights: [...new Set(items.map((r) => Math.round(r.height)))],
    };
  });
}

function assertOneLine(row, what) {
  assert.equal(row.tops.length, 1, `every item of the menu on one line (${what}): ${JSON.stringify(row)}`);
  assert.equal(row.heights.length, 1, `no item of the menu wraps (${what}): ${JSON.stringify(row)}`);
  assert.ok(row.height <= row.item + 0.5, `the menu is one row high (${what}): ${JSON.stringify(row)}`);
}

// The focus is on want: a link's href or a button's text (asked again for up
// to 2 seconds, while the page renders what the last key did).
async function assertFocus(page, want) {
  const ask = () => page.evaluate(() => {
    const el = document.activeElement;
    return el ? (el.getAttribute('href') || el.textContent.trim()) : null;
  });
  let got = await ask();
  for (let i = 0; got !== want && i < 20; i++) {
    await page.waitForTimeout(100);
    got = await ask();
  }
  assert.equal(got, want, 'the focus');
}

const expanded = (button) => button.getAttribute('aria-expanded');

test('each role sees its own entries, grouped', async () => {
  for (const [name, want] of Object.entries(EXPECTED)) {
    const p = await newPage(browser, 'ja');
    await signIn(p, srv.base, name);
    assert.deepEqual(await menuOf(p), want, `the menu of ${name}`);
    // the groups start closed, their buttons control their lists
    for (const g of want.filter(Array.isArray)) {
      const button = p.locator(`nav.mainnav [data-group=${g[0]}] > button`);
      assert.equal(await expanded(button), 'false');
      assert.equal(await button.getAttribute('aria-controls'), `menu-${g[0]}`);
      assert.equal(await p.locator(`#menu-${g[0]}`).isVisible(), false);
    }
    if (name === 'banka1') await shot(p, 'menu-operator-ja');
    assert.deepEqual(p.problems, []);
    await p.context().close();
  }
});

test('the menu of NISC is one line at 1280 and 1024 px, in Japanese and in English', async () => {
  for (const lang of ['ja', 'en'])
    for (const width of [1280, 1024]) {
      const p = await newPage(browser, lang, { width, height: 800 });
      await signIn(p, srv.base, 'nisc1');
      assertOneLine(await rowOf(p), `${lang}, ${width} px`);
      if (width === 1280) {
        await openMenu(p, '/reports');
        await shot(p, `menu-nisc-${lang}`);
      }
      assert.deepEqual(p.problems, []);
      await p.context().close();
    }
});

test('a group opens and closes with the keyboard', async () => {
  const p = await newPage(browser, 'ja');
  await signIn(p, srv.base, 'nisc1');
  const sharing = p.locator('nav.mainnav [data-group=sharing] > button');
  const list = p.locator('#menu-sharing');

  // Tab from ホーム reaches the group's button; Enter opens it
  await menuLink(p, '/').focus();
  await p.keyboard.press('Tab');
  await assertFocus(p, '情報共有');
  await p.keyboard.press('Enter');
  assert.equal(await expanded(sharing), 'true');
  await list.waitFor();
  // Tab moves into the list, the arrows within it
  await p.keyboard.press('Tab');
  await assertFocus(p, '#/inbox');
  await p.keyboard.press('ArrowDown');
  await assertFocus(p, '#/reports');
  await p.keyboard.press('End');
  await assertFocus(p, '#/correlations');
  // Escape closes it and gives the focus back to the button
  await p.keyboard.press('Escape');
  assert.equal(await expanded(sharing), 'false');
  assert.equal(await list.isVisible(), false);
  await assertFocus(p, '情報共有');

  // Space opens it too, Escape on the button closes it
  await p.keyboard.press(' ');
  assert.equal(await expanded(sharing), 'true');
  await p.keyboard.press('Escape');
  assert.equal(await expanded(sharing), 'false');
  await assertFocus(p, '情報共有');

  // the down arrow opens it at its first link; Tab past its last link closes it
  await p.keyboard.press('ArrowDown');
  assert.equal(await expanded(sharing), 'true');
  await assertFocus(p, '#/inbox');
  for (let i = 0; i < 6; i++) await p.keyboard.press('Tab');
  await assertFocus(p, '分析・演習');
  assert.equal(await expanded(sharing), 'false');

  // Enter on a link goes to its page and closes the group; the focus stays on
  // the group's button, which is now marked
  const analysis = p.locator('nav.mainnav [data-group=analysis] > button');
  await p.keyboard.press('Enter');
  await p.keyboard.press('Tab');
  await p.keyboard.press('ArrowDown');
  await assertFocus(p, '#/exercises');
  await p.keyboard.press('Enter');
  await p.waitForURL(/#\/exercises$/);
  await p.locator('main h1').waitFor();
  assert.equal(await expanded(analysis), 'false');
  await assertFocus(p, '分析・演習');
  assert.equal(await menuLink(p, '/exercises').getAttribute('aria-current'), 'page');
  assert.match(await analysis.getAttribute('class'), /\bcurrent\b/);
  assert.deepEqual(p.problems, []);
  await p.context().close();
});

test('a group opens and closes with the mouse; the current page is marked', async () => {
  const p = await newPage(browser, 'ja');
  await signIn(p, srv.base, 'nisc1');
  const button = (g) => p.locator(`nav.mainnav [data-group=${g}] > button`);

  // a click opens a group, another group's click closes it, a click outside too
  await button('sharing').click();
  assert.equal(await expanded(button('sharing')), 'true');
  await button('standards').click();
  assert.equal(await expanded(button('sharing')), 'false');
  assert.equal(await expanded(button('standards')), 'true');
  await p.locator('main').click({ position: { x: 5, y: 5 } });
  assert.equal(await expanded(button('standards')), 'false');
  // a second click on the button closes it
  await button('standards').click();
  await button('standards').click();
  assert.equal(await expanded(button('standards')), 'false');

  // choosing a link goes to its page and closes the group; the page's link and
  // its group are marked, no other
  await (await openMenu(p, '行動計画')).click();
  await p.waitForURL(/#\/plans$/);
  assert.equal(await expanded(button('standards')), 'false');
  assert.equal(await p.locator('#menu-standards').isVisible(), false);
  assert.deepEqual(await p.locator('nav.mainnav a[aria-current=page]').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
    ['#/plans']);
  assert.deepEqual(await p.locator('nav.mainnav .navgroup > button.current').allInnerTexts(), ['基準・計画']);
  // a link of the row is marked alone, no group
  await menuLink(p, '/registry').click();
  await p.waitForURL(/#\/registry$/);
  assert.equal(await menuLink(p, '/registry').getAttribute('aria-current'), 'page');
  assert.equal(await p.locator('nav.mainnav .navgroup > button.current').count(), 0);
  // a page reached otherwise than by the menu marks its group too
  await p.goto(srv.base + '/#/alerts');
  await p.locator('nav.mainnav [data-group=sharing] > button.current').waitFor();
  assert.deepEqual(p.problems, []);
  await p.context().close();
});

test('the group labels follow the language', async () => {
  const p = await newPage(browser, 'ja');
  await signIn(p, srv.base, 'nisc1');
  const groups = p.locator('nav.mainnav .navgroup > button');
  assert.deepEqual(await groups.allInnerTexts(), ['情報共有', '分析・演習', '基準・計画']);
  await p.locator('.topbar button.linkish').click(); // English
  await p.locator('nav.mainnav[aria-label="Main menu"]').waitFor();
  assert.deepEqual(await groups.allInnerTexts(), ['Information sharing', 'Analysis & exercises', 'Standards & plans']);
  assertOneLine(await rowOf(p), 'after switching to English');
  await (await openMenu(p, 'CEPTOAR drills')).click();
  await p.waitForURL(/#\/drills$/);
  assert.deepEqual(await p.locator('nav.mainnav .navgroup > button.current').allInnerTexts(), ['Analysis & exercises']);
  assert.deepEqual(p.problems, []);
  await p.context().close();
});

test('on a phone-sized window an open group stays inside the window', async () => {
  const p = await newPage(browser, 'en', { width: 390, height: 800 });
  await signIn(p, srv.base, 'nisc1');
  for (const g of ['sharing', 'analysis', 'standards']) {
    await p.locator(`nav.mainnav [data-group=${g}] > button`).click();
    const box = await p.locator(`#menu-${g}`).boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `the list of ${g} within the window: ${JSON.stringify(box)}`);
    if (g === 'standards') await shot(p, 'menu-phone-en');
  }
  await (await openMenu(p, 'Penetration survey')).click();
  await p.waitForURL(/#\/surveys$/);
  assert.equal(await p.locator('#menu-standards').isVisible(), false);
  assert.deepEqual(p.problems, []);
  await p.context().close();
});
