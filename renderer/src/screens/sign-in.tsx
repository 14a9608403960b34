import { Phone } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../components/error-text';
import { Field } from '../components/field';
import { useAppState, useServices } from '../state/app-context';
import { checkDisplayName, checkNewPassword, checkPassword, checkServerUrl, checkUsername, fieldOfIssue, type FieldCheck } from '../ui/validation';

type FieldName = 'serverUrl' | 'username' | 'displayName' | 'password';

/**
 * Sign in or create an account, on a server the user chooses. Every field is checked as you type
 * once you have left it (or tried to submit), and a refusal from the server is put on the field it
 * is about (finding 9).
 */
export function SignIn() {
  const { t } = useTranslation();
  const { bridge, store } = useServices();
  const { session, settings } = useAppState();
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [values, setValues] = useState<Record<FieldName, string>>({
    serverUrl: session?.serverUrl ?? settings?.serverUrl ?? window.location.origin,
    username: '',
    displayName: '',
    password: '',
  });
  const [touched, setTouched] = useState<Set<FieldName>>(new Set());
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const register = mode === 'register';

  useEffect(() => heading.current?.focus(), [mode]);

  const checks: Record<FieldName, FieldCheck> = {
    serverUrl: checkServerUrl,
    username: checkUsername,
    displayName: register ? checkDisplayName : () => null,
    password: register ? checkNewPassword : checkPassword,
  };
  const shown: FieldName[] = register ? ['serverUrl', 'username', 'displayName', 'password'] : ['serverUrl', 'username', 'password'];
  const problemOf = (name: FieldName) => checks[name](values[name]);
  const errorOf = (name: FieldName) => serverErrors[name] ?? (touched.has(name) && problemOf(name) ? t(`validation.${problemOf(name)}`) : null);

  const update = (name: FieldName) => (value: string) => {
    setValues((current) => ({ ...current, [name]: value }));
    setServerErrors((current) => ({ ...current, [name]: undefined }));
    setFormError(null);
  };
  const leave = (name: FieldName) => () => values[name] !== '' && setTouched((current) => new Set(current).add(name));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(new Set(shown));
    setFormError(null);
    const firstBad = shown.find((name) => problemOf(name));
    if (firstBad) {
      document.getElementById(`sign-in-${firstBad}`)?.focus();
      return;
    }
    setBusy(true);
    const username = values.username.trim().toLowerCase();
    const result = register
      ? await bridge.invoke('auth.register', { username, password: values.password, displayName: values.displayName.trim(), serverUrl: values.serverUrl.trim() })
      : await bridge.invoke('auth.login', { username, password: values.password, serverUrl: values.serverUrl.trim() });
    setBusy(false);
    if (result.ok) {
      await store.refreshSession();
      return;
    }
    const { code, issues } = result.error;
    if (code === 'USERNAME_TAKEN') setServerErrors({ username: t('errors.USERNAME_TAKEN') });
    else if (code === 'OFFLINE') setServerErrors({ serverUrl: t('errors.OFFLINE') });
    else if (code === 'VALIDATION_FAILED' && issues?.length) {
      const mapped: Partial<Record<FieldName, string>> = {};
      for (const issue of issues) {
        const field = fieldOfIssue(issue.path) as FieldName;
        if (shown.includes(field)) mapped[field] = t(`validation.${problemOf(field) ?? 'rejected'}`);
      }
      if (Object.keys(mapped).length) setServerErrors(mapped);
      else setFormError(errorText(t, result.error));
    } else setFormError(errorText(t, result.error));
  }

  const field = (name: FieldName, props: { label: string; type?: string; autoComplete: string; hint?: string; volatile?: boolean }) => (
    <Field
      id={`sign-in-${name}`}
      label={props.label}
      type={props.type ?? 'text'}
      value={values[name]}
      onChange={update(name)}
      onBlur={leave(name)}
      error={errorOf(name)}
      hint={props.hint}
      autoComplete={props.autoComplete}
      autoCapitalize="none"
      spellCheck={false}
      data-volatile-value={props.volatile ? '' : undefined}
    />
  );

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card card">
        <div className="brand">
          <span className="brand-mark">
            <Phone size={22} />
          </span>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <h1 ref={heading} tabIndex={-1}>
          {register ? t('signIn.registerTitle') : t('signIn.title')}
        </h1>
        <form onSubmit={(e) => void submit(e)} noValidate>
          {field('username', { label: t('signIn.username'), autoComplete: 'username', hint: register ? t('signIn.usernameHint') : undefined })}
          {register && field('displayName', { label: t('signIn.displayName'), autoComplete: 'name' })}
          {field('password', { label: t('signIn.password'), type: 'password', autoComplete: register ? 'new-password' : 'current-password', hint: register ? t('signIn.passwordHint') : undefined })}
          {field('serverUrl', { label: t('signIn.serverUrl'), type: 'url', autoComplete: 'url', volatile: true })}
          {formError && (
            <p className="banner banner-error" role="alert">
              {formError}
            </p>
          )}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? t('signIn.working') : register ? t('signIn.submitRegister') : t('signIn.submit')}
          </button>
        </form>
        <button
          type="button"
          className="btn-link switch-mode"
          onClick={() => {
            setMode(register ? 'login' : 'register');
            setFormError(null);
            setServerErrors({});
            setTouched(new Set());
          }}
        >
          {register ? t('signIn.switchToSignIn') : t('signIn.switchToRegister')}
        </button>
      </div>
    </main>
  );
}
