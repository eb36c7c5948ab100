// admin.jsx - administration (管理): users (#/admin/users), API tokens
// (#/admin/tokens) and the audit trail (#/admin/audit). Administrators see
// all three; auditors only the audit trail.
import './admin.css';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { get, patch, post, qs } from '../api.js';
import { extend, lang, t } from '../i18n.js';
import { href } from '../router.js';
import {
  DataTable, ErrorBox, Field, Loading, Notice, PageHeader, Pager, Select, Time, useAction, useFetch,
} from '../ui.jsx';
import { Confirm } from './admin_confirm.jsx';
import { Tokens } from './admin_tokens.jsx';
import { Audit } from './admin_audit.jsx';

extend({
  ja: {
    'admin.title': '管理',
    'admin.tabs': '管理のページ',
    'admin.tab.users': 'ユーザー',
    'admin.tab.tokens': 'API トークン',
    'admin.tab.audit': '監査ログ',
    'admin.denied': '管理のページは管理者と監査担当が使えます。',
    'admin.auditor_only': '監査担当は監査ログだけを閲覧できます。',
    'admin.users.lead': '利用者のアカウントを作成し、ロールや表示名を変更し、無効化します。利用者は所属組織の範囲で情報を扱います。',
    'admin.users.caption': 'ユーザー',
    'admin.users.csv': 'users.csv',
    'admin.users.filter_role': 'ロールで絞り込む',
    'admin.users.filter_org': '組織で絞り込む',
    'admin.users.filter_org.hint': '組織のコードまたは ID（完全一致）',
    'admin.users.all_roles': 'すべてのロール',
    'admin.users.apply': '絞り込む',
    'admin.users.clear': '条件を消す',
    'admin.users.new': 'ユーザーを作成',
    'admin.users.new.hide': '作成フォームを閉じる',
    'admin.users.name': 'ユーザー名',
    'admin.users.name.hint': 'サインインに使う名前（64 バイトまで）。あとから変更できません。',
    'admin.users.display_name': '表示名',
    'admin.users.email': 'メールアドレス',
    'admin.users.org': '所属組織',
    'admin.users.org.hint': '組織のコードまたは ID。入力すると候補が出ます（例: nisc, fsa, bank-ceptoar）。',
    'admin.users.role': 'ロール',
    'admin.users.role.blank': '— ロールを選ぶ —',
    'admin.users.password': 'パスワード',
    'admin.users.password.hint': '12〜256 文字。本人に安全な方法で伝え、初回サインイン後に変更してもらってください。',
    'admin.users.password2': 'パスワード（確認）',
    'admin.users.password.mismatch': '確認用のパスワードが一致しません。',
    'admin.users.new_password': '新しいパスワード',
    'admin.users.new_password.hint': '変更するときだけ入力（12〜256 文字）。',
    'admin.users.state': '状態',
    'admin.users.enabled': '有効',
    'admin.users.disabled': '無効',
    'admin.users.created_at': '作成日時',
    'admin.users.updated_at': '更新日時',
    'admin.users.actions': '操作',
    'admin.users.edit': '編集',
    'admin.users.edit_named': '{name} を編集',
    'admin.users.edit.title': 'ユーザー「{name}」の編集',
    'admin.users.disable': '無効化',
    'admin.users.enable': '有効化',
    'admin.users.disable_named': '{name} を無効化',
    'admin.users.enable_named': '{name} を有効化',
    'admin.users.disable.title': 'ユーザーの無効化',
    'admin.users.disable.confirm': '「{name}」を無効にします。このユーザーはサインインできなくなり、そのトークンも使えなくなります。あとで有効に戻せます。',
    'admin.users.created': 'ユーザー「{name}」を作成しました。',
    'admin.users.saved': 'ユーザー「{name}」を更新しました。',
    'admin.users.disabled_done': 'ユーザー「{name}」を無効にしました。',
    'admin.users.enabled_done': 'ユーザー「{name}」を有効にしました。',
    'admin.users.nochange': '変更はありません。',
    'admin.users.create': '作成',
    'admin.users.save': '保存',
    'admin.users.close': '閉じる',
    'admin.users.busy': '送信しています…',
  },
  en: {
    'admin.title': 'Administration',
    'admin.tabs': 'Administration pages',
    'admin.tab.users': 'Users',
    'admin.tab.tokens': 'API tokens',
    'admin.tab.audit': 'Audit trail',
    'admin.denied': 'Administration is for administrators and auditors.',
    'admin.auditor_only': 'Auditors see the audit trail only.',
    'admin.users.lead': 'Create accounts, change their role or display name, and disable them. Users handle information within the reach of their organisation.',
    'admin.users.caption': 'Users',
    'admin.users.csv': 'users.csv',
    'admin.users.filter_role': 'Filter by role',
    'admin.users.filter_org': 'Filter by organisation',
    'admin.users.filter_org.hint': 'The organisation\'s code or ID (exact)',
    'admin.users.all_roles': 'All roles',
    'admin.users.apply': 'Filter',
    'admin.users.clear': 'Clear',
    'admin.users.new': 'Create a user',
    'admin.users.new.hide': 'Close the form',
    'admin.users.name': 'User name',
    'admin.users.name.hint': 'The name to sign in with (up to 64 bytes). It cannot be changed later.',
    'admin.users.display_name': 'Display name',
    'admin.users.email': 'E-mail address',
    'admin.users.org': 'Organisation',
    'admin.users.org.hint': 'The organisation\'s code or ID; typing suggests some (e.g. nisc, fsa, bank-ceptoar).',
    'admin.users.role': 'Role',
    'admin.users.role.blank': '— choose a role —',
    'admin.users.password': 'Password',
    'admin.users.password.hint': '12 to 256 characters. Pass it on safely and have it changed after the first sign-in.',
    'admin.users.password2': 'Password (again)',
    'admin.users.password.mismatch': 'The passwords do not match.',
    'admin.users.new_password': 'New password',
    'admin.users.new_password.hint': 'Only to change it (12 to 256 characters).',
    'admin.users.state': 'State',
    'admin.users.enabled': 'Enabled',
    'admin.users.disabled': 'Disabled',
    'admin.users.created_at': 'Created',
    'admin.users.updated_at': 'Updated',
    'admin.users.actions': 'Actions',
    'admin.users.edit': 'Edit',
    'admin.users.edit_named': 'Edit {name}',
    'admin.users.edit.title': 'Edit the user "{name}"',
    'admin.users.disable': 'Disable',
    'admin.users.enable': 'Enable',
    'admin.users.disable_named': 'Disable {name}',
    'admin.users.enable_named': 'Enable {name}',
    'admin.users.disable.title': 'Disable a user',
    'admin.users.disable.confirm': 'Disable "{name}"? The user can no longer sign in and their tokens stop working. You can enable the user again later.',
    'admin.users.created': 'The user "{name}" was created.',
    'admin.users.saved': 'The user "{name}" was updated.',
    'admin.users.disabled_done': 'The user "{name}" was disabled.',
    'admin.users.enabled_done': 'The user "{name}" was enabled.',
    'admin.users.nochange': 'Nothing changed.',
    'admin.users.create': 'Create',
    'admin.users.save': 'Save',
    'admin.users.close': 'Close',
    'admin.users.busy': 'Sending…',
  },
});

