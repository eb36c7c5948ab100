// exercises_eval.jsx - the evaluation tab of an exercise (evaluators,
// advisers, controllers): notes (observations, advice, lessons with an owner
// and a due date) and the after-action report: per participant and per
// sector, the scenario time from each inject to the acknowledgement, the
// first report, the first sharing beyond the sector and the cause
// identified; a bar chart of the mean times (SVG); CSV and printable HTML.
import { useState } from 'preact/hooks';
import { download, post } from '../api.js';
import { t } from '../i18n.js';
import { DataTable, ErrorBox, Field, ListTable, Loading, Notice, Select, Time, useAction, useFetch, useNames } from '../ui.jsx';
import { fmtDur, fmtT, orgText, usePolled } from './exercises_common.jsx';

const METRICS = ['ack', 'report', 'share', 'cause'];
// two of Paul Tol's colour-blind-safe colours, as the analysis charts
const COLOURS = ['#332288', '#CC6677'];

function exPath(ex, rest = '') {
  return '/exercises/' + encodeURIComponent(ex.id) + rest;
}

function noteKinds(parts) {
  const p = parts || [];
  const kinds = [];
  if (p.some((x) => ['evaluator', 'controller', 'owner'].includes(x))) kinds.push('observation');
  if (p.includes('adviser')) kinds.push('advice');
  if (p.some((x) => ['evaluator', 'controller', 'owner'].includes(x))) kinds.push('lesson');
  return kinds.length ? kinds : ['observation'];
}

function Notes({ ex, players, injects }) {
  const notes = usePolled(exPath(ex, '/notes'), 10000);
  const kinds = noteKinds(ex.parts);
  const [form, setForm] = useState({ kind: kinds[0], body: '', org: '', inject: '', owner: '', due: '' });
  const [saved, setSaved] = useState(false);
  const { error, busy, run, fe } = useAction();
  const set = (k) => (v) => setForm((f) => ({ ...f, [k]: v }));
  const input = (k) => (e) => set(k)(e.currentTarget.value);
  const submit = (e) => {
    e.preventDefault();
    run(async () => {
      setSaved(false);
      const body = { kind: form.kind, body: form.body };
      if (form.org) body.org = form.org;
      if (form.inject) body.inject = form.inject;
      if (form.kind === 'lesson') {
        body.owner = form.owner;
        body.due = form.due;
      }
      await post(exPath(ex, '/notes'), body);
      setForm((f) => ({ ...f, body: '', owner: '', due: '' }));
      setSaved(true);
      await notes.reload();
    });
  };
  const rows = ((notes.data && (Array.isArray(notes.data) ? notes.data : notes.data.items)) || []).map((n, i) => ({ ...n, _k: n.id || i }));
  const orgName = (id) => {
    const m = players.find((x) => x.org === id);
    return m ? orgText(m) : '';
  };
  const injectTitle = (id) => {
    const i = injects.find((x) => x.id === id || String(x.seq) === String(id));
    return i ? `${i.seq}. ${i.title}` : id;
  };
  return (
    <section class="panel" aria-labelledby="ex-notes-title">
      <h2 id="ex-notes-title">{t('ex.n.title')}</h2>
      <ErrorBox error={notes.error} />
      <form class="sp-form" onSubmit={submit} noValidate aria-label={t('ex.n.title')} id="ex-note-form">
        <ErrorBox error={error} />
        {saved ? <Notice>{t('ex.n.saved')}</Notice> : null}
        <div class="form-grid">
          <Field id="exn-kind" label={t('ex.n.kind')} error={fe('kind')}>
            <Select id="exn-kind" value={form.kind} onChange={set('kind')} options={kinds.map((k) => [k, t('ex.n.kind.' + k)])} />
          </Field>
          <Field id="exn-org" label={t('ex.n.org')} error={fe('org')}>
            <Select id="exn-org" value={form.org} onChange={set('org')} blank={t('ex.n.any')}
              options={players.map((p) => [p.org, `${orgText(p)}${p.org_code ? ' (' + p.org_code + ')' : ''}`])} />
          </Field>
          <Field id="exn-inject" label={t('ex.n.inject')} error={fe('inject')}>
            <Select id="exn-inject" value={form.inject} onChange={set('inject')} blank={t('ex.n.any')}
              options={injects.map((i) => [i.id, `${i.seq}. ${i.title}`])} />
          </Field>
        </div>
        <Field id="exn-body" label={t('ex.n.body')} error={fe('body')}>
          <textarea id="exn-body" maxLength={20000} value={form.body} onInput={input('body')} />
        </Field>
        {form.kind === 'lesson' ? (
          <div class="form-grid">
            <Field id="exn-owner" label={t('ex.n.owner')} error={fe('owner')}>
              <input id="exn-owner" maxLength={200} value={form.owner} onInput={input('owner')} />
            </Field>
            <Field id="exn-due" label={t('ex.n.due')} error={fe('due')}>
              <input id="exn-due" type="date" value={form.due} onInput={input('due')} />
            </Field>
          </div>
        ) : null}
        <div class="form-actions">
          <button type="submit" class="primary" id="exn-submit" disabled={busy || !form.body.trim()}>{t('ex.n.submit')}</button>
        </div>
      </form>
      {notes.loading && !notes.data ? <Loading /> : (
        <ListTable id="ex-notes" rows={rows} rowKey="_k" empty={t('ex.n.none')}
          columns={[
            { label: t('ex.n.col.at'), render: (n) => (n.at_s !== undefined ? fmtT(n.at_s) : <Time v={n.created_at} />) },
            { label: t('ex.n.kind'), render: (n) => <span class="badge">{t('ex.n.kind.' + n.kind)}</span> },
            { label: t('ex.n.col.author'), render: (n) => n.author_name || n.author || '' },
            { label: t('ex.n.org'), render: (n) => orgName(n.org) || n.org_code || '' },
            { label: t('ex.n.inject'), render: (n) => (n.inject ? injectTitle(n.inject) : '') },
            {
              label: t('ex.n.body'),
              render: (n) => <><div class="pre">{n.body}</div>{n.owner || n.due ? <div class="small muted">{n.owner} {n.due}</div> : null}</>,
            },
          ]} />
      )}
    </section>
  );
}

