import { Grid3x3, Phone, Video } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Media } from '../../../shared/protocol';
import { usePlaceCall } from '../state/use-place-call';
import { checkDialTarget } from '../ui/validation';
import { DialPad } from './dial-pad';
import { Field } from './field';

/**
 * Call by username, with a keypad. Checked as you type once you tried (finding 9): an empty or
 * malformed name says so at the field, and a new attempt always replaces the old message.
 */
export function DialBox() {
  const { t } = useTranslation();
  const { placeCall, failure, clearFailure } = usePlaceCall('dial');
  const [value, setValue] = useState(failure?.to ?? '');
  const [tried, setTried] = useState(false);
  const [pad, setPad] = useState(false);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const problem = checkDialTarget(value);
  const error = failure?.message ?? (tried && problem ? t(`validation.${problem}`) : null);

  useEffect(() => {
    if (failure) input.current?.focus();
  }, [failure]);

  async function call(media: Media) {
    setTried(true);
    clearFailure();
    if (problem) {
      input.current?.focus();
      return;
    }
    setBusy(true);
    const placed = await placeCall(value, media);
    setBusy(false);
    if (placed) {
      setValue('');
      setTried(false);
    }
  }

  const change = (next: string) => {
    setValue(next);
    if (failure) clearFailure();
  };

  return (
    <form
      className="dial-box"
      noValidate
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        void call('audio');
      }}
    >
      <Field
        ref={input}
        label={t('dial.label')}
        value={value}
        onChange={change}
        error={error}
        placeholder={t('dial.placeholder')}
        autoCapitalize="none"
        autoComplete="off"
        spellCheck={false}
        addon={
          <button type="button" className="icon-btn" aria-label={t('dial.keypad')} aria-expanded={pad} aria-controls="dial-keypad" onClick={() => setPad((v) => !v)}>
            <Grid3x3 size={20} />
          </button>
        }
      />
      {pad && (
        <div id="dial-keypad">
          <DialPad keys="dial" label={t('dial.keypad')} onKey={(key) => change(value + key)} onDelete={() => change(value.slice(0, -1))} />
        </div>
      )}
      <div className="dial-actions">
        <button type="submit" className="btn btn-answer" disabled={busy}>
          <Phone size={18} />
          {t('dial.call')}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void call('video')}>
          <Video size={18} />
          {t('dial.videoCall')}
        </button>
      </div>
    </form>
  );
}
