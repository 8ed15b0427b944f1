import { useId, type InputHTMLAttributes, type Ref } from 'react';
import type { AccountField } from '../account-errors';
import type { AccountForm } from '../use-account-form';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange'> {
  label: string;
  value: string;
  onChange(value: string): void;
  /** Shown under the field at all times (a rule, a tip). */
  hint?: string;
  /** Shown under the field while it is wrong; the field is then marked invalid. */
  error?: string;
  inputRef?: Ref<HTMLInputElement>;
}

/** A labelled input whose hint and error a screen reader reads with it (aria-describedby). */
export function TextField({ label, value, onChange, hint, error, inputRef, ...input }: TextFieldProps) {
  const id = useId();
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        {...input}
        id={id}
        ref={inputRef}
        className="text-input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
      {hint && (
        <p id={`${id}-hint`} className="field-hint muted">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A TextField of an account form: named after its field, showing the form's error about it, focused when that error appears. */
export function AccountTextField({
  state,
  field,
  ...props
}: Omit<TextFieldProps, 'name' | 'error' | 'inputRef'> & { state: AccountForm; field: AccountField }) {
  return <TextField {...props} name={field} error={state.fieldError(field)} inputRef={state.focusTarget(field)} />;
}

/**
 * The message of a whole form (not about one field). Rendered only while
 * there is one (role=alert is announced when it appears); focusable so the
 * form can move focus to it.
 */
export function FormMessage({ message, messageRef }: { message: string | undefined; messageRef: Ref<HTMLParagraphElement> }) {
  if (!message) return null;
  return (
    <p ref={messageRef} className="inline-error" role="alert" tabIndex={-1}>
      {message}
    </p>
  );
}
