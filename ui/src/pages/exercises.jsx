// exercises.jsx - cross-sector exercises (分野横断的演習): the exercises the
// user takes part in, a new one (from a built-in template or by hand), and
// one exercise with a tab for each of the user's parts: control (clock, MSEL,
// participants, live status), player (the exercise's inbox and reports) and
// evaluation (notes, after-action report). Every exercise view carries the
// exercise banner. The classes used (sp-*) are in the app's stylesheet
// already: a stylesheet imported here would go to a chunk nobody loads.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { lang, nameOf, t } from '../i18n.js';
import { go, href } from '../router.js';
import { DataTable, ErrorBox, Field, Loading, PageHeader, Select, useAction, useFetch } from '../ui.jsx';
import {
  ExerciseBanner, FORMATS, PLANNERS, StateBadge, fmtT, partsText, usePolled,
} from './exercises_common.jsx';
import { ControlTab } from './exercises_control.jsx';
import { PlayTab } from './exercises_player.jsx';
import { EvaluateTab } from './exercises_eval.jsx';

const CLOCK_MS = 2000;

function templateTitle(tp) {
  return (lang() === 'en' ? tp.title_en || tp.title_ja : tp.title_ja || tp.title_en) || tp.id;
}

function CreateForm() {
  const templates = useFetch('/exercises/templates');
  const threats = useFetch('/threats');
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({
    title: '', description: '', template: '', theme: '', format: 'tabletop', objectives: '', cause: '',
    cause_category: '', cause_hidden: true, speed: '1',
  });
  const { error, busy, run, fe } = useAction();
  const set = (k) => (v) => setForm((f) => ({ ...f, [k]: v }));
  const input = (k) => (e) => set(k)(e.currentTarget.value);
  const list = (templates.data && templates.data.items) || [];
  const chooseTemplate = (id) => {
    const tp = list.find((x) => x.id === id);
    setForm((f) => ({
      ...f,
      template: id,
      title: f.title || (tp ? templateTitle(tp) : ''),
      theme: f.theme || (tp && tp.theme) || '',
      format: (tp && tp.format) || f.format,
      cause_hidden: tp && typeof tp.cause_hidden === 'boolean' ? tp.cause_hidden : f.cause_hidden,
    }));
  };
  const submit = (e) => {
    e.preventDefault();
    run(async () => {
      const body = {
        title: form.title.trim(),
        format: form.format,
        cause_hidden: form.cause_hidden,
      };
      for (const k of ['description', 'theme', 'cause', 'cause_category', 'template'])
        if (form[k].trim() !== '') body[k] = form[k].trim();
      const objectives = form.objectives.split('\n').map((x) => x.trim()).filter(Boolean);
      if (objectives.length) body.objectives = objectives;
      if (String(form.speed).trim() !== '') body.speed = Number(form.speed);
      const ex = await post('/exercises', body);
      go('/exercises/' + ex.id + '/control');
    });
  };
  return (
    <details class="panel sp-compose" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} id="ex-create">
      <summary>{t('ex.new')}</summary>
      <ErrorBox error={error} />
      <form class="sp-form" onSubmit={submit} noValidate aria-label={t('ex.new')}>
        <Field id="exf-template" label={t('ex.f.template')} hint={t('ex.f.template.hint')} error={fe('template')}>
          <Select id="exf-template" value={form.template} onChange={chooseTemplate} blank={t('ex.f.template.none')}
            options={list.map((tp) => [tp.id, `${tp.year ? tp.year + ' ' : ''}${templateTitle(tp)} (${t('ex.f.template.injects', { n: (tp.injects || []).length })})`])} />
        </Field>
        <div class="form-grid">
          <Field id="exf-title" label={t('ex.f.title')} error={fe('title')}>
            <input id="exf-title" required maxLength={200} value={form.title} onInput={input('title')} />
          </Field>
          <Field id="exf-theme" label={t('ex.f.theme')} error={fe('theme')}>
            <input id="exf-theme" maxLength={2000} value={form.theme} onInput={input('theme')} />
          </Field>
          <Field id="exf-format" label={t('ex.f.format')} error={fe('format')}>
            <Select id="exf-format" value={form.format} onChange={set('format')} options={FORMATS.map((f) => [f, t('ex.format.' + f)])} />
          </Field>
          <Field id="exf-speed" label={t('ex.f.speed')} hint={t('ex.f.speed.hint')} error={fe('speed')}>
            <input id="exf-speed" type="number" min="1" max="86400" step="1" inputMode="numeric" value={form.speed} onInput={input('speed')} />
          </Field>
        </div>
        <Field id="exf-description" label={t('ex.f.description')} error={fe('description')}>
          <textarea id="exf-description" maxLength={20000} value={form.description} onInput={input('description')} />
        </Field>
        <Field id="exf-objectives" label={t('ex.f.objectives')} error={fe('objectives')}>
          <textarea id="exf-objectives" value={form.objectives} onInput={input('objectives')} />
        </Field>
        <div class="form-grid">
          <Field id="exf-cause" label={t('ex.f.cause')} error={fe('cause')}>
            <input id="exf-cause" maxLength={2000} value={form.cause} onInput={input('cause')} />
          </Field>
          <Field id="exf-cause-category" label={t('ex.f.cause_category')} error={fe('cause_category')}>
            <Select id="exf-cause-category" value={form.cause_category} onChange={set('cause_category')} blank={t('ex.f.cause_category.none')}
              options={((threats.data && threats.data.items) || []).map((c) => [c.id, nameOf(c)])} />
          </Field>
        </div>
        <label class="sp-check">
          <input type="checkbox" id="exf-cause-hidden" checked={form.cause_hidden}
            onChange={(e) => set('cause_hidden')(e.currentTarget.checked)} />
          <span>{t('ex.f.cause_hidden')}</span>
        </label>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>{busy ? t('ex.f.busy') : t('ex.f.submit')}</button>
        </div>
      </form>
    </details>
  );
}

