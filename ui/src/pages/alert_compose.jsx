// alert_compose.jsx - compose an alert (情報提供): severity, the text in
// Japanese and optionally English, recommended actions, references,
// indicators, the audience, TLP and handling, an acknowledgement deadline.
// Before sending, the server resolves the audience and shows how many
// organisations of each CEPTOAR it reaches; sending asks to confirm that
// number. The fan-out happens on the server after the answer.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post } from '../api.js';
import { extend, nameOf, t } from '../i18n.js';
import { go, href } from '../router.js';
import { ErrorBox, Field, PageHeader, Select, TlpBadge, TLP_VALUES, fieldError, useFetch } from '../ui.jsx';

extend({
  ja: {
    'compose.title': '情報提供の作成',
    'compose.severity': '重要度',
    'compose.title_ja': '件名（日本語）',
    'compose.title_en': '件名（英語・任意）',
    'compose.body_ja': '本文（日本語）',
    'compose.body_en': '本文（英語・任意）',
    'compose.actions': '推奨される対応',
    'compose.refs': '参考 URL（1 行に 1 つ）',
    'compose.audience': '宛先',
    'compose.aud.all': 'すべての組織',
    'compose.aud.sectors': '分野を選ぶ',
    'compose.aud.ceptoars': 'セプターを選ぶ',
    'compose.aud.orgs': '組織を選ぶ',
    'compose.orgs.q': '組織を検索（名称・コード）',
    'compose.orgs.add': '追加',
    'compose.orgs.chosen': '選んだ組織',
    'compose.deadline': '確認期限（時間以内）',
    'compose.deadline.hint': '空欄なら期限なし。期限までに確認のない組織は再送され、セプター事務局と発信元に通知されます。',
    'compose.preview': '宛先の確認',
    'compose.preview.total': '{n} 組織に届きます',
    'compose.preview.none': '宛先を選ぶと、届く組織の数がここに表示されます。',
    'compose.confirm': '{n} 組織に送信します。よろしければ「送信する」を押してください。',
    'compose.send': '送信',
    'compose.send.confirm': '送信する',
    'compose.confirm.unknown': '宛先の数を確認できませんでした。このまま送信しますか。',
    'compose.col.ceptoar': 'セプター',
    'compose.col.count': '組織数',
    'compose.handling': '取扱制限',
    'compose.red_named': 'TLP:RED は個別に指定した組織にのみ送れます。',
    'compose.mail_withheld': 'TLP:RED と AMBER+STRICT の本文はメールに載りません（「サインインして読んでください」と届きます）。',
  },
  en: {
    'compose.title': 'Compose an alert',
    'compose.severity': 'Severity',
    'compose.title_ja': 'Subject (Japanese)',
    'compose.title_en': 'Subject (English, optional)',
    'compose.body_ja': 'Message (Japanese)',
    'compose.body_en': 'Message (English, optional)',
    'compose.actions': 'Recommended actions',
    'compose.refs': 'Reference URLs (one a line)',
    'compose.audience': 'Audience',
    'compose.aud.all': 'Every organisation',
    'compose.aud.sectors': 'Choose sectors',
    'compose.aud.ceptoars': 'Choose CEPTOARs',
    'compose.aud.orgs': 'Choose organisations',
    'compose.orgs.q': 'Find an organisation (name or code)',
    'compose.orgs.add': 'Add',
    'compose.orgs.chosen': 'Chosen organisations',
    'compose.deadline': 'Acknowledge within (hours)',
    'compose.deadline.hint': 'Empty: no deadline. Organisations that have not acknowledged by the deadline get it again, and their CEPTOAR secretariat and the sender are told.',
    'compose.preview': 'Who will receive it',
    'compose.preview.total': 'It reaches {n} organisations',
    'compose.preview.none': 'Choose an audience to see how many organisations it reaches.',
    'compose.confirm': 'This goes to {n} organisations. Press "Send now" to send it.',
    'compose.send': 'Send',
    'compose.send.confirm': 'Send now',
    'compose.confirm.unknown': 'The number of recipients is not known. Send anyway?',
    'compose.col.ceptoar': 'CEPTOAR',
    'compose.col.count': 'Organisations',
    'compose.handling': 'Handling restrictions',
    'compose.red_named': 'TLP:RED goes to named organisations only.',
    'compose.mail_withheld': 'TLP:RED and AMBER+STRICT bodies are never e-mailed (the mail says to sign in and read).',
  },
});

const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];
const HANDLING = ['no-copy', 'no-redistribution', 'no-export'];

function audienceOf(f) {
  if (f.mode === 'all') return { all: true };
  if (f.mode === 'sectors') return { sectors: f.sectors };
  if (f.mode === 'ceptoars') return { ceptoars: f.ceptoars };
  return { orgs: f.orgs.map((o) => o.id) };
}

