// exercises_control.jsx - the controller's tab of an exercise: the scenario
// clock (start, pause, resume, advance, speed, end) and revealing the cause;
// the MSEL as a timeline of injects (add, edit, skip, delete), its CSV/JSON
// import and export, and injects built from a finished cascade analysis;
// the participants; the players' live status.
import { useState } from 'preact/hooks';
import { api, del, download, patch, post } from '../api.js';
import { fmtTime, t } from '../i18n.js';
import { go, href } from '../router.js';
import { ErrorBox, Field, ListTable, Loading, Notice, Select, Severity, useAction, useFetch, useNames } from '../ui.jsx';
import { Confirm } from './admin_confirm.jsx';
import {
  EXPECTED, METHODS, durText, fmtT, orgText, timeValue, usePolled,
} from './exercises_common.jsx';

const STATUS_MS = 2000;
const INJECTS_MS = 4000;
const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];

function exPath(ex, rest = '') {
  return '/exercises/' + encodeURIComponent(ex.id) + rest;
}

function ClockPanel({ ex, onChange }) {
  const { error, busy, run, fe } = useAction();
  const [advance, setAdvance] = useState('1h');
  const [speed, setSpeed] = useState(String(ex.speed || 1));
  const [done, setDone] = useState('');
  const [ending, setEnding] = useState(false);
  const clock = (body) => run(async () => {
    setDone('');
    const r = await post(exPath(ex, '/clock'), body);
    setDone(t('ex.clock.done', { clock: fmtT(r && r.scenario_s) }));
    onChange();
  });
  const onAdvance = (e) => {
    e.preventDefault();
    const v = advance.trim();
    if (/^T\+/i.test(v)) clock({ action: 'advance', to: v });
    else clock({ action: 'advance', by: timeValue(v) });
  };
  const onSpeed = (e) => {
    e.preventDefault();
    clock({ action: 'speed', speed: Number(speed) });
  };
  const reveal = () => run(async () => {
    setDone('');
    await post(exPath(ex, '/reveal'), {});
    setDone(t('ex.reveal.done'));
    onChange();
  });
  const live = ex.state === 'running' || ex.state === 'paused';
  const canReveal = ex.cause_hidden && (ex.revealed_s === null || ex.revealed_s === undefined) && ex.state !== 'planned';
  return (
    <section class="panel" aria-labelledby="ex-clock-title" id="ex-clock-panel">
      <h2 id="ex-clock-title">{t('ex.clock.title')}</h2>
      <p>
        <span class="card"><span class="big" id="ex-clock-big">{fmtT(ex.scenario_s)}</span></span>{' '}
        <span class="muted">{t('ex.state.' + ex.state)} · {t('ex.speed', { n: ex.speed })} · {t('ex.clock.polled')}</span>
      </p>
      <ErrorBox error={error} />
      {done ? <Notice>{done}</Notice> : null}
      <div class="form-actions">
        {ex.state === 'planned' ? (
          <button type="button" class="primary" id="ex-start" disabled={busy} onClick={() => clock({ action: 'start' })}>{t('ex.clock.start')}</button>
        ) : null}
        {ex.state === 'running' ? (
          <button type="button" id="ex-pause" disabled={busy} onClick={() => clock({ action: 'pause' })}>{t('ex.clock.pause')}</button>
        ) : null}
        {ex.state === 'paused' ? (
          <button type="button" class="primary" id="ex-resume" disabled={busy} onClick={() => clock({ action: 'resume' })}>{t('ex.clock.resume')}</button>
        ) : null}
        {live ? (
          <button type="button" class="danger" id="ex-end" disabled={busy} onClick={() => setEnding(true)}>{t('ex.clock.end')}</button>
        ) : null}
        {canReveal ? (
          <button type="button" id="ex-reveal" disabled={busy} onClick={reveal}>{t('ex.reveal')}</button>
        ) : null}
      </div>
      {live ? (
        <div class="form-grid">
          <form class="filters" onSubmit={onAdvance} aria-label={t('ex.clock.advance')}>
            <Field id="ex-advance" label={t('ex.clock.advance.label')} hint={t('ex.clock.advance.hint')} error={fe('by') || fe('to')}>
              <input id="ex-advance" value={advance} maxLength={40} onInput={(e) => setAdvance(e.currentTarget.value)} />
            </Field>
            <button type="submit" id="ex-advance-button" disabled={busy}>{t('ex.clock.advance')}</button>
          </form>
          <form class="filters" onSubmit={onSpeed} aria-label={t('ex.clock.speed')}>
            <Field id="ex-speed" label={t('ex.clock.speed.label')} error={fe('speed')}>
              <input id="ex-speed" type="number" min="1" max="86400" step="1" inputMode="numeric" value={speed}
                onInput={(e) => setSpeed(e.currentTarget.value)} />
            </Field>
            <button type="submit" disabled={busy}>{t('ex.clock.speed')}</button>
          </form>
        </div>
      ) : null}
      <Confirm open={ending} title={t('ex.clock.end')} confirmLabel={t('ex.clock.end.yes')} danger
        onConfirm={() => { setEnding(false); clock({ action: 'end' }); }} onCancel={() => setEnding(false)}>
        {t('ex.clock.end.confirm')}
      </Confirm>
    </section>
  );
}

