// plan_edit.jsx - NISC's corrections of a plan after it was made: the plan's
// titles, its pillars (add, correct, remove an empty one) and its measures
// (add, correct titles, owners, target, deadline or pillar, remove; one with
// progress or a grade only after a second, explicit confirmation). Each form
// sends only what changed; the server checks it as at creation and answers
// the field at fault. Shown to NISC only; the server refuses everyone else.
import { useState } from 'preact/hooks';
import { del, patch, post } from '../api.js';
import { extend, nameOf, t } from '../i18n.js';
import { ErrorBox, Field, ListTable, Notice, Select, useAction, useFetch } from '../ui.jsx';

extend({
  ja: {
    'planedit.plan': '計画を編集',
    'planedit.plan_title': '計画の編集',
    'planedit.title_ja': '名称 (日本語)',
    'planedit.title_en': '名称 (英語)',
    'planedit.period': '期間',
    'planedit.source': '出典',
    'planedit.save': '保存',
    'planedit.saved': '保存しました。',
    'planedit.unchanged': '変更はありません。',
    'planedit.cancel': '閉じる',
    'planedit.pillars': '施策の柱の編集',
    'planedit.pillar_add': '柱を追加',
    'planedit.pillar_new': '新しい柱',
    'planedit.pillar_edit': '柱の編集: {code}',
    'planedit.pillar_added': '柱を追加しました。',
    'planedit.code': '番号',
    'planedit.measures_n': '施策数',
    'planedit.edit': '編集',
    'planedit.up': '上へ',
    'planedit.down': '下へ',
    'planedit.delete': '削除',
    'planedit.measure_add': '施策を追加',
    'planedit.measure_new': '施策の追加: 柱 {code}',
    'planedit.measure_edit': '施策の編集: {code}',
    'planedit.measure_added': '施策を追加しました。',
    'planedit.owners': '担当',
    'planedit.target_ja': '目標 (日本語)',
    'planedit.target_en': '目標 (英語)',
    'planedit.deadline': '期限',
    'planedit.pillar': '施策の柱',
    'planedit.confirm_measure': '施策 {code} を削除しますか。',
    'planedit.confirm_pillar': '柱 {code} を削除しますか。',
    'planedit.confirm': '削除する',
    'planedit.force': '進捗報告と評価ごと削除する',
    'planedit.deleted': '削除しました。',
  },
  en: {
    'planedit.plan': 'Edit the plan',
    'planedit.plan_title': 'Editing the plan',
    'planedit.title_ja': 'Title (Japanese)',
    'planedit.title_en': 'Title (English)',
    'planedit.period': 'Period',
    'planedit.source': 'Source',
    'planedit.save': 'Save',
    'planedit.saved': 'Saved.',
    'planedit.unchanged': 'Nothing was changed.',
    'planedit.cancel': 'Close',
    'planedit.pillars': 'Editing the pillars',
    'planedit.pillar_add': 'Add a pillar',
    'planedit.pillar_new': 'A new pillar',
    'planedit.pillar_edit': 'Editing pillar {code}',
    'planedit.pillar_added': 'The pillar was added.',
    'planedit.code': 'Code',
    'planedit.measures_n': 'Measures',
    'planedit.edit': 'Edit',
    'planedit.up': 'Up',
    'planedit.down': 'Down',
    'planedit.delete': 'Delete',
    'planedit.measure_add': 'Add a measure',
    'planedit.measure_new': 'A new measure under pillar {code}',
    'planedit.measure_edit': 'Editing measure {code}',
    'planedit.measure_added': 'The measure was added.',
    'planedit.owners': 'Owners',
    'planedit.target_ja': 'Target (Japanese)',
    'planedit.target_en': 'Target (English)',
    'planedit.deadline': 'Deadline',
    'planedit.pillar': 'Pillar',
    'planedit.confirm_measure': 'Delete measure {code}?',
    'planedit.confirm_pillar': 'Delete pillar {code}?',
    'planedit.confirm': 'Delete',
    'planedit.force': 'Delete it with its progress reports and grade',
    'planedit.deleted': 'Deleted.',
  },
});

// The members of f that differ from orig (owners compared as sets).
function changed(f, orig) {
  const out = {};
  for (const k of Object.keys(f)) {
    const a = f[k];
    const b = orig[k] === null || orig[k] === undefined ? '' : orig[k];
    if (Array.isArray(a) ? [...a].sort().join() !== [...b].sort().join() : a !== b) out[k] = a;
  }
  return out;
}

