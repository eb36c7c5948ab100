// alerts.jsx - alerts (情報提供) the user's organisation sent or received, and
// one alert: its content, its signature (verified on request), and for the
// sender, NISC and the CEPTOAR secretariats concerned the acknowledgements
// coming in live, per CEPTOAR, with the organisations still to acknowledge.
import { useState } from 'preact/hooks';
import { get, post, qs, saveBlob } from '../api.js';
import { extend, fmtNum, nameOf, t } from '../i18n.js';
import { href } from '../router.js';
import {
  ErrorBox, Field, ListTable, Loading, Notice, PageHeader, Pager, Select, Severity, TlpBadge, Time, Withheld, useFetch,
  useNames, usePoll,
} from '../ui.jsx';

extend({
  ja: {
    'alerts.title': '情報提供',
    'alerts.new': '情報提供を作成',
    'alerts.q': '件名・本文を検索',
    'alerts.severity': '重要度',
    'alerts.any': 'すべて',
    'alerts.col.title': '件名',
    'alerts.col.from': '発信元',
    'alerts.col.created': '発信日時',
    'alerts.col.recipients': '宛先数',
    'alerts.col.deadline': '確認期限',
    'alerts.body': '本文',
    'alerts.actions': '推奨される対応',
    'alerts.refs': '参考情報',
    'alerts.audience': '宛先',
    'alerts.audience.all': 'すべての組織',
    'alerts.signature': '電子署名',
    'alerts.verify': '署名を検証',
    'alerts.valid': '署名は有効です（鍵 {key}）。',
    'alerts.invalid': '署名が一致しません: {reason}',
    'alerts.export': 'JSON で書き出す',
    'alerts.no_export': '持出禁止のため書き出せません。',
    'alerts.acks': '確認状況',
    'alerts.live': '自動更新中',
    'alerts.fanout.pending': '配信準備中…',
    'alerts.counts': '宛先 {recipients} ／ 開封 {opened} ／ 確認 {acked} ／ エスカレーション {escalated}',
    'alerts.per_ceptoar': 'セプター別',
    'alerts.col.ceptoar': 'セプター',
    'alerts.col.opened': '開封',
    'alerts.col.acked': '確認',
    'alerts.col.rate': '確認率',
    'alerts.unacked': '未確認の組織',
    'alerts.all_acked': 'すべての組織が確認しました。',
    'alerts.col.org': '組織',
    'alerts.col.sent': '配信',
    'alerts.no_ceptoar': '（セプター外）',
    'alerts.not_following': '確認状況は、発信組織・NISC・関係するセプター事務局が見られます。',
  },
  en: {
    'alerts.title': 'Alerts',
    'alerts.new': 'Compose an alert',
    'alerts.q': 'Search subject and body',
    'alerts.severity': 'Severity',
    'alerts.any': 'Any',
    'alerts.col.title': 'Subject',
    'alerts.col.from': 'From',
    'alerts.col.created': 'Sent',
    'alerts.col.recipients': 'Recipients',
    'alerts.col.deadline': 'Deadline',
    'alerts.body': 'Message',
    'alerts.actions': 'Recommended actions',
    'alerts.refs': 'References',
    'alerts.audience': 'Audience',
    'alerts.audience.all': 'Every organisation',
    'alerts.signature': 'Signature',
    'alerts.verify': 'Verify the signature',
    'alerts.valid': 'The signature is valid (key {key}).',
    'alerts.invalid': 'The signature does not match: {reason}',
    'alerts.export': 'Export as JSON',
    'alerts.no_export': 'No export: it cannot be exported.',
    'alerts.acks': 'Acknowledgements',
    'alerts.live': 'updating live',
    'alerts.fanout.pending': 'Preparing the deliveries…',
    'alerts.counts': '{recipients} recipients / {opened} opened / {acked} acknowledged / {escalated} escalated',
    'alerts.per_ceptoar': 'Per CEPTOAR',
    'alerts.col.ceptoar': 'CEPTOAR',
    'alerts.col.opened': 'Opened',
    'alerts.col.acked': 'Acknowledged',
    'alerts.col.rate': 'Rate',
    'alerts.unacked': 'Not acknowledged yet',
    'alerts.all_acked': 'Every organisation has acknowledged.',
    'alerts.col.org': 'Organisation',
    'alerts.col.sent': 'Delivered',
    'alerts.no_ceptoar': '(no CEPTOAR)',
    'alerts.not_following': 'Acknowledgements are followed by the sender, NISC and the CEPTOAR secretariats concerned.',
  },
});

