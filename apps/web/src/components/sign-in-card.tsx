import { useId, useState, type FormEvent } from 'react';
import { useSession } from '@session/react-session';
import { checkEmail, checkNewPassword, checkPresent, PASSWORD_RULE } from '../account-errors';
import { useAccountForm } from '../use-account-form';
import { useFocusOnMount } from '../use-focus-on-mount';
import { AccountTextField, FormMessage } from './text-field';

type Mode = 'sign-in' | 'sign-up';

const COPY: Record<Mode, { title: string; submit: string; busy: string; switchTo: string; intro: string }> = {
  'sign-in': {
    title: 'Sign in',
    submit: 'Sign in',
    busy: 'Signing in…',
    switchTo: 'Create an account instead',
    intro: 'Sign in to see your devices and keep your preferences with your account.',
  },
  'sign-up': {
    title: 'Create an account',
    submit: 'Create account',
    busy: 'Creating your account…',
    switchTo: 'I already have an account',
    intro: 'Your current preferences come with you into the new account.',
  },
};

/** Sign in or sign up, for an anonymous session. */
export function SignInCard({ focusOnMount }: { focusOnMount: boolean }) {
  const { signIn, signUp, session } = useSession();
  const id = useId();
  const [mode, setMode] = useState<Mode>('sign-in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [rememberMe, setRememberMe] = useState(false);
  const form = useAccountForm();
  const copy = COPY[mode];
  const heading = useFocusOnMount<HTMLHeadingElement>(focusOnMount);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const credentials = { email: email.trim(), password, rememberMe };
    const checks =
      mode === 'sign-up'
        ? [checkEmail(email), checkNewPassword(password, 'password')]
        : [checkEmail(email), checkPresent(password, 'password', 'Enter your password.')];
    void form.submit(checks, () => (mode === 'sign-up' ? signUp(credentials) : signIn(credentials)));
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <div className="card-head">
        <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
          {copy.title}
        </h2>
      </div>
      <p className="card-text muted">{copy.intro}</p>
      <form className="form" noValidate onSubmit={submit} aria-busy={form.busy || undefined}>
        <fieldset disabled={form.busy || !session}>
          <AccountTextField
            state={form}
            field="email"
            label="Email"
            type="email"
            autoComplete="username"
            inputMode="email"
            spellCheck={false}
            value={email}
            onChange={setEmail}
          />
          <AccountTextField
            state={form}
            field="password"
            label="Password"
            type="password"
            autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
            value={password}
            onChange={setPassword}
            hint={mode === 'sign-up' ? PASSWORD_RULE : undefined}
          />
          <div className="field check">
            <input
              id={`${id}-remember`}
              name="remember_me"
              type="checkbox"
              checked={rememberMe}
              onChange={(e) => setRememberMe(e.target.checked)}
              aria-describedby={`${id}-remember-hint`}
            />
            <label htmlFor={`${id}-remember`}>Remember me on this device</label>
            <p id={`${id}-remember-hint`} className="field-hint muted">
              Without it, closing the browser signs you out.
            </p>
          </div>
          <FormMessage message={form.error && !form.error.field ? form.error.message : undefined} messageRef={form.focusTarget('form')} />
          <div className="actions spread">
            <button
              type="button"
              className="button link"
              onClick={() => {
                setMode(mode === 'sign-in' ? 'sign-up' : 'sign-in');
                form.clear();
              }}
            >
              {copy.switchTo}
            </button>
            <button type="submit" className="button primary">
              {form.busy ? copy.busy : copy.submit}
            </button>
          </div>
        </fieldset>
      </form>
    </section>
  );
}
