// home.jsx - what needs the user now: alerts waiting for acknowledgement with
// their deadlines, open large-scale incidents, the states of the user's
// organisation's reports, and for senders and CEPTOAR secretariats the
// organisations that have not acknowledged yet.
import { useState } from 'preact/hooks';
import { get, qs } from '../api.js';
import { extend, nameOf, t } from '../i18n.js';
import { href } from '../router.js';
import { ErrorBox, Loading, PageHeader, Severity, TlpBadge, Time, usePoll } from '../ui.jsx';

extend({
  ja: {
    'home.title': 'ホーム',
    'home.welcome': '{name} さん',
    'home.unacked': '未確認の情報提供',
    'home.unacked.none': '確認待ちの情報提供はありません。',
    'home.deadline': '確認期限',
    'home.overdue': '期限切れ',
    'home.incidents': '対応中の大規模障害',
    'home.incidents.none': '現在、大規模障害対応体制はとられていません。',
    'home.reports': '自組織のIT障害報告',
    'home.reports.none': '報告はまだありません。',
    'home.new_report': 'IT障害を報告する',
    'home.new_alert': '情報提供を作成する',
    'home.following': '確認状況（送信・所管分）',
    'home.following.none': '追跡中の情報提供はありません。',
    'home.not_acked': '未確認の組織',
    'home.all_acked': 'すべての組織が確認済みです。',
    'home.notices': 'エスカレーション通知',
    'home.admin': '管理メニュー',
    'home.admin.text': '利用者・APIトークンの管理と監査証跡の検証は「管理」から行います。',
    'home.acked_of': '確認 {acked} / {recipients}',
    'status.first': '第一報',
    'status.update': '続報',
    'status.recovered': '復旧',
    'status.final': '最終報',
  },
  en: {
    'home.title': 'Home',
    'home.welcome': 'Welcome, {name}',
    'home.unacked': 'Alerts to acknowledge',
    'home.unacked.none': 'No alert is waiting for your acknowledgement.',
    'home.deadline': 'Deadline',
    'home.overdue': 'overdue',
    'home.incidents': 'Open large-scale incidents',
    'home.incidents.none': 'No large-scale incident is open.',
    'home.reports': "Your organisation's IT-failure reports",
    'home.reports.none': 'No reports yet.',
    'home.new_report': 'Report an IT failure',
    'home.new_alert': 'Compose an alert',
    'home.following': 'Acknowledgements (sent or followed)',
    'home.following.none': 'No alert to follow.',
    'home.not_acked': 'Not acknowledged',
    'home.all_acked': 'Every organisation has acknowledged.',
    'home.notices': 'Escalation notices',
    'home.admin': 'Administration',
    'home.admin.text': 'Users, API tokens and the audit trail are under Administration.',
    'home.acked_of': '{acked} of {recipients} acknowledged',
    'status.first': 'First report',
    'status.update': 'Update',
    'status.recovered': 'Recovered',
    'status.final': 'Final report',
  },
});

const RECEIVERS = ['nisc', 'ministry', 'ceptoar', 'operator', 'agency'];
const SENDERS = ['nisc', 'ministry', 'ceptoar', 'agency'];

async function safe(p) {
  try {
    return await get(p);
  } catch (e) {
    return { error: e };
  }
}

// What the home page shows, asked for in parallel.
async function load(me) {
  const jobs = {
    incidents: safe('/incidents' + qs({ state: 'open', limit: 10 })),
  };
  if (RECEIVERS.includes(me.role)) jobs.inbox = safe('/inbox' + qs({ state: 'unacked', limit: 10 }));
  if (me.role === 'operator') jobs.reports = safe('/reports' + qs({ org: me.org, limit: 10 }));
  if (SENDERS.includes(me.role)) {
    jobs.alerts = safe('/alerts' + qs({ limit: 5 }));
    jobs.notices = safe('/notices' + qs({ limit: 5 }));
  }
  const keys = Object.keys(jobs);
  const vals = await Promise.all(keys.map((k) => jobs[k]));
  const out = Object.fromEntries(keys.map((k, i) => [k, vals[i]]));
  // for each recent alert the user follows: who has not acknowledged
  if (out.alerts && out.alerts.items) {
    out.following = (await Promise.all(out.alerts.items.map(async (a) => {
      const d = await safe(`/alerts/${encodeURIComponent(a.id)}/deliveries` + qs({ state: 'unacked', limit: 20 }));
      return d.error ? null : { alert: a, d };
    }))).filter(Boolean);
  }
  return out;
}

function Overdue({ deadline }) {
  if (!deadline || new Date(deadline) > new Date()) return null;
  return <span class="badge badge-bad"> {t('home.overdue')}</span>;
}