const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];

export function Alerts({ me, query }) {
  const [severity, setSeverity] = useState(query.get('severity') || '');
  const [q, setQ] = useState(query.get('q') || '');
  const [applied, setApplied] = useState({ severity, q, offset: 0 });
  const { data, error, loading } = useFetch('/alerts' + qs({ ...applied, limit: 50 }));
  const sender = ['nisc', 'ministry', 'ceptoar', 'agency'].includes(me.role);
  return (
    <div>
      <PageHeader title={t('alerts.title')}>
        {sender ? <a class="button primary" href={href('/alerts/new')}>{t('alerts.new')}</a> : null}
      </PageHeader>
      <form class="filters" role="search" onSubmit={(e) => { e.preventDefault(); setApplied({ severity, q, offset: 0 }); }}>
        <Field id="af-q" label={t('alerts.q')}>
          <input id="af-q" type="search" maxLength={200} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </Field>
        <Field id="af-sev" label={t('alerts.severity')}>
          <Select id="af-sev" value={severity} onChange={setSeverity} blank={t('alerts.any')} options={SEVERITIES.map((s) => [s, t('sev.' + s)])} />
        </Field>
        <button type="submit">{t('act.search')}</button>
      </form>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : data ? (
        <>
          <ListTable id="alerts-table" rows={data.items} columns={[
            { label: t('alerts.severity'), render: (a) => <Severity value={a.severity} /> },
            { label: t('tlp.label'), render: (a) => <TlpBadge tlp={a.tlp} /> },
            { label: t('alerts.col.title'), render: (a) => <a href={href('/alerts/' + a.id)}>{nameOf(a, 'title')}</a> },
            { label: t('alerts.col.from'), render: (a) => nameOf(a, 'org_name') },
            { label: t('alerts.col.created'), render: (a) => <Time v={a.created_at} /> },
            { label: t('alerts.col.recipients'), render: (a) => a.recipients, num: true },
            { label: t('alerts.col.deadline'), render: (a) => <Time v={a.ack_deadline} /> },
          ]} />
          <Pager page={data} onOffset={(offset) => setApplied({ ...applied, offset })} />
        </>
      ) : null}
    </div>
  );
}

function pct(n, d) {
  return d ? `${fmtNum((100 * n) / d, 0)}%` : '—';
}

// The live acknowledgement figures of alert id; null when the user does not
// follow it (the API answers 404).
function Acks({ id }) {
  const cep = useNames('/ceptoars');
  const [d, setD] = useState(null);
  const [error, setError] = useState(null);
  const [hidden, setHidden] = useState(false);
  const [offset, setOffset] = useState(0);
  usePoll(async () => {
    try {
      setD(await get(`/alerts/${encodeURIComponent(id)}/deliveries` + qs({ state: 'unacked', limit: 100, offset })));
      setError(null);
    } catch (e) {
      if (e.status === 404 || e.status === 403) setHidden(true);
      else setError(e);
    }
  }, 3000, [id, offset]);
  if (hidden) return <p class="muted">{t('alerts.not_following')}</p>;
  if (error) return <ErrorBox error={error} />;
  if (!d) return <Loading />;
  const c = d.counts || {};
  return (
    <section class="panel" aria-labelledby="h-acks" id="acks">
      <h2 id="h-acks">{t('alerts.acks')} <span class="badge">{t('alerts.live')}</span></h2>
      {d.fanout !== 'done' ? <p role="status">{t('alerts.fanout.pending')}</p> : null}
      <p id="ack-counts" role="status" aria-live="polite">
        {t('alerts.counts', { recipients: d.recipients ?? 0, opened: c.opened ?? 0, acked: c.acked ?? 0, escalated: c.escalated ?? 0 })}
      </p>
      <progress class="progress" max={d.recipients || 1} value={c.acked || 0} aria-label={t('alerts.col.rate')} />
      <h3>{t('alerts.per_ceptoar')}</h3>
      <ListTable id="per-ceptoar" rowKey="ceptoar" rows={[...(d.per_ceptoar || [])].sort((x, y) => (!x.ceptoar) - (!y.ceptoar))}
        rowAttrs={(p) => ({ 'data-ceptoar': p.ceptoar || '' })}
        columns={[
          { label: t('alerts.col.ceptoar'), render: (p) => (p.ceptoar ? cep(p.ceptoar) : t('alerts.no_ceptoar')) },
          { label: t('alerts.col.recipients'), render: (p) => p.recipients, num: true },
          { label: t('alerts.col.opened'), render: (p) => p.opened, num: true },
          { label: t('alerts.col.acked'), render: (p) => <span data-col="acked">{p.acked}</span>, num: true },
          { label: t('alerts.col.rate'), render: (p) => pct(p.acked, p.recipients), num: true },
        ]} />
      <h3>{t('alerts.unacked')}</h3>
      {d.items.length === 0 ? <p class="muted" id="all-acked">{t('alerts.all_acked')}</p> : (
        <>
          <ul class="plain-list" id="unacked-list">
            {d.items.map((x) => (
              <li key={x.id}>
                {nameOf(x, 'org_name') || x.org_code} <span class="muted">({x.ceptoar ? cep(x.ceptoar) : t('alerts.no_ceptoar')})</span>
                {x.opened_at ? <span class="badge"> {t('alerts.col.opened')}</span> : null}
                {x.escalated_at ? <span class="badge badge-bad"> ⚠</span> : null}
              </li>
            ))}
          </ul>
          <Pager page={d} onOffset={setOffset} />
        </>
      )}
    </section>
  );
}

