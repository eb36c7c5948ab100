// admin_tokens.jsx - API tokens: the list (never their secrets), issuing one
// for a user (its secret shown once), revoking one after a confirmation.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { del, post, qs } from '../api.js';
import { extend, t } from '../i18n.js';
import { DataTable, ErrorBox, Field, Loading, Notice, Pager, Time, useAction, useFetch } from '../ui.jsx';
import { Confirm } from './admin_confirm.jsx';

extend({
  ja: {
    'admin.tokens.lead': 'API トークンはプログラムから API を使うための資格情報です。発行時に一度だけ表示されます。不要になったもの、漏れたおそれのあるものは失効させてください。',
    'admin.tokens.issue': 'トークンを発行',
    'admin.tokens.user': 'ユーザー',
    'admin.tokens.user.hint': 'トークンを使うユーザーの名前または ID。',
    'admin.tokens.label': 'ラベル',
    'admin.tokens.label.hint': '用途が分かる名前（例: 連携システム 2026）。',
    'admin.tokens.days': '有効日数',
    'admin.tokens.days.hint': '1〜3,650 日（空欄で 90 日）。',
    'admin.tokens.submit': '発行',
    'admin.tokens.busy': '発行しています…',
    'admin.tokens.secret.title': 'このトークンは今しか表示されません',
    'admin.tokens.secret.warn': '画面を閉じると二度と表示できません。いますぐコピーして、パスワードと同じように安全に保管してください。紛失した場合は失効させて新しく発行します。',
    'admin.tokens.secret.for': '{user} 用（ラベル: {label}）',
    'admin.tokens.secret': 'トークン',
    'admin.tokens.copy': 'コピー',
    'admin.tokens.copied': 'クリップボードにコピーしました。',
    'admin.tokens.copy_failed': 'コピーできませんでした。欄を選択して手動でコピーしてください。',
    'admin.tokens.done': '保管しました（閉じる）',
    'admin.tokens.caption': 'API トークン',
    'admin.tokens.csv': 'tokens.csv',
    'admin.tokens.filter_user': 'ユーザーで絞り込む',
    'admin.tokens.apply': '絞り込む',
    'admin.tokens.state': '状態',
    'admin.tokens.state.active': '有効',
    'admin.tokens.state.revoked': '失効',
    'admin.tokens.state.expired': '期限切れ',
    'admin.tokens.created_at': '発行日時',
    'admin.tokens.expires_at': '有効期限',
    'admin.tokens.revoked_at': '失効日時',
    'admin.tokens.id': 'ID',
    'admin.tokens.actions': '操作',
    'admin.tokens.revoke': '失効',
    'admin.tokens.revoke_named': '{user} のトークン「{label}」を失効',
    'admin.tokens.revoke.title': 'トークンの失効',
    'admin.tokens.revoke.confirm': '{user} のトークン「{label}」（{id}）を失効させます。このトークンを使うプログラムは直ちに API を使えなくなります。元に戻せません。',
    'admin.tokens.revoked': 'トークン「{label}」を失効させました。',
    'admin.tokens.nolabel': '（ラベルなし）',
  },
  en: {
    'admin.tokens.lead': 'API tokens let programs use the API. A token\'s secret is shown once, when it is issued. Revoke tokens that are no longer needed or may have leaked.',
    'admin.tokens.issue': 'Issue a token',
    'admin.tokens.user': 'User',
    'admin.tokens.user.hint': 'The name or ID of the user the token acts as.',
    'admin.tokens.label': 'Label',
    'admin.tokens.label.hint': 'What it is for (e.g. "Liaison system 2026").',
    'admin.tokens.days': 'Valid for (days)',
    'admin.tokens.days.hint': '1 to 3,650 days (empty: 90).',
    'admin.tokens.submit': 'Issue',
    'admin.tokens.busy': 'Issuing…',
    'admin.tokens.secret.title': 'This token is shown only now',
    'admin.tokens.secret.warn': 'Once you close this it cannot be shown again. Copy it now and keep it as safely as a password. If it is lost, revoke it and issue a new one.',
    'admin.tokens.secret.for': 'For {user} (label: {label})',
    'admin.tokens.secret': 'Token',
    'admin.tokens.copy': 'Copy',
    'admin.tokens.copied': 'Copied to the clipboard.',
    'admin.tokens.copy_failed': 'Could not copy: select the field and copy it by hand.',
    'admin.tokens.done': 'I have stored it (close)',
    'admin.tokens.caption': 'API tokens',
    'admin.tokens.csv': 'tokens.csv',
    'admin.tokens.filter_user': 'Filter by user',
    'admin.tokens.apply': 'Filter',
    'admin.tokens.state': 'State',
    'admin.tokens.state.active': 'Active',
    'admin.tokens.state.revoked': 'Revoked',
    'admin.tokens.state.expired': 'Expired',
    'admin.tokens.created_at': 'Issued',
    'admin.tokens.expires_at': 'Expires',
    'admin.tokens.revoked_at': 'Revoked',
    'admin.tokens.id': 'ID',
    'admin.tokens.actions': 'Actions',
    'admin.tokens.revoke': 'Revoke',
    'admin.tokens.revoke_named': 'Revoke the token "{label}" of {user}',
    'admin.tokens.revoke.title': 'Revoke a token',
    'admin.tokens.revoke.confirm': 'Revoke the token "{label}" ({id}) of {user}? Programs using it lose access to the API at once. This cannot be undone.',
    'admin.tokens.revoked': 'The token "{label}" was revoked.',
    'admin.tokens.nolabel': '(no label)',
  },
});

