// i18n.js - Japanese (the default) and English. Every label goes through
// t(key); pages add their own keys with extend() when their module loads.
// Dates are shown in Japan time (JST) and exported in ISO 8601 (UTC), as the
// API gives them.

const LANGS = ['ja', 'en'];
const STORE_KEY = 'ceptoar.lang';

const dict = {
  ja: {
    'app.name': 'ceptoar',
    'app.tagline': '重要インフラ情報セキュリティ基盤',
    'skip': '本文へ移動',
    'lang.switch': 'English',
    'lang.label': '表示言語',
    'nav.home': 'ホーム',
    'nav.inbox': '受信箱',
    'nav.reports': 'IT障害報告',
    'nav.alerts': '情報提供',
    'nav.council': 'セプターカウンシル',
    'nav.incidents': '大規模障害',
    'nav.correlations': '共通脅威',
    'nav.registry': '登録情報',
    'nav.analysis': '相互依存性解析',
    'nav.exercises': '訓練',
    'nav.plans': '行動計画',
    'nav.statistics': 'IT障害統計',
    'nav.guideline': '安全基準等',
    'nav.surveys': '浸透状況調査',
    'nav.admin': '管理',
    'nav.main': 'メインメニュー',
    'nav.group.sharing': '情報共有',
    'nav.group.analysis': '分析・演習',
    'nav.group.standards': '基準・計画',
    'user.signout': 'サインアウト',
    'user.signout_all': 'すべての端末からサインアウト',
    'user.menu': 'アカウント',
    'role.admin': '管理者',
    'role.nisc': 'NISC',
    'role.ministry': '所管省庁',
    'role.ceptoar': 'セプター事務局',
    'role.operator': '重要インフラ事業者',
    'role.agency': '関係機関',
    'role.auditor': '監査担当',
    'act.save': '保存',
    'act.send': '送信',
    'act.cancel': 'キャンセル',
    'act.back': '戻る',
    'act.search': '検索',
    'act.filter': '絞り込み',
    'act.reload': '再読み込み',
    'act.csv': 'CSV ダウンロード',
    'act.json': 'JSON ダウンロード',
    'act.ack': '確認しました',
    'act.new': '新規作成',
    'act.delete': '削除',
    'act.revoke': '失効',
    'act.verify': '検証',
    'act.open': '開く',
    'act.prev': '前へ',
    'act.next': '次へ',
    'act.close': '閉じる',
    'state.loading': '読み込み中…',
    'state.empty': '該当するものはありません。',
    'state.saved': '保存しました。',
    'state.error': 'エラー',
    'state.field': '項目',
    'table.filter': '表を絞り込む',
    'table.rows': '{n} 件',
    'table.row': '{n} 件',
    'table.sort': '{col} で並べ替え',
    'page.of': '{from}–{to} 件目 / 全 {total} 件{capped}',
    'page.capped': '以上',
    'tlp.label': 'TLP',
    'tlp.CLEAR': '公開可。制限なく共有できます。',
    'tlp.GREEN': 'コミュニティ内で共有可。公開はできません。',
    'tlp.AMBER': '組織内と、知る必要のある顧客に限り共有可。',
    'tlp.AMBER+STRICT': '受信した組織内に限り共有可。',
    'tlp.RED': '受信者本人に限る。転送も共有もできません。',
    'withheld': 'この内容は取扱制限により表示できません。',
    'withheld.reason': '理由: {reason}',
    'handling.no-copy': '複製禁止',
    'handling.no-redistribution': '再配付禁止',
    'handling.no-export': '持出禁止',
    'sev.info': '情報',
    'sev.low': '低',
    'sev.medium': '中',
    'sev.high': '高',
    'sev.critical': '緊急',
    'time.jst': 'JST',
    'err.network': 'サーバーに接続できません。',
    'err.detail': '詳細',
    'err.invalid': '入力内容に誤りがあります。',
    'err.parse': '入力の形式が正しくありません。',
    'err.unauthorized': 'サインインが必要です。',
    'err.forbidden': 'この操作は許可されていません。',
    'err.not_found': '見つかりません（存在しないか、閲覧できません）。',
    'err.conflict': '他の変更と競合したか、すでに存在します。',
    'err.too_large': '大きすぎます。',
    'err.unprocessable': 'この内容では処理できません。',
    'err.too_many_requests': '試行回数が多すぎます。しばらく待ってから再度お試しください。',
    'err.busy': '混み合っています。しばらく待ってから再度お試しください。',
    'err.internal': 'サーバーで問題が起きました。',
    'err.session': 'セッションが終了しました。もう一度サインインしてください。',
  },
  en: {
    'app.name': 'ceptoar',
    'app.tagline': 'Critical-infrastructure information security',
    'skip': 'Skip to content',
    'lang.switch': '日本語',
    'lang.label': 'Language',
    'nav.home': 'Home',
    'nav.inbox': 'Inbox',
    'nav.reports': 'IT-failure reports',
    'nav.alerts': 'Alerts',
    'nav.council': 'CEPTOAR Council',
    'nav.incidents': 'Incidents',
    'nav.correlations': 'Common threats',
    'nav.registry': 'Registry',
    'nav.analysis': 'Interdependency analysis',
    'nav.exercises': 'Exercises',
    'nav.plans': 'Action plan',
    'nav.statistics': 'IT-failure statistics',
    'nav.guideline': 'Safety standards',
    'nav.surveys': 'Penetration survey',
    'nav.admin': 'Administration',
    'nav.main': 'Main menu',
    'nav.group.sharing': 'Information sharing',
    'nav.group.analysis': 'Analysis & exercises',
    'nav.group.standards': 'Standards & plans',
    'user.signout': 'Sign out',
    'user.signout_all': 'Sign out everywhere',
    'user.menu': 'Account',
    'role.admin': 'Administrator',
    'role.nisc': 'NISC',
    'role.ministry': 'Ministry',
    'role.ceptoar': 'CEPTOAR secretariat',
    'role.operator': 'Operator',
    'role.agency': 'Agency',
    'role.auditor': 'Auditor',
    'act.save': 'Save',
    'act.send': 'Send',
    'act.cancel': 'Cancel',
    'act.back': 'Back',
    'act.search': 'Search',
    'act.filter': 'Filter',
    'act.reload': 'Reload',
    'act.csv': 'Download CSV',
    'act.json': 'Download JSON',
    'act.ack': 'Acknowledge',
    'act.new': 'New',
    'act.delete': 'Delete',
    'act.revoke': 'Revoke',
    'act.verify': 'Verify',
    'act.open': 'Open',
    'act.prev': 'Previous',
    'act.next': 'Next',
    'act.close': 'Close',
    'state.loading': 'Loading…',
    'state.empty': 'Nothing to show.',
    'state.saved': 'Saved.',
    'state.error': 'Error',
    'state.field': 'Field',
    'table.filter': 'Filter the table',
    'table.rows': '{n} rows',
    'table.row': '{n} row',
    'table.sort': 'Sort by {col}',
    'page.of': '{from}–{to} of {total}{capped}',
    'page.capped': '+',
    'tlp.label': 'TLP',
    'tlp.CLEAR': 'Public: may be shared without restriction.',
    'tlp.GREEN': 'Within the community; not to be published.',
    'tlp.AMBER': 'Within the organisation and its clients on a need-to-know basis.',
    'tlp.AMBER+STRICT': 'Within the receiving organisation only.',
    'tlp.RED': 'For the named recipients only; not to be passed on.',
    'withheld': 'This content is withheld by its handling rules.',
    'withheld.reason': 'Why: {reason}',
    'handling.no-copy': 'No copying',
    'handling.no-redistribution': 'No redistribution',
    'handling.no-export': 'No export',
    'sev.info': 'Info',
    'sev.low': 'Low',
    'sev.medium': 'Medium',
    'sev.high': 'High',
    'sev.critical': 'Critical',
    'time.jst': 'JST',
    'err.network': 'Cannot reach the server.',
    'err.detail': 'Detail',
    'err.session': 'Your session has ended. Please sign in again.',
  },
};