function Text({ id, label, value, onInput, error, area, wide }) {
  return (
    <Field id={id} label={label} error={error} wide={area || wide}>
      {area ? <textarea id={id} rows={2} value={value} onInput={(e) => onInput(e.currentTarget.value)} />
        : <input id={id} value={value} onInput={(e) => onInput(e.currentTarget.value)} />}
    </Field>
  );
}

// The plan's own fields.
export function PlanEditForm({ plan, onDone, onClose }) {
  const orig = { title_ja: plan.title_ja, title_en: plan.title_en, period: plan.period, source: plan.source };
  const [f, setF] = useState({ ...orig, period: orig.period || '', source: orig.source || '' });
  const [msg, setMsg] = useState('');
  const act = useAction();
  const set = (k) => (v) => setF({ ...f, [k]: v });
  const submit = (e) => {
    e.preventDefault();
    setMsg('');
    const body = changed(f, orig);
    if (!Object.keys(body).length) { setMsg(t('planedit.unchanged')); return; }
    act.run(async () => {
      await patch(`/plans/${encodeURIComponent(plan.id)}`, body);
      setMsg(t('planedit.saved'));
      onDone();
    });
  };
  return (
    <form id="plan-edit-form" class="panel plan-form" onSubmit={submit} noValidate aria-label={t('planedit.plan_title')}>
      <h3>{t('planedit.plan_title')}</h3>
      <div class="form-grid">
        <Text id="pe-title-ja" label={t('planedit.title_ja')} value={f.title_ja} onInput={set('title_ja')} error={act.fe('title_ja')} />
        <Text id="pe-title-en" label={t('planedit.title_en')} value={f.title_en} onInput={set('title_en')} error={act.fe('title_en')} />
        <Text id="pe-period" label={t('planedit.period')} value={f.period} onInput={set('period')} error={act.fe('period')} />
        <Text id="pe-source" label={t('planedit.source')} value={f.source} onInput={set('source')} error={act.fe('source')} area />
      </div>
      <ErrorBox error={act.error} />
      {msg ? <Notice>{msg}</Notice> : null}
      <div class="form-actions">
        <button type="submit" disabled={act.busy}>{t('planedit.save')}</button>
        <button type="button" class="secondary" onClick={onClose}>{t('planedit.cancel')}</button>
      </div>
    </form>
  );
}

// Deleting after a confirmation; a 409 for a measure with history offers ?force=1.
function DeleteBox({ id, question, path, forceable, onDone }) {
  const act = useAction();
  const go = (f) => act.run(async () => {
    await del(path + (f ? '?force=1' : ''));
    onDone(t('planedit.deleted'));
  });
  const refused = !!(act.error && act.error.status === 409);
  const force = refused && forceable;
  return (
    <div id={id} class="panel plan-form" role="group" aria-label={question}>
      <p>{question}</p>
      <ErrorBox error={act.error} />
      <div class="form-actions">
        {force ? <button type="button" class="danger" id={id + '-force'} disabled={act.busy} onClick={() => go(true)}>{t('planedit.force')}</button>
          : <button type="button" class="danger" id={id + '-confirm'} disabled={act.busy || refused} onClick={() => go(false)}>{t('planedit.confirm')}</button>}
      </div>
    </div>
  );
}

function PillarForm({ plan, pl, onDone }) {
  const orig = pl ? { code: pl.code, title_ja: pl.title_ja, title_en: pl.title_en } : { code: '', title_ja: '', title_en: '' };
  const [f, setF] = useState({ ...orig });
  const [msg, setMsg] = useState('');
  const act = useAction();
  const set = (k) => (v) => setF({ ...f, [k]: v });
  const title = pl ? t('planedit.pillar_edit', { code: pl.code }) : t('planedit.pillar_new');
  const submit = (e) => {
    e.preventDefault();
    setMsg('');
    const base = `/plans/${encodeURIComponent(plan.id)}/pillars`;
    const body = pl ? changed(f, orig) : f;
    if (pl && !Object.keys(body).length) { setMsg(t('planedit.unchanged')); return; }
    act.run(async () => {
      if (pl) await patch(`${base}/${encodeURIComponent(pl.id)}`, body);
      else await post(base, body);
      onDone(pl ? t('planedit.saved') : t('planedit.pillar_added'));
    });
  };
  return (
    <form id="pillar-form" class="panel plan-form" onSubmit={submit} noValidate aria-label={title}>
      <h3>{title}</h3>
      <div class="form-grid">
        <Text id="plf-code" label={t('planedit.code')} value={f.code} onInput={set('code')} error={act.fe('code')} />
        <Text id="plf-title-ja" label={t('planedit.title_ja')} value={f.title_ja} onInput={set('title_ja')} error={act.fe('title_ja')} />
        <Text id="plf-title-en" label={t('planedit.title_en')} value={f.title_en} onInput={set('title_en')} error={act.fe('title_en')} />
      </div>
      <ErrorBox error={act.error} />
      {msg ? <Notice>{msg}</Notice> : null}
      <div class="form-actions"><button type="submit" disabled={act.busy}>{t('planedit.save')}</button></div>
    </form>
  );
}