const STATE_CLASS = { active: 'badge-ok', revoked: 'badge-bad', expired: 'badge-warn' };

function stateText(s) {
  const key = 'admin.tokens.state.' + s;
  const v = t(key);
  return v === key ? s : v;
}

function labelOf(tok) {
  return tok.label || t('admin.tokens.nolabel');
}

// The secret of a token just issued, with the warning that it is shown once.
function Secret({ issued, userName, onClose }) {
  const heading = useRef(null);
  const field = useRef(null);
  const [copy, setCopy] = useState('');
  useEffect(() => { if (heading.current) heading.current.focus(); }, [issued.id]);
  const doCopy = async () => {
    try {
      await navigator.clipboard.writeText(issued.token);
      setCopy('ok');
    } catch (e) {
      if (field.current) field.current.select();
      setCopy('failed');
    }
  };
  return (
    <section class="secret-box" role="alert" aria-labelledby="secret-title" id="token-secret">
      <h2 id="secret-title" tabIndex={-1} ref={heading}>⚠ {t('admin.tokens.secret.title')}</h2>
      <p>{t('admin.tokens.secret.warn')}</p>
      <p class="muted">
        {t('admin.tokens.secret.for', { user: userName, label: labelOf(issued) })}
        {' · '}{t('admin.tokens.expires_at')}: <Time v={issued.expires_at} />
      </p>
      <label for="token-secret-value"><strong>{t('admin.tokens.secret')}</strong></label>
      <div class="secret-row">
        <input id="token-secret-value" ref={field} readOnly value={issued.token} spellcheck={false}
          onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={doCopy}>{t('admin.tokens.copy')}</button>
        <button type="button" class="primary" onClick={onClose}>{t('admin.tokens.done')}</button>
      </div>
      {copy ? <p role="status">{copy === 'ok' ? t('admin.tokens.copied') : t('admin.tokens.copy_failed')}</p> : null}
    </section>
  );
}

function IssueForm({ users, onIssued }) {
  const [v, setV] = useState({ user: '', label: '', days: '90' });
  const { error, setError, busy, run, fe } = useAction();
  const set = (k) => (e) => {
    const x = e.currentTarget.value;
    setV((o) => ({ ...o, [k]: x }));
  };
  const submit = (e) => {
    e.preventDefault();
    setError(null);
    const body = { user: v.user.trim() };
    if (v.label.trim()) body.label = v.label.trim();
    if (String(v.days).trim() !== '') {
      const d = Number(v.days);
      if (!Number.isInteger(d)) {
        setError({ message: t('admin.tokens.days.hint'), field: 'days' });
        return;
      }
      body.days = d;
    }
    run(async () => {
      const issued = await post('/tokens', body);
      setV((o) => ({ ...o, label: '' }));
      onIssued(issued, body.user);
    });
  };
  return (
    <section class="panel" aria-labelledby="issue-title">
      <h2 id="issue-title">{t('admin.tokens.issue')}</h2>
      <ErrorBox error={error} />
      <form onSubmit={submit} class="form-grid admin-form" autocomplete="off">
        <Field id="tok-user" label={t('admin.tokens.user')} hint={t('admin.tokens.user.hint')} error={fe('user')}>
          <input id="tok-user" list="tok-user-list" value={v.user} required onInput={set('user')} autocomplete="off" />
          <datalist id="tok-user-list">
            {users.map((u) => <option key={u.id} value={u.name}>{u.display_name || u.name}</option>)}
          </datalist>
        </Field>
        <Field id="tok-label" label={t('admin.tokens.label')} hint={t('admin.tokens.label.hint')} error={fe('label')}>
          <input id="tok-label" value={v.label} maxLength={200} onInput={set('label')} />
        </Field>
        <Field id="tok-days" label={t('admin.tokens.days')} hint={t('admin.tokens.days.hint')} error={fe('days')}>
          <input id="tok-days" type="number" min="1" max="3650" step="1" value={v.days} onInput={set('days')} />
        </Field>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>{busy ? t('admin.tokens.busy') : t('admin.tokens.submit')}</button>
        </div>
      </form>
    </section>
  );
}