function initial() {
  try {
    const l = localStorage.getItem(STORE_KEY);
    if (LANGS.includes(l)) return l;
  } catch (e) {
    /* storage unavailable: the default */
  }
  return 'ja';
}

let current = initial();

export function lang() {
  return current;
}

export function setLang(l) {
  if (!LANGS.includes(l)) return;
  current = l;
  document.documentElement.lang = l;
  try {
    localStorage.setItem(STORE_KEY, l);
  } catch (e) {
    /* not remembered */
  }
}

// Add a page's keys: extend({ ja: {...}, en: {...} }).
export function extend(more) {
  for (const l of LANGS) Object.assign(dict[l], more[l] || {});
}

// The text of key in the current language ({name} replaced from vars); the
// Japanese text when English lacks one; the key itself when neither has it.
export function t(key, vars) {
  let s = dict[current][key] ?? dict.ja[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  return s;
}

// An object's name in the current language: obj.name_ja / obj.name_en (or
// another base: title_ja / title_en).
export function nameOf(obj, base = 'name') {
  if (!obj) return '';
  const own = obj[`${base}_${current}`];
  return own || obj[`${base}_ja`] || obj[`${base}_en`] || obj[base] || obj.id || '';
}

const fmt = {};
function formatter(l) {
  if (!fmt[l])
    fmt[l] = new Intl.DateTimeFormat(l === 'ja' ? 'ja-JP' : 'en-GB', {
      timeZone: 'Asia/Tokyo',
      year: 'numeric',
      month: l === 'ja' ? '2-digit' : 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
  return fmt[l];
}

// An ISO 8601 time (or seconds since the epoch) as Japan time, "2026/12/06
// 21:15 JST"; '' for none.
export function fmtTime(v) {
  if (v === null || v === undefined || v === '') return '';
  const d = typeof v === 'number' ? new Date(v * 1000) : new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return `${formatter(current).format(d)} ${t('time.jst')}`;
}

// A number with the current language's separators.
export function fmtNum(n, digits) {
  if (n === null || n === undefined || Number.isNaN(n)) return '';
  return new Intl.NumberFormat(current === 'ja' ? 'ja-JP' : 'en-GB', {
    maximumFractionDigits: digits ?? 2,
  }).format(n);
}

document.documentElement.lang = current;
