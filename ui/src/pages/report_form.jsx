// report_form.jsx - report an IT failure, or add a version to one: the
// registry's services and systems and seed 004's cause taxonomy as choices,
// the TLP and sharing scope explained beside the choice, and the reporter's
// name shown as others will see it. A stale version (someone updated it
// meanwhile) is refused by the server and said so; nothing typed is lost.
import { useEffect, useState } from 'preact/hooks';
import { api, get, patch, post } from '../api.js';
import { extend, nameOf, t } from '../i18n.js';
import { go, href } from '../router.js';
import { ErrorBox, Field, Loading, PageHeader, Select, TlpBadge, TLP_VALUES, fieldError, useFetch } from '../ui.jsx';
import { CAUSES, STATUSES } from './reports.jsx';

extend({
  ja: {
    'rform.new': 'IT障害の報告',
    'rform.update': '続報・更新（第{n}版として記録）',
    'rform.title': '件名',
    'rform.status': '状態',
    'rform.status.hint': '第一報 → 続報 → 復旧 → 最終報 の順に進みます。最終報には原因分析と再発防止策が必要です。',
    'rform.occurred': '発生日時（JST）',
    'rform.detected': '検知日時（JST）',
    'rform.service': '影響を受けた重要インフラサービス',
    'rform.system': '重要システム',
    'rform.none': '（選択しない）',
    'rform.cause': '原因の分類（安全基準等策定指針 II.3）',
    'rform.threats': '脅威の類型',
    'rform.impact': 'サービスレベルへの影響',
    'rform.breached': '検証レベルを超える障害である',
    'rform.vlevel': 'このサービスの検証レベル: {level} (これを逸脱した障害は IT 障害の統計に数えられます)',
    'rform.indicators': '指標（IoC）',
    'rform.ind.type': '種類',
    'rform.ind.value': '値',
    'rform.ind.add': '指標を追加',
    'rform.ind.remove': '削除',
    'rform.sharing': '共有範囲と取扱い',
    'rform.tlp': 'TLP（情報の取扱い）',
    'rform.scope': '共有範囲',
    'rform.scope.hint': '所管省庁とNISCには常に届きます。',
    'rform.scope.not_allowed': 'この TLP では選べません',
    'rform.show_name': '組織名を共有先に表示する',
    'rform.seen_as': '所管省庁・NISC 以外からはこう見えます: 「{name}」',
    'rform.handling': '取扱制限',
    'rform.classification': '格付け',
    'rform.attach': '添付ファイル（10 MiB まで）',
    'rform.submit.new': '報告を送信',
    'rform.submit.update': '更新を送信',
    'rform.stale': '他の担当者がこの報告を更新しました。最新の版を読み込んでから、もう一度送信してください（あなたが変更した項目はそのまま残り、変更していない項目は最新の内容になります）。',
    'rform.reload': '最新の版を読み込む',
    'rform.anon': '{sector}の事業者',
  },
  en: {
    'rform.new': 'Report an IT failure',
    'rform.update': 'Add an update (recorded as version {n})',
    'rform.title': 'Subject',
    'rform.status': 'State',
    'rform.status.hint': 'First report → update → recovered → final report. A final report needs the cause analysis and recurrence prevention.',
    'rform.occurred': 'Occurred (JST)',
    'rform.detected': 'Detected (JST)',
    'rform.service': 'Critical service affected',
    'rform.system': 'Critical system',
    'rform.none': '(none)',
    'rform.cause': 'Cause category (Guideline II.3)',
    'rform.threats': 'Threat types',
    'rform.impact': 'Impact on the service level',
    'rform.breached': 'The verification level was breached',
    'rform.vlevel': 'This service\u2019s verification level: {level} (failures beyond it count in the IT-failure statistics)',
    'rform.indicators': 'Indicators',
    'rform.ind.type': 'Type',
    'rform.ind.value': 'Value',
    'rform.ind.add': 'Add an indicator',
    'rform.ind.remove': 'Remove',
    'rform.sharing': 'Sharing and handling',
    'rform.tlp': 'TLP (how it may be handled)',
    'rform.scope': 'Shared with',
    'rform.scope.hint': 'Your ministry and NISC always receive it.',
    'rform.scope.not_allowed': 'not allowed with this TLP',
    'rform.show_name': 'Show our name to those it is shared with',
    'rform.seen_as': 'Beyond your ministry and NISC it reads: "{name}"',
    'rform.handling': 'Handling restrictions',
    'rform.classification': 'Classification',
    'rform.attach': 'Attachments (up to 10 MiB)',
    'rform.submit.new': 'Send the report',
    'rform.submit.update': 'Send the update',
    'rform.stale': 'Someone else has updated this report. Load the latest version, then send again (what you changed is kept; what you left as it was takes the latest value).',
    'rform.reload': 'Load the latest version',
    'rform.anon': 'a {sector} operator',
  },
});

