// plans.jsx - the action plan's PDCA (行動計画・年度計画): the plans; one plan
// with its summary ("N of M measures, x%, as planned"), its measures (owners,
// deadlines, the owners' half-yearly progress, the grade), the form in which an
// owner ministry files progress on its measures, NISC's evaluation form, and
// the evaluation indicators (評価指標) with their trend charts. Everyone reads;
// what a role may change is the server's answer (the forms show for the roles
// the policy lets act). NISC's corrections of a plan are in plan_edit.jsx; the
// order of a pillar's measures is changed here, by ↑ ↓ in the measures' list.
import './plans.css';
import { useState } from 'preact/hooks';
import { download, get, patch, post } from '../api.js';
import { extend, fmtNum, nameOf, t } from '../i18n.js';
import { href } from '../router.js';
import { MeasureDelete, MeasureForm, PillarEditor, PlanEditForm } from './plan_edit.jsx';
import {
  DataTable, ErrorBox, Field, ListTable, Loading, Notice, PageHeader, Select, Time, useAction, useFetch,
} from '../ui.jsx';

extend({
  ja: {
    'plans.title': '行動計画・年度計画',
    'plans.lead': '重要インフラの情報セキュリティ対策の計画 (Plan)、所管省庁による半期ごとの進捗報告 (Do・Check)、年度末の NISC による評価 (Act) です。',
    'plans.col.title': '計画',
    'plans.col.kind': '種別',
    'plans.col.year': '年度・期間',
    'plans.col.measures': '施策数',
    'plans.col.evaluated': '評価済み',
    'plans.kind.action-plan': '行動計画',
    'plans.kind.yearly': '年度計画',
    'plans.samples': 'サンプルの計画を読み込む',
    'plans.sample_load': '読み込む',
    'plans.sample_done': 'サンプルの計画を読み込みました。',
    'plans.none': '計画はまだありません。',
    'plans.back': '計画の一覧へ',
    'plans.summary': '評価の概要',
    'plans.summary_none': 'まだ評価されていません。',
    'plans.evaluated': '評価済み {n} / {m} 施策',
    'plans.pillars': '施策の柱',
    'plans.measures': '具体的施策',
    'plans.mine_only': '自組織が担当する施策のみ',
    'plans.col.code': '番号',
    'plans.col.measure': '施策',
    'plans.col.owners': '担当',
    'plans.col.deadline': '期限',
    'plans.col.progress': '最新の進捗',
    'plans.col.grade': '評価',
    'plans.col.actions': '操作',
    'plans.overdue': '期限超過',
    'plans.act.progress': '進捗を報告',
    'plans.act.evaluate': '評価する',
    'plans.progress.title': '進捗報告: {code}',
    'plans.progress.year': '年度',
    'plans.progress.half': '半期',
    'plans.half.H1': '上期 (4–9月)',
    'plans.half.H2': '下期 (10–3月)',
    'plans.progress.status': '状況',
    'plans.status.not-started': '未着手',
    'plans.status.on-track': '予定どおり',
    'plans.status.delayed': '遅れ',
    'plans.status.completed': '完了',
    'plans.progress.note': '内容',
    'plans.progress.submit': '進捗を報告する',
    'plans.progress.done': '進捗を報告しました。',
    'plans.progress.history': 'これまでの進捗報告',
    'plans.eval.title': '年度末の評価: {code}',
    'plans.eval.grade': '評価',
    'plans.eval.comment': '評価の所見',
    'plans.eval.submit': '評価を保存',
    'plans.eval.done': '評価を保存しました。',
    'plans.csv': '評価を CSV でダウンロード',
    'plans.indicators': '評価指標',
    'plans.ind.none': '評価指標はまだありません。',
    'plans.ind.area': '分野',
    'plans.ind.name_ja': '指標名 (日本語)',
    'plans.ind.name_en': '指標名 (英語)',
    'plans.ind.unit': '単位',
    'plans.ind.better': '望ましい方向',
    'plans.better.higher': '高いほど良い',
    'plans.better.lower': '低いほど良い',
    'plans.ind.add': '評価指標を追加',
    'plans.ind.added': '評価指標を追加しました。',
    'plans.ind.value': '値を記入',
    'plans.ind.year': '年度',
    'plans.ind.val': '値',
    'plans.ind.note': '備考',
    'plans.ind.save': '値を保存',
    'plans.ind.saved': '値を保存しました。',
    'plans.ind.which': '指標',
    'plans.trend.up': '上昇',
    'plans.trend.down': '低下',
    'plans.trend.flat': '横ばい',
    'plans.assess.improving': '改善',
    'plans.assess.worsening': '悪化',
    'plans.assess.unchanged': '変化なし',
    'plans.chart': '{name} の推移',
    'plans.readonly': '計画の作成と評価は NISC が、進捗報告は施策を担当する省庁が行います。',
  },
  en: {
    'plans.title': 'Action plan and yearly plans',
    'plans.lead': 'The plan of information-security measures for critical infrastructure (Plan), the owner ministries\u2019 half-yearly progress (Do, Check) and NISC\u2019s year-end evaluation (Act).',
    'plans.col.title': 'Plan',
    'plans.col.kind': 'Kind',
    'plans.col.year': 'Year or period',
    'plans.col.measures': 'Measures',
    'plans.col.evaluated': 'Evaluated',
    'plans.kind.action-plan': 'Action plan',
    'plans.kind.yearly': 'Yearly plan',
    'plans.samples': 'Load a sample plan',
    'plans.sample_load': 'Load',
    'plans.sample_done': 'The sample plan was loaded.',
    'plans.none': 'No plans yet.',
    'plans.back': 'Back to the plans',
    'plans.summary': 'Evaluation summary',
    'plans.summary_none': 'Not evaluated yet.',
    'plans.evaluated': '{n} of {m} measures evaluated',
    'plans.pillars': 'Pillars',
    'plans.measures': 'Measures',
    'plans.mine_only': 'Only the measures my organisation owns',
    'plans.col.code': 'Code',
    'plans.col.measure': 'Measure',
    'plans.col.owners': 'Owners',
    'plans.col.deadline': 'Deadline',
    'plans.col.progress': 'Latest progress',
    'plans.col.grade': 'Grade',
    'plans.col.actions': 'Actions',
    'plans.overdue': 'overdue',
    'plans.act.progress': 'File progress',
    'plans.act.evaluate': 'Evaluate',
    'plans.progress.title': 'Progress report: {code}',
    'plans.progress.year': 'Fiscal year',
    'plans.progress.half': 'Half',
    'plans.half.H1': 'H1 (April–September)',
    'plans.half.H2': 'H2 (October–March)',
    'plans.progress.status': 'Status',
    'plans.status.not-started': 'Not started',
    'plans.status.on-track': 'On track',
    'plans.status.delayed': 'Delayed',
    'plans.status.completed': 'Completed',
    'plans.progress.note': 'Report',
    'plans.progress.submit': 'File the progress report',
    'plans.progress.done': 'The progress report was filed.',
    'plans.progress.history': 'Progress reports so far',
    'plans.eval.title': 'Year-end evaluation: {code}',
    'plans.eval.grade': 'Grade',
    'plans.eval.comment': 'Findings',
    'plans.eval.submit': 'Save the evaluation',
    'plans.eval.done': 'The evaluation was saved.',
    'plans.csv': 'Download the evaluation (CSV)',
    'plans.indicators': 'Evaluation indicators',
    'plans.ind.none': 'No evaluation indicators yet.',
    'plans.ind.area': 'Area',
    'plans.ind.name_ja': 'Name (Japanese)',
    'plans.ind.name_en': 'Name (English)',
    'plans.ind.unit': 'Unit',
    'plans.ind.better': 'Better when',
    'plans.better.higher': 'higher',
    'plans.better.lower': 'lower',
    'plans.ind.add': 'Add an evaluation indicator',
    'plans.ind.added': 'The indicator was added.',
    'plans.ind.value': 'Fill in a value',
    'plans.ind.year': 'Fiscal year',
    'plans.ind.val': 'Value',
    'plans.ind.note': 'Note',
    'plans.ind.save': 'Save the value',
    'plans.ind.saved': 'The value was saved.',
    'plans.ind.which': 'Indicator',
    'plans.trend.up': 'up',
    'plans.trend.down': 'down',
    'plans.trend.flat': 'flat',
    'plans.assess.improving': 'improving',
    'plans.assess.worsening': 'worsening',
    'plans.assess.unchanged': 'unchanged',
    'plans.chart': 'Trend of {name}',
    'plans.readonly': 'NISC makes and evaluates plans; the ministries owning a measure file its progress.',
  },
});