export function Tokens() {
  const [user, setUser] = useState('');
  const [applied, setApplied] = useState('');
  const [offset, setOffset] = useState(0);
  const [issued, setIssued] = useState(null);
  const [ask, setAsk] = useState(null);
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState(null);
  const { data, error, reload } = useFetch('/tokens' + qs({ user: applied, limit: 100, offset }));
  const users = useFetch('/users?limit=500');
  const userItems = users.data ? users.data.items : [];
  const revoke = async (tok) => {
    setActionError(null);
    setNotice('');
    try {
      await del('/tokens/' + encodeURIComponent(tok.id));
      setNotice(t('admin.tokens.revoked', { label: labelOf(tok) }));
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  const columns = useMemo(() => [
    { key: 'user_name', label: t('admin.tokens.user'), render: (x) => <strong>{x.user_name}</strong> },
    { key: 'label', label: t('admin.tokens.label'), value: (x) => x.label || '', render: (x) => x.label || <span class="muted">{t('admin.tokens.nolabel')}</span> },
    {
      key: 'state', label: t('admin.tokens.state'), value: (x) => stateText(x.state),
      render: (x) => <span class={`badge ${STATE_CLASS[x.state] || ''}`}>{stateText(x.state)}</span>,
    },
    { key: 'created_at', label: t('admin.tokens.created_at'), render: (x) => <Time v={x.created_at} /> },
    { key: 'expires_at', label: t('admin.tokens.expires_at'), render: (x) => <Time v={x.expires_at} /> },
    { key: 'revoked_at', label: t('admin.tokens.revoked_at'), render: (x) => <Time v={x.revoked_at} /> },
    { key: 'id', label: t('admin.tokens.id'), render: (x) => <code title={x.id}>{x.id.slice(0, 8)}</code> },
    {
      key: 'actions', label: t('admin.tokens.actions'), value: () => '',
      render: (x) => (x.state === 'active' ? (
        <span class="row-actions">
          <button type="button" class="danger" onClick={() => setAsk(x)}
            aria-label={t('admin.tokens.revoke_named', { user: x.user_name, label: labelOf(x) })}>{t('admin.tokens.revoke')}</button>
        </span>
      ) : null),
    },
  ], [data]); // eslint-disable-line
  return (
    <div>
      <p class="muted admin-lead">{t('admin.tokens.lead')}</p>
      {issued ? <Secret issued={issued.token} userName={issued.user} onClose={() => setIssued(null)} /> : null}
      <IssueForm users={userItems} onIssued={(tok, u) => { setIssued({ token: tok, user: u }); setNotice(''); reload(); }} />
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorBox error={actionError} />
      <form class="filters filters-top" onSubmit={(e) => { e.preventDefault(); setApplied(user.trim()); setOffset(0); }}>
        <Field id="tokens-user" label={t('admin.tokens.filter_user')}>
          <input id="tokens-user" list="tok-user-list" value={user} onInput={(e) => setUser(e.currentTarget.value)} autocomplete="off" />
        </Field>
        <button type="submit" class="secondary">{t('admin.tokens.apply')}</button>
      </form>
      <ErrorBox error={error} />
      {!data && !error ? <Loading /> : null}
      {data ? (
        <div>
          <DataTable id="admin-tokens" columns={columns} rows={data.items} caption={t('admin.tokens.caption')} csv={t('admin.tokens.csv')} />
          <Pager page={data} onOffset={setOffset} />
        </div>
      ) : null}
      <Confirm open={!!ask} danger title={t('admin.tokens.revoke.title')} confirmLabel={t('admin.tokens.revoke')}
        onCancel={() => setAsk(null)} onConfirm={() => { const x = ask; setAsk(null); revoke(x); }}>
        {ask ? t('admin.tokens.revoke.confirm', { user: ask.user_name, label: labelOf(ask), id: ask.id }) : ''}
      </Confirm>
    </div>
  );
}