function ExerciseList({ me }) {
  const list = usePolled('/exercises?limit=200', 10000);
  const columns = [
    { key: 'title', label: t('ex.col.title'), render: (r) => <a href={href('/exercises/' + r.id)}>{r.title}</a> },
    { key: 'state', label: t('ex.col.state'), value: (r) => t('ex.state.' + r.state), render: (r) => <StateBadge state={r.state} /> },
    { key: 'scenario_s', label: t('ex.col.clock'), num: true, value: (r) => r.scenario_s, render: (r) => fmtT(r.scenario_s) },
    { key: 'format', label: t('ex.col.format'), value: (r) => (r.format ? t('ex.format.' + r.format) : '') },
    { key: 'theme', label: t('ex.col.theme') },
    { key: 'speed', label: t('ex.col.speed'), num: true, value: (r) => r.speed, render: (r) => t('ex.speed', { n: r.speed }) },
    { key: 'parts', label: t('ex.col.parts'), value: (r) => partsText(r.parts) },
  ];
  return (
    <div class="exercises">
      <PageHeader title={t('ex.title')}>
        <button type="button" class="secondary" onClick={list.reload}>{t('act.reload')}</button>
      </PageHeader>
      <p class="reg-lead muted">{t('ex.lead')}</p>
      {PLANNERS.includes(me.role) ? <CreateForm /> : <p class="hint">{t('ex.planner_only')}</p>}
      <h2>{t('ex.list')}</h2>
      <ErrorBox error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <DataTable id="exercises-table" columns={columns} rows={list.data.items || []} caption={t('ex.list')}
          csv="exercises.csv" empty={t('ex.none')} />
      ) : null}
    </div>
  );
}

// The tabs a user's parts open.
function tabsFor(parts) {
  const p = parts || [];
  const tabs = [];
  if (p.includes('controller') || p.includes('owner')) tabs.push('control');
  if (p.includes('player')) tabs.push('play');
  if (p.some((x) => ['controller', 'owner', 'evaluator', 'adviser'].includes(x))) tabs.push('evaluate');
  return tabs;
}