export const ROLES = ['admin', 'nisc', 'ministry', 'ceptoar', 'operator', 'agency', 'auditor'];

function tabsFor(role) {
  if (role === 'admin') return ['users', 'tokens', 'audit'];
  if (role === 'auditor') return ['audit'];
  return [];
}

export function Admin({ me, tab }) {
  const tabs = tabsFor(me.role);
  if (!tabs.length) {
    return (
      <div>
        <PageHeader title={t('admin.title')} />
        <Notice kind="warn">{t('admin.denied')}</Notice>
      </div>
    );
  }
  const current = tabs.includes(tab) ? tab : tabs[0];
  return (
    <div class="admin">
      <PageHeader title={`${t('admin.title')}: ${t('admin.tab.' + current)}`} />
      <nav class="tabs" aria-label={t('admin.tabs')}>
        {tabs.map((x) => (
          <a key={x} href={href('/admin/' + x)} aria-current={x === current ? 'page' : undefined}>{t('admin.tab.' + x)}</a>
        ))}
      </nav>
      {tab && tab !== current && me.role === 'auditor' ? <Notice kind="warn">{t('admin.auditor_only')}</Notice> : null}
      {current === 'users' ? <Users me={me} /> : current === 'tokens' ? <Tokens me={me} /> : <Audit me={me} />}
    </div>
  );
}