const EMPTY_INJECT = {
  seq: '', at: '', type: 'alert', method: 'inbox', from: '', to: 'all', title: '', description: '', expected: ['ack', 'report'],
  expected_action: '', respond_within: '', objective: '', controller: '', notes: '', sub_scenario: '', severity: 'medium',
};

function formOf(i) {
  return {
    ...EMPTY_INJECT,
    seq: i.seq === undefined || i.seq === null ? '' : String(i.seq),
    at: i.at_s === undefined || i.at_s === null ? '' : 'T+' + durText(i.at_s),
    type: i.type || '',
    method: i.method || 'inbox',
    from: i.from || '',
    to: (i.to || []).join(';'),
    title: i.title || '',
    description: i.description || '',
    expected: i.expected || [],
    expected_action: i.expected_action || '',
    respond_within: durText(i.respond_within_s),
    objective: i.objective || '',
    controller: i.controller || '',
    notes: i.notes || '',
    sub_scenario: i.sub_scenario || '',
    severity: i.severity || '',
  };
}

function bodyOf(f) {
  const b = {
    type: f.type.trim(),
    method: f.method,
    from: f.from.trim(),
    to: f.to.split(/[;,]/).map((x) => x.trim()).filter(Boolean),
    title: f.title.trim(),
    description: f.description,
    expected: f.expected,
    expected_action: f.expected_action,
    objective: f.objective,
    controller: f.controller,
    notes: f.notes,
    sub_scenario: f.sub_scenario,
  };
  if (f.severity) b.severity = f.severity;
  if (String(f.seq).trim() !== '') b.seq = Number(f.seq);
  const at = timeValue(f.at);
  if (at !== undefined) b.at = at;
  const within = timeValue(f.respond_within);
  if (within !== undefined) b.respond_within = within;
  return b;
}