function Summary({ ex }) {
  const threats = useFetch(ex.cause_category ? '/threats' : null);
  const cat = threats.data && (threats.data.items || []).find((c) => c.id === ex.cause_category);
  const revealed = ex.revealed_s !== null && ex.revealed_s !== undefined;
  // players read a revealed cause on their own tab
  const staff = (ex.parts || []).some((p) => p !== 'player');
  return (
    <section class="panel" aria-labelledby="ex-summary-title">
      <h2 id="ex-summary-title" class="sr-only">{t('ex.summary')}</h2>
      <dl class="props" id="ex-summary">
        <dt>{t('ex.col.state')}</dt><dd><StateBadge state={ex.state} /></dd>
        <dt>{t('ex.clock')}</dt><dd><strong id="ex-clock">{fmtT(ex.scenario_s)}</strong> <span class="muted">({t('ex.speed', { n: ex.speed })})</span></dd>
        {ex.format ? <><dt>{t('ex.col.format')}</dt><dd>{t('ex.format.' + ex.format)}</dd></> : null}
        {ex.theme ? <><dt>{t('ex.col.theme')}</dt><dd>{ex.theme}</dd></> : null}
        <dt>{t('ex.col.parts')}</dt><dd>{partsText(ex.parts)}</dd>
        {ex.description ? <><dt>{t('ex.f.description')}</dt><dd class="pre">{ex.description}</dd></> : null}
        {ex.objectives && ex.objectives.length ? (
          <><dt>{t('ex.objectives')}</dt><dd><ul class="plain-list">{ex.objectives.map((o, i) => <li key={i}>{o}</li>)}</ul></dd></>
        ) : null}
        {staff && (ex.cause || ex.cause_category) ? (
          <>
            <dt>{t('ex.cause')}</dt>
            <dd id="ex-cause">
              {ex.cause}{cat ? <> <span class="badge">{nameOf(cat)}</span></> : null}
              {ex.cause_hidden && !revealed ? <span class="muted"> {t('ex.cause.hidden')}</span> : null}
              {revealed ? <span class="muted"> ({t('ex.cause.revealed', { at: fmtT(ex.revealed_s).slice(2) })})</span> : null}
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function ExerciseView({ me, id, tab }) {
  const path = '/exercises/' + encodeURIComponent(id);
  const exq = usePolled(path, CLOCK_MS);
  const ex = exq.data;
  if (!ex) {
    return (
      <div>
        <PageHeader title={t('ex.title')} />
        <ExerciseBanner />
        {exq.error ? <ErrorBox error={exq.error} /> : <Loading />}
        <p><a href={href('/exercises')}>{t('ex.back')}</a></p>
      </div>
    );
  }
  const tabs = tabsFor(ex.parts);
  const current = tabs.includes(tab) ? tab : tabs[0];
  return (
    <div class="exercises" data-exercise={ex.id}>
      <PageHeader title={ex.title} windowTitle={`${t('ex.title')}: ${ex.title}`}>
        <a class="button secondary" href={href('/exercises')}>{t('ex.back')}</a>
      </PageHeader>
      <ExerciseBanner ex={ex} />
      <ErrorBox error={exq.error} />
      <Summary ex={ex} />
      {tabs.length > 1 ? (
        <nav class="tabs" aria-label={t('ex.tabs')}>
          {tabs.map((k) => (
            <a key={k} id={'ex-tab-' + k} href={href(`/exercises/${ex.id}/${k}`)} aria-current={k === current ? 'page' : undefined}>
              {t('ex.tab.' + k)}
            </a>
          ))}
        </nav>
      ) : null}
      {!current ? <p class="muted">{t('ex.no_part')}</p> : null}
      {current === 'control' ? <ControlTab me={me} ex={ex} onChange={exq.reload} /> : null}
      {current === 'play' ? <PlayTab me={me} ex={ex} /> : null}
      {current === 'evaluate' ? <EvaluateTab me={me} ex={ex} /> : null}
    </div>
  );
}

export function Exercises({ me, id, tab }) {
  return id ? <ExerciseView me={me} id={id} tab={tab} /> : <ExerciseList me={me} />;
}