const GRADES = ['A', 'A-staffing', 'B+', 'B', 'C', '-'];
const STATUSES = ['not-started', 'on-track', 'delayed', 'completed'];

function gradeShort(g) {
  return g === 'A-staffing' ? '「A」' : g;
}

export function Plans({ me, id }) {
  return id ? <PlanView me={me} id={id} /> : <PlanList me={me} />;
}

function PlanList({ me }) {
  const list = useFetch('/plans?limit=500');
  const samples = useFetch(me.role === 'nisc' ? '/plans/samples' : null);
  const act = useAction();
  const [done, setDone] = useState('');
  const load = (name) => act.run(async () => {
    const p = await post('/plans/samples/' + encodeURIComponent(name), {});
    setDone(t('plans.sample_done'));
    list.reload();
    location.hash = href('/plans/' + p.id);
  });
  const columns = [
    { key: 'title', label: t('plans.col.title'), value: (p) => nameOf(p, 'title'),
      render: (p) => <a href={href('/plans/' + p.id)}>{nameOf(p, 'title')}</a> },
    { key: 'kind', label: t('plans.col.kind'), value: (p) => t('plans.kind.' + p.kind) },
    { key: 'year', label: t('plans.col.year'), value: (p) => p.year || p.period },
    { key: 'measures', label: t('plans.col.measures'), num: true },
    { key: 'evaluated', label: t('plans.col.evaluated'), num: true },
  ];
  return (
    <section>
      <PageHeader title={t('plans.title')} />
      <p class="lead">{t('plans.lead')}</p>
      {samples.data && samples.data.items.length ? (
        <div class="panel" id="plan-samples">
          <h2>{t('plans.samples')}</h2>
          <ul>
            {samples.data.items.map((s) => (
              <li key={s.name}>
                {nameOf(s, 'title')} <span class="muted">({s.name})</span>{' '}
                <button type="button" class="secondary" disabled={act.busy} onClick={() => load(s.name)}
                  aria-label={`${t('plans.sample_load')}: ${s.name}`}>{t('plans.sample_load')}</button>
              </li>
            ))}
          </ul>
          <ErrorBox error={act.error} />
          {done ? <Notice>{done}</Notice> : null}
        </div>
      ) : null}
      {list.error ? <ErrorBox error={list.error} /> : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? <DataTable id="plans-table" columns={columns} rows={list.data.items} csv="plans.csv"
        empty={t('plans.none')} /> : null}
    </section>
  );
}

