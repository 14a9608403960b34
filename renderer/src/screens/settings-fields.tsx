import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function Checkbox(props: { label: string; checked: boolean; disabled?: boolean; note?: string; onChange: (checked: boolean) => void }) {
  const id = useId();
  return (
    <div className="field checkbox">
      <input id={id} type="checkbox" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange(e.target.checked)} />
      <label htmlFor={id}>{props.label}</label>
      {props.note && <p className="hint">{props.note}</p>}
    </div>
  );
}

export function Select<V extends string>(props: { label: string; value: V; options: { value: V; label: string }[]; onChange: (value: V) => void; children?: ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value as V)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.children}
    </div>
  );
}

/** A text value saved with its own button (server URL, shortcuts). */
export function TextSetting(props: { label: string; value: string; placeholder?: string; disabled?: boolean; onSave: (value: string) => Promise<boolean> }) {
  const { t } = useTranslation();
  const id = useId();
  const [value, setValue] = useState(props.value);
  const [saved, setSaved] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(await props.onSave(value.trim()));
  }
  return (
    <form className="field inline" onSubmit={(e) => void submit(e)}>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        value={value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        onChange={(e) => {
          setValue(e.target.value);
          setSaved(false);
        }}
      />
      <button type="submit" className="button" disabled={props.disabled} aria-label={`${t('settings.save')}: ${props.label}`}>
        {t('settings.save')}
      </button>
      {saved && (
        <span role="status" className="ok">
          {t('settings.saved')}
        </span>
      )}
    </form>
  );
}
