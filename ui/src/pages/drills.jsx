// drills.jsx - CEPTOAR drills (セプター訓練): NISC and a CEPTOAR's secretariat
// start a drill (a test message to every member over each channel, with a
// deadline) and follow its figures live; the history of a CEPTOAR's drills
// shows its reachability over time. Members see their pending drill messages
// (DrillInbox, on the inbox page) and acknowledge them; a message's link opens
// DrillAck, which needs no sign-in (the token is the credential).
import './spaces.css';
import './drills.css';
import { useCallback, useRef, useState } from 'preact/hooks';
import { download, get, post, qs } from '../api.js';
import { extend, fmtNum, lang, nameOf, t } from '../i18n.js';
import { go, href } from '../router.js';
import {
  DataTable, ErrorBox, Field, ListTable, Loading, Notice, PageHeader, Pager, Select, Time, useAction, useFetch, useNames,
  usePoll,
} from '../ui.jsx';

extend({
  ja: {
    'nav.drills': 'セプター訓練',
    'drills.lead': 'セプター構成員のすべての連絡先 (受信箱・メール・Webhook、必要なら電話・FAX) に訓練メッセージを送り、期限までに受領確認が届くかを測ります。訓練メッセージは情報提供・報告・統計には一切現れません。',
    'drills.start': '訓練を開始する',
    'drills.f.ceptoar': '対象セプター',
    'drills.f.all': 'すべてのセプターの構成員',
    'drills.f.title': '訓練名',
    'drills.f.message_ja': 'メッセージ (日本語)',
    'drills.f.message_en': 'メッセージ (英語)',
    'drills.f.minutes': '確認期限 (分後)',
    'drills.f.minutes_hint': '開始から何分以内に受領確認を求めるか (1–43200)。',
    'drills.f.submit': '訓練を開始',
    'drills.f.busy': '開始しています…',
    'drills.list': '訓練の一覧',
    'drills.none': '訓練はまだありません。',
    'drills.col.title': '訓練名',
    'drills.col.ceptoar': 'セプター',
    'drills.col.started': '開始',
    'drills.col.deadline': '確認期限',
    'drills.col.state': '状態',
    'drills.col.members': '構成員',
    'drills.col.on_time': '期限内確認率',
    'drills.state.running': '実施中',
    'drills.state.finished': '終了',
    'drills.fanout.pending': '送信準備中…',
    'drills.back': '訓練の一覧へ',
    'drills.live': '実施中は 3 秒ごとに更新されます。',
    'drills.stat.members': '構成員',
    'drills.stat.reached': '到達',
    'drills.stat.on_time': '期限内に確認',
    'drills.stat.late': '期限後に確認',
    'drills.stat.never': '未確認',
    'drills.stat.pending': '確認待ち',
    'drills.stat.bounced': 'メール不達',
    'drills.per_channel': '経路別',
    'drills.col.channel': '経路',
    'drills.col.targets': '送信先',
    'drills.channel.inbox': '受信箱',
    'drills.channel.email': 'メール',
    'drills.channel.webhook': 'Webhook',
    'drills.members': '構成員別の結果',
    'drills.result': '結果',
    'drills.result.all': 'すべて',
    'drills.result.on_time': '期限内',
    'drills.result.late': '期限後',
    'drills.result.never': '未確認',
    'drills.result.pending': '確認待ち',
    'drills.result.bounced': 'メール不達あり',
    'drills.col.org': '組織',
    'drills.col.acked_at': '確認日時',
    'drills.col.via': '確認経路',
    'drills.col.channels': '経路の状態',
    'drills.target.sent': '到達',
    'drills.target.pending': '送信待ち',
    'drills.target.sending': '送信中',
    'drills.target.failed': '失敗',
    'drills.target.bounced': '不達',
    'drills.target.acked': '確認済',
    'drills.csv': '構成員別の結果 (CSV)',
    'drills.history': 'このセプターの訓練の推移',
    'drills.history_note': '各訓練の期限内確認率 (構成員単位)。到達率・未確認率も併記します。',
    'drills.message': 'メッセージ',
    'drills.started_by': '実施者',
    'drills.inbox': '訓練メッセージ (セプター訓練)',
    'drills.inbox_note': 'これは訓練です。内容を確認したら「受領を確認」を押してください。',
    'drills.inbox.ack': '受領を確認',
    'drills.inbox.acked': '確認済み',
    'drills.ack.title': 'セプター訓練の受領確認',
    'drills.ack.lead': 'これはセプター訓練のメッセージに対する受領確認のページです。実際の情報提供ではありません。',
    'drills.ack.button': '受領を確認する',
    'drills.ack.busy': '確認しています…',
    'drills.ack.on_time': '受領確認を記録しました (期限内)。ご協力ありがとうございました。',
    'drills.ack.late': '受領確認を記録しました (期限後)。',
    'drills.ack.already': 'この訓練メッセージはすでに確認済みです。',
    'drills.ack.drill': '訓練',
    'drills.ack.org': '宛先',
    'drills.ack.when': '確認日時',
    'drills.f.manual': '電話・FAX も訓練する',
    'drills.f.manual_hint': '構成員の電話・FAX の連絡先も対象にします。送信はされず、事務局が架電・送信して結果を記録します。',
    'drills.channel.phone': '電話',
    'drills.channel.fax': 'FAX',
    'drills.calls': '電話・FAX の記録',
    'drills.calls_note': '事務局が架電・FAX 送信した結果を記録します。時刻は実際に連絡した時刻です (空欄なら現在)。',
    'drills.calls.none': '記録を待つ電話・FAX はありません。',
    'drills.calls.outcome': '結果',
    'drills.calls.at': '連絡した時刻',
    'drills.calls.note': 'メモ',
    'drills.calls.record': '記録',
    'drills.calls.busy': '記録しています…',
    'drills.outcome.acked': '受領を確認した',
    'drills.outcome.reached': 'つながった (確認はまだ)',
    'drills.outcome.unreachable': 'つながらなかった',
    'drills.col.address': '番号',
    'drills.col.attempts': '連絡回数',
  },
  en: {
    'nav.drills': 'CEPTOAR drills',
    'drills.lead': 'A drill sends a test message to every contact of a CEPTOAR\'s members (inbox, e-mail, webhook, and phone and FAX when asked) and measures who acknowledges by the deadline. Drill messages never appear among alerts, reports or statistics.',
    'drills.start': 'Start a drill',
    'drills.f.ceptoar': 'CEPTOAR',
    'drills.f.all': 'The members of every CEPTOAR',
    'drills.f.title': 'Title',
    'drills.f.message_ja': 'Message (Japanese)',
    'drills.f.message_en': 'Message (English)',
    'drills.f.minutes': 'Deadline (minutes from now)',
    'drills.f.minutes_hint': 'Acknowledgements are expected within this many minutes (1–43200).',
    'drills.f.submit': 'Start the drill',
    'drills.f.busy': 'Starting…',
    'drills.list': 'Drills',
    'drills.none': 'No drills yet.',
    'drills.col.title': 'Title',
    'drills.col.ceptoar': 'CEPTOAR',
    'drills.col.started': 'Started',
    'drills.col.deadline': 'Deadline',
    'drills.col.state': 'State',
    'drills.col.members': 'Members',
    'drills.col.on_time': 'On time',
    'drills.state.running': 'Running',
    'drills.state.finished': 'Finished',
    'drills.fanout.pending': 'Preparing the messages…',
    'drills.back': 'Back to the drills',
    'drills.live': 'While running, the figures refresh every 3 seconds.',
    'drills.stat.members': 'Members',
    'drills.stat.reached': 'Reached',
    'drills.stat.on_time': 'Acknowledged on time',
    'drills.stat.late': 'Acknowledged late',
    'drills.stat.never': 'Never acknowledged',
    'drills.stat.pending': 'Waiting',
    'drills.stat.bounced': 'E-mail bounced',
    'drills.per_channel': 'Per channel',
    'drills.col.channel': 'Channel',
    'drills.col.targets': 'Targets',
    'drills.channel.inbox': 'Inbox',
    'drills.channel.email': 'E-mail',
    'drills.channel.webhook': 'Webhook',
    'drills.members': 'Results per member',
    'drills.result': 'Result',
    'drills.result.all': 'All',
    'drills.result.on_time': 'On time',
    'drills.result.late': 'Late',
    'drills.result.never': 'Never',
    'drills.result.pending': 'Waiting',
    'drills.result.bounced': 'An e-mail bounced',
    'drills.col.org': 'Organisation',
    'drills.col.acked_at': 'Acknowledged',
    'drills.col.via': 'Via',
    'drills.col.channels': 'Channels',
    'drills.target.sent': 'reached',
    'drills.target.pending': 'waiting',
    'drills.target.sending': 'sending',
    'drills.target.failed': 'failed',
    'drills.target.bounced': 'bounced',
    'drills.target.acked': 'acknowledged',
    'drills.csv': 'Results per member (CSV)',
    'drills.history': 'This CEPTOAR\'s drills over time',
    'drills.history_note': 'The share of members acknowledging on time in each drill, with the reached and never rates.',
    'drills.message': 'Message',
    'drills.started_by': 'Started by',
    'drills.inbox': 'Drill messages (CEPTOAR drills)',
    'drills.inbox_note': 'This is a drill. Once you have read the message, press Acknowledge.',
    'drills.inbox.ack': 'Acknowledge',
    'drills.inbox.acked': 'Acknowledged',
    'drills.ack.title': 'CEPTOAR drill acknowledgement',
    'drills.ack.lead': 'This page acknowledges a CEPTOAR drill message. It is a drill, not a real alert.',
    'drills.ack.button': 'Acknowledge',
    'drills.ack.busy': 'Acknowledging…',
    'drills.ack.on_time': 'Your acknowledgement is recorded (on time). Thank you.',
    'drills.ack.late': 'Your acknowledgement is recorded (after the deadline).',
    'drills.ack.already': 'This drill message was already acknowledged.',
    'drills.ack.drill': 'Drill',
    'drills.ack.org': 'To',
    'drills.ack.when': 'Acknowledged',
    'drills.f.manual': 'Drill phones and FAX too',
    'drills.f.manual_hint': 'The members\' phone and FAX contacts become targets too. Nothing is sent: the secretariat calls or faxes and records the outcome.',
    'drills.channel.phone': 'Phone',
    'drills.channel.fax': 'FAX',
    'drills.calls': 'Phone and FAX records',
    'drills.calls_note': 'Record the outcome of each call or FAX. The time is when it happened (empty: now).',
    'drills.calls.none': 'No phone or FAX target waits for a record.',
    'drills.calls.outcome': 'Outcome',
    'drills.calls.at': 'When',
    'drills.calls.note': 'Note',
    'drills.calls.record': 'Record',
    'drills.calls.busy': 'Recording…',
    'drills.outcome.acked': 'Acknowledged',
    'drills.outcome.reached': 'Reached (not yet acknowledged)',
    'drills.outcome.unreachable': 'Not reached',
    'drills.col.address': 'Number',
    'drills.col.attempts': 'Attempts',
  },
});

