// council.jsx - the CEPTOAR Council's space (セプターカウンシル): its items,
// newest first, one item with its replies, posting and replying. The council
// is independent of government: the secretariats of council-member CEPTOARs
// post and read everything; NISC and the ministries read only what a poster
// shared with government; the server decides, the page shows its answer.
import './spaces.css';
import { useEffect, useState } from 'preact/hooks';
import { post, qs } from '../api.js';
import { extend, nameOf, t } from '../i18n.js';
import { href } from '../router.js';
import { DataTable, ErrorBox, Field, Loading, Notice, PageHeader, Pager, Select, TlpBadge, Time, fieldError, useFetch } from '../ui.jsx';

extend({
  ja: {
    'council.lead': 'セプターカウンシルは政府から独立した、分野横断の情報共有の場です。カウンシル構成セプターの事務局が投稿・閲覧します。',
    'council.gov_note': '政府機関 (NISC・所管省庁) には、投稿者が「政府と共有」とした項目だけが表示されます。カウンシル限りの項目は、共有されない限り表示されません。',
    'council.gov_empty': '政府と共有された項目はまだありません。カウンシル限りの項目は、共有されない限り政府機関には表示されません。',
    'council.none_role': 'セプターカウンシルの項目は、カウンシル構成セプターの事務局 (および共有された場合の NISC・所管省庁) だけが閲覧できます。',
    'council.items': 'カウンシルの項目',
    'council.col.title': '件名',
    'council.col.org': '投稿元',
    'council.col.by': '投稿者',
    'council.col.shared': '政府との共有',
    'council.col.replies': '返信',
    'council.col.created': '投稿日時',
    'council.shared.yes': '政府と共有',
    'council.shared.no': 'カウンシル限り',
    'council.new': '新しい項目を投稿',
    'council.f.title': '件名',
    'council.f.body': '本文',
    'council.f.tlp': 'TLP',
    'council.f.tlp_hint': 'TLP:RED はカウンシルの場では使えません (名指しの受信者限りのため)。',
    'council.f.shared': '政府 (NISC・所管省庁) と共有する',
    'council.f.shared_hint': 'チェックしない場合、カウンシル構成セプターの事務局だけが読めます。返信は項目とともに共有されます。',
    'council.f.post': '投稿する',
    'council.f.posting': '投稿しています…',
    'council.posted': '投稿しました:',
    'council.reply': '返信する',
    'council.reply.title': '返信',
    'council.reply.body': '返信の本文',
    'council.reply.send': '返信を送信',
    'council.reply.sending': '送信しています…',
    'council.reply.sent': '返信しました。',
    'council.reply.shared_note': 'この項目は政府と共有されています。返信も NISC・所管省庁に表示されます。',
    'council.reply.private_note': 'この項目はカウンシル限りです。返信もカウンシル構成セプターの事務局だけが読めます。',
    'council.replies': '返信 ({n} 件)',
    'council.no_replies': '返信はまだありません。',
    'council.back': 'カウンシルの項目一覧へ',
    'council.not_found_gov': 'カウンシル限りの項目は政府機関には表示されません。共有された項目だけを開けます。',
    'council.readonly': 'あなたの役割ではこの場を閲覧のみできます。投稿はカウンシル構成セプターの事務局が行います。',
  },
  en: {
    'council.lead': 'The CEPTOAR Council is a cross-sector space independent of government. The secretariats of the council\'s CEPTOARs post and read here.',
    'council.gov_note': 'Government (NISC and the ministries) sees only the items their posters shared with government. Council-only items are not shown to government unless shared.',
    'council.gov_empty': 'Nothing has been shared with government yet. Council-only items are not shown to government unless shared.',
    'council.none_role': 'The council\'s items are read only by the secretariats of the council\'s CEPTOARs (and by NISC and the ministries when shared with them).',
    'council.items': 'Council items',
    'council.col.title': 'Title',
    'council.col.org': 'From',
    'council.col.by': 'Posted by',
    'council.col.shared': 'Government',
    'council.col.replies': 'Replies',
    'council.col.created': 'Posted',
    'council.shared.yes': 'Shared with government',
    'council.shared.no': 'Council only',
    'council.new': 'Post a new item',
    'council.f.title': 'Title',
    'council.f.body': 'Text',
    'council.f.tlp': 'TLP',
    'council.f.tlp_hint': 'TLP:RED cannot be used in the council space (it is for named recipients only).',
    'council.f.shared': 'Share with government (NISC and the ministries)',
    'council.f.shared_hint': 'Unchecked, only the secretariats of the council\'s CEPTOARs can read it. Replies are shared with their item.',
    'council.f.post': 'Post',
    'council.f.posting': 'Posting…',
    'council.posted': 'Posted:',
    'council.reply': 'Reply',
    'council.reply.title': 'Reply',
    'council.reply.body': 'Your reply',
    'council.reply.send': 'Send the reply',
    'council.reply.sending': 'Sending…',
    'council.reply.sent': 'Reply sent.',
    'council.reply.shared_note': 'This item is shared with government: your reply will be shown to NISC and the ministries too.',
    'council.reply.private_note': 'This item is council only: your reply is read only by the secretariats of the council\'s CEPTOARs.',
    'council.replies': 'Replies ({n})',
    'council.no_replies': 'No replies yet.',
    'council.back': 'Back to the council items',
    'council.not_found_gov': 'Council-only items are not shown to government; only shared items can be opened.',
    'council.readonly': 'Your role can read this space only. The secretariats of the council\'s CEPTOARs post here.',
  },
});