export function orgName(u) {
  return (lang() === 'ja' ? u.org_name_ja : u.org_name_en) || u.org_name_ja || u.org_code || u.org;
}

// Suggestions for an organisation field: the orgs whose name or code holds q.
export function OrgInput({ id, value, onInput, required, ...aria }) {
  const [opts, setOpts] = useState([]);
  useEffect(() => {
    const q = value.trim();
    if (q.length < 1) {
      setOpts([]);
      return undefined;
    }
    let live = true;
    const timer = setTimeout(() => {
      get('/orgs' + qs({ q, limit: 20 }))
        .then((r) => { if (live) setOpts(r.items || []); })
        .catch(() => { if (live) setOpts([]); });
    }, 250);
    return () => { live = false; clearTimeout(timer); };
  }, [value]);
  return (
    <>
      <input id={id} list={id + '-list'} value={value} required={required} autocomplete="off"
        {...aria} onInput={(e) => onInput(e.currentTarget.value)} />
      <datalist id={id + '-list'}>
        {opts.map((o) => <option key={o.id} value={o.code || o.id}>{lang() === 'ja' ? o.name_ja : (o.name_en || o.name_ja)}</option>)}
      </datalist>
    </>
  );
}

// ---- users ----

const NEW_USER = { name: '', display_name: '', email: '', org: '', role: '', password: '', password2: '' };
let userDraft = NEW_USER; // kept while the administrator looks elsewhere

function NewUser({ onDone }) {
  const [u, setU] = useState(userDraft);
  const { error, setError, busy, run, fe } = useAction();
  useEffect(() => { userDraft = u; }, [u]);
  const set = (k) => (e) => {
    const v = typeof e === 'string' ? e : e.currentTarget.value;
    setU((x) => ({ ...x, [k]: v }));
  };
  const submit = (e) => {
    e.preventDefault();
    if (u.password !== u.password2) {
      setError({ message: t('admin.users.password.mismatch'), field: 'password2' });
      return;
    }
    run(async () => {
      const body = { name: u.name.trim(), org: u.org.trim(), role: u.role, password: u.password };
      if (u.display_name.trim()) body.display_name = u.display_name.trim();
      if (u.email.trim()) body.email = u.email.trim();
      const made = await post('/users', body);
      setU(NEW_USER);
      userDraft = NEW_USER;
      onDone(made);
    });
  };
  return (
    <section class="panel" aria-labelledby="new-user-title">
      <h2 id="new-user-title">{t('admin.users.new')}</h2>
      <ErrorBox error={error} />
      <form onSubmit={submit} class="form-grid admin-form" autocomplete="off">
        <Field id="nu-name" label={t('admin.users.name')} hint={t('admin.users.name.hint')} error={fe('name')}>
          <input id="nu-name" value={u.name} required maxLength={64} onInput={set('name')} autocomplete="off" />
        </Field>
        <Field id="nu-display" label={t('admin.users.display_name')} error={fe('display_name')}>
          <input id="nu-display" value={u.display_name} maxLength={200} onInput={set('display_name')} />
        </Field>
        <Field id="nu-org" label={t('admin.users.org')} hint={t('admin.users.org.hint')} error={fe('org')}>
          <OrgInput id="nu-org" value={u.org} onInput={set('org')} required />
        </Field>
        <Field id="nu-role" label={t('admin.users.role')} error={fe('role')}>
          <Select id="nu-role" value={u.role} onChange={set('role')} required blank={t('admin.users.role.blank')}
            options={ROLES.map((r) => [r, t('role.' + r)])} />
        </Field>
        <Field id="nu-email" label={t('admin.users.email')} error={fe('email')}>
          <input id="nu-email" type="email" value={u.email} onInput={set('email')} autocomplete="off" />
        </Field>
        <Field id="nu-password" label={t('admin.users.password')} hint={t('admin.users.password.hint')} error={fe('password')}>
          <input id="nu-password" type="password" value={u.password} required minLength={12} maxLength={256}
            autocomplete="new-password" onInput={set('password')} />
        </Field>
        <Field id="nu-password2" label={t('admin.users.password2')} error={fe('password2')}>
          <input id="nu-password2" type="password" value={u.password2} required autocomplete="new-password" onInput={set('password2')} />
        </Field>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>{busy ? t('admin.users.busy') : t('admin.users.create')}</button>
        </div>
      </form>
    </section>
  );
}