const LIVE_MS = 3000;
const LIST_MS = 15000;

function pct(x) {
  return fmtNum(100 * (x || 0), 1) + '%';
}

function width(x) {
  return (100 * (x || 0)).toFixed(1) + '%';
}

// GET path now and every ms while shown; an error keeps the last answer.
function usePolled(path, ms) {
  const [state, setState] = useState({ data: null, error: null });
  const seq = useRef(0);
  const load = useCallback(async () => {
    if (!path) return;
    const n = ++seq.current;
    try {
      const data = await get(path);
      if (n === seq.current) setState({ data, error: null });
    } catch (error) {
      if (n === seq.current) setState((s) => ({ data: s.data, error }));
    }
  }, [path]);
  usePoll(load, ms, [load]);
  return { ...state, reload: load };
}

function StateBadge({ d }) {
  if (d.fanout === 'pending') return <span class="badge badge-warn">{t('drills.fanout.pending')}</span>;
  return <span class={'badge ' + (d.state === 'running' ? 'badge-warn' : 'badge-ok')}>{t('drills.state.' + d.state)}</span>;
}

function StartDrill({ me }) {
  const cep = useNames('/ceptoars');
  const { data: ceptoars } = useFetch(me.role === 'nisc' ? '/ceptoars?limit=500' : null);
  const own = me.role === 'ceptoar' ? me.org_code : '';
  const [form, setForm] = useState({ ceptoar: own, title: '', message_ja: '', message_en: '', minutes: '60', phone: false, fax: false });
  const { error, busy, run, fe } = useAction();
  const set = (k) => (e) => {
    const v = e.currentTarget.value;
    setForm((f) => ({ ...f, [k]: v }));
  };
  const options = me.role === 'nisc'
    ? [['', t('drills.f.all')], ...((ceptoars && ceptoars.items) || []).map((c) => [c.id, nameOf(c)])]
    : [[own, cep(own)]];
  const submit = (e) => {
    e.preventDefault();
    run(async () => {
      const body = { title: form.title, message_ja: form.message_ja, message_en: form.message_en };
      if (form.ceptoar) body.ceptoar = form.ceptoar;
      body.deadline_minutes = String(form.minutes).trim() === '' ? null : Number(form.minutes);
      const manual = ['phone', 'fax'].filter((c) => form[c]);
      if (manual.length) body.manual = manual;
      const d = await post('/drills', body);
      go('/drills/' + d.id);
    });
  };
  return (
    <details class="panel sp-compose" open>
      <summary>{t('drills.start')}</summary>
      <ErrorBox error={error} />
      <form class="sp-form" id="drill-form" onSubmit={submit} noValidate aria-label={t('drills.start')}>
        <div class="form-grid">
          <Field id="drill-ceptoar" label={t('drills.f.ceptoar')} error={fe('ceptoar')}>
            <Select id="drill-ceptoar" value={form.ceptoar} onChange={(v) => setForm((f) => ({ ...f, ceptoar: v }))}
              options={options} disabled={me.role !== 'nisc'} />
          </Field>
          <Field id="drill-minutes" label={t('drills.f.minutes')} hint={t('drills.f.minutes_hint')} error={fe('deadline_minutes') || fe('deadline')}>
            <input id="drill-minutes" type="number" min="1" max="43200" step="1" inputMode="numeric" value={form.minutes}
              onInput={set('minutes')} />
          </Field>
        </div>
        <Field id="drill-title" label={t('drills.f.title')} error={fe('title')}>
          <input id="drill-title" value={form.title} maxLength={200} onInput={set('title')} />
        </Field>
        <Field id="drill-message-ja" label={t('drills.f.message_ja')} error={fe('message_ja')}>
          <textarea id="drill-message-ja" value={form.message_ja} maxLength={2000} onInput={set('message_ja')} />
        </Field>
        <Field id="drill-message-en" label={t('drills.f.message_en')} error={fe('message_en')}>
          <textarea id="drill-message-en" value={form.message_en} maxLength={2000} onInput={set('message_en')} lang="en" />
        </Field>
        <fieldset class="drill-manual" aria-describedby="drill-manual-hint">
          <legend>{t('drills.f.manual')}</legend>
          {['phone', 'fax'].map((c) => (
            <label key={c} class="choice">
              <input type="checkbox" id={'drill-manual-' + c} checked={form[c]}
                onChange={(e) => { const v = e.currentTarget.checked; setForm((f) => ({ ...f, [c]: v })); }} />
              <span>{t('drills.channel.' + c)}</span>
            </label>
          ))}
          <p class="hint" id="drill-manual-hint">{t('drills.f.manual_hint')}</p>
          {fe('manual') ? <div class="field-message" id="drill-manual-error" role="alert">{fe('manual')}</div> : null}
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>{busy ? t('drills.f.busy') : t('drills.f.submit')}</button>
        </div>
      </form>
    </details>
  );
}