function Summary({ s }) {
  return (
    <div class="panel" id="plan-summary">
      <h2>{t('plans.summary')}</h2>
      <p class="plan-headline" id="plan-headline">{nameOf(s, 'text')}</p>
      <p class="muted">{t('plans.evaluated', { n: s.evaluated, m: s.measures })}</p>
      <div class="cards plan-grades">
        {s.grades.map((g) => (
          <div class={`card grade-card${g.as_planned ? ' grade-planned' : ''}`} key={g.grade} data-grade={g.grade}
            title={nameOf(g, 'label')}>
            <div class="big">{s.by_grade[g.grade]}</div>
            <div>{gradeShort(g.grade)}</div>
          </div>
        ))}
      </div>
    </div>
  );
}

function latest(m) {
  return m.progress && m.progress.length ? m.progress[0] : null;
}

function PlanView({ me, id }) {
  const plan = useFetch('/plans/' + encodeURIComponent(id));
  const [mine, setMine] = useState(false);
  const measures = useFetch('/plans/' + encodeURIComponent(id) + '/measures' + (mine ? '?owner=' + encodeURIComponent(me.org) : ''));
  const [sel, setSel] = useState(null); // {m, kind: 'progress'|'evaluate'|'edit'|'delete'|'add' (pl)}
  const [editing, setEditing] = useState(false);
  const [msg, setMsg] = useState('');
  const move = useAction();
  const reload = () => { plan.reload(); measures.reload(); };
  const edited = (text) => { setMsg(text || ''); setSel(null); reload(); };
  const open = (s) => { setMsg(''); setSel(s); };
  if (plan.error) return <ErrorBox error={plan.error} />;
  if (!plan.data) return <Loading />;
  const p = plan.data;
  const gov = me.role === 'nisc' || me.role === 'ministry';
  const today = new Date().toISOString().slice(0, 10);
  // NISC moves a measure one place among its pillar's measures, as the
  // whole list (in the plan's order) shows them; not on a filtered list
  const items = measures.data ? measures.data.items : [];
  const place = new Map();
  const count = {};
  for (const m of items) {
    place.set(m.id, count[m.pillar] || 0);
    count[m.pillar] = (count[m.pillar] || 0) + 1;
  }
  const movable = me.role === 'nisc' && !mine;
  const moveTo = (m, i) => move.run(async () => {
    await patch(`/plans/${encodeURIComponent(id)}/measures/${encodeURIComponent(m.id)}`, { position: i });
    setMsg('');
    reload();
  });
  const columns = [
    { key: 'code', label: t('plans.col.code') },
    { key: 'title', label: t('plans.col.measure'), value: (m) => nameOf(m, 'title') },
    { key: 'owners', label: t('plans.col.owners'), value: (m) => m.owners.map((o) => nameOf(o)).join('、') },
    { key: 'deadline', label: t('plans.col.deadline'),
      render: (m) => <>{m.deadline}{m.deadline && m.deadline < today && !m.grade ? <> <span class="badge badge-warn">{t('plans.overdue')}</span></> : null}</> },
    ...(gov ? [{ key: 'progress', label: t('plans.col.progress'),
      value: (m) => { const l = latest(m); return l ? `${l.year} ${l.half} ${l.org_code}: ${t('plans.status.' + l.status)}` : ''; } }] : []),
    { key: 'grade', label: t('plans.col.grade'), value: (m) => (m.grade ? gradeShort(m.grade) : ''),
      render: (m) => (m.grade ? <span class="badge" title={nameOf(m, 'grade_label')}>{gradeShort(m.grade)}</span> : '') },
    { key: 'actions', label: t('plans.col.actions'), value: () => '',
      render: (m) => (
        <span class="plan-actions">
          {movable ? <button type="button" class="secondary" data-act="measure-up" disabled={place.get(m.id) === 0 || move.busy}
            onClick={() => moveTo(m, place.get(m.id) - 1)} aria-label={`${t('planedit.up')}: ${m.code}`}>↑</button> : null}
          {movable ? <button type="button" class="secondary" data-act="measure-down"
            disabled={place.get(m.id) === count[m.pillar] - 1 || move.busy}
            onClick={() => moveTo(m, place.get(m.id) + 1)} aria-label={`${t('planedit.down')}: ${m.code}`}>↓</button> : null}
          {m.mine ? <button type="button" class="secondary" data-act="progress" onClick={() => open({ m, kind: 'progress' })}
            aria-label={`${t('plans.act.progress')}: ${m.code}`}>{t('plans.act.progress')}</button> : null}
          {me.role === 'nisc' ? <button type="button" class="secondary" data-act="evaluate" onClick={() => open({ m, kind: 'evaluate' })}
            aria-label={`${t('plans.act.evaluate')}: ${m.code}`}>{t('plans.act.evaluate')}</button> : null}
          {me.role === 'nisc' ? <button type="button" class="secondary" data-act="edit" onClick={() => open({ m, kind: 'edit' })}
            aria-label={`${t('planedit.edit')}: ${m.code}`}>{t('planedit.edit')}</button> : null}
          {me.role === 'nisc' ? <button type="button" class="secondary" data-act="delete" onClick={() => open({ m, kind: 'delete' })}
            aria-label={`${t('planedit.delete')}: ${m.code}`}>{t('planedit.delete')}</button> : null}
        </span>
      ) },
  ];
  return (
    <section>
      <p><a href={href('/plans')}>{t('plans.back')}</a></p>
      <PageHeader title={nameOf(p, 'title')}>
        {me.role === 'nisc' ? <button type="button" class="secondary" id="plan-edit"
          onClick={() => setEditing(!editing)}>{t('planedit.plan')}</button> : null}
        <button type="button" class="secondary" id="plan-csv"
          onClick={() => download(`/plans/${encodeURIComponent(id)}/evaluation?format=csv`, `evaluation-${id}.csv`)}>{t('plans.csv')}</button>
      </PageHeader>
      <p class="muted">{t('plans.kind.' + p.kind)} · {p.year || p.period}</p>
      {editing ? <PlanEditForm key={p.id} plan={p} onDone={plan.reload} onClose={() => setEditing(false)} /> : null}
      <Summary s={p.summary} />
      {me.role === 'nisc' ? <PillarEditor plan={p} onDone={reload} onAddMeasure={(pl) => open({ pl, kind: 'add' })} /> : null}
      <div class="panel">
        <h2>{t('plans.measures')}</h2>
        {me.role === 'ministry' || me.role === 'nisc' ? (
          <label class="choice"><input type="checkbox" id="plan-mine" checked={mine}
            onChange={(e) => setMine(e.currentTarget.checked)} /> {t('plans.mine_only')}</label>
        ) : <p class="muted">{t('plans.readonly')}</p>}
        {measures.error ? <ErrorBox error={measures.error} /> : null}
        <ErrorBox error={move.error} />
        {measures.data ? <DataTable id="plan-measures" columns={columns} rows={measures.data.items}
          csv={`measures-${id}.csv`} /> : <Loading />}
        {sel && sel.kind === 'progress' ? <ProgressForm key={'p' + sel.m.id} plan={p} m={sel.m} onDone={reload} /> : null}
        {sel && sel.kind === 'evaluate' ? <EvaluateForm key={'e' + sel.m.id} plan={p} m={sel.m} onDone={reload} /> : null}
        {msg ? <Notice>{msg}</Notice> : null}
        {sel && sel.kind === 'edit' ? <MeasureForm key={'m' + sel.m.id} plan={p} pillars={p.pillars} m={sel.m} onDone={edited} /> : null}
        {sel && sel.kind === 'add' ? <MeasureForm key={'a' + sel.pl.id} plan={p} pillars={p.pillars} pl={sel.pl} onDone={edited} /> : null}
        {sel && sel.kind === 'delete' ? <MeasureDelete key={'d' + sel.m.id} plan={p} m={sel.m} onDone={edited} /> : null}
      </div>
      <Indicators me={me} id={id} />
    </section>
  );
}