const GOVERNMENT = ['nisc', 'ministry'];
const COUNCIL_TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'];
const PAGE = 50;

function canPost(me) {
  return me && me.role === 'ceptoar';
}

function tlpOptions() {
  return COUNCIL_TLPS.map((v) => [v, `TLP:${v} — ${t('tlp.' + v)}`]);
}


function SharedBadge({ shared }) {
  return <span class={'badge ' + (shared ? 'badge-warn' : '')}>{shared ? t('council.shared.yes') : t('council.shared.no')}</span>;
}

function NewItem({ onPosted }) {
  const empty = { title: '', body: '', tlp: 'AMBER', shared_with_government: false };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(null);
  const [open, setOpen] = useState(false);
  const set = (k, v) => setForm((f) => ({ ...f, [k]: v }));
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const item = await post('/council', form);
      setForm(empty);
      setDone(item);
      onPosted();
    } catch (err) {
      setError(err);
      setOpen(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="panel sp-compose" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('council.new')}</summary>
      {done ? (
        <Notice>{t('council.posted')} <a href={href('/council/' + done.id)}>{done.title}</a></Notice>
      ) : null}
      <ErrorBox error={error} />
      <form class="sp-form" onSubmit={submit} noValidate aria-label={t('council.new')}>
        <Field id="council-title" label={t('council.f.title')} error={fieldError(error, 'title')}>
          <input id="council-title" value={form.title} required maxLength={200}
            onInput={(e) => set('title', e.currentTarget.value)} />
        </Field>
        <Field id="council-body" label={t('council.f.body')} error={fieldError(error, 'body')}>
          <textarea id="council-body" value={form.body} required
            onInput={(e) => set('body', e.currentTarget.value)} />
        </Field>
        <Field id="council-tlp" label={t('council.f.tlp')} hint={t('council.f.tlp_hint')} error={fieldError(error, 'tlp')}>
          <Select id="council-tlp" value={form.tlp} onChange={(v) => set('tlp', v)} options={tlpOptions()}
            describedby="council-tlp-hint" />
        </Field>
        <div class="sp-check">
          <input type="checkbox" id="council-shared" checked={form.shared_with_government}
            onChange={(e) => set('shared_with_government', e.currentTarget.checked)} />
          <div>
            <label for="council-shared">{t('council.f.shared')}</label>
            <div class="hint" id="council-shared-hint">{t('council.f.shared_hint')}</div>
          </div>
        </div>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>{busy ? t('council.f.posting') : t('council.f.post')}</button>
        </div>
      </form>
    </details>
  );
}

function CouncilList({ me }) {
  const [offset, setOffset] = useState(0);
  const { data, error, loading, reload } = useFetch('/council' + qs({ limit: PAGE, offset }));
  const gov = GOVERNMENT.includes(me.role);
  const columns = [
    {
      key: 'title', label: t('council.col.title'),
      render: (r) => <a href={href('/council/' + r.id)}>{r.title}</a>,
    },
    { key: 'tlp', label: t('tlp.label'), render: (r) => <TlpBadge tlp={r.tlp} /> },
    { key: 'org', label: t('council.col.org'), value: (r) => nameOf(r, 'org_name') },
    {
      key: 'shared', label: t('council.col.shared'),
      value: (r) => (r.shared_with_government ? t('council.shared.yes') : t('council.shared.no')),
      render: (r) => <SharedBadge shared={r.shared_with_government} />,
    },
    { key: 'replies', label: t('council.col.replies'), num: true },
    { key: 'created_at', label: t('council.col.created'), render: (r) => <Time v={r.created_at} /> },
  ];
  const empty = data && data.total === 0;
  return (
    <div class="council">
      <PageHeader title={t('nav.council')}>
        <button type="button" class="secondary" onClick={reload}>{t('act.reload')}</button>
      </PageHeader>
      <p class="reg-lead muted">{t('council.lead')}</p>
      {gov ? <Notice kind="warn">{empty ? t('council.gov_empty') : t('council.gov_note')}</Notice> : null}
      {!gov && !canPost(me) ? <Notice kind="warn">{t('council.none_role')}</Notice> : null}
      {canPost(me) ? <NewItem onPosted={() => { setOffset(0); reload(); }} /> : null}
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <DataTable id="council-items" columns={columns} rows={data.items} caption={t('council.items')}
            csv="council-items.csv" />
          <Pager page={data} onOffset={setOffset} />
        </>
      ) : null}
    </div>
  );
}