const SCOPES = ['ministry', 'ceptoar', 'council', 'all'];
const IND_TYPES = ['ip', 'domain', 'url', 'hash', 'cve', 'text'];
const HANDLING = ['no-copy', 'no-redistribution', 'no-export'];
const CLASSES = ['none', 'confidential-1', 'confidential-2', 'confidential-3'];

// The scopes a TLP allows (docs/api.md): RED and AMBER+STRICT stay with the
// ministry; AMBER does not go to everyone.
export function scopesFor(tlp) {
  if (tlp === 'RED' || tlp === 'AMBER+STRICT') return ['ministry'];
  if (tlp === 'AMBER') return ['ministry', 'ceptoar', 'council'];
  return SCOPES;
}

// RFC 3339 (UTC from the server) <-> the value of an <input type=datetime-local> in JST.
function toLocal(iso) {
  if (!iso) return '';
  const d = new Date(new Date(iso).getTime() + 9 * 3600 * 1000);
  return d.toISOString().slice(0, 16);
}
function fromLocal(v) {
  return v ? `${v}:00+09:00` : null;
}

const EMPTY = {
  title: '', description: '', status: 'first', occurred_at: '', detected_at: '', service_id: '', system_id: '',
  cause_category: '', threat_types: [], service_impact: '', verification_breached: false, cause_analysis: '',
  recurrence_prevention: '', indicators: [], tlp: 'AMBER', scope: 'ministry', show_name: false, handling: [],
  classification: 'none',
};

function fromReport(r) {
  const f = { ...EMPTY };
  for (const k of Object.keys(EMPTY)) if (r[k] !== undefined && r[k] !== null) f[k] = r[k];
  f.occurred_at = toLocal(r.occurred_at);
  f.detected_at = toLocal(r.detected_at);
  f.service_id = r.service_id || '';
  f.system_id = r.system_id || '';
  f.indicators = (r.indicators || []).map((i) => ({ ...i }));
  return f;
}

// world: the calls to make (default the real world's; an exercise's world
// from inExercise); onSaved(report): after a save (default: open it);
// embedded: inside another page (a heading, no cancel links).
const REAL = { get, post, patch, api };

