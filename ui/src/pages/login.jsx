// login.jsx - sign in with a user name and password (a session cookie; the
// server limits failed attempts).
import { useState } from 'preact/hooks';
import { get, post, setCsrf } from '../api.js';
import { extend, lang, t } from '../i18n.js';
import { ErrorBox, Field, Notice } from '../ui.jsx';

extend({
  ja: {
    'login.title': 'サインイン',
    'login.name': 'ユーザー名',
    'login.password': 'パスワード',
    'login.submit': 'サインイン',
    'login.busy': 'サインインしています…',
    'login.help': '利用者アカウントは管理者が発行します。初期管理者のパスワードはサーバーの資格情報ファイルにあります。',
  },
  en: {
    'login.title': 'Sign in',
    'login.name': 'User name',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.busy': 'Signing in…',
    'login.help': 'Accounts are issued by an administrator. The first administrator\'s password is in the server\'s credentials file.',
  },
});

export function Login({ onSignedIn, onLang, notice }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  document.title = `${t('login.title')} - ${t('app.name')}`;

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await post('/sessions', { name, password });
      setCsrf(r.csrf);
      const me = await get('/me');
      setCsrf(me.csrf || r.csrf);
      onSignedIn(me);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <main class="login" id="main">
      <div class="login-box">
        <div class="login-brand">
          <span class="brand-name">{t('app.name')}</span>
          <span class="brand-tag">{t('app.tagline')}</span>
        </div>
        <h1>{t('login.title')}</h1>
        {notice ? <Notice kind="warn">{notice}</Notice> : null}
        <ErrorBox error={error} />
        <form onSubmit={submit} novalidate={false}>
          <Field id="login-name" label={t('login.name')}>
            <input id="login-name" name="username" autocomplete="username" required value={name}
              onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <Field id="login-password" label={t('login.password')}>
            <input id="login-password" name="password" type="password" autocomplete="current-password" required
              value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </Field>
          <button type="submit" class="primary" disabled={busy}>{busy ? t('login.busy') : t('login.submit')}</button>
        </form>
        <p class="hint">{t('login.help')}</p>
        <p><button type="button" class="linkish" onClick={onLang} lang={lang() === 'ja' ? 'en' : 'ja'}>{t('lang.switch')}</button></p>
      </div>
    </main>
  );
}