export function AlertView({ id }) {
  const { data: a, error, loading } = useFetch('/alerts/' + encodeURIComponent(id));
  const sec = useNames('/sectors');
  const cep = useNames('/ceptoars');
  const [verdict, setVerdict] = useState(null);
  const [verr, setVerr] = useState(null);
  if (loading && !a) return <Loading />;
  if (error) return <><PageHeader title={t('alerts.title')} /><ErrorBox error={error} /></>;
  const handling = a.handling || [];
  const verify = async () => {
    setVerr(null);
    try {
      setVerdict(await post('/alerts/verify', a));
    } catch (e) {
      setVerr(e);
    }
  };
  const aud = a.audience || {};
  return (
    <article>
      <PageHeader title={nameOf(a, 'title')}>
        {handling.includes('no-export') ? null : (
          <button type="button" class="secondary" onClick={() => saveBlob(new Blob([JSON.stringify(a, null, 1)], { type: 'application/json' }), `alert-${a.id}.json`)}>
            {t('alerts.export')}
          </button>
        )}
        <a class="button secondary" href={href('/alerts')}>{t('act.back')}</a>
      </PageHeader>
      <div class="panel">
        <dl class="props">
          <dt>{t('alerts.severity')}</dt><dd><Severity value={a.severity} /></dd>
          <dt>{t('tlp.label')}</dt><dd><TlpBadge tlp={a.tlp} explain /></dd>
          <dt>{t('alerts.col.from')}</dt><dd>{nameOf(a, 'org_name')}</dd>
          <dt>{t('alerts.col.created')}</dt><dd><Time v={a.created_at} /></dd>
          <dt>{t('alerts.col.deadline')}</dt><dd><Time v={a.ack_deadline} /></dd>
          <dt>{t('alerts.audience')}</dt>
          <dd>{aud.all ? t('alerts.audience.all') : [...(aud.sectors || []).map(sec), ...(aud.ceptoars || []).map(cep),
            ...(aud.orgs || [])].join('、')}</dd>
          {handling.length ? <><dt>{t('reports.handling')}</dt><dd>{handling.map((h) => <span class="badge badge-warn" key={h}>{t('handling.' + h)}</span>)}</dd></> : null}
          <dt>{t('alerts.signature')}</dt>
          <dd>
            {a.signature ? <code>{a.signature.alg} {a.signature.key_id}</code> : '—'}{' '}
            {a.signature ? <button type="button" class="secondary" onClick={verify}>{t('alerts.verify')}</button> : null}
          </dd>
        </dl>
        <ErrorBox error={verr} />
        {verdict ? (verdict.valid
          ? <Notice>{t('alerts.valid', { key: verdict.key_id })}</Notice>
          : <Notice kind="warn">{t('alerts.invalid', { reason: verdict.reason })}</Notice>) : null}
        {handling.includes('no-export') ? <Withheld reason={t('alerts.no_export')} /> : null}
      </div>
      <section class="panel">
        <h2>{t('alerts.body')}</h2>
        <div class="pre">{nameOf(a, 'body')}</div>
        {a.actions ? <><h2>{t('alerts.actions')}</h2><div class="pre">{a.actions}</div></> : null}
        {a.references && a.references.length ? (
          <><h2>{t('alerts.refs')}</h2><ul>{a.references.map((r) => <li key={r}><a href={r} rel="noopener noreferrer" target="_blank">{r}</a></li>)}</ul></>
        ) : null}
      </section>
      <Acks id={id} />
    </article>
  );
}
