// exercises_player.jsx - the player's tab of an exercise: the exercise's
// inbox (the injects delivered to the player's organisation, read and
// acknowledged there), an IT-failure report filed inside the exercise, the
// reports of the exercise, what the organisation did, and the cause once a
// controller reveals it. Every call here carries the exercise
// (X-Ceptoar-Exercise): nothing reaches or comes from the real world.
import { useState } from 'preact/hooks';
import { inExercise } from '../api.js';
import { nameOf, t } from '../i18n.js';
import {
  ErrorBox, Field, ListTable, Loading, Notice, Select, Severity, TLP_VALUES, Time, TlpBadge, useAction, useFetch,
} from '../ui.jsx';
import { reporterOf } from './reports.jsx';
import { scopesFor } from './report_form.jsx';
import { fmtT, usePolled } from './exercises_common.jsx';

const INBOX_MS = 3000;
const SCOPES = ['ministry', 'ceptoar', 'council', 'all'];

function deliveryState(d) {
  return d.acked_at
    ? <span class="badge badge-ok">{t('ex.p.acked')}</span>
    : <span class="badge badge-warn">{t('ex.p.new')}</span>;
}

function ExerciseInbox({ ex, world, live }) {
  const inbox = usePolled('/inbox?limit=200', INBOX_MS, { exercise: ex.id });
  const [open, setOpen] = useState(null);
  const [acked, setAcked] = useState(false);
  const { error, busy, run } = useAction();
  const rows = (inbox.data && inbox.data.items) || [];
  const ack = (d) => run(async () => {
    setAcked(false);
    await world.post(`/deliveries/${encodeURIComponent(d.id)}/ack`);
    setAcked(true);
    await inbox.reload();
  });
  const show = (d) => run(async () => {
    if (open && open.id === d.id) {
      setOpen(null);
      return;
    }
    // reading it marks it opened, as in the real inbox
    setOpen(await world.get(`/deliveries/${encodeURIComponent(d.id)}`));
  });
  return (
    <section class="panel" aria-labelledby="ex-inbox-title">
      <h2 id="ex-inbox-title">{t('ex.p.inbox')}</h2>
      <p class="hint">{t('ex.p.inbox.lead')}</p>
      <ErrorBox error={inbox.error || error} />
      {acked ? <Notice>{t('ex.p.acked_done')}</Notice> : null}
      {inbox.loading && !inbox.data ? <Loading /> : (
        <ListTable id="ex-inbox" rows={rows} empty={t('ex.p.inbox.none')} rowAttrs={(d) => ({ 'data-delivery': d.id })}
          columns={[
            { label: t('ex.p.col.severity'), render: (d) => <Severity value={d.severity} /> },
            { label: t('tlp.label'), render: (d) => <TlpBadge tlp={d.tlp} /> },
            { label: t('ex.p.col.title'), render: (d) => nameOf(d, 'title') },
            { label: t('ex.p.col.from'), render: (d) => nameOf(d, 'sender_name') },
            { label: t('ex.p.col.received'), render: (d) => <Time v={d.sent_at} /> },
            { label: t('ex.p.col.state'), render: deliveryState },
            {
              label: t('ex.p.col.action'),
              render: (d) => (
                <span class="sp-actions-cell">
                  <button type="button" class="secondary" aria-expanded={open && open.id === d.id ? 'true' : 'false'}
                    aria-label={t('ex.p.show_label', { title: nameOf(d, 'title') })} onClick={() => show(d)}>
                    {open && open.id === d.id ? t('ex.p.hide') : t('ex.p.show')}
                  </button>{' '}
                  {!d.acked_at && live ? (
                    <button type="button" class="primary ex-ack" disabled={busy}
                      aria-label={t('ex.p.ack_label', { title: nameOf(d, 'title') })} onClick={() => ack(d)}>{t('act.ack')}</button>
                  ) : null}
                </span>
              ),
            },
          ]} />
      )}
      {open ? (
        <article class="panel" id="ex-delivery" aria-labelledby="ex-delivery-title">
          <h3 id="ex-delivery-title">{nameOf(open, 'title')}</h3>
          <div class="pre sp-body">{nameOf(open, 'body')}</div>
          {open.actions ? <><h3>{t('inbox.actions')}</h3><div class="pre">{open.actions}</div></> : null}
        </article>
      ) : null}
    </section>
  );
}

const EMPTY = { title: '', description: '', cause_category: '', tlp: 'AMBER', scope: 'ministry', show_name: false };

