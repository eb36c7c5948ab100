// incidents.jsx - large-scale incidents (大規模障害, 平時と異なる体制): the
// incidents (open ones first), one incident with its situation report per
// sector, linked reports and alerts. NISC declares an incident, links
// reports and alerts to it and closes it; everyone else reads.
import './spaces.css';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get, post, qs } from '../api.js';
import { extend, fmtNum, fmtTime, nameOf, t } from '../i18n.js';
import { go, href } from '../router.js';
import {
  DataTable, ErrorBox, Field, Loading, Notice, PageHeader, Pager, Select, Severity, TlpBadge, Time,
  fieldError, usePoll,
} from '../ui.jsx';

extend({
  ja: {
    'incidents.lead': '大規模な IT 障害や攻撃のときに NISC が宣言する、平時と異なる体制です。連携した情報提供は確認期限が短くなり、分野ごとの状況報告がまとめられます。',
    'incidents.open': '対応中の事案',
    'incidents.closed': '終了した事案',
    'incidents.none_open': '対応中の大規模障害はありません (平時の体制)。',
    'incidents.banner': '大規模障害の対応中です: {n} 件',
    'incidents.col.title': '事案名',
    'incidents.col.state': '状態',
    'incidents.col.declared': '宣言日時',
    'incidents.col.declared_by': '宣言者',
    'incidents.col.closed': '終了日時',
    'incidents.col.ack_hours': '確認期限 (時間)',
    'incidents.col.sitrep_minutes': '状況報告の間隔 (分)',
    'incidents.state.open': '対応中',
    'incidents.state.closed': '終了',
    'incidents.declare': '大規模障害を宣言する',
    'incidents.f.title': '事案名',
    'incidents.f.description': '概要',
    'incidents.f.ack_hours': '情報提供の確認期限 (時間)',
    'incidents.f.ack_hours_hint': '連携した情報提供は、発出からこの時間以内に確認が必要になります (1–72、既定 2)。',
    'incidents.f.sitrep_minutes': '状況報告の保存間隔 (分)',
    'incidents.f.sitrep_minutes_hint': '10–1440、既定 60。',
    'incidents.f.submit': '宣言する',
    'incidents.f.busy': '宣言しています…',
    'incidents.back': '大規模障害の一覧へ',
    'incidents.description': '概要',
    'incidents.last_sitrep': '最後に保存した状況報告',
    'incidents.closed_note': 'この事案は {at} に終了しました。平時の体制に戻っています。',
    'incidents.auto': '状況報告は 1 分ごとに自動で更新されます。',
    'incidents.stat.reports': '連携した IT 障害報告',
    'incidents.stat.sectors': '影響分野',
    'incidents.stat.unrecovered': '未復旧',
    'incidents.stat.breached': '検証レベル超過',
    'incidents.stat.acked': '情報提供の確認',
    'incidents.sitrep': '分野別の状況報告',
    'incidents.sitrep_note': 'あなたが閲覧できる報告だけが数えられます。',
    'incidents.col.sector': '分野',
    'incidents.col.reports': '報告数',
    'incidents.col.recovered': '復旧',
    'incidents.col.unrecovered': '未復旧',
    'incidents.col.breached': '検証レベル超過',
    'incidents.reports': '連携した IT 障害報告',
    'incidents.col.report': '件名',
    'incidents.col.reporter': '報告者',
    'incidents.col.status': '状況',
    'incidents.col.occurred': '発生日時',
    'incidents.col.updated': '更新日時',
    'incidents.status.first': '第一報',
    'incidents.status.update': '続報',
    'incidents.status.recovered': '復旧',
    'incidents.status.final': '最終報',
    'incidents.breached': '超過',
    'incidents.alerts': '連携した情報提供',
    'incidents.col.alert': '件名',
    'incidents.col.severity': '重要度',
    'incidents.col.deadline': '確認期限',
    'incidents.col.recipients': '配信先',
    'incidents.col.acked': '確認済み',
    'incidents.col.unacked': '未確認',
    'incidents.no_reports': '連携した報告はありません (または閲覧できる報告がありません)。',
    'incidents.no_alerts': '連携した情報提供はありません (または閲覧できるものがありません)。',
    'incidents.link': '報告・情報提供を連携する',
    'incidents.link.report': 'IT 障害報告',
    'incidents.link.report_hint': '最近の報告 200 件 (検索したときはその結果) のうち、まだ連携していないもの。',
    'incidents.link.search': '検索 (件名・本文・指標、または ID)',
    'incidents.link.alert': '情報提供',
    'incidents.link.alert_hint': '最近の情報提供 200 件 (検索したときはその結果) のうち、まだ連携していないもの。確認期限は発出から {h} 時間以内に短縮されます。',
    'incidents.link.choose': '選択してください',
    'incidents.link.report_btn': '報告を連携',
    'incidents.link.alert_btn': '情報提供を連携',
    'incidents.link.done': '連携しました。',
    'incidents.keep': '状況報告を保存',
    'incidents.kept': '状況報告を保存しました。',
    'incidents.close': '事案を終了する',
    'incidents.close.confirm': '「{title}」を終了し、平時の体制に戻しますか? 終了した事案には連携できなくなります。',
    'incidents.close.yes': '終了する',
    'incidents.close.done': '事案を終了しました。',
    'incidents.readonly': '大規模障害の宣言・連携・終了は NISC が行います。',
    'incidents.count_hidden': '配信の件数は送信元の組織と NISC に示されます。',
  },
  en: {
    'incidents.lead': 'The mode NISC declares for a large-scale IT failure or attack. Linked alerts must be acknowledged sooner, and the reports are summed up per sector in a situation report.',
    'incidents.open': 'Open incidents',
    'incidents.closed': 'Closed incidents',
    'incidents.none_open': 'No large-scale incident is open (normal mode).',
    'incidents.banner': 'Large-scale incident mode: {n} open',
    'incidents.col.title': 'Incident',
    'incidents.col.state': 'State',
    'incidents.col.declared': 'Declared',
    'incidents.col.declared_by': 'Declared by',
    'incidents.col.closed': 'Closed',
    'incidents.col.ack_hours': 'Ack within (hours)',
    'incidents.col.sitrep_minutes': 'Situation report every (minutes)',
    'incidents.state.open': 'Open',
    'incidents.state.closed': 'Closed',
    'incidents.declare': 'Declare a large-scale incident',
    'incidents.f.title': 'Title',
    'incidents.f.description': 'Description',
    'incidents.f.ack_hours': 'Alert acknowledgement within (hours)',
    'incidents.f.ack_hours_hint': 'Linked alerts must be acknowledged within this many hours of being sent (1–72, default 2).',
    'incidents.f.sitrep_minutes': 'Keep the situation report every (minutes)',
    'incidents.f.sitrep_minutes_hint': '10–1440, default 60.',
    'incidents.f.submit': 'Declare',
    'incidents.f.busy': 'Declaring…',
    'incidents.back': 'Back to the incidents',
    'incidents.description': 'Description',
    'incidents.last_sitrep': 'Situation report last kept',
    'incidents.closed_note': 'This incident was closed on {at}; normal mode again.',
    'incidents.auto': 'The situation report refreshes every minute.',
    'incidents.stat.reports': 'Linked IT-failure reports',
    'incidents.stat.sectors': 'Sectors affected',
    'incidents.stat.unrecovered': 'Not recovered',
    'incidents.stat.breached': 'Verification level breached',
    'incidents.stat.acked': 'Alert acknowledgements',
    'incidents.sitrep': 'Situation report per sector',
    'incidents.sitrep_note': 'Only the reports you may read are counted.',
    'incidents.col.sector': 'Sector',
    'incidents.col.reports': 'Reports',
    'incidents.col.recovered': 'Recovered',
    'incidents.col.unrecovered': 'Not recovered',
    'incidents.col.breached': 'Verification breached',
    'incidents.reports': 'Linked IT-failure reports',
    'incidents.col.report': 'Title',
    'incidents.col.reporter': 'Reporter',
    'incidents.col.status': 'Status',
    'incidents.col.occurred': 'Occurred',
    'incidents.col.updated': 'Updated',
    'incidents.status.first': 'First report',
    'incidents.status.update': 'Update',
    'incidents.status.recovered': 'Recovered',
    'incidents.status.final': 'Final',
    'incidents.breached': 'Breached',
    'incidents.alerts': 'Linked alerts',
    'incidents.col.alert': 'Title',
    'incidents.col.severity': 'Severity',
    'incidents.col.deadline': 'Acknowledge by',
    'incidents.col.recipients': 'Recipients',
    'incidents.col.acked': 'Acknowledged',
    'incidents.col.unacked': 'Not acknowledged',
    'incidents.no_reports': 'No linked reports (or none you may read).',
    'incidents.no_alerts': 'No linked alerts (or none you may read).',
    'incidents.link': 'Link reports and alerts',
    'incidents.link.report': 'IT-failure report',
    'incidents.link.report_hint': 'The latest 200 reports (or those found) not linked yet.',
    'incidents.link.search': 'Search (title, text, indicator, or an id)',
    'incidents.link.alert': 'Alert',
    'incidents.link.alert_hint': 'The latest 200 alerts (or those found) not linked yet. Their deadline becomes at most {h} hours after sending.',
    'incidents.link.choose': 'Choose one',
    'incidents.link.report_btn': 'Link the report',
    'incidents.link.alert_btn': 'Link the alert',
    'incidents.link.done': 'Linked.',
    'incidents.keep': 'Keep the situation report',
    'incidents.kept': 'Situation report kept.',
    'incidents.close': 'Close the incident',
    'incidents.close.confirm': 'Close "{title}" and return to normal mode? A closed incident takes no more links.',
    'incidents.close.yes': 'Close it',
    'incidents.close.done': 'Incident closed.',
    'incidents.readonly': 'NISC declares, links and closes large-scale incidents.',
    'incidents.count_hidden': 'Delivery counts are shown to the sending organisation and NISC.',
  },
});