function ProgressForm({ plan, m, onDone }) {
  const [f, setF] = useState({ year: String(plan.year || new Date().getFullYear()), half: 'H1', status: 'on-track', note: '' });
  const [done, setDone] = useState(false);
  const act = useAction();
  const set = (k) => (v) => setF({ ...f, [k]: v });
  const submit = (e) => {
    e.preventDefault();
    setDone(false);
    act.run(async () => {
      await post(`/plans/${plan.id}/measures/${m.id}/progress`, { ...f, year: Number(f.year) });
      setDone(true);
      onDone();
    });
  };
  return (
    <form id="progress-form" class="panel plan-form" onSubmit={submit} noValidate aria-label={t('plans.progress.title', { code: m.code })}>
      <h3>{t('plans.progress.title', { code: m.code })}</h3>
      <p>{nameOf(m, 'title')}</p>
      <div class="form-grid">
        <Field id="pf-year" label={t('plans.progress.year')} error={act.fe('year')}>
          <input id="pf-year" type="number" value={f.year} onInput={(e) => set('year')(e.currentTarget.value)} />
        </Field>
        <Field id="pf-half" label={t('plans.progress.half')} error={act.fe('half')}>
          <Select id="pf-half" value={f.half} onChange={set('half')} options={['H1', 'H2'].map((h) => [h, t('plans.half.' + h)])} />
        </Field>
        <Field id="pf-status" label={t('plans.progress.status')} error={act.fe('status')}>
          <Select id="pf-status" value={f.status} onChange={set('status')} options={STATUSES.map((s) => [s, t('plans.status.' + s)])} />
        </Field>
        <Field id="pf-note" label={t('plans.progress.note')} error={act.fe('note')} wide>
          <textarea id="pf-note" rows={3} value={f.note} onInput={(e) => set('note')(e.currentTarget.value)} />
        </Field>
      </div>
      <ErrorBox error={act.error} />
      {done ? <Notice>{t('plans.progress.done')}</Notice> : null}
      <div class="form-actions"><button type="submit" disabled={act.busy}>{t('plans.progress.submit')}</button></div>
      {m.progress && m.progress.length ? (
        <>
          <h4>{t('plans.progress.history')}</h4>
          <ListTable id="pf-history" rows={m.progress} columns={[
            { label: t('plans.progress.year'), render: (r) => `${r.year} ${r.half}` },
            { label: t('plans.col.owners'), render: (r) => r.org_code },
            { label: t('plans.progress.status'), render: (r) => t('plans.status.' + r.status) },
            { label: t('plans.progress.note'), render: (r) => r.note },
            { label: '', render: (r) => <Time v={r.created_at} /> },
          ]} />
        </>
      ) : null}
    </form>
  );
}