export function Drills({ me, id }) {
  if (id) return <DrillView me={me} id={id} />;
  return <DrillList me={me} />;
}

function DrillList({ me }) {
  const [offset, setOffset] = useState(0);
  const list = usePolled('/drills' + qs({ limit: 50, offset }), LIST_MS);
  const cep = useNames('/ceptoars');
  const starts = me.role === 'nisc' || me.role === 'ceptoar';
  return (
    <div class="drills">
      <PageHeader title={t('nav.drills')}>
        <button type="button" class="secondary" onClick={list.reload}>{t('act.reload')}</button>
      </PageHeader>
      <p class="reg-lead muted">{t('drills.lead')}</p>
      {starts ? <StartDrill me={me} /> : null}
      <h2>{t('drills.list')}</h2>
      <ErrorBox error={list.error} />
      {!list.data ? <Loading /> : (
        <>
          <DataTable id="drills-table" csv="drills.csv" caption={t('drills.list')} rows={list.data.items} empty={t('drills.none')}
            columns={[
              { key: 'title', label: t('drills.col.title'), render: (d) => <a href={href('/drills/' + d.id)}>{d.title}</a> },
              { key: 'ceptoar', label: t('drills.col.ceptoar'), value: (d) => (d.ceptoar ? cep(d.ceptoar) : t('drills.f.all')) },
              { key: 'created_at', label: t('drills.col.started'), render: (d) => <Time v={d.created_at} /> },
              { key: 'deadline_at', label: t('drills.col.deadline'), render: (d) => <Time v={d.deadline_at} /> },
              { key: 'state', label: t('drills.col.state'), value: (d) => t('drills.state.' + d.state), render: (d) => <StateBadge d={d} /> },
              { key: 'members', label: t('drills.col.members'), num: true, value: (d) => d.figures.members.total },
              { key: 'on_time', label: t('drills.col.on_time'), num: true, value: (d) => pct(d.figures.members.rates.acked_on_time) },
            ]} />
          <Pager page={list.data} onOffset={setOffset} />
        </>
      )}
    </div>
  );
}