export function ReportForm({ me, id, world = REAL, onSaved, embedded = false }) {
  const org = useFetch('/orgs/' + encodeURIComponent(me.org));
  const threats = useFetch('/threats');
  const sector = useFetch(org.data && org.data.sector ? '/sectors/' + encodeURIComponent(org.data.sector) : null);
  const [form, setForm] = useState(EMPTY);
  const [base, setBase] = useState(null); // the version read, for an update
  const [files, setFiles] = useState([]);
  const [error, setError] = useState(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);

  const loadBase = async () => {
    const r = await world.get('/reports/' + encodeURIComponent(id));
    setBase(r);
    return r;
  };
  useEffect(() => {
    if (id) loadBase().then((r) => setForm(fromReport(r))).catch(setError);
  }, [id]);

  if (id && !base && !error) return <Loading />;
  const set = (k) => (v) => setForm((f) => ({ ...f, [k]: v }));
  const input = (k) => (e) => set(k)(e.currentTarget.value);
  const o = org.data || {};
  const allowed = scopesFor(form.tlp);
  const causes = (threats.data && threats.data.items) || [];
  const cause = causes.find((c) => c.id === form.cause_category);
  const statuses = base ? STATUSES.slice(STATUSES.indexOf(base.status)) : ['first'];
  const seenAs = form.show_name ? nameOf(o) : t('rform.anon', { sector: nameOf(sector.data) });

  const setTlp = (v) => setForm((f) => ({ ...f, tlp: v, scope: scopesFor(v).includes(f.scope) ? f.scope : 'ministry' }));
  const toggle = (k, v) => setForm((f) => ({ ...f, [k]: f[k].includes(v) ? f[k].filter((x) => x !== v) : [...f[k], v] }));
  const setInd = (i, k, v) => setForm((f) => ({ ...f, indicators: f.indicators.map((x, j) => (j === i ? { ...x, [k]: v } : x)) }));

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setStale(false);
    const body = {
      ...form,
      occurred_at: fromLocal(form.occurred_at),
      detected_at: fromLocal(form.detected_at),
      service_id: form.service_id || null,
      system_id: form.system_id || null,
      cause_category: form.cause_category || null,
      indicators: form.indicators.filter((i) => i.value.trim() !== ''),
    };
    try {
      let r;
      if (base) r = await world.patch('/reports/' + encodeURIComponent(id), { ...body, version: base.version });
      else r = await world.post('/reports', body);
      for (const f of files)
        await world.api('POST', `/reports/${encodeURIComponent(r.id)}/attachments?name=${encodeURIComponent(f.name)}`, f,
          { type: f.type || 'application/octet-stream' });
      if (onSaved) {
        setBusy(false);
        onSaved(r);
      } else {
        go('/reports/' + r.id);
      }
    } catch (err) {
      if (err.status === 409 && err.field === 'version') setStale(true);
      setError(err);
      setBusy(false);
    }
  };
  // the latest version, merged: what the user changed stays, what the user
  // left as it was takes the latest value
  const reloadLatest = async () => {
    try {
      const was = fromReport(base);
      const latest = fromReport(await loadBase());
      setForm((f) => {
        const m = { ...f };
        for (const k of Object.keys(EMPTY))
          if (JSON.stringify(f[k]) === JSON.stringify(was[k])) m[k] = latest[k];
        return m;
      });
      setStale(false);
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  const fe = (k) => fieldError(error, k);
  return (
    <form onSubmit={submit} novalidate id={embedded ? 'ex-report-form' : undefined}
      aria-label={base ? t('rform.update', { n: base.version + 1 }) : t('rform.new')}>
      {embedded ? null : (
        <PageHeader title={base ? t('rform.update', { n: base.version + 1 }) : t('rform.new')}>
          <a class="button secondary" href={href(base ? '/reports/' + id : '/reports')}>{t('act.cancel')}</a>
        </PageHeader>
      )}
      <ErrorBox error={error} />
      {stale ? (
        <div class="notice notice-warn" role="alert">
          {t('rform.stale')}{' '}
          <button type="button" onClick={reloadLatest}>{t('rform.reload')}</button>
        </div>
      ) : null}
      <div class="panel form-grid">
        <Field id="rf-title" label={t('rform.title')} error={fe('title')} wide>
          <input id="rf-title" required maxLength={200} value={form.title} onInput={input('title')} />
        </Field>
        <Field id="rf-status2" label={t('rform.status')} hint={t('rform.status.hint')} error={fe('status')}>
          <Select id="rf-status2" value={form.status} onChange={set('status')} options={statuses.map((s) => [s, t('status.' + s)])} />
        </Field>
        <Field id="rf-occurred" label={t('rform.occurred')} error={fe('occurred_at')}>
          <input id="rf-occurred" type="datetime-local" value={form.occurred_at} onInput={input('occurred_at')} />
        </Field>
        <Field id="rf-detected" label={t('rform.detected')} error={fe('detected_at')}>
          <input id="rf-detected" type="datetime-local" value={form.detected_at} onInput={input('detected_at')} />
        </Field>
        <Field id="rf-service" label={t('rform.service')} error={fe('service_id')}>
          <Select id="rf-service" value={form.service_id} onChange={set('service_id')} blank={t('rform.none')}
            options={(o.services || []).map((s) => [s.id, `${nameOf(s)}${s.service_level ? ' — ' + s.service_level : ''}`])} />
        </Field>
        <Field id="rf-system" label={t('rform.system')} error={fe('system_id')}>
          <Select id="rf-system" value={form.system_id} onChange={set('system_id')} blank={t('rform.none')}
            options={(o.systems || []).map((s) => [s.id, nameOf(s)])} />
        </Field>
        <Field id="rf-description" label={t('reports.description')} error={fe('description')} wide>
          <textarea id="rf-description" maxLength={20000} value={form.description} onInput={input('description')} />
        </Field>
      </div>
      <fieldset class="panel">
        <legend>{t('rform.cause')}</legend>
        {fe('cause_category') ? <div class="field-message" role="alert">{fe('cause_category')}</div> : null}
        {causes.map((c) => (
          <label class="choice" key={c.id}>
            <input type="radio" name="cause" value={c.id} checked={form.cause_category === c.id}
              onChange={() => setForm((f) => ({ ...f, cause_category: c.id, threat_types: [] }))} />
            <span>{nameOf(c)}</span>
          </label>
        ))}
        {cause ? (
          <fieldset>
            <legend>{t('rform.threats')}</legend>
            {fe('threat_types') ? <div class="field-message" role="alert">{fe('threat_types')}</div> : null}
            {(cause.types || []).map((ty) => (
              <label class="choice" key={ty.id}>
                <input type="checkbox" checked={form.threat_types.includes(ty.id)} onChange={() => toggle('threat_types', ty.id)} />
                <span>{nameOf(ty)}</span>
              </label>
            ))}
          </fieldset>
        ) : null}
        <Field id="rf-impact" label={t('rform.impact')} error={fe('service_impact')}>
          <textarea id="rf-impact" maxLength={20000} value={form.service_impact} onInput={input('service_impact')} />
        </Field>
        <label class="choice">
          <input type="checkbox" checked={form.verification_breached} onChange={(e) => set('verification_breached')(e.currentTarget.checked)} />
          <span>{t('rform.breached')}</span>
        </label>
        {(() => {
          // the service's own verification level, against which the reporter judges
          const svc = (o.services || []).find((x) => x.id === form.service_id);
          return svc && svc.verification_level
            ? <div class="hint" id="rf-vlevel">{t('rform.vlevel', { level: svc.verification_level })}</div> : null;
        })()}
        {form.status === 'final' || form.cause_analysis || form.recurrence_prevention ? (
          <div class="form-grid">
            <Field id="rf-analysis" label={t('reports.analysis')} error={fe('cause_analysis')}>
              <textarea id="rf-analysis" maxLength={20000} value={form.cause_analysis} onInput={input('cause_analysis')} />
            </Field>
            <Field id="rf-prevention" label={t('reports.prevention')} error={fe('recurrence_prevention')}>
              <textarea id="rf-prevention" maxLength={20000} value={form.recurrence_prevention} onInput={input('recurrence_prevention')} />
            </Field>
          </div>
        ) : null}
      </fieldset>
      <fieldset class="panel">
        <legend>{t('rform.indicators')}</legend>
        {fe('indicators') ? <div class="field-message" role="alert">{fe('indicators')}</div> : null}
        {form.indicators.map((ind, i) => (
          <div class="filters" key={i}>
            <Field id={`rf-ind-type-${i}`} label={t('rform.ind.type')}>
              <Select id={`rf-ind-type-${i}`} value={ind.type} onChange={(v) => setInd(i, 'type', v)} options={IND_TYPES.map((x) => [x, x])} />
            </Field>
            <Field id={`rf-ind-value-${i}`} label={t('rform.ind.value')}>
              <input id={`rf-ind-value-${i}`} maxLength={2048} value={ind.value} onInput={(e) => setInd(i, 'value', e.currentTarget.value)} />
            </Field>
            <button type="button" class="secondary" onClick={() => setForm((f) => ({ ...f, indicators: f.indicators.filter((_, j) => j !== i) }))}>
              {t('rform.ind.remove')}
            </button>
          </div>
        ))}
        <button type="button" class="secondary" onClick={() => setForm((f) => ({ ...f, indicators: [...f.indicators, { type: 'ip', value: '' }] }))}>
          {t('rform.ind.add')}
        </button>
      </fieldset>
      <fieldset class="panel">
        <legend>{t('rform.sharing')}</legend>
        <div class="form-grid">
          <fieldset>
            <legend>{t('rform.tlp')}</legend>
            {TLP_VALUES.map((v) => (
              <label class="choice" key={v}>
                <input type="radio" name="tlp" value={v} checked={form.tlp === v} onChange={() => setTlp(v)} />
                <span><TlpBadge tlp={v} /> <span class="hint">{t('tlp.' + v)}</span></span>
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('rform.scope')}</legend>
            <div class="hint">{t('rform.scope.hint')}</div>
            {fe('scope') ? <div class="field-message" role="alert">{fe('scope')}</div> : null}
            {SCOPES.map((v) => (
              <label class="choice" key={v}>
                <input type="radio" name="scope" value={v} checked={form.scope === v} disabled={!allowed.includes(v)}
                  onChange={() => set('scope')(v)} />
                <span>{t('scope.' + v)}{allowed.includes(v) ? '' : <span class="hint"> — {t('rform.scope.not_allowed')}</span>}</span>
              </label>
            ))}
            <label class="choice">
              <input type="checkbox" id="rf-show-name" checked={form.show_name} onChange={(e) => set('show_name')(e.currentTarget.checked)} />
              <span>{t('rform.show_name')}</span>
            </label>
            <p class="notice" id="rf-seen-as">{t('rform.seen_as', { name: seenAs })}</p>
          </fieldset>
        </div>
        <div class="form-grid">
          <fieldset>
            <legend>{t('rform.handling')}</legend>
            {HANDLING.map((h) => (
              <label class="choice" key={h}>
                <input type="checkbox" checked={form.handling.includes(h)} onChange={() => toggle('handling', h)} />
                <span>{t('handling.' + h)}</span>
              </label>
            ))}
          </fieldset>
          <Field id="rf-class" label={t('rform.classification')} error={fe('classification')}>
            <Select id="rf-class" value={form.classification} onChange={set('classification')} options={CLASSES.map((c) => [c, t('class.' + c)])} />
          </Field>
        </div>
      </fieldset>
      <div class="panel">
        <Field id="rf-files" label={t('rform.attach')}>
          <input id="rf-files" type="file" multiple onChange={(e) => setFiles([...e.currentTarget.files])} />
        </Field>
      </div>
      <div class="form-actions">
        <button type="submit" class="primary" id="rf-submit" disabled={busy}>{base ? t('rform.submit.update') : t('rform.submit.new')}</button>
        {embedded ? null : <a class="button secondary" href={href(base ? '/reports/' + id : '/reports')}>{t('act.cancel')}</a>}
      </div>
    </form>
  );
}