function stat(x, k) {
  return x && x[k] !== undefined && x[k] !== null ? x[k] : null;
}

function statColumns(lead) {
  const cols = [...lead];
  cols.push({ key: 'met', label: t('ex.r.met'), num: true, value: (r) => r.met ?? '' });
  cols.push({ key: 'missed', label: t('ex.r.missed'), num: true, value: (r) => r.missed ?? '' });
  for (const m of METRICS) {
    const what = t('ex.r.' + m);
    cols.push({ key: m + '_n', label: t('ex.r.n', { what }), num: true, value: (r) => stat(r[m], 'n') ?? '' });
    cols.push({ key: m + '_mean', label: t('ex.r.mean', { what }), num: true, value: (r) => stat(r[m], 'mean') ?? '', render: (r) => fmtDur(stat(r[m], 'mean')) });
    cols.push({ key: m + '_median', label: t('ex.r.median', { what }), num: true, value: (r) => stat(r[m], 'median') ?? '', render: (r) => fmtDur(stat(r[m], 'median')) });
    cols.push({ key: m + '_max', label: t('ex.r.max', { what }), num: true, value: (r) => stat(r[m], 'max') ?? '', render: (r) => fmtDur(stat(r[m], 'max')) });
  }
  return cols;
}

// Horizontal bars of each participant's mean time to acknowledge and to
// report (SVG: attributes only, nothing inline for the CSP to refuse).
function Bars({ participants }) {
  const shown = ['ack', 'report'];
  const rows = participants.filter((p) => shown.some((m) => stat(p[m], 'mean') !== null));
  if (!rows.length) return <p class="muted">{t('ex.r.none')}</p>;
  const max = Math.max(60, ...rows.flatMap((p) => shown.map((m) => stat(p[m], 'mean') || 0)));
  const labelW = 200;
  const barW = 460;
  const rowH = 18;
  const gap = 10;
  const groupH = shown.length * rowH + gap;
  const height = rows.length * groupH + 30;
  return (
    <figure id="ex-chart">
      <figcaption>{t('ex.r.chart')}</figcaption>
      <div class="table-scroll">
        <svg viewBox={`0 0 ${labelW + barW + 80} ${height}`} width={labelW + barW + 80} height={height} role="img" aria-label={t('ex.r.chart.label')}>
          {rows.map((p, i) => {
            const y0 = i * groupH;
            return (
              <g key={p.org || i} data-org={p.org_code || p.org}>
                <text x={labelW - 8} y={y0 + rowH} text-anchor="end" font-size="13" fill="#1b1f24">{orgText(p)}</text>
                {shown.map((m, j) => {
                  const v = stat(p[m], 'mean');
                  const w = v === null ? 0 : Math.max(2, (barW * v) / max);
                  const y = y0 + j * rowH;
                  return (
                    <g key={m}>
                      <rect x={labelW} y={y + 2} width={w} height={rowH - 4} fill={COLOURS[j]}>
                        <title>{`${orgText(p)} — ${t('ex.r.mean', { what: t('ex.r.' + m) })}: ${fmtDur(v)}`}</title>
                      </rect>
                      <text x={labelW + w + 6} y={y + rowH - 5} font-size="12" fill="#1b1f24">{fmtDur(v)}</text>
                    </g>
                  );
                })}
              </g>
            );
          })}
          {shown.map((m, j) => (
            <g key={m}>
              <rect x={labelW + j * 140} y={height - 18} width="12" height="12" fill={COLOURS[j]} />
              <text x={labelW + j * 140 + 18} y={height - 8} font-size="12" fill="#1b1f24">{t('ex.r.mean', { what: t('ex.r.' + m) })}</text>
            </g>
          ))}
        </svg>
      </div>
    </figure>
  );
}