function ExerciseReportForm({ world, onSent }) {
  const threats = useFetch('/threats');
  const [form, setForm] = useState(EMPTY);
  const [sent, setSent] = useState(false);
  const { error, busy, run, fe } = useAction();
  const set = (k) => (v) => setForm((f) => ({ ...f, [k]: v }));
  const input = (k) => (e) => set(k)(e.currentTarget.value);
  const allowed = scopesFor(form.tlp);
  const setTlp = (v) => setForm((f) => ({ ...f, tlp: v, scope: scopesFor(v).includes(f.scope) ? f.scope : 'ministry' }));
  const submit = (e) => {
    e.preventDefault();
    run(async () => {
      setSent(false);
      await world.post('/reports', {
        ...form,
        status: 'first',
        cause_category: form.cause_category || null,
      });
      setForm(EMPTY);
      setSent(true);
      onSent();
    });
  };
  return (
    <section class="panel" aria-labelledby="ex-report-title">
      <h2 id="ex-report-title">{t('ex.p.report')}</h2>
      <p class="hint">{t('ex.p.report.lead')}</p>
      <ErrorBox error={error} />
      {sent ? <Notice>{t('ex.p.report.sent')}</Notice> : null}
      <form class="sp-form" onSubmit={submit} noValidate aria-label={t('ex.p.report')} id="ex-report-form">
        <Field id="exr-title" label={t('rform.title')} error={fe('title')}>
          <input id="exr-title" required maxLength={200} value={form.title} onInput={input('title')} />
        </Field>
        <Field id="exr-description" label={t('reports.description')} error={fe('description')}>
          <textarea id="exr-description" maxLength={20000} value={form.description} onInput={input('description')} />
        </Field>
        <div class="form-grid">
          <Field id="exr-cause" label={t('rform.cause')} error={fe('cause_category')}>
            <Select id="exr-cause" value={form.cause_category} onChange={set('cause_category')} blank={t('rform.none')}
              options={((threats.data && threats.data.items) || []).map((c) => [c.id, nameOf(c)])} />
          </Field>
          <Field id="exr-tlp" label={t('rform.tlp')} error={fe('tlp')}>
            <Select id="exr-tlp" value={form.tlp} onChange={setTlp} options={TLP_VALUES.map((v) => [v, 'TLP:' + v])} />
          </Field>
          <Field id="exr-scope" label={t('rform.scope')} hint={t('rform.scope.hint')} error={fe('scope')}>
            <Select id="exr-scope" value={form.scope} onChange={set('scope')}
              options={SCOPES.filter((s) => allowed.includes(s)).map((s) => [s, t('scope.' + s)])} />
          </Field>
        </div>
        <label class="sp-check">
          <input type="checkbox" id="exr-show-name" checked={form.show_name} onChange={(e) => set('show_name')(e.currentTarget.checked)} />
          <span>{t('rform.show_name')}</span>
        </label>
        <div class="form-actions">
          <button type="submit" class="primary" id="exr-submit" disabled={busy}>{t('rform.submit.new')}</button>
        </div>
      </form>
    </section>
  );
}

function ExerciseReports({ reports }) {
  const rows = (reports.data && reports.data.items) || [];
  return (
    <section class="panel" aria-labelledby="ex-reports-title">
      <h2 id="ex-reports-title">{t('ex.p.reports')}</h2>
      <ErrorBox error={reports.error} />
      {reports.loading && !reports.data ? <Loading /> : (
        <ListTable id="ex-reports" rows={rows} empty={t('ex.p.reports.none')}
          columns={[
            { label: t('ex.p.col.status'), render: (r) => <span class="badge">{t('status.' + r.status)}</span> },
            { label: t('tlp.label'), render: (r) => <TlpBadge tlp={r.tlp} /> },
            { label: t('reports.col.title'), render: (r) => r.title },
            { label: t('reports.col.reporter'), render: reporterOf },
            { label: t('reports.cause'), render: (r) => (r.cause_category ? t('cause.' + r.cause_category) : '') },
            { label: t('ex.p.col.updated'), render: (r) => <Time v={r.updated_at} /> },
          ]} />
      )}
    </section>
  );
}

function MyActions({ ex }) {
  const view = usePolled('/exercises/' + encodeURIComponent(ex.id) + '/player', 5000);
  const actions = (view.data && view.data.actions) || [];
  return (
    <section class="panel" aria-labelledby="ex-actions-title">
      <h2 id="ex-actions-title">{t('ex.p.actions')}</h2>
      <ErrorBox error={view.error} />
      <ListTable id="ex-my-actions" rows={actions.map((a, i) => ({ ...a, _k: i }))} rowKey="_k" empty={t('ex.p.actions.none')}
        columns={[
          { label: t('ex.p.action.at'), render: (a) => fmtT(a.at_s) },
          { label: t('ex.p.action.kind'), render: (a) => (EXP_KINDS.includes(a.kind) ? t('ex.exp.' + a.kind) : a.kind) },
        ]} />
    </section>
  );
}

const EXP_KINDS = ['report', 'ack', 'share', 'cause'];

export function PlayTab({ ex }) {
  const world = inExercise(ex.id);
  const started = ex.state !== 'planned';
  const live = ex.state === 'running' || ex.state === 'paused';
  const reports = usePolled(started ? '/reports?limit=100' : null, 5000, { exercise: ex.id });
  const revealed = ex.revealed_s !== null && ex.revealed_s !== undefined;
  if (!started) return <p class="notice notice-warn" id="ex-not-started">{t('ex.p.not_started')}</p>;
  return (
    <div id="ex-play">
      {ex.state === 'ended' ? <p class="notice">{t('ex.p.ended')}</p> : null}
      {revealed && (ex.cause || ex.cause_category) ? (
        <div class="notice notice-warn" id="ex-revealed" role="status">
          <strong>{t('ex.p.cause')}:</strong> {ex.cause}{ex.cause_category ? <> <span class="badge">{t('cause.' + ex.cause_category)}</span></> : null}
          <span class="muted"> ({fmtT(ex.revealed_s)})</span>
        </div>
      ) : null}
      <ExerciseInbox ex={ex} world={world} live={live} />
      {live ? <ExerciseReportForm world={world} onSent={reports.reload} /> : null}
      <ExerciseReports reports={reports} />
      <MyActions ex={ex} />
    </div>
  );
}