function OrgPicker({ chosen, onChange }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState(null);
  const search = async () => {
    try {
      const r = await get('/orgs?limit=20&q=' + encodeURIComponent(q));
      setFound(r.items);
    } catch (e) {
      setFound([]);
    }
  };
  return (
    <div>
      <div class="filters">
        <Field id="ac-org-q" label={t('compose.orgs.q')}>
          <input id="ac-org-q" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); search(); } }} />
        </Field>
        <button type="button" onClick={search}>{t('act.search')}</button>
      </div>
      {found ? (
        <ul class="plain-list">
          {found.map((o) => (
            <li key={o.id}>
              {nameOf(o)} <span class="muted">{o.code}</span>{' '}
              <button type="button" class="secondary" disabled={chosen.some((c) => c.id === o.id)}
                onClick={() => onChange([...chosen, o])}>{t('compose.orgs.add')}</button>
            </li>
          ))}
        </ul>
      ) : null}
      {chosen.length ? (
        <>
          <h4>{t('compose.orgs.chosen')}</h4>
          <ul class="plain-list">
            {chosen.map((o) => (
              <li key={o.id}>{nameOf(o)} <button type="button" class="linkish" onClick={() => onChange(chosen.filter((c) => c.id !== o.id))}>{t('act.delete')}</button></li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

export function AlertCompose({ me }) {
  const sectors = useFetch('/sectors?limit=500');
  const ceptoars = useFetch('/ceptoars?limit=500');
  const [f, setF] = useState({
    severity: 'medium', title_ja: '', title_en: '', body_ja: '', body_en: '', actions: '', refs: '',
    mode: me.role === 'ceptoar' ? 'ceptoars' : 'sectors', sectors: [], ceptoars: [], orgs: [], tlp: 'AMBER', handling: [],
    hours: '24',
  });
  const [preview, setPreview] = useState(null);
  const [pError, setPError] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const seq = useRef(0);
  const set = (k) => (v) => setF((x) => ({ ...x, [k]: v }));
  const input = (k) => (e) => set(k)(e.currentTarget.value);
  const toggle = (k, v) => setF((x) => ({ ...x, [k]: x[k].includes(v) ? x[k].filter((y) => y !== v) : [...x[k], v] }));
  const audience = audienceOf(f);
  const audKey = JSON.stringify([audience, f.tlp]);

  // the preview follows the audience and the TLP
  useEffect(() => {
    const n = ++seq.current;
    const empty = !audience.all && !(audience.sectors || audience.ceptoars || audience.orgs || []).length;
    if (empty) {
      setPreview(null);
      setPError(null);
      return undefined;
    }
    const timer = setTimeout(async () => {
      try {
        const p = await post('/alerts/preview', { audience, tlp: f.tlp });
        if (n === seq.current) { setPreview(p); setPError(null); }
      } catch (e) {
        if (n === seq.current) { setPreview(null); setPError(e); }
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [audKey]);

  // the first press shows how many will receive it; the second sends
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    if (!confirming) {
      setConfirming(true);
      return;
    }
    setBusy(true);
    const refs = f.refs.split('\n').map((s) => s.trim()).filter(Boolean);
    const body = {
      severity: f.severity, title_ja: f.title_ja, body_ja: f.body_ja, audience, tlp: f.tlp,
      ...(f.title_en ? { title_en: f.title_en } : {}), ...(f.body_en ? { body_en: f.body_en } : {}),
      ...(f.actions ? { actions: f.actions } : {}), ...(refs.length ? { references: refs } : {}),
      ...(f.handling.length ? { handling: f.handling } : {}),
      ...(f.hours.trim() ? { ack_within_hours: Number(f.hours) } : {}),
    };
    try {
      const a = await post('/alerts', body);
      go('/alerts/' + a.id);
    } catch (err) {
      setError(err);
      setBusy(false);
      setConfirming(false);
    }
  };
  const fe = (k) => fieldError(error, k);
  const mySector = me.role === 'ceptoar';
  const cepList = ((ceptoars.data && ceptoars.data.items) || []);
  return (
    <form onSubmit={submit} novalidate>
      <PageHeader title={t('compose.title')}>
        <a class="button secondary" href={href('/alerts')}>{t('act.cancel')}</a>
      </PageHeader>
      <ErrorBox error={error} />
      <div class="panel form-grid">
        <Field id="ac-severity" label={t('compose.severity')} error={fe('severity')}>
          <Select id="ac-severity" value={f.severity} onChange={set('severity')} options={SEVERITIES.map((s) => [s, t('sev.' + s)])} />
        </Field>
        <Field id="ac-hours" label={t('compose.deadline')} hint={t('compose.deadline.hint')} error={fe('ack_within_hours')}>
          <input id="ac-hours" type="number" min="1" max="2160" value={f.hours} onInput={input('hours')} />
        </Field>
        <Field id="ac-title-ja" label={t('compose.title_ja')} error={fe('title_ja')} wide>
          <input id="ac-title-ja" required maxLength={200} lang="ja" value={f.title_ja} onInput={input('title_ja')} />
        </Field>
        <Field id="ac-title-en" label={t('compose.title_en')} error={fe('title_en')} wide>
          <input id="ac-title-en" maxLength={200} lang="en" value={f.title_en} onInput={input('title_en')} />
        </Field>
        <Field id="ac-body-ja" label={t('compose.body_ja')} error={fe('body_ja')} wide>
          <textarea id="ac-body-ja" required lang="ja" maxLength={20000} value={f.body_ja} onInput={input('body_ja')} />
        </Field>
        <Field id="ac-body-en" label={t('compose.body_en')} error={fe('body_en')} wide>
          <textarea id="ac-body-en" lang="en" maxLength={20000} value={f.body_en} onInput={input('body_en')} />
        </Field>
        <Field id="ac-actions" label={t('compose.actions')} error={fe('actions')}>
          <textarea id="ac-actions" maxLength={20000} value={f.actions} onInput={input('actions')} />
        </Field>
        <Field id="ac-refs" label={t('compose.refs')} error={fe('references')}>
          <textarea id="ac-refs" value={f.refs} onInput={input('refs')} />
        </Field>
      </div>
      <div class="grid">
        <fieldset class="panel">
          <legend>{t('compose.audience')}</legend>
          {fe('audience') ? <div class="field-message" role="alert">{fe('audience')}</div> : null}
          {(mySector ? ['ceptoars', 'orgs'] : ['all', 'sectors', 'ceptoars', 'orgs']).map((m) => (
            <label class="choice" key={m}>
              <input type="radio" name="aud-mode" value={m} checked={f.mode === m} onChange={() => set('mode')(m)} />
              <span>{t('compose.aud.' + m)}</span>
            </label>
          ))}
          {f.mode === 'sectors' ? (
            <fieldset>
              <legend>{t('compose.aud.sectors')}</legend>
              {((sectors.data && sectors.data.items) || []).map((s) => (
                <label class="choice" key={s.id}>
                  <input type="checkbox" value={s.id} checked={f.sectors.includes(s.id)} onChange={() => toggle('sectors', s.id)} />
                  <span>{nameOf(s)}</span>
                </label>
              ))}
            </fieldset>
          ) : null}
          {f.mode === 'ceptoars' ? (
            <fieldset>
              <legend>{t('compose.aud.ceptoars')}</legend>
              {cepList.map((c) => (
                <label class="choice" key={c.id}>
                  <input type="checkbox" value={c.id} checked={f.ceptoars.includes(c.id)} onChange={() => toggle('ceptoars', c.id)} />
                  <span>{nameOf(c)}</span>
                </label>
              ))}
            </fieldset>
          ) : null}
          {f.mode === 'orgs' ? <OrgPicker chosen={f.orgs} onChange={set('orgs')} /> : null}
        </fieldset>
        <fieldset class="panel">
          <legend>{t('tlp.label')}</legend>
          {TLP_VALUES.map((v) => (
            <label class="choice" key={v}>
              <input type="radio" name="tlp" value={v} checked={f.tlp === v} onChange={() => set('tlp')(v)} />
              <span><TlpBadge tlp={v} /> <span class="hint">{t('tlp.' + v)}</span></span>
            </label>
          ))}
          {f.tlp === 'RED' ? <p class="hint">{t('compose.red_named')}</p> : null}
          {f.tlp === 'RED' || f.tlp === 'AMBER+STRICT' ? <p class="hint">{t('compose.mail_withheld')}</p> : null}
          <fieldset>
            <legend>{t('compose.handling')}</legend>
            {HANDLING.map((h) => (
              <label class="choice" key={h}>
                <input type="checkbox" checked={f.handling.includes(h)} onChange={() => toggle('handling', h)} />
                <span>{t('handling.' + h)}</span>
              </label>
            ))}
          </fieldset>
        </fieldset>
      </div>
      <section class="panel" aria-labelledby="h-preview" id="preview">
        <h2 id="h-preview">{t('compose.preview')}</h2>
        <ErrorBox error={pError} />
        {preview ? (
          <>
            <p id="preview-total" role="status" aria-live="polite"><strong>{t('compose.preview.total', { n: preview.recipients })}</strong></p>
            <div class="table-scroll">
              <table id="preview-table">
                <thead><tr><th scope="col">{t('compose.col.ceptoar')}</th><th scope="col" class="num">{t('compose.col.count')}</th></tr></thead>
                <tbody>
                  {preview.per_ceptoar.map((p) => (
                    <tr key={p.ceptoar || '-'} data-ceptoar={p.ceptoar || ''}>
                      <td>{p.ceptoar ? nameOf(p) : t('alerts.no_ceptoar')}</td>
                      <td class="num">{p.recipients}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : !pError ? <p class="muted">{t('compose.preview.none')}</p> : null}
      </section>
      {confirming ? (
        <div class="notice notice-warn" role="alert" id="confirm-send">
          {preview ? t('compose.confirm', { n: preview.recipients }) : t('compose.confirm.unknown')}
        </div>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="primary" id="send-button" disabled={busy}>{confirming ? t('compose.send.confirm') : t('compose.send')}</button>
        {confirming ? <button type="button" class="secondary" onClick={() => setConfirming(false)}>{t('act.back')}</button> : null}
        <a class="button secondary" href={href('/alerts')}>{t('act.cancel')}</a>
      </div>
    </form>
  );
}