function EvaluateForm({ plan, m, onDone }) {
  const [f, setF] = useState({ grade: m.grade || 'A', comment: m.grade_comment || '' });
  const [done, setDone] = useState(false);
  const act = useAction();
  const grades = useFetch('/plans/' + plan.id + '/summary');
  const labels = grades.data ? Object.fromEntries(grades.data.grades.map((g) => [g.grade, nameOf(g, 'label')])) : {};
  const submit = (e) => {
    e.preventDefault();
    setDone(false);
    act.run(async () => {
      await post(`/plans/${plan.id}/measures/${m.id}/evaluation`, f);
      setDone(true);
      onDone();
    });
  };
  return (
    <form id="eval-form" class="panel plan-form" onSubmit={submit} noValidate aria-label={t('plans.eval.title', { code: m.code })}>
      <h3>{t('plans.eval.title', { code: m.code })}</h3>
      <p>{nameOf(m, 'title')}</p>
      {m.progress && m.progress.length ? (
        <ul class="muted">{m.progress.map((r) => <li key={r.id}>{r.year} {r.half} {r.org_code}: {t('plans.status.' + r.status)} {r.note}</li>)}</ul>
      ) : null}
      <div class="form-grid">
        <Field id="ef-grade" label={t('plans.eval.grade')} error={act.fe('grade')} hint={labels[f.grade]}>
          <Select id="ef-grade" value={f.grade} onChange={(v) => setF({ ...f, grade: v })}
            options={GRADES.map((g) => [g, labels[g] || gradeShort(g)])} />
        </Field>
        <Field id="ef-comment" label={t('plans.eval.comment')} error={act.fe('comment')} wide>
          <textarea id="ef-comment" rows={3} value={f.comment} onInput={(e) => setF({ ...f, comment: e.currentTarget.value })} />
        </Field>
      </div>
      <ErrorBox error={act.error} />
      {done ? <Notice>{t('plans.eval.done')}</Notice> : null}
      <div class="form-actions"><button type="submit" disabled={act.busy}>{t('plans.eval.submit')}</button></div>
    </form>
  );
}