function Unacked({ inbox }) {
  if (inbox.error) return <ErrorBox error={inbox.error} />;
  if (!inbox.items.length) return <p class="muted">{t('home.unacked.none')}</p>;
  return (
    <ul class="plain-list" id="home-unacked">
      {inbox.items.map((d) => (
        <li key={d.id}>
          <Severity value={d.severity} /> <TlpBadge tlp={d.tlp} />{' '}
          <a href={href('/inbox/' + d.id)}>{nameOf(d, 'title')}</a>
          {d.ack_deadline ? (
            <span class="muted"> — {t('home.deadline')}: <Time v={d.ack_deadline} /><Overdue deadline={d.ack_deadline} /></span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function Following({ following }) {
  if (!following.length) return <p class="muted">{t('home.following.none')}</p>;
  return (
    <ul class="plain-list" id="home-following">
      {following.map(({ alert, d }) => (
        <li key={alert.id}>
          <a href={href('/alerts/' + alert.id)}>{nameOf(alert, 'title')}</a>{' '}
          <span class="badge">{t('home.acked_of', { acked: d.counts ? d.counts.acked : 0, recipients: d.recipients ?? 0 })}</span>
          {d.items.length ? (
            <div class="muted small">
              {t('home.not_acked')}: {d.items.map((x) => nameOf(x, 'org_name') || x.org_code).join('、')}
              {d.total > d.items.length ? ' …' : ''}
            </div>
          ) : <div class="muted small">{t('home.all_acked')}</div>}
        </li>
      ))}
    </ul>
  );
}

export function Home({ me }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  // live: acknowledgements and new alerts show up without a reload
  usePoll(async () => {
    try {
      setData(await load(me));
    } catch (e) {
      setError(e);
    }
  }, 15000, [me.id]);
  return (
    <div>
      <PageHeader title={t('home.title')}>
        {me.role === 'operator' ? <a class="button primary" href={href('/reports/new')}>{t('home.new_report')}</a> : null}
        {SENDERS.includes(me.role) ? <a class="button primary" href={href('/alerts/new')}>{t('home.new_alert')}</a> : null}
      </PageHeader>
      <p class="muted">{t('home.welcome', { name: me.display_name || me.name })}</p>
      <ErrorBox error={error} />
      {!data ? <Loading /> : (
        <div class="grid">
          {data.inbox ? (
            <section class="panel" aria-labelledby="h-unacked">
              <h2 id="h-unacked">{t('home.unacked')} {data.inbox.total ? <span class="badge badge-warn">{data.inbox.total}</span> : null}</h2>
              <Unacked inbox={data.inbox} />
            </section>
          ) : null}
          <section class="panel" aria-labelledby="h-incidents">
            <h2 id="h-incidents">{t('home.incidents')}</h2>
            {data.incidents.error ? <ErrorBox error={data.incidents.error} /> : data.incidents.items.length ? (
              <ul class="plain-list">
                {data.incidents.items.map((i) => (
                  <li key={i.id}><a href={href('/incidents/' + i.id)}>{i.title}</a> <span class="muted">(<Time v={i.declared_at || i.created_at} />)</span></li>
                ))}
              </ul>
            ) : <p class="muted">{t('home.incidents.none')}</p>}
          </section>
          {data.reports ? (
            <section class="panel" aria-labelledby="h-reports">
              <h2 id="h-reports">{t('home.reports')}</h2>
              {data.reports.error ? <ErrorBox error={data.reports.error} /> : data.reports.items.length ? (
                <ul class="plain-list">
                  {data.reports.items.map((r) => (
                    <li key={r.id}>
                      <span class="badge">{t('status.' + r.status)}</span> <TlpBadge tlp={r.tlp} />{' '}
                      <a href={href('/reports/' + r.id)}>{r.title}</a> <span class="muted"><Time v={r.updated_at} /></span>
                    </li>
                  ))}
                </ul>
              ) : <p class="muted">{t('home.reports.none')}</p>}
            </section>
          ) : null}
          {data.following ? (
            <section class="panel" aria-labelledby="h-following">
              <h2 id="h-following">{t('home.following')}</h2>
              <Following following={data.following} />
            </section>
          ) : null}
          {data.notices && data.notices.items && data.notices.items.length ? (
            <section class="panel" aria-labelledby="h-notices">
              <h2 id="h-notices">{t('home.notices')}</h2>
              <ul class="plain-list">
                {data.notices.items.map((n) => (
                  <li key={n.id}>
                    <Severity value={n.severity} /> <a href={href('/alerts/' + n.alert)}>{nameOf(n, 'title')}</a>
                    {' — '}{nameOf(n, 'org_name')} <span class="muted">(<Time v={n.escalated_at} />)</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {me.role === 'admin' || me.role === 'auditor' ? (
            <section class="panel">
              <h2>{t('home.admin')}</h2>
              <p>{t('home.admin.text')} <a href={href('/admin')}>{t('nav.admin')}</a></p>
            </section>
          ) : null}
        </div>
      )}
    </div>
  );
}