function EditUser({ user, onDone, onClose }) {
  const [v, setV] = useState({ role: user.role, display_name: user.display_name || '', email: user.email || '', password: '' });
  const { error, setError, busy, run, fe } = useAction();
  const [note, setNote] = useState('');
  const heading = useRef(null);
  useEffect(() => { if (heading.current) heading.current.focus(); }, [user.id]);
  const set = (k) => (e) => {
    const x = typeof e === 'string' ? e : e.currentTarget.value;
    setV((o) => ({ ...o, [k]: x }));
  };
  const submit = (e) => {
    e.preventDefault();
    setError(null);
    setNote('');
    const body = {};
    if (v.role !== user.role) body.role = v.role;
    if (v.display_name !== (user.display_name || '')) body.display_name = v.display_name;
    if (v.email !== (user.email || '')) body.email = v.email;
    if (v.password) body.password = v.password;
    if (!Object.keys(body).length) {
      setNote(t('admin.users.nochange'));
      return;
    }
    run(async () => {
      const u = await patch('/users/' + encodeURIComponent(user.id), body);
      setV((o) => ({ ...o, password: '' }));
      onDone(u);
    });
  };
  return (
    <section class="panel edit-panel" aria-labelledby="edit-user-title">
      <h2 id="edit-user-title" tabIndex={-1} ref={heading}>{t('admin.users.edit.title', { name: user.name })}</h2>
      <ErrorBox error={error} />
      {note ? <Notice>{note}</Notice> : null}
      <form onSubmit={submit} class="form-grid admin-form" autocomplete="off">
        <Field id="eu-role" label={t('admin.users.role')} error={fe('role')}>
          <Select id="eu-role" value={v.role} onChange={set('role')} options={ROLES.map((r) => [r, t('role.' + r)])} />
        </Field>
        <Field id="eu-display" label={t('admin.users.display_name')} error={fe('display_name')}>
          <input id="eu-display" value={v.display_name} maxLength={200} onInput={set('display_name')} />
        </Field>
        <Field id="eu-email" label={t('admin.users.email')} error={fe('email')}>
          <input id="eu-email" type="email" value={v.email} onInput={set('email')} />
        </Field>
        <Field id="eu-password" label={t('admin.users.new_password')} hint={t('admin.users.new_password.hint')} error={fe('password')}>
          <input id="eu-password" type="password" value={v.password} minLength={12} maxLength={256}
            autocomplete="new-password" onInput={set('password')} />
        </Field>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>{busy ? t('admin.users.busy') : t('admin.users.save')}</button>
          <button type="button" class="secondary" onClick={onClose}>{t('admin.users.close')}</button>
        </div>
      </form>
    </section>
  );
}

