// surveys.jsx - the yearly penetration survey (浸透状況調査): the surveys the
// user takes part in; NISC and ministries open a sector's survey, follow who
// has submitted, remind and close it, and read the aggregate (withheld while
// too few operators have submitted) with a chart of the pillars; an operator
// answers its own questionnaire and submits it.
import { useEffect, useState } from 'preact/hooks';
import { download, get, patch, post } from '../api.js';
import { extend, lang, nameOf, t } from '../i18n.js';
import { go, href } from '../router.js';
import { ErrorBox, Field, Loading, Notice, PageHeader, Select, Time, useAction, useFetch } from '../ui.jsx';
import { MarkBadge, title } from './guideline.jsx';

extend({
  ja: {
    'sv.title': '浸透状況調査',
    'sv.new': '調査を開始',
    'sv.f.sector': '分野',
    'sv.f.year': '年度',
    'sv.f.deadline': '回答期限',
    'sv.f.min': '集計に必要な最小回答数',
    'sv.f.min.hint': 'これより少ない回答では、1社の回答が分からないよう集計を示しません(2 以上)。',
    'sv.f.remind': '督促(期限の何日前)',
    'sv.f.open': 'すぐに事業者へ送る',
    'sv.f.submit': '作成',
    'sv.col.title': '調査',
    'sv.col.state': '状態',
    'sv.col.answered': '回答',
    'sv.state.draft': '準備中',
    'sv.state.open': '回答受付中',
    'sv.state.closed': '終了',
    'sv.my.pending': '未提出',
    'sv.my.submitted': '提出済み',
    'sv.respondents': '回答状況',
    'sv.operator': '事業者',
    'sv.submitted': '提出',
    'sv.reminded': '督促',
    'sv.act.open': '事業者へ送る',
    'sv.act.remind': '未提出の事業者へ督促',
    'sv.act.close': '締め切る',
    'sv.act.save': '一時保存',
    'sv.act.submit': '提出',
    'sv.act.set_min': '最小回答数を変更',
    'sv.reminded_n': '{n} 事業者へ督促しました。',
    'sv.saved': '保存しました。',
    'sv.done': '提出しました。',
    'sv.questionnaire': '調査票',
    'sv.q.status': '実施状況',
    'sv.q.text': '指針の本文',
    'sv.own': '貴組織の要検討事項の実施率 {must}、成長段階 {stage}: {name}(貴組織の回答のみから)',
    'sv.q.evidence': '根拠(規程名、実施内容など)',
    'sv.status.implemented': '実施済み',
    'sv.status.partly': '一部実施',
    'sv.status.planned': '実施予定',
    'sv.status.not': '未実施',
    'sv.status.na': '該当なし',
    'sv.results': '集計結果',
    'sv.withheld': '集計は示していません: 提出 {n} 事業者(最小回答数 {min})。',
    'sv.overall': '浸透率 {rate}(要検討事項 {must})、成長段階 {stage}: {name}',
    'sv.chart': '柱・重点項目ごとの浸透率',
    'sv.behind': '最も遅れている項目',
    'sv.rate': '浸透率',
    'sv.rate_partly': '一部実施を含む',
    'sv.trends': '年度ごとの推移',
    'sv.extra': '追加設問',
    'sv.add_question': '設問を追加',
  },
  en: {
    'sv.title': 'Penetration survey',
    'sv.new': 'Start a survey',
    'sv.f.sector': 'Sector',
    'sv.f.year': 'Fiscal year',
    'sv.f.deadline': 'Deadline',
    'sv.f.min': 'Respondents needed for aggregates',
    'sv.f.min.hint': 'With fewer, no aggregate is shown, so that no single operator is exposed (at least 2).',
    'sv.f.remind': 'Remind (days before the deadline)',
    'sv.f.open': 'Send to the operators now',
    'sv.f.submit': 'Create',
    'sv.col.title': 'Survey',
    'sv.col.state': 'State',
    'sv.col.answered': 'Answers',
    'sv.state.draft': 'draft',
    'sv.state.open': 'open',
    'sv.state.closed': 'closed',
    'sv.my.pending': 'not submitted',
    'sv.my.submitted': 'submitted',
    'sv.respondents': 'Respondents',
    'sv.operator': 'Operator',
    'sv.submitted': 'Submitted',
    'sv.reminded': 'Reminded',
    'sv.act.open': 'Send to the operators',
    'sv.act.remind': 'Remind those not submitted',
    'sv.act.close': 'Close',
    'sv.act.save': 'Save',
    'sv.act.submit': 'Submit',
    'sv.act.set_min': 'Change the threshold',
    'sv.reminded_n': 'Reminded {n} operators.',
    'sv.saved': 'Saved.',
    'sv.done': 'Submitted.',
    'sv.questionnaire': 'Questionnaire',
    'sv.q.status': 'Status',
    'sv.q.text': 'The Guideline\'s text (Japanese)',
    'sv.own': 'Your must-consider items implemented: {must}, growth stage {stage}: {name} (from your own answers only)',
    'sv.q.evidence': 'Evidence (rules, what is done)',
    'sv.status.implemented': 'implemented',
    'sv.status.partly': 'partly',
    'sv.status.planned': 'planned',
    'sv.status.not': 'not implemented',
    'sv.status.na': 'not applicable',
    'sv.results': 'Results',
    'sv.withheld': 'Aggregates withheld: {n} operators submitted (threshold {min}).',
    'sv.overall': 'Penetration {rate} (must-consider items {must}), growth stage {stage}: {name}',
    'sv.chart': 'Penetration by pillar and priority item',
    'sv.behind': 'Items furthest behind',
    'sv.rate': 'Rate',
    'sv.rate_partly': 'incl. partly',
    'sv.trends': 'Trends across years',
    'sv.extra': 'Extra questions',
    'sv.add_question': 'Add a question',
  },
});

