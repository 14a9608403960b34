import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../components/error-text';
import { useAppState, useServices } from '../state/app-context';

/** Sign in or create an account, on a server the user chooses. */
export function SignIn() {
  const { t } = useTranslation();
  const { bridge, store } = useServices();
  const { session, settings } = useAppState();
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [serverUrl, setServerUrl] = useState(session?.serverUrl ?? settings?.serverUrl ?? window.location.origin);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), [mode]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const trimmedUser = username.trim().toLowerCase();
    const result =
      mode === 'login'
        ? await bridge.invoke('auth.login', { username: trimmedUser, password, serverUrl })
        : await bridge.invoke('auth.register', { username: trimmedUser, password, displayName: displayName.trim(), serverUrl });
    setBusy(false);
    if (!result.ok) {
      setError(errorText(t, result.error));
      return;
    }
    await store.refreshSession();
  }

  const register = mode === 'register';
  return (
    <main id="main" className="sign-in">
      <h1 ref={heading} tabIndex={-1}>
        {register ? t('signIn.registerTitle') : t('signIn.title')}
      </h1>
      <form onSubmit={(e) => void submit(e)} aria-describedby={error ? 'sign-in-error' : undefined}>
        <div className="field">
          <label htmlFor="server-url">{t('signIn.serverUrl')}</label>
          <input id="server-url" type="url" value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} required autoComplete="url" />
        </div>
        <div className="field">
          <label htmlFor="username">{t('signIn.username')}</label>
          <input
            id="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoComplete="username"
            autoCapitalize="none"
            aria-describedby={register ? 'username-hint' : undefined}
          />
          {register && (
            <p id="username-hint" className="hint">
              {t('signIn.usernameHint')}
            </p>
          )}
        </div>
        {register && (
          <div className="field">
            <label htmlFor="display-name">{t('signIn.displayName')}</label>
            <input id="display-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required autoComplete="name" />
          </div>
        )}
        <div className="field">
          <label htmlFor="password">{t('signIn.password')}</label>
          <input
            id="password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            autoComplete={register ? 'new-password' : 'current-password'}
            aria-describedby={register ? 'password-hint' : undefined}
          />
          {register && (
            <p id="password-hint" className="hint">
              {t('signIn.passwordHint')}
            </p>
          )}
        </div>
        {error && (
          <p id="sign-in-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t('signIn.working') : register ? t('signIn.submitRegister') : t('signIn.submit')}
        </button>
      </form>
      <button
        type="button"
        className="link-button"
        onClick={() => {
          setMode(register ? 'login' : 'register');
          setError(null);
        }}
      >
        {register ? t('signIn.switchToSignIn') : t('signIn.switchToRegister')}
      </button>
    </main>
  );
}