function ReplyForm({ item, onSent }) {
  const [body, setBody] = useState('');
  const [tlp, setTlp] = useState(COUNCIL_TLPS.includes(item.tlp) ? item.tlp : 'AMBER');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      const answer = await post('/council/' + encodeURIComponent(item.id) + '/replies', { body, tlp });
      setBody('');
      setDone(true);
      onSent(answer);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="council-reply-h">
      <h2 id="council-reply-h">{t('council.reply.title')}</h2>
      <p class="hint">{item.shared_with_government ? t('council.reply.shared_note') : t('council.reply.private_note')}</p>
      {done ? <Notice>{t('council.reply.sent')}</Notice> : null}
      <ErrorBox error={error} />
      <form class="sp-form" onSubmit={submit} noValidate>
        <Field id="reply-body" label={t('council.reply.body')} error={fieldError(error, 'body')}>
          <textarea id="reply-body" value={body} required onInput={(e) => setBody(e.currentTarget.value)} />
        </Field>
        <Field id="reply-tlp" label={t('council.f.tlp')} hint={t('council.f.tlp_hint')} error={fieldError(error, 'tlp')}>
          <Select id="reply-tlp" value={tlp} onChange={setTlp} options={tlpOptions()} />
        </Field>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>{busy ? t('council.reply.sending') : t('council.reply.send')}</button>
        </div>
      </form>
    </section>
  );
}

function CouncilItem({ me, id }) {
  const { data, error, loading, reload } = useFetch('/council/' + encodeURIComponent(id));
  const [fresh, setFresh] = useState(null);
  const item = fresh && fresh.id === id ? fresh : data;
  const gov = GOVERNMENT.includes(me.role);
  useEffect(() => setFresh(null), [id]);
  if (error || (loading && !item)) {
    return (
      <div class="council">
        <PageHeader title={t('nav.council')} />
        <p><a href={href('/council')}>← {t('council.back')}</a></p>
        {error ? <ErrorBox error={error} /> : <Loading />}
        {error && error.status === 404 && gov ? <Notice kind="warn">{t('council.not_found_gov')}</Notice> : null}
      </div>
    );
  }
  if (!item) return null;
  const replies = Array.isArray(item.replies) ? item.replies : [];
  return (
    <div class="council">
      <PageHeader title={item.title}>
        <button type="button" class="secondary" onClick={() => { setFresh(null); reload(); }}>{t('act.reload')}</button>
      </PageHeader>
      <p><a href={href('/council')}>← {t('council.back')}</a></p>
      <article class="panel" aria-labelledby="page-title">
        <div class="sp-meta">
          <TlpBadge tlp={item.tlp} explain />
          <SharedBadge shared={item.shared_with_government} />
        </div>
        <dl class="props">
          <dt>{t('council.col.org')}</dt><dd>{nameOf(item, 'org_name')}</dd>
          <dt>{t('council.col.by')}</dt><dd>{item.created_by}</dd>
          <dt>{t('council.col.created')}</dt><dd><Time v={item.created_at} /></dd>
        </dl>
        <div class="sp-body">{item.body}</div>
      </article>
      <section aria-labelledby="council-replies-h">
        <h2 id="council-replies-h">{t('council.replies', { n: replies.length })}</h2>
        {replies.length === 0 ? <p class="muted">{t('council.no_replies')}</p> : (
          <ol class="sp-replies">
            {replies.map((r) => (
              <li key={r.id} class="sp-reply">
                <div class="sp-meta">
                  <strong>{nameOf(r, 'org_name')}</strong>
                  <span>{r.created_by}</span>
                  <Time v={r.created_at} />
                  <TlpBadge tlp={r.tlp} />
                </div>
                <div class="sp-body">{r.body}</div>
              </li>
            ))}
          </ol>
        )}
      </section>
      {canPost(me) ? <ReplyForm item={item} onSent={(answer) => (answer && answer.id ? setFresh(answer) : reload())} />
        : <p class="hint">{t('council.readonly')}</p>}
    </div>
  );
}

export function Council({ me, id }) {
  return id ? <CouncilItem me={me} id={id} /> : <CouncilList me={me} />;
}