function Users({ me }) {
  const [role, setRole] = useState('');
  const [org, setOrg] = useState('');
  const [orgApplied, setOrgApplied] = useState('');
  const [offset, setOffset] = useState(0);
  const [showNew, setShowNew] = useState(false);
  const [editing, setEditing] = useState(null);
  const [ask, setAsk] = useState(null);
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState(null);
  const { data, error, reload } = useFetch('/users' + qs({ role, org: orgApplied, limit: 100, offset }));
  const setDisabled = async (u, disabled) => {
    setActionError(null);
    setNotice('');
    try {
      await patch('/users/' + encodeURIComponent(u.id), { disabled });
      setNotice(t(disabled ? 'admin.users.disabled_done' : 'admin.users.enabled_done', { name: u.name }));
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  const columns = useMemo(() => [
    { key: 'name', label: t('admin.users.name'), render: (u) => <strong>{u.name}</strong> },
    { key: 'display_name', label: t('admin.users.display_name') },
    { key: 'org', label: t('admin.users.org'), value: (u) => orgName(u) },
    { key: 'role', label: t('admin.users.role'), value: (u) => t('role.' + u.role) },
    {
      key: 'disabled', label: t('admin.users.state'), value: (u) => (u.disabled ? t('admin.users.disabled') : t('admin.users.enabled')),
      render: (u) => (u.disabled ? <span class="badge badge-bad">{t('admin.users.disabled')}</span> : <span class="badge badge-ok">{t('admin.users.enabled')}</span>),
    },
    { key: 'email', label: t('admin.users.email') },
    { key: 'updated_at', label: t('admin.users.updated_at'), render: (u) => <Time v={u.updated_at} /> },
    {
      key: 'actions', label: t('admin.users.actions'), value: () => '',
      render: (u) => (
        <span class="row-actions">
          <button type="button" class="secondary" onClick={() => { setEditing(u); setNotice(''); }}
            aria-label={t('admin.users.edit_named', { name: u.name })}>{t('admin.users.edit')}</button>
          {u.disabled ? (
            <button type="button" onClick={() => setDisabled(u, false)} aria-label={t('admin.users.enable_named', { name: u.name })}>
              {t('admin.users.enable')}
            </button>
          ) : (
            <button type="button" class="danger" disabled={u.id === me.id} onClick={() => setAsk(u)}
              aria-label={t('admin.users.disable_named', { name: u.name })}>{t('admin.users.disable')}</button>
          )}
        </span>
      ),
    },
  ], [me, data]); // eslint-disable-line
  return (
    <div>
      <p class="muted admin-lead">{t('admin.users.lead')}</p>
      <div class="page-actions">
        <button type="button" class={showNew ? 'secondary' : 'primary'} aria-expanded={showNew ? 'true' : 'false'}
          aria-controls="new-user" onClick={() => setShowNew((s) => !s)}>
          {showNew ? t('admin.users.new.hide') : t('admin.users.new')}
        </button>
      </div>
      <div id="new-user">
        {showNew ? (
          <NewUser onDone={(u) => { setNotice(t('admin.users.created', { name: u.name })); setShowNew(false); reload(); }} />
        ) : null}
      </div>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorBox error={actionError} />
      {editing ? (
        <EditUser key={editing.id} user={editing} onClose={() => setEditing(null)}
          onDone={(u) => { setNotice(t('admin.users.saved', { name: u.name })); setEditing(null); reload(); }} />
      ) : null}
      <form class="filters filters-top" onSubmit={(e) => { e.preventDefault(); setOrgApplied(org.trim()); setOffset(0); }}>
        <Field id="users-role" label={t('admin.users.filter_role')}>
          <Select id="users-role" value={role} blank={t('admin.users.all_roles')}
            onChange={(v) => { setRole(v); setOffset(0); }} options={ROLES.map((r) => [r, t('role.' + r)])} />
        </Field>
        <Field id="users-org" label={t('admin.users.filter_org')}>
          <OrgInput id="users-org" value={org} onInput={setOrg} />
          <span class="sr-only" id="users-org-hint">{t('admin.users.filter_org.hint')}</span>
        </Field>
        <button type="submit" class="secondary">{t('admin.users.apply')}</button>
        {role || orgApplied ? (
          <button type="button" class="linkish" onClick={() => { setRole(''); setOrg(''); setOrgApplied(''); setOffset(0); }}>
            {t('admin.users.clear')}
          </button>
        ) : null}
      </form>
      <ErrorBox error={error} />
      {!data && !error ? <Loading /> : null}
      {data ? (
        <div>
          <DataTable id="admin-users" columns={columns} rows={data.items} caption={t('admin.users.caption')} csv={t('admin.users.csv')} />
          <Pager page={data} onOffset={setOffset} />
        </div>
      ) : null}
      <Confirm open={!!ask} danger title={t('admin.users.disable.title')} confirmLabel={t('admin.users.disable')}
        onCancel={() => setAsk(null)} onConfirm={() => { const u = ask; setAsk(null); setDisabled(u, true); }}>
        {ask ? t('admin.users.disable.confirm', { name: ask.name }) : ''}
      </Confirm>
    </div>
  );
}