function Stat({ id, label, n, rate }) {
  return (
    <div class="card" id={id}>
      <div class="muted">{label}</div>
      <div class="big"><span class="drill-n">{fmtNum(n)}</span>{rate !== undefined ? <span class="muted"> ({pct(rate)})</span> : null}</div>
    </div>
  );
}

function channelStates(m) {
  return m.channels.map((c, i) => (
    <span key={i} class={'badge ' + (c.acked_at ? 'badge-ok' : c.state === 'bounced' || c.state === 'failed' ? 'badge-bad' : '')}>
      {t('drills.channel.' + c.channel)}: {c.acked_at ? t('drills.target.acked') : t('drills.target.' + c.state)}
    </span>
  ));
}

// One phone or FAX target waiting for its outcome: the form that records it.
function CallRow({ drill, c, onDone }) {
  const [form, setForm] = useState({ outcome: 'acked', at: '', note: '' });
  const { error, busy, run, fe } = useAction();
  const key = 'call-' + c.target;
  const submit = (e) => {
    e.preventDefault();
    run(async () => {
      const body = { outcome: form.outcome, note: form.note };
      if (form.at) body.at = new Date(form.at).toISOString();
      await post(`/drills/${encodeURIComponent(drill)}/targets/${c.target}/record`, body);
      setForm({ outcome: 'acked', at: '', note: '' });
      onDone();
    });
  };
  return (
    <li class="drill-call" data-target={c.target} data-org={c.org_code || c.org}>
      <form id={key} onSubmit={submit} noValidate aria-label={`${nameOf(c, 'org_name')} ${t('drills.channel.' + c.channel)}`}>
        <div class="drill-call-who">
          <strong>{nameOf(c, 'org_name')}</strong> {t('drills.channel.' + c.channel)} <span class="drill-address">{c.address}</span>
          {' '}<span class={'badge ' + (c.state === 'failed' ? 'badge-bad' : '')}>{c.state === 'sent' ? t('drills.target.sent') : c.state === 'failed' ? t('drills.outcome.unreachable') : t('drills.target.pending')}</span>
          {c.attempts ? <span class="muted"> {t('drills.col.attempts')}: {c.attempts}</span> : null}
          {c.note ? <span class="muted"> — {c.note}</span> : null}
        </div>
        <ErrorBox error={error} />
        <div class="form-grid">
          <Field id={key + '-outcome'} label={t('drills.calls.outcome')} error={fe('outcome')}>
            <Select id={key + '-outcome'} value={form.outcome} onChange={(v) => setForm((f) => ({ ...f, outcome: v }))}
              options={['acked', 'reached', 'unreachable'].map((o) => [o, t('drills.outcome.' + o)])} />
          </Field>
          <Field id={key + '-at'} label={t('drills.calls.at')} error={fe('at')}>
            <input id={key + '-at'} type="datetime-local" value={form.at}
              onInput={(e) => { const v = e.currentTarget.value; setForm((f) => ({ ...f, at: v })); }} />
          </Field>
          <Field id={key + '-note'} label={t('drills.calls.note')} error={fe('note')}>
            <input id={key + '-note'} value={form.note} maxLength={2000}
              onInput={(e) => { const v = e.currentTarget.value; setForm((f) => ({ ...f, note: v })); }} />
          </Field>
        </div>
        <div class="form-actions">
          <button type="submit" class="primary drill-record" disabled={busy}>{busy ? t('drills.calls.busy') : t('drills.calls.record')}</button>
        </div>
      </form>
    </li>
  );
}