// The organisations a measure may have as owners: NISC and the ministries.
function useOwnerOrgs() {
  const nisc = useFetch('/orgs?kind=nisc&limit=500');
  const min = useFetch('/orgs?kind=ministry&limit=500');
  return [...(nisc.data ? nisc.data.items : []), ...(min.data ? min.data.items : [])];
}

// Add a measure under pillar pl (m null), or correct measure m.
export function MeasureForm({ plan, pillars, pl, m, onDone }) {
  const orgs = useOwnerOrgs();
  const orig = m ? {
    code: m.code, title_ja: m.title_ja, title_en: m.title_en, owners: m.owners.map((o) => o.id),
    target_ja: m.target_ja, target_en: m.target_en, deadline: m.deadline, pillar: m.pillar,
  } : { code: '', title_ja: '', title_en: '', owners: [], target_ja: '', target_en: '', deadline: '' };
  const [f, setF] = useState({ ...orig });
  const [msg, setMsg] = useState('');
  const act = useAction();
  const set = (k) => (v) => setF({ ...f, [k]: v });
  const toggle = (id, on) => setF({ ...f, owners: on ? [...f.owners, id] : f.owners.filter((x) => x !== id) });
  const title = m ? t('planedit.measure_edit', { code: m.code }) : t('planedit.measure_new', { code: pl.code });
  const submit = (e) => {
    e.preventDefault();
    setMsg('');
    const body = m ? changed(f, orig) : f;
    if (m && !Object.keys(body).length) { setMsg(t('planedit.unchanged')); return; }
    act.run(async () => {
      const id = encodeURIComponent(plan.id);
      if (m) await patch(`/plans/${id}/measures/${encodeURIComponent(m.id)}`, body);
      else await post(`/plans/${id}/pillars/${encodeURIComponent(pl.id)}/measures`, body);
      onDone(m ? t('planedit.saved') : t('planedit.measure_added'));
    });
  };
  const ownersError = act.fe('owners');
  return (
    <form id="measure-form" class="panel plan-form" onSubmit={submit} noValidate aria-label={title}>
      <h3>{title}</h3>
      <div class="form-grid">
        <Text id="mf-code" label={t('planedit.code')} value={f.code} onInput={set('code')} error={act.fe('code')} />
        {m ? (
          <Field id="mf-pillar" label={t('planedit.pillar')} error={act.fe('pillar')}>
            <Select id="mf-pillar" value={f.pillar} onChange={set('pillar')}
              options={pillars.map((p) => [p.code, `${p.code} ${nameOf(p, 'title')}`])} />
          </Field>
        ) : null}
        <Text id="mf-title-ja" label={t('planedit.title_ja')} value={f.title_ja} onInput={set('title_ja')} error={act.fe('title_ja')} wide />
        <Text id="mf-title-en" label={t('planedit.title_en')} value={f.title_en} onInput={set('title_en')} error={act.fe('title_en')} />
        <Field id="mf-deadline" label={t('planedit.deadline')} error={act.fe('deadline')}>
          <input id="mf-deadline" type="date" value={f.deadline} onInput={(e) => set('deadline')(e.currentTarget.value)} />
        </Field>
        <fieldset id="mf-owners" class={`field field-wide plan-owners${ownersError ? ' field-error' : ''}`}
          aria-invalid={ownersError ? 'true' : undefined} aria-describedby={ownersError ? 'mf-owners-error' : undefined}>
          <legend>{t('planedit.owners')}</legend>
          {orgs.map((o) => (
            <label class="choice" key={o.id}>
              <input type="checkbox" data-owner={o.code} checked={f.owners.includes(o.id)}
                onChange={(e) => toggle(o.id, e.currentTarget.checked)} /> {nameOf(o)}
            </label>
          ))}
          {ownersError ? <div class="field-message" id="mf-owners-error" role="alert">{ownersError}</div> : null}
        </fieldset>
        <Text id="mf-target-ja" label={t('planedit.target_ja')} value={f.target_ja} onInput={set('target_ja')} error={act.fe('target_ja')} area />
        <Text id="mf-target-en" label={t('planedit.target_en')} value={f.target_en} onInput={set('target_en')} error={act.fe('target_en')} area />
      </div>
      <ErrorBox error={act.error} />
      {msg ? <Notice>{msg}</Notice> : null}
      <div class="form-actions"><button type="submit" disabled={act.busy}>{t('planedit.save')}</button></div>
    </form>
  );
}