// A small line chart of an indicator's yearly values (SVG, no script inside).
function TrendChart({ ind }) {
  const v = ind.values;
  if (!v.length) return null;
  const W = 320;
  const H = 120;
  const P = 28;
  const ys = v.map((x) => x.value);
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const span = hi - lo || 1;
  const x = (i) => (v.length === 1 ? W / 2 : P + (i * (W - 2 * P)) / (v.length - 1));
  const y = (val) => H - P + 6 - ((val - lo) / span) * (H - 2 * P);
  const pts = v.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  return (
    <svg class="trend" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('plans.chart', { name: nameOf(ind) })}>
      <polyline points={pts} fill="none" stroke="currentColor" stroke-width="2" />
      {v.map((p, i) => (
        <g key={p.year}>
          <circle cx={x(i)} cy={y(p.value)} r="3.5" />
          <text x={x(i)} y={H - 4} text-anchor="middle" font-size="11">{p.year}</text>
          <text x={x(i)} y={y(p.value) - 7} text-anchor="middle" font-size="11">{fmtNum(p.value)}</text>
        </g>
      ))}
    </svg>
  );
}

function Indicators({ me, id }) {
  const list = useFetch('/plans/' + encodeURIComponent(id) + '/indicators');
  const nisc = me.role === 'nisc';
  const add = useAction();
  const val = useAction();
  const [f, setF] = useState({ area: '', name_ja: '', name_en: '', unit: '', better: 'higher' });
  const [v, setV] = useState({ indicator: '', year: '', value: '', note: '' });
  const [msg, setMsg] = useState('');
  const addInd = (e) => {
    e.preventDefault();
    setMsg('');
    add.run(async () => {
      const r = await post(`/plans/${id}/indicators`, f);
      setMsg(t('plans.ind.added'));
      setV({ ...v, indicator: r.id });
      list.reload();
    });
  };
  const saveVal = (e) => {
    e.preventDefault();
    setMsg('');
    val.run(async () => {
      const n = v.value === '' ? NaN : Number(v.value);
      await post(`/plans/${id}/indicators/${v.indicator}/values`, {
        year: v.year === '' ? undefined : Number(v.year), value: Number.isNaN(n) ? v.value : n, note: v.note,
      });
      setMsg(t('plans.ind.saved'));
      list.reload();
    });
  };
  const items = list.data ? list.data.items : [];
  return (
    <div class="panel" id="plan-indicators">
      <h2>{t('plans.indicators')}</h2>
      {list.error ? <ErrorBox error={list.error} /> : null}
      {items.length === 0 ? <p class="muted">{t('plans.ind.none')}</p> : null}
      <div class="grid">
        {items.map((ind) => (
          <div class="card indicator" key={ind.id} data-indicator={ind.id}>
            <h3>{nameOf(ind)}{ind.unit ? ` (${ind.unit})` : ''}</h3>
            <p class="muted">{ind.area} · {t('plans.ind.better')}: {t('plans.better.' + ind.better)}</p>
            <TrendChart ind={ind} />
            {ind.trend ? (
              <p class="trend-text">
                {t('plans.trend.' + ind.trend)} ({ind.change > 0 ? '+' : ''}{fmtNum(ind.change)}) ·{' '}
                <span class={`badge ${ind.assessment === 'improving' ? 'badge-ok' : ind.assessment === 'worsening' ? 'badge-bad' : ''}`}>
                  {t('plans.assess.' + ind.assessment)}
                </span>
              </p>
            ) : null}
          </div>
        ))}
      </div>
      {msg ? <Notice>{msg}</Notice> : null}
      {nisc ? (
        <div class="grid">
          <form id="ind-form" onSubmit={addInd} noValidate aria-label={t('plans.ind.add')}>
            <h3>{t('plans.ind.add')}</h3>
            <Field id="if-area" label={t('plans.ind.area')} error={add.fe('area')}>
              <input id="if-area" value={f.area} onInput={(e) => setF({ ...f, area: e.currentTarget.value })} />
            </Field>
            <Field id="if-name-ja" label={t('plans.ind.name_ja')} error={add.fe('name_ja')}>
              <input id="if-name-ja" value={f.name_ja} onInput={(e) => setF({ ...f, name_ja: e.currentTarget.value })} />
            </Field>
            <Field id="if-name-en" label={t('plans.ind.name_en')} error={add.fe('name_en')}>
              <input id="if-name-en" value={f.name_en} onInput={(e) => setF({ ...f, name_en: e.currentTarget.value })} />
            </Field>
            <Field id="if-unit" label={t('plans.ind.unit')} error={add.fe('unit')}>
              <input id="if-unit" value={f.unit} onInput={(e) => setF({ ...f, unit: e.currentTarget.value })} />
            </Field>
            <Field id="if-better" label={t('plans.ind.better')} error={add.fe('better')}>
              <Select id="if-better" value={f.better} onChange={(x) => setF({ ...f, better: x })}
                options={['higher', 'lower'].map((b) => [b, t('plans.better.' + b)])} />
            </Field>
            <ErrorBox error={add.error} />
            <div class="form-actions"><button type="submit" disabled={add.busy}>{t('plans.ind.add')}</button></div>
          </form>
          <form id="ind-value-form" onSubmit={saveVal} noValidate aria-label={t('plans.ind.value')}>
            <h3>{t('plans.ind.value')}</h3>
            <Field id="iv-indicator" label={t('plans.ind.which')}>
              <Select id="iv-indicator" value={v.indicator} onChange={(x) => setV({ ...v, indicator: x })} blank="—"
                options={items.map((i) => [i.id, nameOf(i)])} />
            </Field>
            <Field id="iv-year" label={t('plans.ind.year')} error={val.fe('year')}>
              <input id="iv-year" type="number" value={v.year} onInput={(e) => setV({ ...v, year: e.currentTarget.value })} />
            </Field>
            <Field id="iv-value" label={t('plans.ind.val')} error={val.fe('value')}>
              <input id="iv-value" inputMode="decimal" value={v.value} onInput={(e) => setV({ ...v, value: e.currentTarget.value })} />
            </Field>
            <Field id="iv-note" label={t('plans.ind.note')} error={val.fe('note')}>
              <input id="iv-note" value={v.note} onInput={(e) => setV({ ...v, note: e.currentTarget.value })} />
            </Field>
            <ErrorBox error={val.error} />
            <div class="form-actions"><button type="submit" disabled={val.busy || !v.indicator}>{t('plans.ind.save')}</button></div>
          </form>
        </div>
      ) : null}
    </div>
  );
}
