// admin_audit.jsx - the audit trail: every change, newest first, filtered by
// actor, action and object type, page by page; and the check of its hash
// chain (intact, or where it breaks).
import { useMemo, useState } from 'preact/hooks';
import { ApiError, get, qs } from '../api.js';
import { extend, fmtNum, t } from '../i18n.js';
import { DataTable, ErrorBox, Field, Loading, Notice, Pager, Select, Time, useFetch } from '../ui.jsx';

const ACTIONS = [
  'alert.create', 'alert.fanout', 'analysis.job.cancel', 'analysis.job.submit', 'analysis.model.add',
  'analysis.model.delete', 'attachment.add', 'contact.add', 'contact.delete', 'correlation.exclude', 'council.post',
  'delivery.escalate', 'delivery.manual', 'incident.close', 'incident.declare', 'incident.link', 'incident.sitrep',
  'org.create', 'org.delete', 'org.import', 'org.update', 'reference.load', 'report.create', 'report.update',
  'sector.create', 'send.failed', 'send.sent', 'service.create', 'session.create', 'session.revoke',
  'session.revoke_all', 'system.create', 'token.issue', 'token.revoke', 'user.create', 'user.update',
];
const OBJECT_TYPES = [
  'alert', 'attachment', 'contact', 'council_post', 'delivery', 'incident', 'indicator', 'org', 'reference',
  'registry', 'report', 'sector', 'send', 'service', 'session', 'sim_job', 'sim_model', 'system', 'token', 'user',
];

extend({
  ja: {
    'admin.audit.lead': '監査ログはすべての変更を記録します。各記録は直前の記録のハッシュを含む連鎖になっており、「検証」で改ざんや欠落がないことを確かめられます。',
    'admin.audit.verify': 'ハッシュチェーンを検証',
    'admin.audit.verifying': '検証しています…',
    'admin.audit.ok': 'ハッシュチェーンは完全です。改ざんや欠落は見つかりませんでした（{n} 件、最新の記録 #{seq}）。',
    'admin.audit.head': '最新のハッシュ',
    'admin.audit.bad': 'ハッシュチェーンが壊れています（{n} 件の問題）。次の記録を確認してください:',
    'admin.audit.problem': '記録 #{seq}: {what}',
    'admin.audit.checked_at': '検証日時',
    'admin.audit.actor': '実行者',
    'admin.audit.actor.hint': '完全一致。例: user:admin、console',
    'admin.audit.action': '操作',
    'admin.audit.action.hint': '前方一致。例: token（token.issue と token.revoke）',
    'admin.audit.object_type': '対象の種類',
    'admin.audit.all_types': 'すべての種類',
    'admin.audit.apply': '絞り込む',
    'admin.audit.clear': '条件を消す',
    'admin.audit.caption': '監査ログ（新しい順）',
    'admin.audit.csv': 'audit.csv',
    'admin.audit.seq': '#',
    'admin.audit.ts': '日時',
    'admin.audit.object_id': '対象 ID',
    'admin.audit.detail': '内容',
    'admin.audit.hash': 'ハッシュ',
    'admin.audit.limit': '1 ページの件数',
    'admin.action.token.issue': 'トークン発行',
    'admin.action.token.revoke': 'トークン失効',
    'admin.action.user.create': 'ユーザー作成',
    'admin.action.user.update': 'ユーザー更新',
    'admin.action.session.create': 'サインイン',
    'admin.action.session.revoke': 'サインアウト',
    'admin.action.session.revoke_all': '全端末からサインアウト',
    'admin.action.report.create': '報告の作成',
    'admin.action.report.update': '報告の更新',
    'admin.action.alert.create': '情報提供の作成',
    'admin.action.alert.fanout': '情報提供の配信',
    'admin.action.analysis.job.submit': '解析ジョブの開始',
    'admin.action.analysis.job.cancel': '解析ジョブの取消',
    'admin.action.analysis.model.add': '解析モデルの登録',
    'admin.action.analysis.model.delete': '解析モデルの削除',
    'admin.action.org.create': '組織の作成',
    'admin.action.org.update': '組織の更新',
    'admin.action.org.delete': '組織の削除',
    'admin.action.org.import': '組織の取込',
    'admin.action.incident.declare': '大規模障害の宣言',
    'admin.action.incident.close': '大規模障害の終了',
  },
  en: {
    'admin.audit.lead': 'The audit trail records every change. Each entry carries the hash of the one before, a chain that "Verify" checks for edits and gaps.',
    'admin.audit.verify': 'Verify the hash chain',
    'admin.audit.verifying': 'Verifying…',
    'admin.audit.ok': 'The hash chain is intact: no edits or gaps found ({n} entries, the latest #{seq}).',
    'admin.audit.head': 'Latest hash',
    'admin.audit.bad': 'The hash chain is broken ({n} problems). Look at these entries:',
    'admin.audit.problem': 'Entry #{seq}: {what}',
    'admin.audit.checked_at': 'Checked',
    'admin.audit.actor': 'Actor',
    'admin.audit.actor.hint': 'Exact. E.g. user:admin, console',
    'admin.audit.action': 'Action',
    'admin.audit.action.hint': 'Prefix. E.g. token (token.issue and token.revoke)',
    'admin.audit.object_type': 'Object type',
    'admin.audit.all_types': 'All types',
    'admin.audit.apply': 'Filter',
    'admin.audit.clear': 'Clear',
    'admin.audit.caption': 'Audit trail (newest first)',
    'admin.audit.csv': 'audit.csv',
    'admin.audit.seq': '#',
    'admin.audit.ts': 'Time',
    'admin.audit.object_id': 'Object ID',
    'admin.audit.detail': 'Detail',
    'admin.audit.hash': 'Hash',
    'admin.audit.limit': 'Entries per page',
    'admin.action.token.issue': 'Token issued',
    'admin.action.token.revoke': 'Token revoked',
    'admin.action.user.create': 'User created',
    'admin.action.user.update': 'User updated',
    'admin.action.session.create': 'Signed in',
    'admin.action.session.revoke': 'Signed out',
    'admin.action.session.revoke_all': 'Signed out everywhere',
    'admin.action.report.create': 'Report created',
    'admin.action.report.update': 'Report updated',
    'admin.action.alert.create': 'Alert created',
    'admin.action.alert.fanout': 'Alert fanned out',
    'admin.action.analysis.job.submit': 'Analysis job started',
    'admin.action.analysis.job.cancel': 'Analysis job cancelled',
    'admin.action.analysis.model.add': 'Analysis model added',
    'admin.action.analysis.model.delete': 'Analysis model deleted',
    'admin.action.org.create': 'Organisation created',
    'admin.action.org.update': 'Organisation updated',
    'admin.action.org.delete': 'Organisation deleted',
    'admin.action.org.import': 'Organisations imported',
    'admin.action.incident.declare': 'Incident declared',
    'admin.action.incident.close': 'Incident closed',
  },
});