const STATUSES = ['implemented', 'partly', 'planned', 'not', 'na'];
const pct = (r) => (r === null || r === undefined ? '-' : (r * 100).toFixed(1) + '%');
const manager = (me) => me.role === 'nisc' || me.role === 'ministry';

function CreateForm() {
  const sectors = useFetch('/sectors?limit=100');
  const year = new Date().getFullYear();
  const [form, setForm] = useState({ sector: 'finance', year: String(year), deadline: '', min: '3', remind: '7', open: true });
  const { error, busy, run, fe } = useAction();
  const input = (k) => (e) => setForm((f) => ({ ...f, [k]: e.currentTarget.value }));
  const submit = (e) => {
    e.preventDefault();
    run(async () => {
      const body = { sector: form.sector, year: Number(form.year), open: form.open,
        min_respondents: Number(form.min), remind_days: Number(form.remind) };
      if (form.deadline) body.deadline = form.deadline + ':00+09:00';
      const s = await post('/surveys', body);
      go('/surveys/' + s.id);
    });
  };
  return (
    <details class="panel" id="sv-create">
      <summary>{t('sv.new')}</summary>
      <ErrorBox error={error} />
      <form onSubmit={submit} noValidate aria-label={t('sv.new')}>
        <div class="form-grid">
          <Field id="svf-sector" label={t('sv.f.sector')} error={fe('sector')}>
            <Select id="svf-sector" value={form.sector} onChange={(v) => setForm((f) => ({ ...f, sector: v }))}
              options={((sectors.data && sectors.data.items) || []).map((s) => [s.id, nameOf(s)])} />
          </Field>
          <Field id="svf-year" label={t('sv.f.year')} error={fe('year')}>
            <input id="svf-year" type="number" min="2000" max="2100" value={form.year} onInput={input('year')} />
          </Field>
          <Field id="svf-deadline" label={t('sv.f.deadline')} error={fe('deadline')}>
            <input id="svf-deadline" type="datetime-local" value={form.deadline} onInput={input('deadline')} />
          </Field>
          <Field id="svf-min" label={t('sv.f.min')} hint={t('sv.f.min.hint')} error={fe('min_respondents')}>
            <input id="svf-min" type="number" min="2" max="1000" value={form.min} onInput={input('min')} />
          </Field>
          <Field id="svf-remind" label={t('sv.f.remind')} error={fe('remind_days')}>
            <input id="svf-remind" type="number" min="0" max="60" value={form.remind} onInput={input('remind')} />
          </Field>
        </div>
        <label class="sp-check">
          <input type="checkbox" id="svf-open" checked={form.open} onChange={(e) => setForm((f) => ({ ...f, open: e.currentTarget.checked }))} />
          <span>{t('sv.f.open')}</span>
        </label>
        <div class="form-actions"><button type="submit" class="primary" disabled={busy}>{t('sv.f.submit')}</button></div>
      </form>
    </details>
  );
}