// Add an inject (inject absent) or edit a pending one.
function InjectForm({ ex, inject, onSaved, onCancel }) {
  const [form, setForm] = useState(inject ? formOf(inject) : EMPTY_INJECT);
  const { error, busy, run, fe } = useAction();
  const set = (k) => (v) => setForm((f) => ({ ...f, [k]: v }));
  const input = (k) => (e) => set(k)(e.currentTarget.value);
  const p = inject ? 'exi-edit' : 'exi';
  const toggle = (v) => setForm((f) => ({ ...f, expected: f.expected.includes(v) ? f.expected.filter((x) => x !== v) : [...f.expected, v] }));
  const submit = (e) => {
    e.preventDefault();
    run(async () => {
      const body = bodyOf(form);
      if (inject) await patch(exPath(ex, '/injects/' + encodeURIComponent(inject.id)), body);
      else await post(exPath(ex, '/injects'), body);
      if (!inject) setForm(EMPTY_INJECT);
      onSaved();
    });
  };
  const title = inject ? t('ex.i.edit.title', { seq: inject.seq }) : t('ex.i.add');
  return (
    <form class="sp-form" onSubmit={submit} noValidate aria-label={title} id={p + '-form'}>
      <ErrorBox error={error} />
      <div class="form-grid">
        <Field id={p + '-seq'} label={t('ex.i.seq')} error={fe('seq')}>
          <input id={p + '-seq'} type="number" min="1" step="1" inputMode="numeric" value={form.seq} onInput={input('seq')} />
        </Field>
        <Field id={p + '-at'} label={t('ex.i.at')} hint={t('ex.i.at.hint')} error={fe('at')}>
          <input id={p + '-at'} maxLength={40} value={form.at} onInput={input('at')} />
        </Field>
        <Field id={p + '-type'} label={t('ex.i.type')} error={fe('type')}>
          <input id={p + '-type'} maxLength={200} value={form.type} onInput={input('type')} />
        </Field>
        <Field id={p + '-method'} label={t('ex.i.method')} error={fe('method')}>
          <Select id={p + '-method'} value={form.method} onChange={set('method')} options={METHODS.map((m) => [m, t('ex.i.method.' + m)])} />
        </Field>
        <Field id={p + '-from'} label={t('ex.i.from')} error={fe('from')}>
          <input id={p + '-from'} maxLength={2000} value={form.from} onInput={input('from')} />
        </Field>
        <Field id={p + '-to'} label={t('ex.i.to')} hint={t('ex.i.to.hint')} error={fe('to')}>
          <input id={p + '-to'} maxLength={2000} value={form.to} onInput={input('to')} />
        </Field>
        <Field id={p + '-severity'} label={t('ex.i.severity')} error={fe('severity')}>
          <Select id={p + '-severity'} value={form.severity} onChange={set('severity')} blank="—" options={SEVERITIES.map((s) => [s, t('sev.' + s)])} />
        </Field>
        <Field id={p + '-within'} label={t('ex.i.respond_within')} hint={t('ex.i.respond_within.hint')} error={fe('respond_within')}>
          <input id={p + '-within'} maxLength={40} value={form.respond_within} onInput={input('respond_within')} />
        </Field>
      </div>
      <Field id={p + '-title'} label={t('ex.i.title')} error={fe('title')}>
        <input id={p + '-title'} maxLength={200} value={form.title} onInput={input('title')} />
      </Field>
      <Field id={p + '-description'} label={t('ex.i.description')} error={fe('description')}>
        <textarea id={p + '-description'} maxLength={20000} value={form.description} onInput={input('description')} />
      </Field>
      <fieldset>
        <legend>{t('ex.i.expected')}</legend>
        {fe('expected') ? <div class="field-message" role="alert">{fe('expected')}</div> : null}
        {EXPECTED.map((v) => (
          <label class="choice" key={v}>
            <input type="checkbox" name={p + '-expected'} value={v} checked={form.expected.includes(v)} onChange={() => toggle(v)} />
            <span>{t('ex.exp.' + v)}</span>
          </label>
        ))}
      </fieldset>
      <div class="form-grid">
        <Field id={p + '-expected-action'} label={t('ex.i.expected_action')} error={fe('expected_action')}>
          <input id={p + '-expected-action'} maxLength={2000} value={form.expected_action} onInput={input('expected_action')} />
        </Field>
        <Field id={p + '-objective'} label={t('ex.i.objective')} error={fe('objective')}>
          <input id={p + '-objective'} maxLength={2000} value={form.objective} onInput={input('objective')} />
        </Field>
        <Field id={p + '-controller'} label={t('ex.i.controller')} error={fe('controller')}>
          <input id={p + '-controller'} maxLength={2000} value={form.controller} onInput={input('controller')} />
        </Field>
        <Field id={p + '-sub'} label={t('ex.i.sub_scenario')} error={fe('sub_scenario')}>
          <input id={p + '-sub'} maxLength={2000} value={form.sub_scenario} onInput={input('sub_scenario')} />
        </Field>
      </div>
      <Field id={p + '-notes'} label={t('ex.i.notes')} error={fe('notes')}>
        <input id={p + '-notes'} maxLength={2000} value={form.notes} onInput={input('notes')} />
      </Field>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>{inject ? t('ex.i.save') : t('ex.i.add')}</button>
        {onCancel ? <button type="button" class="secondary" onClick={onCancel}>{t('act.cancel')}</button> : null}
      </div>
    </form>
  );
}