function actionLabel(a) {
  const key = 'admin.action.' + a;
  const s = t(key);
  return s === key ? '' : s;
}

// GET /audit/verify: 200 when intact, 409 with the same report when not;
// both are answers to show (api.js keeps only the error of a 409).
async function verifyChain() {
  let res;
  try {
    res = await fetch('/api/v1/audit/verify', {
      headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', e.message || 'network error');
  }
  const type = res.headers.get('Content-Type') || '';
  if ((res.status === 200 || res.status === 409) && type.startsWith('application/json')) {
    const body = await res.json();
    if (typeof body.ok === 'boolean') return body;
  }
  return get('/audit/verify'); // anything else: the usual error handling
}

function Verify() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await verifyChain();
      setResult({ ...r, at: new Date().toISOString() });
    } catch (e) {
      setResult(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="verify-title">
      <h2 id="verify-title" class="sr-only">{t('admin.audit.verify')}</h2>
      <button type="button" class="primary" onClick={run} disabled={busy} id="audit-verify">
        {busy ? t('admin.audit.verifying') : t('admin.audit.verify')}
      </button>
      <ErrorBox error={error} />
      <div aria-live="polite" id="audit-verify-result">
        {result && result.ok ? (
          <Notice>
            <strong>✓ {t('admin.audit.ok', { n: fmtNum(result.entries, 0), seq: result.head_seq })}</strong>
            <div class="muted">
              {t('admin.audit.head')}: <code class="audit-hash">{result.head_hash}</code>
              {' · '}{t('admin.audit.checked_at')}: <Time v={result.at} />
            </div>
          </Notice>
        ) : null}
        {result && !result.ok ? (
          <div class="verify-bad" role="alert">
            <strong>✗ {t('admin.audit.bad', { n: (result.problems || []).length })}</strong>
            <ul>
              {(result.problems || []).map((p, i) => <li key={i}>{t('admin.audit.problem', { seq: p.seq, what: p.problem })}</li>)}
            </ul>
            <div>{t('admin.audit.checked_at')}: <Time v={result.at} /></div>
          </div>
        ) : null}
      </div>
    </section>
  );
}

export function Audit() {
  const [f, setF] = useState({ actor: '', action: '', object_type: '' });
  const [applied, setApplied] = useState({ actor: '', action: '', object_type: '' });
  const [offset, setOffset] = useState(0);
  const [limit, setLimit] = useState('50');
  const { data, error } = useFetch('/audit' + qs({ ...applied, limit, offset }));
  const set = (k) => (v) => setF((o) => ({ ...o, [k]: typeof v === 'string' ? v : v.currentTarget.value }));
  const columns = useMemo(() => [
    { key: 'seq', label: t('admin.audit.seq'), num: true },
    { key: 'ts', label: t('admin.audit.ts'), render: (e) => <Time v={e.ts} /> },
    { key: 'actor', label: t('admin.audit.actor') },
    {
      key: 'action', label: t('admin.audit.action'),
      render: (e) => (
        <span>
          {actionLabel(e.action) ? <span>{actionLabel(e.action)} </span> : null}
          <code>{e.action}</code>
        </span>
      ),
    },
    { key: 'object_type', label: t('admin.audit.object_type') },
    {
      key: 'object_id', label: t('admin.audit.object_id'),
      render: (e) => <code title={e.object_id}>{e.object_id && e.object_id.length > 20 ? e.object_id.slice(0, 8) + '…' : e.object_id}</code>,
    },
    {
      key: 'detail', label: t('admin.audit.detail'), value: (e) => (e.detail ? JSON.stringify(e.detail) : ''),
      render: (e) => (e.detail && typeof e.detail === 'object' ? (
        <span class="audit-detail">
          {Object.entries(e.detail).map(([k, v]) => (
            <span key={k} class="audit-kv"><span class="muted">{k}:</span> {typeof v === 'string' ? v : JSON.stringify(v)}</span>
          ))}
        </span>
      ) : String(e.detail ?? '')),
    },
    { key: 'hash', label: t('admin.audit.hash'), render: (e) => <code class="audit-hash" title={e.hash}>{String(e.hash || '').slice(0, 12)}</code> },
  ], [data]); // eslint-disable-line
  const apply = (e) => {
    e.preventDefault();
    setApplied({ actor: f.actor.trim(), action: f.action.trim(), object_type: f.object_type });
    setOffset(0);
  };
  const clear = () => {
    const none = { actor: '', action: '', object_type: '' };
    setF(none);
    setApplied(none);
    setOffset(0);
  };
  const filtered = applied.actor || applied.action || applied.object_type;
  return (
    <div>
      <p class="muted admin-lead">{t('admin.audit.lead')}</p>
      <Verify />
      <form class="filters filters-top" onSubmit={apply}>
        <Field id="audit-actor" label={t('admin.audit.actor')}>
          <input id="audit-actor" value={f.actor} onInput={set('actor')} placeholder="user:admin" autocomplete="off" />
          <span class="hint" id="audit-actor-hint">{t('admin.audit.actor.hint')}</span>
        </Field>
        <Field id="audit-action" label={t('admin.audit.action')}>
          <input id="audit-action" list="audit-action-list" value={f.action} onInput={set('action')} autocomplete="off" />
          <datalist id="audit-action-list">{ACTIONS.map((a) => <option key={a} value={a} />)}</datalist>
          <span class="hint" id="audit-action-hint">{t('admin.audit.action.hint')}</span>
        </Field>
        <Field id="audit-type" label={t('admin.audit.object_type')}>
          <Select id="audit-type" value={f.object_type} onChange={set('object_type')} blank={t('admin.audit.all_types')}
            options={OBJECT_TYPES.map((o) => [o, o])} />
        </Field>
        <Field id="audit-limit" label={t('admin.audit.limit')}>
          <Select id="audit-limit" value={limit} onChange={(v) => { setLimit(v); setOffset(0); }}
            options={['20', '50', '100', '200', '500'].map((n) => [n, n])} />
        </Field>
        <button type="submit" class="secondary">{t('admin.audit.apply')}</button>
        {filtered ? <button type="button" class="linkish" onClick={clear}>{t('admin.audit.clear')}</button> : null}
      </form>
      <ErrorBox error={error} />
      {!data && !error ? <Loading /> : null}
      {data ? (
        <div>
          <DataTable id="admin-audit" columns={columns} rows={data.items} rowKey="seq" caption={t('admin.audit.caption')} csv={t('admin.audit.csv')} />
          <Pager page={data} onOffset={setOffset} />
        </div>
      ) : null}
    </div>
  );
}