const REFRESH_MS = 60000;

// GET path now and every ms while shown; an error keeps the last answer.
function usePolled(path, ms) {
  const [state, setState] = useState({ data: null, error: null, loading: !!path });
  const seq = useRef(0);
  const load = useCallback(async () => {
    if (!path) return;
    const n = ++seq.current;
    try {
      const data = await get(path);
      if (n === seq.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (n === seq.current) setState((s) => ({ data: s.data, error, loading: false }));
    }
  }, [path]);
  usePoll(load, ms, [load]);
  return { ...state, reload: load };
}

function StateBadge({ state }) {
  return <span class={'badge ' + (state === 'open' ? 'badge-bad' : 'badge-ok')}>{t('incidents.state.' + state)}</span>;
}


function Declare() {
  const [form, setForm] = useState({ title: '', description: '', ack_hours: '2', sitrep_minutes: '60' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  const set = (k) => (e) => {
    const v = e.currentTarget.value;
    setForm((f) => ({ ...f, [k]: v }));
  };
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = { title: form.title, description: form.description };
    for (const k of ['ack_hours', 'sitrep_minutes'])
      if (String(form[k]).trim() !== '') body[k] = Number(form[k]);
    try {
      const inc = await post('/incidents', body);
      go('/incidents/' + inc.id);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <details class="panel sp-compose" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('incidents.declare')}</summary>
      <ErrorBox error={error} />
      <form class="sp-form" onSubmit={submit} noValidate aria-label={t('incidents.declare')}>
        <Field id="inc-title" label={t('incidents.f.title')} error={fieldError(error, 'title')}>
          <input id="inc-title" value={form.title} required maxLength={200} onInput={set('title')} />
        </Field>
        <Field id="inc-desc" label={t('incidents.f.description')} error={fieldError(error, 'description')}>
          <textarea id="inc-desc" value={form.description} onInput={set('description')} />
        </Field>
        <div class="form-grid">
          <Field id="inc-ack" label={t('incidents.f.ack_hours')} hint={t('incidents.f.ack_hours_hint')} error={fieldError(error, 'ack_hours')}>
            <input id="inc-ack" type="number" min="1" max="72" step="1" inputMode="numeric" value={form.ack_hours}
              onInput={set('ack_hours')} />
          </Field>
          <Field id="inc-sitrep" label={t('incidents.f.sitrep_minutes')} hint={t('incidents.f.sitrep_minutes_hint')} error={fieldError(error, 'sitrep_minutes')}>
            <input id="inc-sitrep" type="number" min="10" max="1440" step="1" inputMode="numeric" value={form.sitrep_minutes}
              onInput={set('sitrep_minutes')} />
          </Field>
        </div>
        <div class="form-actions">
          <button type="submit" class="danger" disabled={busy}>{busy ? t('incidents.f.busy') : t('incidents.f.submit')}</button>
        </div>
      </form>
    </details>
  );
}

function incidentColumns(closed) {
  return [
    { key: 'title', label: t('incidents.col.title'), render: (r) => <a href={href('/incidents/' + r.id)}>{r.title}</a> },
    { key: 'state', label: t('incidents.col.state'), value: (r) => t('incidents.state.' + r.state), render: (r) => <StateBadge state={r.state} /> },
    { key: 'declared_at', label: t('incidents.col.declared'), render: (r) => <Time v={r.declared_at} /> },
    { key: 'declared_by', label: t('incidents.col.declared_by') },
    ...(closed ? [{ key: 'closed_at', label: t('incidents.col.closed'), render: (r) => <Time v={r.closed_at} /> }] : [
      { key: 'ack_hours', label: t('incidents.col.ack_hours'), num: true },
      { key: 'sitrep_minutes', label: t('incidents.col.sitrep_minutes'), num: true },
    ]),
  ];
}

function IncidentList({ me }) {
  const opened = usePolled('/incidents?state=open&limit=500', REFRESH_MS);
  const [offset, setOffset] = useState(0);
  const closed = usePolled('/incidents' + qs({ state: 'closed', limit: 50, offset }), REFRESH_MS);
  const nisc = me.role === 'nisc';
  const nOpen = opened.data ? opened.data.total : 0;
  return (
    <div class="incidents">
      <PageHeader title={t('nav.incidents')}>
        <button type="button" class="secondary" onClick={() => { opened.reload(); closed.reload(); }}>{t('act.reload')}</button>
      </PageHeader>
      {nOpen > 0 ? <div class="sp-banner" role="status">{t('incidents.banner', { n: nOpen })}</div> : null}
      <p class="reg-lead muted">{t('incidents.lead')}</p>
      {nisc ? <Declare /> : <p class="hint">{t('incidents.readonly')}</p>}
      <h2>{t('incidents.open')}</h2>
      <ErrorBox error={opened.error} />
      {opened.loading && !opened.data ? <Loading /> : null}
      {opened.data ? (
        <DataTable id="incidents-open" columns={incidentColumns(false)} rows={opened.data.items}
          caption={t('incidents.open')} csv="incidents-open.csv" empty={t('incidents.none_open')} />
      ) : null}
      <h2>{t('incidents.closed')}</h2>
      <ErrorBox error={closed.error} />
      {closed.loading && !closed.data ? <Loading /> : null}
      {closed.data ? (
        <>
          <DataTable id="incidents-closed" columns={incidentColumns(true)} rows={closed.data.items}
            caption={t('incidents.closed')} csv="incidents-closed.csv" />
          <Pager page={closed.data} onOffset={setOffset} />
        </>
      ) : null}
    </div>
  );
}

function known(n) {
  return typeof n === 'number';
}

function countOf(n) {
  return known(n) ? fmtNum(n) : <span class="muted" title={t('incidents.count_hidden')}>—</span>;
}

function reporterOf(r) {
  return r.anonymous ? nameOf(r, 'reporter') : nameOf(r, 'org_name') || r.org_code || '';
}

function LinkForms({ incident, linkedReports, linkedAlerts, onLinked }) {
  // The candidates, refreshed with the situation report (new reports arrive all the time).
  // (a search, when typed, looks beyond the latest 200: by text or by id)
  const [reportQ, setReportQ] = useState('');
  const [alertQ, setAlertQ] = useState('');
  const reports = usePolled('/reports' + qs({ limit: 200, q: reportQ.trim() }), REFRESH_MS);
  const alerts = usePolled('/alerts' + qs({ limit: 200, q: alertQ.trim() }), REFRESH_MS);
  const [report, setReport] = useState('');
  const [alert, setAlert] = useState('');
  const [error, setError] = useState(null);
  const [which, setWhich] = useState('');
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const link = async (e, kind) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setWhich(kind);
    setDone(false);
    try {
      await post('/incidents/' + encodeURIComponent(incident.id) + '/links', kind === 'report' ? { report } : { alert });
      if (kind === 'report') setReport(''); else setAlert('');
      setDone(true);
      onLinked();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const reportOptions = ((reports.data && reports.data.items) || [])
    .filter((r) => !linkedReports.has(r.id))
    .map((r) => [r.id, `${r.title} — ${nameOf(r, 'sector_name')} / ${reporterOf(r)} (${fmtTime(r.updated_at)})`]);
  const alertOptions = ((alerts.data && alerts.data.items) || [])
    .filter((a) => !linkedAlerts.has(a.id))
    .map((a) => [a.id, `${nameOf(a, 'title')} — ${t('sev.' + a.severity)} (${fmtTime(a.created_at)})`]);
  const err = (k) => (which === k ? error : null);
  return (
    <section class="panel" aria-labelledby="inc-link-h">
      <h2 id="inc-link-h">{t('incidents.link')}</h2>
      {done ? <Notice>{t('incidents.link.done')}</Notice> : null}
      <ErrorBox error={reports.error || alerts.error} />
      <div class="sp-link-forms">
        <form onSubmit={(e) => link(e, 'report')} noValidate>
          <ErrorBox error={err('report')} />
          <Field id="link-report-q" label={t('incidents.link.search')}>
            <input id="link-report-q" type="search" value={reportQ} maxLength={200}
              onInput={(e) => { setReportQ(e.currentTarget.value); setReport(''); }} />
          </Field>
          <Field id="link-report" label={t('incidents.link.report')} hint={t('incidents.link.report_hint')}
            error={fieldError(err('report'), 'report')}>
            <Select id="link-report" value={report} onChange={setReport} options={reportOptions}
              blank={t('incidents.link.choose')} />
          </Field>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={busy || !report}>{t('incidents.link.report_btn')}</button>
          </div>
        </form>
        <form onSubmit={(e) => link(e, 'alert')} noValidate>
          <ErrorBox error={err('alert')} />
          <Field id="link-alert-q" label={t('incidents.link.search')}>
            <input id="link-alert-q" type="search" value={alertQ} maxLength={200}
              onInput={(e) => { setAlertQ(e.currentTarget.value); setAlert(''); }} />
          </Field>
          <Field id="link-alert" label={t('incidents.link.alert')} hint={t('incidents.link.alert_hint', { h: incident.ack_hours })}
            error={fieldError(err('alert'), 'alert')}>
            <Select id="link-alert" value={alert} onChange={setAlert} options={alertOptions}
              blank={t('incidents.link.choose')} />
          </Field>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={busy || !alert}>{t('incidents.link.alert_btn')}</button>
          </div>
        </form>
      </div>
    </section>
  );
}

function CloseIncident({ incident, onClosed }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const yes = useRef(null);
  const close = async () => {
    setBusy(true);
    setError(null);
    try {
      await post('/incidents/' + encodeURIComponent(incident.id) + '/close', {});
      setAsking(false);
      onClosed();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  // the question takes the focus once it is on the page
  useEffect(() => {
    if (asking && yes.current) yes.current.focus();
  }, [asking]);
  const ask = () => setAsking(true);
  return (
    <div>
      <ErrorBox error={error} />
      {asking ? (
        <div class="sp-confirm" role="alertdialog" aria-labelledby="inc-close-q">
          <span id="inc-close-q">{t('incidents.close.confirm', { title: incident.title })}</span>
          <button type="button" class="danger" ref={yes} disabled={busy} onClick={close}>{t('incidents.close.yes')}</button>
          <button type="button" class="secondary" onClick={() => setAsking(false)}>{t('act.cancel')}</button>
        </div>
      ) : (
        <button type="button" class="danger" onClick={ask}>{t('incidents.close')}</button>
      )}
    </div>
  );
}

function Stat({ label, value, id }) {
  return (
    <div class="card" id={id}>
      <div class="muted">{label}</div>
      <div class="big">{value}</div>
    </div>
  );
}

function IncidentView({ me, id }) {
  const path = '/incidents/' + encodeURIComponent(id) + '/sitrep';
  const sit = usePolled(path, REFRESH_MS);
  const [note, setNote] = useState('');
  const [keepError, setKeepError] = useState(null);
  const nisc = me.role === 'nisc';
  const s = sit.data;
  if (!s) {
    return (
      <div class="incidents">
        <PageHeader title={t('nav.incidents')} />
        <p><a href={href('/incidents')}>← {t('incidents.back')}</a></p>
        {sit.error ? <ErrorBox error={sit.error} /> : <Loading />}
      </div>
    );
  }
  const inc = s.incident || {};
  const isOpen = inc.state === 'open';
  const sectors = Object.entries(s.sectors || {}).map(([sid, x]) => ({ id: sid, ...x }))
    .sort((a, b) => (b.reports || 0) - (a.reports || 0));
  const reports = sectors.flatMap((x) => (x.items || []).map((r) => ({ ...r, _sector: x })));
  const alerts = s.alerts || [];
  const total = (k) => sectors.reduce((n, x) => n + (x[k] || 0), 0);
  const nReports = total('reports');
  // Counts of deliveries come only with the alerts the caller's org sent (all for NISC).
  const counted = alerts.filter((a) => known(a.recipients));
  const recipients = counted.reduce((n, a) => n + (a.recipients || 0), 0);
  const acked = counted.reduce((n, a) => n + (a.acked || 0), 0);
  const keep = async () => {
    setKeepError(null);
    setNote('');
    try {
      await get(path + '?keep=1');
      setNote(t('incidents.kept'));
      sit.reload();
    } catch (err) {
      setKeepError(err);
    }
  };

  const sectorCols = [
    { key: 'name', label: t('incidents.col.sector'), value: (r) => nameOf(r) },
    { key: 'reports', label: t('incidents.col.reports'), num: true },
    { key: 'recovered', label: t('incidents.col.recovered'), num: true },
    { key: 'unrecovered', label: t('incidents.col.unrecovered'), num: true, value: (r) => (r.reports || 0) - (r.recovered || 0) },
    { key: 'verification_breached', label: t('incidents.col.breached'), num: true },
  ];
  const reportCols = [
    { key: 'sector', label: t('incidents.col.sector'), value: (r) => nameOf(r, 'sector_name') || nameOf(r._sector) },
    { key: 'title', label: t('incidents.col.report'), render: (r) => <a href={href('/reports/' + r.id)}>{r.title}</a> },
    { key: 'reporter', label: t('incidents.col.reporter'), value: reporterOf },
    { key: 'status', label: t('incidents.col.status'), value: (r) => t('incidents.status.' + r.status) },
    {
      key: 'verification_breached', label: t('incidents.col.breached'),
      value: (r) => (r.verification_breached ? t('incidents.breached') : ''),
      render: (r) => (r.verification_breached ? <span class="badge badge-bad">{t('incidents.breached')}</span> : null),
    },
    { key: 'tlp', label: t('tlp.label'), render: (r) => <TlpBadge tlp={r.tlp} /> },
    { key: 'occurred_at', label: t('incidents.col.occurred'), render: (r) => <Time v={r.occurred_at} /> },
    { key: 'updated_at', label: t('incidents.col.updated'), render: (r) => <Time v={r.updated_at} /> },
  ];
  const alertCols = [
    { key: 'title', label: t('incidents.col.alert'), value: (r) => nameOf(r, 'title'), render: (r) => <a href={href('/alerts/' + r.id)}>{nameOf(r, 'title')}</a> },
    { key: 'severity', label: t('incidents.col.severity'), value: (r) => t('sev.' + r.severity), render: (r) => <Severity value={r.severity} /> },
    { key: 'ack_deadline', label: t('incidents.col.deadline'), render: (r) => <Time v={r.ack_deadline} /> },
    { key: 'recipients', label: t('incidents.col.recipients'), num: true, render: (r) => countOf(r.recipients) },
    { key: 'acked', label: t('incidents.col.acked'), num: true, render: (r) => countOf(r.acked) },
    {
      key: 'unacked', label: t('incidents.col.unacked'), num: true,
      value: (r) => (known(r.recipients) && known(r.acked) ? r.recipients - r.acked : ''),
      render: (r) => (known(r.recipients) && known(r.acked) ? countOf(r.recipients - r.acked) : countOf(null)),
    },
  ];
  return (
    <div class="incidents">
      <PageHeader title={inc.title || t('nav.incidents')}>
        <button type="button" class="secondary" onClick={sit.reload}>{t('act.reload')}</button>
        {nisc && isOpen ? <button type="button" class="secondary" onClick={keep}>{t('incidents.keep')}</button> : null}
      </PageHeader>
      <p><a href={href('/incidents')}>← {t('incidents.back')}</a></p>
      {isOpen ? <div class="sp-banner" role="status">{t('incidents.state.open')}: {inc.title}</div>
        : <Notice kind="ok">{t('incidents.closed_note', { at: fmtTime(inc.closed_at) })}</Notice>}
      <ErrorBox error={sit.error} />
      <ErrorBox error={keepError} />
      {note ? <Notice>{note}</Notice> : null}
      <section class="panel" aria-label={t('incidents.description')}>
        <dl class="props">
          <dt>{t('incidents.col.state')}</dt><dd><StateBadge state={inc.state} /></dd>
          {inc.description ? <><dt>{t('incidents.description')}</dt><dd class="sp-body">{inc.description}</dd></> : null}
          <dt>{t('incidents.col.declared')}</dt><dd><Time v={inc.declared_at} /> ({inc.declared_by})</dd>
          {inc.closed_at ? <><dt>{t('incidents.col.closed')}</dt><dd><Time v={inc.closed_at} /> ({inc.closed_by})</dd></> : null}
          <dt>{t('incidents.col.ack_hours')}</dt><dd>{inc.ack_hours}</dd>
          <dt>{t('incidents.col.sitrep_minutes')}</dt><dd>{inc.sitrep_minutes}</dd>
          <dt>{t('incidents.last_sitrep')}</dt><dd><Time v={inc.last_sitrep_at} /></dd>
        </dl>
        {isOpen ? <p class="hint">{t('incidents.auto')}</p> : null}
      </section>
      <div class="cards sp-stats" aria-label={t('incidents.sitrep')}>
        <Stat id="stat-reports" label={t('incidents.stat.reports')} value={fmtNum(nReports)} />
        <Stat id="stat-sectors" label={t('incidents.stat.sectors')} value={fmtNum(sectors.length)} />
        <Stat id="stat-unrecovered" label={t('incidents.stat.unrecovered')} value={fmtNum(nReports - total('recovered'))} />
        <Stat id="stat-breached" label={t('incidents.stat.breached')} value={fmtNum(total('verification_breached'))} />
        {counted.length ? <Stat id="stat-acked" label={t('incidents.stat.acked')} value={`${fmtNum(acked)} / ${fmtNum(recipients)}`} />
          : <Stat id="stat-alerts" label={t('incidents.alerts')} value={fmtNum(alerts.length)} />}
      </div>
      <h2>{t('incidents.sitrep')}</h2>
      <p class="hint">{t('incidents.sitrep_note')}</p>
      <DataTable id="incident-sitrep" columns={sectorCols} rows={sectors} caption={t('incidents.sitrep')}
        csv={`sitrep-${inc.id}.csv`} filter={false} empty={t('incidents.no_reports')} />
      <h2>{t('incidents.reports')}</h2>
      <DataTable id="incident-reports" columns={reportCols} rows={reports} caption={t('incidents.reports')}
        csv={`incident-reports-${inc.id}.csv`} empty={t('incidents.no_reports')} />
      <h2>{t('incidents.alerts')}</h2>
      <DataTable id="incident-alerts" columns={alertCols} rows={alerts} caption={t('incidents.alerts')}
        csv={`incident-alerts-${inc.id}.csv`} empty={t('incidents.no_alerts')} />
      {counted.length < alerts.length ? <p class="hint">{t('incidents.count_hidden')}</p> : null}
      {nisc && isOpen ? (
        <>
          <LinkForms incident={inc} linkedReports={new Set(reports.map((r) => r.id))}
            linkedAlerts={new Set(alerts.map((a) => a.id))} onLinked={sit.reload} />
          <section class="panel" aria-label={t('incidents.close')}>
            <CloseIncident incident={inc} onClosed={() => { setNote(t('incidents.close.done')); sit.reload(); }} />
          </section>
        </>
      ) : null}
      {!nisc ? <p class="hint">{t('incidents.readonly')}</p> : null}
    </div>
  );
}

export function Incidents({ me, id }) {
  return id ? <IncidentView me={me} id={id} /> : <IncidentList me={me} />;
}