function stateBadge(i) {
  const cls = { delivered: 'badge-ok', skipped: 'badge-warn', pending: '' }[i.state] || '';
  return <span class={`badge ${cls}`}>{t('ex.i.state.' + i.state)}</span>;
}

function InjectsPanel({ ex, injects }) {
  const [editing, setEditing] = useState(null);
  const [adding, setAdding] = useState(false);
  const [saved, setSaved] = useState(false);
  const { error, busy, run } = useAction();
  const rows = (injects.data && injects.data.items) || [];
  const act = (fn) => run(async () => { setSaved(false); await fn(); await injects.reload(); });
  const ended = ex.state === 'ended';
  return (
    <section class="panel" aria-labelledby="ex-msel-title">
      <h2 id="ex-msel-title">{t('ex.msel')}</h2>
      <p class="hint">{t('ex.msel.lead')}</p>
      <ErrorBox error={injects.error || error} />
      {saved ? <Notice>{t('ex.i.saved')}</Notice> : null}
      {injects.loading && !injects.data ? <Loading /> : (
        <ListTable id="ex-msel" rows={rows} empty={t('ex.msel.none')} rowAttrs={(i) => ({ 'data-seq': i.seq, 'data-state': i.state })}
          columns={[
            { label: t('ex.i.seq'), num: true, render: (i) => i.seq },
            { label: t('ex.i.at'), render: (i) => fmtT(i.at_s) },
            { label: t('ex.i.title'), render: (i) => <><strong>{i.title}</strong>{i.description ? <div class="small muted">{i.description}</div> : null}</> },
            { label: t('ex.i.type'), render: (i) => <>{i.type}<div class="small muted">{i.method ? t('ex.i.method.' + i.method) : ''}</div></> },
            { label: t('ex.i.to'), render: (i) => (i.to || []).join('; ') },
            { label: t('ex.i.expected'), render: (i) => (i.expected || []).map((x) => t('ex.exp.' + x)).join('・') },
            { label: t('ex.i.severity'), render: (i) => (i.severity ? <Severity value={i.severity} /> : '') },
            { label: t('ex.i.state'), render: (i) => <>{stateBadge(i)}{i.delivered_at ? <div class="small muted">{fmtTime(i.delivered_at)}</div> : null}</> },
            {
              label: t('ex.i.actions'),
              render: (i) => (i.state === 'pending' && !ended ? (
                <span class="sp-actions-cell">
                  <button type="button" class="secondary" aria-label={t('ex.i.edit_label', { seq: i.seq })} onClick={() => { setAdding(false); setEditing(i); }}>{t('ex.i.edit')}</button>{' '}
                  <button type="button" class="secondary" aria-label={t('ex.i.skip_label', { seq: i.seq })} disabled={busy}
                    onClick={() => act(() => patch(exPath(ex, '/injects/' + encodeURIComponent(i.id)), { state: 'skipped' }))}>{t('ex.i.skip')}</button>{' '}
                  <button type="button" class="danger" aria-label={t('ex.i.delete_label', { seq: i.seq })} disabled={busy}
                    onClick={() => act(() => del(exPath(ex, '/injects/' + encodeURIComponent(i.id))))}>{t('ex.i.delete')}</button>
                </span>
              ) : null),
            },
          ]} />
      )}
      {editing ? (
        <div class="panel">
          <h3>{t('ex.i.edit.title', { seq: editing.seq })}</h3>
          <InjectForm key={editing.id} ex={ex} inject={editing}
            onSaved={() => { setEditing(null); setSaved(true); injects.reload(); }} onCancel={() => setEditing(null)} />
        </div>
      ) : null}
      {!ended ? (
        <details class="sp-compose" open={adding} onToggle={(e) => setAdding(e.currentTarget.open)} id="ex-add-inject">
          <summary>{t('ex.i.add')}</summary>
          <InjectForm ex={ex} onSaved={() => { setSaved(true); injects.reload(); }} />
        </details>
      ) : null}
    </section>
  );
}

