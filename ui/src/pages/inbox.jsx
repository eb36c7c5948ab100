// inbox.jsx - the alerts delivered to the user's organisation: filter by
// state, search in Japanese or English, open one (which records that it was
// opened) and acknowledge it.
import { useState } from 'preact/hooks';
import { get, post, qs } from '../api.js';
import { extend, fmtTime, nameOf, t } from '../i18n.js';
import { href } from '../router.js';
import { DrillInbox } from './drills.jsx';
import {
  ErrorBox, Field, ListTable, Loading, Notice, PageHeader, Pager, Select, Severity, TlpBadge, Time, usePoll, useFetch,
} from '../ui.jsx';

extend({
  ja: {
    'inbox.title': '受信箱',
    'inbox.state': '状態',
    'inbox.state.all': 'すべて',
    'inbox.state.unacked': '未確認',
    'inbox.state.acked': '確認済み',
    'inbox.q': '件名・本文を検索',
    'inbox.col.severity': '重要度',
    'inbox.col.title': '件名',
    'inbox.col.from': '発信元',
    'inbox.col.sent': '受信日時',
    'inbox.col.deadline': '確認期限',
    'inbox.col.state': '状態',
    'inbox.opened': '開封済み',
    'inbox.new': '未開封',
    'inbox.acked': '確認済み',
    'inbox.acked_by': '{when} に {who} が確認',
    'inbox.ack_done': '確認を記録しました。',
    'inbox.body': '本文',
    'inbox.actions': '推奨される対応',
    'inbox.refs': '参考情報',
    'inbox.indicators': '指標（IoC）',
    'inbox.from': '発信元',
    'inbox.handling': '取扱い',
    'inbox.escalated': '期限超過によりエスカレーション済み',
    'inbox.none': '受信した情報提供はありません。',
  },
  en: {
    'inbox.title': 'Inbox',
    'inbox.state': 'State',
    'inbox.state.all': 'All',
    'inbox.state.unacked': 'Not acknowledged',
    'inbox.state.acked': 'Acknowledged',
    'inbox.q': 'Search subject and body',
    'inbox.col.severity': 'Severity',
    'inbox.col.title': 'Subject',
    'inbox.col.from': 'From',
    'inbox.col.sent': 'Received',
    'inbox.col.deadline': 'Deadline',
    'inbox.col.state': 'State',
    'inbox.opened': 'Opened',
    'inbox.new': 'New',
    'inbox.acked': 'Acknowledged',
    'inbox.acked_by': 'Acknowledged by {who} at {when}',
    'inbox.ack_done': 'Your acknowledgement is recorded.',
    'inbox.body': 'Message',
    'inbox.actions': 'Recommended actions',
    'inbox.refs': 'References',
    'inbox.indicators': 'Indicators',
    'inbox.from': 'From',
    'inbox.handling': 'Handling',
    'inbox.escalated': 'Escalated: the deadline passed',
    'inbox.none': 'No alerts received.',
  },
});

function stateOf(d) {
  if (d.acked_at) return <span class="badge badge-ok">{t('inbox.acked')}</span>;
  if (d.opened_at) return <span class="badge">{t('inbox.opened')}</span>;
  return <span class="badge badge-warn">{t('inbox.new')}</span>;
}