// The phone and FAX targets that wait for a record (not acknowledged yet),
// over every member, for those who run the drill: a page at a time.
function Calls({ drill, onDone }) {
  const [offset, setOffset] = useState(0);
  const page = usePolled(`/drills/${encodeURIComponent(drill)}/calls` + qs({ limit: 50, offset }), LIVE_MS);
  return (
    <div class="drill-calls" id="drill-calls">
      <h3>{t('drills.calls')}</h3>
      <p class="hint">{t('drills.calls_note')}</p>
      <ErrorBox error={page.error} />
      {!page.data ? <Loading /> : page.data.total ? (
        <>
          <ul class="plain-list">{page.data.items.map((c) => <CallRow key={c.target} drill={drill} c={c} onDone={() => { page.reload(); onDone(); }} />)}</ul>
          <Pager page={page.data} onOffset={setOffset} />
        </>
      ) : <p class="muted">{t('drills.calls.none')}</p>}
    </div>
  );
}

function Members({ id, records, onRecorded }) {
  const [result, setResult] = useState('');
  const [offset, setOffset] = useState(0);
  const page = usePolled(`/drills/${encodeURIComponent(id)}/members` + qs({ result, limit: 50, offset }), LIVE_MS);
  const { error, run } = useAction();
  return (
    <section class="panel" aria-labelledby="drill-members-h">
      <h2 id="drill-members-h">{t('drills.members')}</h2>
      <div class="filters">
        <Field id="drill-result" label={t('drills.result')}>
          <Select id="drill-result" value={result} onChange={(v) => { setResult(v); setOffset(0); }}
            options={[['', t('drills.result.all')], ...['on_time', 'late', 'never', 'pending', 'bounced'].map((r) => [r, t('drills.result.' + r)])]} />
        </Field>
        <button type="button" class="secondary" id="drill-csv"
          onClick={() => run(() => download(`/drills/${encodeURIComponent(id)}/members?format=csv`, 'drill-members.csv'))}>
          {t('drills.csv')}
        </button>
      </div>
      <ErrorBox error={page.error || error} />
      {!page.data ? <Loading /> : (
        <>
          <ListTable id="drill-members" rows={page.data.items} rowKey="org" rowAttrs={(m) => ({ 'data-org': m.org_code || m.org })}
            columns={[
              { label: t('drills.col.org'), render: (m) => nameOf(m, 'org_name') },
              { label: t('drills.result'), render: (m) => <span class={'badge drill-result ' + (m.result === 'on_time' ? 'badge-ok' : m.result === 'never' ? 'badge-bad' : 'badge-warn')}>{t('drills.result.' + m.result)}</span> },
              { label: t('drills.col.acked_at'), render: (m) => <Time v={m.acked_at} /> },
              { label: t('drills.col.via'), render: (m) => (m.acked_via ? t('drills.channel.' + m.acked_via) : '') },
              { label: t('drills.col.channels'), render: channelStates },
            ]} />
          <Pager page={page.data} onOffset={setOffset} />
          {records ? <Calls drill={id} onDone={() => { page.reload(); onRecorded(); }} /> : null}
        </>
      )}
    </section>
  );
}