function MselFiles({ ex, onImported }) {
  const [file, setFile] = useState(null);
  const [replace, setReplace] = useState(false);
  const [done, setDone] = useState('');
  const { error, setError, busy, run } = useAction();
  const submit = (e) => {
    e.preventDefault();
    if (!file) {
      setError(new Error(t('ex.msel.choose')));
      return;
    }
    run(async () => {
      setDone('');
      const json = /\.json$/i.test(file.name) || file.type === 'application/json';
      const r = await api('POST', exPath(ex, '/msel' + (replace ? '?replace=1' : '')), file,
        { type: json ? 'application/json' : 'text/csv' });
      setDone(t('ex.msel.imported', { n: r && r.added !== undefined ? r.added : '?' }));
      onImported();
    });
  };
  // every bad row of a refused import (the error names the first)
  const badRows = (error && error.body && Array.isArray(error.body.errors) && error.body.errors) || [];
  const save = (format) => run(async () => {
    await download(exPath(ex, '/msel?format=' + format), `msel-${ex.id}.${format}`);
  });
  return (
    <section class="panel" aria-labelledby="ex-files-title">
      <h2 id="ex-files-title">{t('ex.msel.files')}</h2>
      <div class="form-actions">
        <button type="button" class="secondary" id="ex-msel-csv" onClick={() => save('csv')}>{t('ex.msel.export_csv')}</button>
        <button type="button" class="secondary" onClick={() => save('json')}>{t('ex.msel.export_json')}</button>
      </div>
      {ex.state !== 'ended' ? (
        <form class="filters" onSubmit={submit} aria-label={t('ex.msel.import')}>
          <Field id="ex-msel-file" label={t('ex.msel.file')}>
            <input id="ex-msel-file" type="file" accept=".csv,.json,text/csv,application/json"
              onChange={(e) => setFile(e.currentTarget.files[0] || null)} />
          </Field>
          <label class="sp-check">
            <input type="checkbox" id="ex-msel-replace" checked={replace} onChange={(e) => setReplace(e.currentTarget.checked)} />
            <span>{t('ex.msel.replace')}</span>
          </label>
          <button type="submit" id="ex-msel-import" disabled={busy}>{t('ex.msel.import')}</button>
        </form>
      ) : null}
      <ErrorBox error={error} />
      {badRows.length ? (
        <ul class="plain-list small" id="ex-msel-errors" aria-label={t('ex.msel.bad_rows')}>
          {badRows.map((b, i) => (
            <li key={i}>{b.line !== undefined ? t('ex.msel.line', { n: b.line }) : t('ex.msel.index', { n: b.index })}: <code>{b.field}</code> — <span lang="en">{b.message}</span></li>
          ))}
        </ul>
      ) : null}
      {done ? <Notice>{done}</Notice> : null}
    </section>
  );
}

function Generate({ ex, onAdded }) {
  const jobs = useFetch('/analysis/jobs?state=done&limit=200');
  const [job, setJob] = useState('');
  const [max, setMax] = useState('20');
  const [per, setPer] = useState('3');
  const [done, setDone] = useState('');
  const { error, busy, run, fe } = useAction();
  const runs = ((jobs.data && jobs.data.items) || []).filter((j) => j.kind === 'run' && j.state === 'done');
  const submit = (e) => {
    e.preventDefault();
    run(async () => {
      setDone('');
      const body = { job };
      if (max.trim() !== '') body.max_injects = Number(max);
      if (per.trim() !== '') body.per_sector = Number(per);
      const r = await post(exPath(ex, '/generate'), body);
      setDone(t('ex.gen.done', { n: r && r.added !== undefined ? r.added : '?' }));
      onAdded();
    });
  };
  return (
    <details class="panel sp-compose" id="ex-generate">
      <summary>{t('ex.gen')}</summary>
      <p class="hint">{t('ex.gen.lead')}</p>
      <ErrorBox error={jobs.error || error} />
      {done ? <Notice>{done}</Notice> : null}
      {jobs.data && !runs.length ? (
        <p class="muted">{t('ex.gen.none')} <a href={href('/analysis')}>{t('ex.gen.to_analysis')}</a></p>
      ) : null}
      {runs.length ? (
        <form class="sp-form" onSubmit={submit} noValidate aria-label={t('ex.gen')}>
          <Field id="ex-gen-job" label={t('ex.gen.job')} error={fe('job')}>
            <Select id="ex-gen-job" value={job} onChange={setJob} blank={t('ex.gen.job.choose')}
              options={runs.map((j) => [j.id, `${j.model_name || j.model || ''} — ${fmtTime(j.finished_at || j.created_at)} (${String(j.id).slice(0, 8)})`])} />
          </Field>
          <div class="form-grid">
            <Field id="ex-gen-max" label={t('ex.gen.max')} error={fe('max_injects')}>
              <input id="ex-gen-max" type="number" min="1" max="200" step="1" inputMode="numeric" value={max} onInput={(e) => setMax(e.currentTarget.value)} />
            </Field>
            <Field id="ex-gen-per" label={t('ex.gen.per_sector')} error={fe('per_sector')}>
              <input id="ex-gen-per" type="number" min="1" max="20" step="1" inputMode="numeric" value={per} onInput={(e) => setPer(e.currentTarget.value)} />
            </Field>
          </div>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={busy || !job}>{t('ex.gen.submit')}</button>
          </div>
        </form>
      ) : null}
    </details>
  );
}

