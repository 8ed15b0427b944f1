import { useId, useState, type FormEvent } from 'react';
import { useSession } from '@session/react-session';
import { checkNewPassword, checkPresent, PASSWORD_RULE } from '../account-errors';
import { useAccountForm } from '../use-account-form';
import { AccountTextField, FormMessage } from './text-field';

/** Change password; `onChanged` runs after the server ended the other sessions (the devices list is then stale). */
export function ChangePasswordCard({ onChanged }: { onChanged(): void }) {
  const { changePassword } = useSession();
  const id = useId();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [done, setDone] = useState(false);
  const form = useAccountForm('new_password');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    const checks = [
      checkPresent(currentPassword, 'current_password', 'Enter your current password.'),
      checkNewPassword(newPassword, 'new_password'),
    ];
    if (await form.submit(checks, () => changePassword({ currentPassword, newPassword }))) {
      setCurrentPassword('');
      setNewPassword('');
      setDone(true);
      onChanged();
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <div className="card-head">
        <h2 id={`${id}-title`}>Change password</h2>
      </div>
      <form className="form" noValidate onSubmit={(e) => void submit(e)} aria-busy={form.busy || undefined}>
        <fieldset disabled={form.busy}>
          <AccountTextField
            state={form}
            field="current_password"
            label="Current password"
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={setCurrentPassword}
          />
          <AccountTextField
            state={form}
            field="new_password"
            label="New password"
            type="password"
            autoComplete="new-password"
            value={newPassword}
            onChange={setNewPassword}
            hint={PASSWORD_RULE}
          />
          <FormMessage message={form.error && !form.error.field ? form.error.message : undefined} messageRef={form.focusTarget('form')} />
          <p className="save-status" role="status">
            {done ? 'Password changed. Your other devices were signed out.' : ''}
          </p>
          <div className="actions">
            <button type="submit" className="button primary">
              {form.busy ? 'Changing…' : 'Change password'}
            </button>
          </div>
        </fieldset>
      </form>
    </section>
  );
}