export function MeasureDelete({ plan, m, onDone }) {
  return <DeleteBox key={m.id} id="measure-delete" question={t('planedit.confirm_measure', { code: m.code })} forceable
    path={`/plans/${encodeURIComponent(plan.id)}/measures/${encodeURIComponent(m.id)}`} onDone={onDone} />;
}

// The pillars with their edit controls, and the forms they open.
export function PillarEditor({ plan, onDone, onAddMeasure }) {
  const [sel, setSel] = useState(null); // {kind: 'add'|'edit'|'delete', pl}
  const [msg, setMsg] = useState('');
  const done = (text) => {
    setMsg(text || '');
    setSel(null);
    onDone();
  };
  const open = (kind, pl) => { setMsg(''); setSel({ kind, pl }); };
  const move = useAction();
  // one place up or down among the plan's pillars
  const moveTo = (p, i) => move.run(async () => {
    await patch(`/plans/${encodeURIComponent(plan.id)}/pillars/${encodeURIComponent(p.id)}`, { position: i });
    setMsg('');
    onDone();
  });
  const at = new Map(plan.pillars.map((p, i) => [p.id, i]));
  const last = plan.pillars.length - 1;
  return (
    <div class="panel" id="plan-pillars">
      <h2>{t('planedit.pillars')}</h2>
      <ErrorBox error={move.error} />
      <ListTable id="pillars-table" rows={plan.pillars} columns={[
        { label: t('planedit.code'), render: (p) => p.code },
        { label: t('planedit.pillar'), render: (p) => nameOf(p, 'title') },
        { label: t('planedit.measures_n'), render: (p) => p.measures },
        { label: '', render: (p) => (
          <span class="plan-actions">
            <button type="button" class="secondary" data-act="pillar-up" disabled={at.get(p.id) === 0 || move.busy}
              onClick={() => moveTo(p, at.get(p.id) - 1)} aria-label={`${t('planedit.up')}: ${p.code}`}>↑</button>
            <button type="button" class="secondary" data-act="pillar-down" disabled={at.get(p.id) === last || move.busy}
              onClick={() => moveTo(p, at.get(p.id) + 1)} aria-label={`${t('planedit.down')}: ${p.code}`}>↓</button>
            <button type="button" class="secondary" data-act="pillar-edit" onClick={() => open('edit', p)}
              aria-label={`${t('planedit.edit')}: ${p.code}`}>{t('planedit.edit')}</button>
            <button type="button" class="secondary" data-act="measure-add" onClick={() => { setSel(null); onAddMeasure(p); }}
              aria-label={`${t('planedit.measure_add')}: ${p.code}`}>{t('planedit.measure_add')}</button>
            <button type="button" class="secondary" data-act="pillar-delete" onClick={() => open('delete', p)}
              aria-label={`${t('planedit.delete')}: ${p.code}`}>{t('planedit.delete')}</button>
          </span>
        ) },
      ]} rowAttrs={(p) => ({ 'data-pillar': p.code })} />
      <div class="form-actions">
        <button type="button" class="secondary" id="pillar-add" onClick={() => open('add', null)}>{t('planedit.pillar_add')}</button>
      </div>
      {msg ? <Notice>{msg}</Notice> : null}
      {sel && sel.kind !== 'delete' ? <PillarForm key={sel.kind + (sel.pl ? sel.pl.id : '')} plan={plan} pl={sel.pl} onDone={done} /> : null}
      {sel && sel.kind === 'delete' ? <DeleteBox key={'d' + sel.pl.id} id="pillar-delete"
        question={t('planedit.confirm_pillar', { code: sel.pl.code })}
        path={`/plans/${encodeURIComponent(plan.id)}/pillars/${encodeURIComponent(sel.pl.id)}`} onDone={done} /> : null}
    </div>
  );
}