function History({ ceptoar, ms }) {
  const h = usePolled('/drills/history' + qs({ ceptoar: ceptoar || 'all' }), ms);
  if (h.error) return <ErrorBox error={h.error} />;
  if (!h.data) return <Loading />;
  return (
    <section class="panel" aria-labelledby="drill-history-h">
      <h2 id="drill-history-h">{t('drills.history')}</h2>
      <p class="hint">{t('drills.history_note')}</p>
      <ListTable id="drill-history" rows={h.data.items}
        columns={[
          { label: t('drills.col.started'), render: (d) => <Time v={d.created_at} /> },
          { label: t('drills.col.title'), render: (d) => <a href={href('/drills/' + d.id)}>{d.title}</a> },
          { label: t('drills.col.on_time'), render: (d) => (
            <span class="drill-bar-cell">
              <span class="drill-bar" aria-hidden="true"><span style={{ width: width(d.members.rates.acked_on_time) }} /></span>
              {pct(d.members.rates.acked_on_time)}
            </span>
          ) },
          { label: t('drills.stat.reached'), num: true, render: (d) => pct(d.members.rates.reached) },
          { label: t('drills.stat.never'), num: true, render: (d) => pct(d.members.rates.never) },
        ]} />
    </section>
  );
}

function DrillView({ me, id }) {
  const d = usePolled('/drills/' + encodeURIComponent(id), LIVE_MS);
  const cep = useNames('/ceptoars');
  if (d.error && !d.data) return <><PageHeader title={t('nav.drills')} /><ErrorBox error={d.error} /></>;
  if (!d.data) return <Loading />;
  const x = d.data;
  const m = x.figures.members;
  return (
    <article class="drills">
      <PageHeader title={x.title} windowTitle={t('nav.drills') + ': ' + x.title}>
        <a class="button secondary" href={href('/drills')}>{t('drills.back')}</a>
      </PageHeader>
      <div class="panel">
        <dl class="props">
          <dt>{t('drills.col.ceptoar')}</dt><dd>{x.ceptoar ? cep(x.ceptoar) : t('drills.f.all')}</dd>
          <dt>{t('drills.started_by')}</dt><dd>{nameOf(x, 'org_name')} ({x.started_by})</dd>
          <dt>{t('drills.col.started')}</dt><dd><Time v={x.created_at} /></dd>
          <dt>{t('drills.col.deadline')}</dt><dd><Time v={x.deadline_at} /></dd>
          <dt>{t('drills.col.state')}</dt><dd id="drill-state"><StateBadge d={x} /></dd>
          <dt>{t('drills.message')}</dt><dd class="pre">{nameOf(x, 'message')}</dd>
        </dl>
        {x.state === 'running' ? <p class="hint">{t('drills.live')}</p> : null}
      </div>
      <div class="cards sp-stats" id="drill-stats">
        <Stat id="stat-members" label={t('drills.stat.members')} n={m.total} />
        <Stat id="stat-reached" label={t('drills.stat.reached')} n={m.reached} rate={m.rates.reached} />
        <Stat id="stat-on-time" label={t('drills.stat.on_time')} n={m.acked_on_time} rate={m.rates.acked_on_time} />
        <Stat id="stat-late" label={t('drills.stat.late')} n={m.late} rate={m.rates.late} />
        {x.state === 'running'
          ? <Stat id="stat-pending" label={t('drills.stat.pending')} n={m.pending} rate={m.rates.pending} />
          : <Stat id="stat-never" label={t('drills.stat.never')} n={m.never} rate={m.rates.never} />}
        <Stat id="stat-bounced" label={t('drills.stat.bounced')} n={m.bounced} />
      </div>
      <section class="panel" aria-labelledby="drill-channels-h">
        <h2 id="drill-channels-h">{t('drills.per_channel')}</h2>
        <ListTable id="drill-channels" rowKey="channel" rows={x.figures.per_channel}
          columns={[
            { label: t('drills.col.channel'), render: (c) => t('drills.channel.' + c.channel) },
            { label: t('drills.col.targets'), num: true, render: (c) => fmtNum(c.total) },
            { label: t('drills.stat.reached'), num: true, render: (c) => `${fmtNum(c.reached)} (${pct(c.rates.reached)})` },
            { label: t('drills.stat.on_time'), num: true, render: (c) => `${fmtNum(c.acked_on_time)} (${pct(c.rates.acked_on_time)})` },
            { label: t('drills.stat.late'), num: true, render: (c) => fmtNum(c.late) },
            { label: x.state === 'running' ? t('drills.stat.pending') : t('drills.stat.never'), num: true,
              render: (c) => fmtNum(x.state === 'running' ? c.pending : c.never) },
            { label: t('drills.stat.bounced'), num: true, render: (c) => fmtNum(c.bounced) },
          ]} />
      </section>
      <Members id={id} onRecorded={d.reload}
        records={x.manual && x.manual.length > 0 && (me.role === 'nisc' || (me.role === 'ceptoar' && me.org_code === x.ceptoar))} />
      <History ceptoar={x.ceptoar} ms={x.state === 'running' ? LIVE_MS : LIST_MS} />
    </article>
  );
}