function AfterAction({ ex }) {
  const sector = useNames('/sectors');
  const report = usePolled(exPath(ex, '/report?format=json'), 15000);
  const { error, run } = useAction();
  const r = report.data;
  const participants = (r && r.participants) || [];
  const sectors = (r && r.sectors) || [];
  const rows = ((r && r.rows) || []).map((x, i) => ({ ...x, _k: i }));
  const orgCol = { key: 'org', label: t('ex.r.org'), value: (p) => `${orgText(p)}${p.org_code ? ' (' + p.org_code + ')' : ''}` };
  const teamCol = { key: 'team', label: t('ex.r.team'), value: (p) => (p.team ? sector(p.team) : '') };
  const rowCols = [
    { key: 'inject_seq', label: t('ex.i.seq'), num: true, value: (x) => x.inject_seq },
    { key: 'inject_title', label: t('ex.r.inject'), value: (x) => x.inject_title || '' },
    { key: 'at_s', label: t('ex.i.at'), num: true, value: (x) => x.at_s, render: (x) => fmtT(x.at_s) },
    orgCol,
    teamCol,
    ...METRICS.map((m) => ({
      key: m + '_s', label: `${t('ex.r.' + m)} ${t('ex.dur.col')}`, num: true, value: (x) => x[m + '_s'] ?? '',
      render: (x) => <span data-col={m}>{fmtDur(x[m + '_s'])}</span>,
    })),
    {
      key: 'expected', label: t('ex.r.expected'),
      value: (x) => (x.expected || []).map((e) => `${t('ex.exp.' + e.action)}: ${e.met ? t('ex.r.met') : t('ex.r.missed')}`).join(' / '),
      render: (x) => (x.expected || []).map((e) => (
        <span key={e.action} class={'badge ' + (e.met ? 'badge-ok' : 'badge-bad')}>{t('ex.exp.' + e.action)}: {e.met ? t('ex.r.met') : t('ex.r.missed')}</span>
      )),
    },
  ];
  return (
    <section class="panel" aria-labelledby="ex-report-title">
      <h2 id="ex-report-title">{t('ex.r.title')}</h2>
      <p class="hint">{t('ex.r.lead')}</p>
      <div class="form-actions">
        <a class="button secondary" id="ex-report-html" href={'/api/v1' + exPath(ex, '/report?format=html')} download={`after-action-${ex.id}.html`}>{t('ex.r.html')}</a>
        <button type="button" class="secondary" id="ex-report-csv"
          onClick={() => run(() => download(exPath(ex, '/report?format=csv'), `after-action-${ex.id}.csv`))}>{t('ex.r.csv')}</button>
        <button type="button" class="secondary" onClick={report.reload}>{t('ex.r.reload')}</button>
      </div>
      <ErrorBox error={report.error || error} />
      {report.loading && !r ? <Loading /> : null}
      {r ? (
        <>
          <Bars participants={participants} />
          <h3>{t('ex.r.participants')}</h3>
          <DataTable id="ex-report-participants" columns={statColumns([orgCol, teamCol])} rows={participants.map((p, i) => ({ ...p, _k: i }))}
            rowKey="_k" caption={t('ex.r.participants')} csv={`participants-${ex.id}.csv`} filter={false} empty={t('ex.r.none')} />
          <h3>{t('ex.r.sectors')}</h3>
          <DataTable id="ex-report-sectors" columns={statColumns([teamCol])} rows={sectors.map((p, i) => ({ ...p, _k: i }))}
            rowKey="_k" caption={t('ex.r.sectors')} csv={`sectors-${ex.id}.csv`} filter={false} empty={t('ex.r.none')} />
          <h3>{t('ex.r.rows')}</h3>
          <DataTable id="ex-report-rows" columns={rowCols} rows={rows} rowKey="_k" caption={t('ex.r.rows')}
            csv={`responses-${ex.id}.csv`} empty={t('ex.r.none')} />
        </>
      ) : null}
    </section>
  );
}

export function EvaluateTab({ ex }) {
  const injects = useFetch(exPath(ex, '/injects'));
  // the player organisations, from the members evaluators are shown
  const players = (ex.members || []).filter((m) => m.role === 'player' && m.org);
  const list = (injects.data && injects.data.items) || [];
  return (
    <div id="ex-evaluate">
      <Notes ex={ex} players={players} injects={list} />
      <AfterAction ex={ex} />
    </div>
  );
}
