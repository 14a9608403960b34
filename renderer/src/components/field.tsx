import { CircleAlert } from 'lucide-react';
import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';

export interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The message to show under the field; the input is marked invalid while it is set. */
  error?: string | null;
  hint?: string;
  /** Extra content next to the input (a button). */
  addon?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled text field with its hint and its inline error, both tied to the input for screen readers. */
export function Field({ label, value, onChange, error, hint, addon, id, className, ref, ...input }: FieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={inputId}>{label}</label>
      <div className="field-row">
        <input {...input} ref={ref} id={inputId} value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
        {addon}
      </div>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      <div aria-live="polite">
        {error && (
          <p id={errorId} className="field-error">
            <CircleAlert size={14} />
            <span>{error}</span>
          </p>
        )}
      </div>
    </div>
  );
}