// The drill messages of the user's org, on the inbox page: pending ones with
// an acknowledge button. Nothing when there are none.
export function DrillInbox() {
  const [data, setData] = useState(null);
  const [done, setDone] = useState('');
  const { error, busy, run } = useAction();
  const load = async () => {
    try {
      setData(await get('/drills/inbox?limit=20'));
    } catch (e) {
      setData(null);
    }
  };
  usePoll(load, 10000, []);
  if (!data || !data.items.length) return null;
  const ack = (d) => run(async () => {
    await post(`/drills/${encodeURIComponent(d.drill)}/ack`);
    setDone(d.drill);
    await load();
  });
  return (
    <section class="panel drill-inbox" id="drill-inbox" aria-labelledby="drill-inbox-h">
      <h2 id="drill-inbox-h">{t('drills.inbox')}</h2>
      <p class="hint">{t('drills.inbox_note')}</p>
      <ErrorBox error={error} />
      {done ? <Notice>{t('inbox.ack_done')}</Notice> : null}
      <ListTable id="drill-inbox-table" rowKey="drill" rows={data.items} rowAttrs={(d) => ({ 'data-drill': d.drill })}
        columns={[
          { label: t('drills.col.title'), render: (d) => <><strong>{d.title}</strong><div class="pre">{nameOf(d, 'message')}</div></> },
          { label: t('inbox.col.from'), render: (d) => nameOf(d, 'sender_name') },
          { label: t('drills.col.deadline'), render: (d) => <Time v={d.deadline_at} /> },
          { label: t('inbox.col.state'), render: (d) => (d.acked_at
            ? <span class="badge badge-ok">{t('drills.inbox.acked')} (<Time v={d.acked_at} />)</span>
            : <button type="button" class="primary drill-ack" disabled={busy} onClick={() => ack(d)}>{t('drills.inbox.ack')}</button>) },
        ]} />
    </section>
  );
}