// A member's name as shown, and the body that names it for removal.
function memberWho(m) {
  if (m.user || m.user_name) return m.user_display_name || m.display_name || m.user_name || m.name || m.user;
  return orgText(m);
}

function memberRef(m) {
  return m.role === 'player' && !m.user ? { role: m.role, org: m.org } : { role: m.role, user: m.user || m.user_name };
}

function Members({ ex }) {
  const sector = useNames('/sectors');
  const members = useFetch(exPath(ex, '/members'));
  const orgs = useFetch('/orgs?kind=operator&limit=500');
  const [org, setOrg] = useState('');
  const [team, setTeam] = useState('');
  const [role, setRole] = useState('evaluator');
  const [user, setUser] = useState('');
  const [done, setDone] = useState(false);
  const { error, busy, run, fe } = useAction();
  const raw = members.data ? (Array.isArray(members.data) ? members.data : members.data.items || []) : [];
  const list = raw.map((m, i) => ({ ...m, _k: `${m.role}:${m.org || ''}:${m.user || ''}:${i}` }));
  const act = (fn) => run(async () => { setDone(false); await fn(); await members.reload(); });
  const addPlayer = (e) => {
    e.preventDefault();
    act(async () => {
      const body = { role: 'player', org };
      if (team.trim()) body.team = team.trim();
      await post(exPath(ex, '/members'), body);
      setOrg('');
      setTeam('');
      setDone(true);
    });
  };
  const addUser = (e) => {
    e.preventDefault();
    act(async () => {
      await post(exPath(ex, '/members'), { role, user: user.trim() });
      setUser('');
      setDone(true);
    });
  };
  return (
    <section class="panel" aria-labelledby="ex-members-title">
      <h2 id="ex-members-title">{t('ex.members')}</h2>
      <ErrorBox error={members.error || error} />
      {done ? <Notice>{t('ex.m.added')}</Notice> : null}
      {members.loading && !members.data ? <Loading /> : (
        <ListTable id="ex-members" rows={list} empty={t('ex.m.none')} rowKey="_k"
          columns={[
            { label: t('ex.m.role'), render: (m) => t('ex.part.' + m.role) },
            { label: t('ex.m.who'), render: (m) => <>{memberWho(m)}{m.org_code && !m.user ? <span class="muted"> ({m.org_code})</span> : null}</> },
            { label: t('ex.m.team'), render: (m) => (m.team ? sector(m.team) : '') },
            {
              label: t('ex.i.actions'),
              render: (m) => (m.role === 'owner' ? null : (
                <button type="button" class="secondary" disabled={busy} aria-label={t('ex.m.remove_label', { who: memberWho(m) })}
                  onClick={() => act(() => post(exPath(ex, '/members/remove'), memberRef(m)))}>{t('ex.m.remove')}</button>
              )),
            },
          ]} />
      )}
      {ex.state !== 'ended' ? (
        <div class="sp-link-forms">
          <form onSubmit={addPlayer} aria-label={t('ex.m.add_player')}>
            <h3>{t('ex.m.add_player')}</h3>
            <Field id="ex-m-org" label={t('ex.m.org')} error={fe('org')}>
              <Select id="ex-m-org" value={org} onChange={setOrg} blank={t('ex.m.org.choose')}
                options={((orgs.data && orgs.data.items) || []).map((o) => [o.code || o.id, `${orgText(o)}${o.code ? ' (' + o.code + ')' : ''}`])} />
            </Field>
            <Field id="ex-m-team" label={t('ex.m.team')} hint={t('ex.m.team.hint')} error={fe('team')}>
              <input id="ex-m-team" maxLength={200} value={team} onInput={(e) => setTeam(e.currentTarget.value)} />
            </Field>
            <button type="submit" id="ex-m-add-player" disabled={busy || !org}>{t('ex.m.add')}</button>
          </form>
          <form onSubmit={addUser} aria-label={t('ex.m.add_user')}>
            <h3>{t('ex.m.add_user')}</h3>
            <Field id="ex-m-role" label={t('ex.m.role')} error={fe('role')}>
              <Select id="ex-m-role" value={role} onChange={setRole}
                options={['controller', 'evaluator', 'adviser'].map((r) => [r, t('ex.part.' + r)])} />
            </Field>
            <Field id="ex-m-user" label={t('ex.m.user')} error={fe('user')}>
              <input id="ex-m-user" maxLength={200} value={user} onInput={(e) => setUser(e.currentTarget.value)} />
            </Field>
            <button type="submit" id="ex-m-add-user" disabled={busy || !user.trim()}>{t('ex.m.add')}</button>
          </form>
        </div>
      ) : null}
    </section>
  );
}

