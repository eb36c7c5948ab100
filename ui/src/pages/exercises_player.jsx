// exercises_player.jsx - the player's tab of an exercise: the exercise's
// inbox (the injects delivered to the player's organisation, read and
// acknowledged there), an IT-failure report filed inside the exercise, the
// reports of the exercise, what the organisation did, and the cause once a
// controller reveals it. Every call here carries the exercise
// (X-Ceptoar-Exercise): nothing reaches or comes from the real world.
import { useState } from 'preact/hooks';
import { inExercise } from '../api.js';
import { nameOf, t } from '../i18n.js';
import { ErrorBox, ListTable, Loading, Notice, Severity, Time, TlpBadge, useAction } from '../ui.jsx';
import { reporterOf } from './reports.jsx';
import { ReportForm } from './report_form.jsx';
import { fmtT, usePolled } from './exercises_common.jsx';

const INBOX_MS = 3000;

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

// The real report form, inside the exercise's world: what a player files is
// the exercise's, never the real sharing system's.
function ExerciseReportForm({ me, world, onSent }) {
  const [sent, setSent] = useState(0);
  return (
    <section class="panel" aria-labelledby="ex-report-title">
      <h2 id="ex-report-title">{t('ex.p.report')}</h2>
      <p class="hint">{t('ex.p.report.lead')}</p>
      {sent ? <Notice>{t('ex.p.report.sent')}</Notice> : null}
      <ReportForm key={sent} me={me} world={world} embedded onSaved={() => { setSent((n) => n + 1); onSent(); }} />
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

export function PlayTab({ me, ex }) {
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
      {live ? <ExerciseReportForm me={me} world={world} onSent={reports.reload} /> : null}
      <ExerciseReports reports={reports} />
      <MyActions ex={ex} />
    </div>
  );
}