function SurveyList({ me }) {
  const list = useFetch('/surveys?limit=200');
  const trends = useFetch(manager(me) ? '/surveys/trends' : null);
  return (
    <>
      <PageHeader title={t('sv.title')} />
      {manager(me) ? <CreateForm /> : null}
      <ErrorBox error={list.error} />
      {!list.data ? <Loading /> : (
        <div class="table-scroll">
          <table id="surveys-table">
            <thead><tr>
              <th scope="col">{t('sv.col.title')}</th><th scope="col">{t('sv.f.year')}</th>
              <th scope="col">{t('sv.col.state')}</th><th scope="col">{t('sv.f.deadline')}</th><th scope="col">{t('sv.col.answered')}</th>
            </tr></thead>
            <tbody>
              {list.data.items.map((s) => (
                <tr key={s.id} data-id={s.id}>
                  <td><a href={href('/surveys/' + s.id)}>{title(s)}</a></td>
                  <td>{s.year}</td>
                  <td>{t('sv.state.' + s.state)}</td>
                  <td><Time v={s.deadline_at} /></td>
                  <td>{s.my_state ? t('sv.my.' + s.my_state) : `${s.submitted ?? 0} / ${s.invited ?? 0}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {trends.data && trends.data.items.length ? (
        <section class="panel" id="sv-trends">
          <h2>{t('sv.trends')}</h2>
          <Bars id="sv-trends-chart" label={t('sv.trends')}
            rows={trends.data.items.map((r) => ({ pillar: r.survey, label: String(r.year), title_ja: r.sector, title_en: r.sector, rate: r.withheld ? null : r.rate }))} />
          <table>
            <thead><tr><th scope="col">{t('sv.f.sector')}</th><th scope="col">{t('sv.f.year')}</th><th scope="col" class="num">{t('sv.rate')}</th><th scope="col" class="num">{t('sv.col.answered')}</th></tr></thead>
            <tbody>{trends.data.items.map((r) => (
              <tr key={r.survey}><td>{r.sector}</td><td>{r.year}</td><td class="num">{r.withheld ? '—' : pct(r.rate)}</td><td class="num">{r.respondents}</td></tr>
            ))}</tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}

// Horizontal bars of rates, drawn as SVG (no script or style inline).
function Bars({ rows, id = 'sv-chart', label }) {
  const h = 26;
  const w = 720;
  const labelW = 360;
  return (
    <svg id={id} class="sv-chart" width={w} height={rows.length * h + 10} role="img" aria-label={label || t('sv.chart')}
      viewBox={`0 0 ${w} ${rows.length * h + 10}`}>
      {rows.map((r, i) => {
        const v = r.rate || 0;
        return (
          <g key={r.pillar} transform={`translate(0 ${i * h + 4})`}>
            <text x="0" y="16" font-size="12">{(r.label ? r.label + ' ' : '') + title(r)}</text>
            <rect x={labelW} y="3" width={(w - labelW - 60) * v} height="16" fill="#1f6fb2" />
            <text x={labelW + (w - labelW - 60) * v + 6} y="16" font-size="12">{pct(r.rate)}</text>
          </g>
        );
      })}
    </svg>
  );
}

function Results({ id }) {
  const res = useFetch('/surveys/' + id + '/results');
  if (res.error) return <ErrorBox error={res.error} />;
  const r = res.data;
  if (!r) return <Loading />;
  return (
    <section class="panel" id="sv-results">
      <h2>{t('sv.results')}</h2>
      {r.withheld ? <Notice kind="warn"><span id="sv-withheld">{t('sv.withheld', { n: r.respondents, min: r.min_respondents })}</span></Notice> : (
        <>
          <p id="sv-overall">{t('sv.overall', { rate: pct(r.overall.rate), must: pct(r.overall.rate_must), stage: r.maturity.stage,
            name: lang() === 'en' ? r.maturity.name_en : r.maturity.name_ja })}</p>
          <h3>{t('sv.chart')}</h3>
          <Bars rows={r.pillars} />
          <h3>{t('sv.behind')}</h3>
          <ol id="sv-behind">{r.behind.map((b) => <li key={b.question}><code>{b.question}</code> {title(b)} — {pct(b.rate)}</li>)}</ol>
          <div class="table-scroll">
            <table id="sv-items">
              <thead><tr><th scope="col">ID</th><th scope="col">{t('sv.questionnaire')}</th>
                {STATUSES.map((s) => <th scope="col" class="num" key={s}>{t('sv.status.' + s)}</th>)}
                <th scope="col" class="num">{t('sv.rate')}</th><th scope="col" class="num">{t('sv.rate_partly')}</th></tr></thead>
              <tbody>{r.items.map((it) => (
                <tr key={it.question} data-q={it.question}>
                  <td><code>{it.question}</code></td><td>{title(it)} <MarkBadge mark={it.mark} /></td>
                  {STATUSES.map((s) => <td class="num" key={s}>{it.counts[s]}</td>)}
                  <td class="num">{pct(it.rate)}</td><td class="num">{pct(it.rate_with_partly)}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
          <button type="button" class="secondary" id="sv-csv" onClick={() => download('/surveys/' + id + '/results?format=csv', `survey-${id}-results.csv`)}>{t('act.csv')}</button>
        </>
      )}
    </section>
  );
}

function ManagerView({ s, reload }) {
  const { error, busy, run } = useAction();
  const [msg, setMsg] = useState('');
  const [min, setMin] = useState(String(s.min_respondents));
  const [q, setQ] = useState('');
  const act = (what) => run(async () => {
    const r = await post('/surveys/' + s.id + '/' + what);
    setMsg(what === 'remind' ? t('sv.reminded_n', { n: r.reminded }) : '');
    reload();
  });
  return (
    <>
      <ErrorBox error={error} />
      {msg ? <Notice>{msg}</Notice> : null}
      <div class="form-actions">
        {s.state === 'draft' ? <button type="button" class="primary" id="sv-open" disabled={busy} onClick={() => act('open')}>{t('sv.act.open')}</button> : null}
        {s.state === 'open' ? <button type="button" class="secondary" id="sv-remind" disabled={busy} onClick={() => act('remind')}>{t('sv.act.remind')}</button> : null}
        {s.state === 'open' ? <button type="button" class="secondary" id="sv-close" disabled={busy} onClick={() => act('close')}>{t('sv.act.close')}</button> : null}
      </div>
      <form class="form-grid" onSubmit={(e) => { e.preventDefault(); run(async () => { await patch('/surveys/' + s.id, { min_respondents: Number(min) }); reload(); }); }}>
        <Field id="sv-min" label={t('sv.f.min')} hint={t('sv.f.min.hint')}>
          <input id="sv-min" type="number" min="2" max="1000" value={min} onInput={(e) => setMin(e.currentTarget.value)} />
        </Field>
        <div class="form-actions"><button type="submit" class="secondary" id="sv-set-min" disabled={busy}>{t('sv.act.set_min')}</button></div>
      </form>
      {s.state === 'draft' ? (
        <form class="form-grid" onSubmit={(e) => { e.preventDefault(); run(async () => { await post('/surveys/' + s.id + '/questions', { title_ja: q }); setQ(''); reload(); }); }}>
          <Field id="sv-question" label={t('sv.extra')}>
            <input id="sv-question" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
          </Field>
          <div class="form-actions"><button type="submit" class="secondary" disabled={busy}>{t('sv.add_question')}</button></div>
        </form>
      ) : null}
      <section class="panel">
        <h2>{t('sv.respondents')} ({s.submitted ?? 0} / {s.invited ?? 0})</h2>
        <table id="sv-respondents">
          <thead><tr><th scope="col">{t('sv.operator')}</th><th scope="col">{t('sv.submitted')}</th><th scope="col">{t('sv.reminded')}</th></tr></thead>
          <tbody>{(s.respondents || []).map((r) => (
            <tr key={r.org} data-code={r.code}><td>{nameOf(r)} ({r.code})</td><td>{r.submitted_at ? <Time v={r.submitted_at} /> : '—'}</td><td>{r.reminded_at ? <Time v={r.reminded_at} /> : '—'}</td></tr>
          ))}</tbody>
        </table>
      </section>
      {s.state !== 'draft' ? <Results key={`${s.state}-${s.submitted}-${s.min_respondents}`} id={s.id} /> : null}
    </>
  );
}

function Questionnaire({ s, reload }) {
  const [answers, setAnswers] = useState(null);
  const [own, setOwn] = useState(null);
  const { error, busy, run } = useAction();
  const [msg, setMsg] = useState('');
  useEffect(() => {
    get('/surveys/' + s.id + '/answers').then((r) => {
      const m = {};
      for (const a of r.answers) m[a.question] = { status: a.status, evidence: a.evidence };
      setAnswers(m);
      setOwn(r.submitted_at ? r.own : null);
    }).catch(() => setAnswers({}));
  }, [s.id, s.my_state]);
  if (!answers) return <Loading />;
  const set = (qid, k, v) => setAnswers((a) => ({ ...a, [qid]: { ...(a[qid] || { status: '', evidence: '' }), [k]: v } }));
  const send = (submit) => run(async () => {
    const list = Object.entries(answers).filter(([, a]) => a.status).map(([question, a]) => ({ question, status: a.status, evidence: a.evidence || '' }));
    await post('/surveys/' + s.id + '/answers', { answers: list, submit });
    setMsg(submit ? t('sv.done') : t('sv.saved'));
    reload();
  });
  const closed = s.state !== 'open';
  return (
    <section class="panel" id="sv-questionnaire">
      <h2>{t('sv.questionnaire')} — {t('sv.my.' + (s.my_state || 'pending'))}</h2>
      <ErrorBox error={error} />
      {msg ? <Notice><span id="sv-msg">{msg}</span></Notice> : null}
      {own ? <p id="sv-own">{t('sv.own', { must: pct(own.rate_must), stage: own.stage, name: lang() === 'en' ? own.name_en : own.name_ja })}</p> : null}
      <ol class="sv-questions">
        {s.questions.map((q, i) => (
          <li key={q.id} data-q={q.id}>
            <p><code>{q.id}</code> <strong>{title(q)}</strong> <MarkBadge mark={q.mark} /></p>
            {q.text_ja ? <details><summary>{t('sv.q.text')}</summary><p class="gl-text">{q.text_ja}</p></details> : null}
            <div class="form-grid">
              <Field id={`sv-q-${i}`} label={t('sv.q.status')}>
                <Select id={`sv-q-${i}`} value={(answers[q.id] || {}).status || ''} disabled={closed} blank="—"
                  onChange={(v) => set(q.id, 'status', v)} options={STATUSES.map((x) => [x, t('sv.status.' + x)])} />
              </Field>
              <Field id={`sv-e-${i}`} label={t('sv.q.evidence')}>
                <input id={`sv-e-${i}`} value={(answers[q.id] || {}).evidence || ''} disabled={closed}
                  onInput={(e) => set(q.id, 'evidence', e.currentTarget.value)} />
              </Field>
            </div>
          </li>
        ))}
      </ol>
      {!closed ? (
        <div class="form-actions">
          <button type="button" class="secondary" id="sv-save" disabled={busy} onClick={() => send(false)}>{t('sv.act.save')}</button>
          <button type="button" class="primary" id="sv-submit" disabled={busy} onClick={() => send(true)}>{t('sv.act.submit')}</button>
        </div>
      ) : null}
    </section>
  );
}

function SurveyView({ me, id }) {
  const s = useFetch('/surveys/' + encodeURIComponent(id));
  if (s.error) return <ErrorBox error={s.error} />;
  if (!s.data) return <Loading />;
  const v = s.data;
  return (
    <>
      <PageHeader title={title(v)}>
        <a href={href('/surveys')}>{t('act.back')}</a>
      </PageHeader>
      <p id="sv-state">{t('sv.state.' + v.state)} · {t('sv.f.deadline')}: <Time v={v.deadline_at} /> · {v.questions.length} {t('sv.questionnaire')}</p>
      {manager(me) ? <ManagerView s={v} reload={s.reload} /> : <Questionnaire s={v} reload={s.reload} />}
    </>
  );
}

export function Surveys({ me, id }) {
  return id ? <SurveyView me={me} id={id} /> : <SurveyList me={me} />;
}