export function StatusPanel({ ex }) {
  const sector = useNames('/sectors');
  const status = usePolled(ex.state === 'planned' ? null : exPath(ex, '/status'), STATUS_MS);
  if (ex.state === 'planned') return null;
  const rows = (status.data && status.data.players) || [];
  const num = (k) => ({ label: t('ex.s.' + k), num: true, render: (r) => <span data-col={k}>{r[k] ?? 0}</span> });
  return (
    <section class="panel" aria-labelledby="ex-status-title">
      <h2 id="ex-status-title">{t('ex.status')}</h2>
      <p class="hint">{t('ex.status.lead')}</p>
      <ErrorBox error={status.error} />
      {status.loading && !status.data ? <Loading /> : (
        <ListTable id="ex-status" rows={rows} rowKey="org" rowAttrs={(r) => ({ 'data-org': r.org_code || r.org })}
          columns={[
            { label: t('ex.s.org'), render: (r) => <>{orgText(r)}{r.org_code ? <span class="muted"> ({r.org_code})</span> : null}</> },
            { label: t('ex.s.team'), render: (r) => (r.team ? sector(r.team) : '') },
            num('delivered'), num('acked'), num('reports'), num('shares'),
            { label: t('ex.s.last'), render: (r) => fmtT(r.last_action_s) },
          ]} />
      )}
    </section>
  );
}

function DeleteExercise({ ex }) {
  const [asking, setAsking] = useState(false);
  const { error, busy, run } = useAction();
  const remove = () => run(async () => {
    setAsking(false);
    await del(exPath(ex));
    go('/exercises');
  });
  return (
    <section class="panel">
      <ErrorBox error={error} />
      <button type="button" class="danger" id="ex-delete" disabled={busy} onClick={() => setAsking(true)}>{t('ex.delete')}</button>
      <Confirm open={asking} title={t('ex.delete')} confirmLabel={t('ex.delete.yes')} danger onConfirm={remove} onCancel={() => setAsking(false)}>
        {t('ex.delete.confirm', { title: ex.title })}
      </Confirm>
    </section>
  );
}

export function ControlTab({ ex, onChange }) {
  const injects = usePolled(exPath(ex, '/injects'), INJECTS_MS);
  const changed = () => {
    onChange();
    injects.reload();
  };
  return (
    <div id="ex-control">
      <ClockPanel key={ex.id} ex={ex} onChange={changed} />
      <StatusPanel ex={ex} />
      <InjectsPanel ex={ex} injects={injects} />
      <MselFiles ex={ex} onImported={injects.reload} />
      {ex.state !== 'ended' ? <Generate ex={ex} onAdded={injects.reload} /> : null}
      <Members ex={ex} />
      <DeleteExercise ex={ex} />
    </div>
  );
}
