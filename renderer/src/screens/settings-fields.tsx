import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../components/field';
import type { FieldCheck } from '../ui/validation';

export function Checkbox(props: { label: string; checked: boolean; disabled?: boolean; note?: string; onChange: (checked: boolean) => void }) {
  const id = useId();
  return (
    <div className="check">
      <input id={id} type="checkbox" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange(e.target.checked)} aria-describedby={props.note ? `${id}-note` : undefined} />
      <label htmlFor={id}>
        {props.label}
        {props.note && (
          <span id={`${id}-note`} className="hint">
            {props.note}
          </span>
        )}
      </label>
    </div>
  );
}

export function Select<V extends string>(props: { label: string; value: V; options: { value: V; label: string }[]; onChange: (value: V) => void; hint?: string; children?: ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="field-row">
        <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value as V)} aria-describedby={props.hint ? `${id}-hint` : undefined}>
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        {props.children}
      </div>
      {props.hint && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** A text value saved with its own button (server URL, shortcuts), checked as you type. */
export function TextSetting(props: { label: string; value: string; placeholder?: string; disabled?: boolean; check?: FieldCheck; onSave: (value: string) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(props.value);
  const problem = props.check?.(value.trim()) ?? null;
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!problem) await props.onSave(value.trim());
  }
  return (
    <form className="text-setting" onSubmit={(e) => void submit(e)} noValidate>
      <Field
        label={props.label}
        value={value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        onChange={setValue}
        error={problem && value !== props.value ? t(`validation.${problem}`) : null}
        spellCheck={false}
        addon={
          <button type="submit" className="btn" disabled={props.disabled || problem !== null || value.trim() === props.value} aria-label={`${t('settings.save')}: ${props.label}`}>
            {t('settings.save')}
          </button>
        }
      />
    </form>
  );
}