export function Inbox({ query }) {
  const [state, setState] = useState(query.get('state') || '');
  const [q, setQ] = useState(query.get('q') || '');
  const [applied, setApplied] = useState({ state, q: query.get('q') || '', offset: 0 });
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const path = '/inbox' + qs({ state: applied.state, q: applied.q, limit: 50, offset: applied.offset });
  // new deliveries arrive while the page is open
  usePoll(async () => {
    try {
      setData(await get(path));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, 10000, [path]);
  const submit = (e) => {
    e.preventDefault();
    setApplied({ state, q, offset: 0 });
  };
  return (
    <div>
      <PageHeader title={t('inbox.title')} />
      <DrillInbox />
      <form class="filters" onSubmit={submit} role="search">
        <Field id="inbox-state" label={t('inbox.state')}>
          <Select id="inbox-state" value={state} onChange={(v) => { setState(v); setApplied({ state: v, q, offset: 0 }); }}
            options={[['', t('inbox.state.all')], ['unacked', t('inbox.state.unacked')], ['acked', t('inbox.state.acked')]]} />
        </Field>
        <Field id="inbox-q" label={t('inbox.q')}>
          <input id="inbox-q" type="search" value={q} maxLength={200} onInput={(e) => setQ(e.currentTarget.value)} />
        </Field>
        <button type="submit">{t('act.search')}</button>
      </form>
      <ErrorBox error={error} />
      {!data ? <Loading /> : (
        <>
          <ListTable id="inbox-table" rows={data.items} empty={t('inbox.none')} rowAttrs={(d) => ({ 'data-delivery': d.id })}
            columns={[
              { label: t('inbox.col.severity'), render: (d) => <Severity value={d.severity} /> },
              { label: t('tlp.label'), render: (d) => <TlpBadge tlp={d.tlp} /> },
              { label: t('inbox.col.title'), render: (d) => <a href={href('/inbox/' + d.id)}>{nameOf(d, 'title')}</a> },
              { label: t('inbox.col.from'), render: (d) => nameOf(d, 'sender_name') },
              { label: t('inbox.col.sent'), render: (d) => <Time v={d.sent_at} /> },
              { label: t('inbox.col.deadline'), render: (d) => <Time v={d.ack_deadline} /> },
              { label: t('inbox.col.state'), render: stateOf },
            ]} />
          <Pager page={data} onOffset={(offset) => setApplied({ ...applied, offset })} />
        </>
      )}
    </div>
  );
}

function Indicators({ list }) {
  if (!list || !list.length) return null;
  return (
    <>
      <h2>{t('inbox.indicators')}</h2>
      <ul class="plain-list">{list.map((i, k) => <li key={k}><span class="badge">{i.type}</span> <code>{i.value}</code></li>)}</ul>
    </>
  );
}

export function DeliveryView({ id }) {
  const { data: d, error, loading, reload } = useFetch('/deliveries/' + encodeURIComponent(id));
  const [busy, setBusy] = useState(false);
  const [ackError, setAckError] = useState(null);
  const [done, setDone] = useState(false);
  if (loading && !d) return <Loading />;
  if (error) return <><PageHeader title={t('inbox.title')} /><ErrorBox error={error} /></>;
  const ack = async () => {
    setBusy(true);
    setAckError(null);
    try {
      await post(`/deliveries/${encodeURIComponent(id)}/ack`);
      setDone(true);
      await reload();
    } catch (e) {
      setAckError(e);
    }
    setBusy(false);
  };
  const title = nameOf(d, 'title');
  const body = nameOf(d, 'body');
  return (
    <article>
      <PageHeader title={title}>
        <a class="button secondary" href={href('/inbox')} onClick={(e) => { if (history.length > 1) { e.preventDefault(); history.back(); } }}>{t('act.back')}</a>
      </PageHeader>
      <div class="panel">
        <dl class="props">
          <dt>{t('inbox.col.severity')}</dt><dd><Severity value={d.severity} /></dd>
          <dt>{t('tlp.label')}</dt><dd><TlpBadge tlp={d.tlp} explain /></dd>
          <dt>{t('inbox.from')}</dt><dd>{nameOf(d, 'sender_name')}</dd>
          <dt>{t('inbox.col.sent')}</dt><dd><Time v={d.sent_at} /></dd>
          <dt>{t('inbox.col.deadline')}</dt><dd><Time v={d.ack_deadline} /></dd>
          <dt>{t('inbox.col.state')}</dt><dd>{stateOf(d)}{d.escalated_at ? <span class="badge badge-bad"> {t('inbox.escalated')}</span> : null}</dd>
        </dl>
      </div>
      <ErrorBox error={ackError} />
      {done ? <Notice>{t('inbox.ack_done')}</Notice> : null}
      <div class="panel" id="ack-panel">
        {d.acked_at ? (
          <p id="ack-state">{t('inbox.acked_by', { who: d.acked_by_name || d.acked_by || '', when: fmtTime(d.acked_at) })}</p>
        ) : (
          <button type="button" class="primary" id="ack-button" disabled={busy} onClick={ack}>{t('act.ack')}</button>
        )}
      </div>
      <section class="panel">
        <h2>{t('inbox.body')}</h2>
        <div class="pre" lang={d.body_en && body === d.body_en ? 'en' : 'ja'}>{body}</div>
        {d.actions ? <><h2>{t('inbox.actions')}</h2><div class="pre">{d.actions}</div></> : null}
        {d.references && d.references.length ? (
          <><h2>{t('inbox.refs')}</h2><ul>{d.references.map((r) => <li key={r}><a href={r} rel="noopener noreferrer" target="_blank">{r}</a></li>)}</ul></>
        ) : null}
        <Indicators list={d.indicators} />
      </section>
      <p><a href={href('/alerts/' + d.alert)}>{t('act.open')}: {t('nav.alerts')}</a></p>
    </article>
  );
}