// #/drill-ack/TOKEN: the link of a drill e-mail or webhook; no sign-in needed.
export function DrillAck({ token, onLang }) {
  const [res, setRes] = useState(null);
  const { error, busy, run } = useAction();
  const ack = () => run(async () => setRes(await post('/drills/ack', { token })));
  return (
    <main id="main" class="drill-ack-page">
      <div class="panel">
        <PageHeader title={t('drills.ack.title')}>
          <button type="button" class="linkish" onClick={onLang} aria-label={t('lang.label')}
            lang={lang() === 'ja' ? 'en' : 'ja'}>{t('lang.switch')}</button>
        </PageHeader>
        <p>{t('drills.ack.lead')}</p>
        <ErrorBox error={error} />
        {res ? (
          <>
            <Notice>{res.already ? t('drills.ack.already') : res.on_time ? t('drills.ack.on_time') : t('drills.ack.late')}</Notice>
            <dl class="props" id="drill-ack-result">
              <dt>{t('drills.ack.drill')}</dt><dd>{res.title}</dd>
              <dt>{t('drills.ack.org')}</dt><dd>{nameOf(res, 'org_name')}</dd>
              <dt>{t('drills.col.via')}</dt><dd>{t('drills.channel.' + res.channel)}</dd>
              <dt>{t('drills.ack.when')}</dt><dd><Time v={res.acked_at} /></dd>
            </dl>
          </>
        ) : (
          <button type="button" class="primary" id="drill-ack-button" disabled={busy} onClick={ack}>
            {busy ? t('drills.ack.busy') : t('drills.ack.button')}
          </button>
        )}
      </div>
    </main>
  );
}
