import { Check, NotebookPen } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { WrapUpDraft, WrapUpTask } from '../../../shared/protocol';
import { useServices } from '../state/app-context';
import { msUntil } from '../ui/agent';
import { CALL_KEYS, matchesCallKey } from '../ui/call-keys';
import { formatDuration } from '../ui/format';
import { useNow } from '../ui/use-now';
import { errorText } from './error-text';

/** Notes are saved this long after the last keystroke (and at once on Done). */
const AUTOSAVE_MS = 1_000;

export function tagsOf(text: string): string[] {
  return [...new Set(text.split(',').map((tag) => tag.trim()).filter(Boolean))].slice(0, 10);
}

/**
 * After-call work (issue 14): notes, the line's outcome code, tags, and Done (Ctrl+Enter). The task
 * comes from the server (`agent.wrapUp`), so the panel comes back after a reload with the saved draft
 * and the server's deadline; the countdown only shows that deadline, the server's timer ends it.
 */
export function WrapUpPanel({ task }: { task: WrapUpTask }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const id = useId();
  const now = useNow();
  const [notes, setNotes] = useState(task.draft.notes);
  const [outcome, setOutcome] = useState(task.draft.outcomeCode ?? '');
  const [tags, setTags] = useState(task.draft.tags.join(', '));
  const [saveState, setSaveState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<string | null>(null);
  const [missingOutcome, setMissingOutcome] = useState(false);
  const dirty = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const draft = (): WrapUpDraft => ({ notes, outcomeCode: outcome || null, tags: tagsOf(tags) });
  const latest = useRef(draft);
  latest.current = draft;
  // The panel goes (the server's timer ended the wrap-up) with typing not yet saved: save it now (editable for 24 h).
  useEffect(
    () => () => {
      if (dirty.current) void bridge.invoke('wrapup.save', { callId: task.callId, ...latest.current() });
    },
    [bridge, task.callId],
  );

  useEffect(() => heading.current?.focus(), [task.callId]);
  // Autosave: runs when the fields change (only after the agent typed), saving the latest draft once typing pauses.
  useEffect(() => {
    if (!dirty.current) return;
    const timer = setTimeout(() => {
      dirty.current = false;
      setSaveState('saving');
      void bridge.invoke('wrapup.save', { callId: task.callId, ...draft() }).then((result) => {
        if (result.ok) setSaveState('saved');
        else setError(errorText(t, result.error));
      });
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [notes, outcome, tags]);

  const edit = (set: (value: string) => void) => (value: string) => {
    dirty.current = true;
    setError(null);
    set(value);
  };
  const done = async () => {
    if (task.outcomeRequired && !outcome) {
      setMissingOutcome(true);
      document.getElementById(`${id}-outcome`)?.focus();
      return;
    }
    dirty.current = false;
    const result = await bridge.invoke('wrapup.done', { callId: task.callId, ...draft() });
    if (!result.ok) setError(errorText(t, result.error));
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (matchesCallKey('wrapUpDone', event.nativeEvent)) {
      event.preventDefault();
      void done();
    }
  };

  const left = task.until ? msUntil(task.until, now) : null;
  const title = task.line ? t('wrapUp.titleLine', { line: task.line.displayName }) : t('wrapUp.title');
  return (
    <section className="card wrap-up" aria-labelledby={`${id}-title`} onKeyDown={onKeyDown}>
      <header className="wrap-up-head">
        <NotebookPen size={18} />
        <h2 id={`${id}-title`} ref={heading} tabIndex={-1} data-focus-after-call>
          {title}
        </h2>
        {left !== null && (
          <span className="wrap-up-countdown" role="timer" data-volatile>
            {t('wrapUp.remaining', { time: formatDuration(left) })}
          </span>
        )}
      </header>
      {task.transfer && (
        <p className="wrap-up-transfer">
          {t(task.transfer.result === 'completed' ? `wrapUp.transferred.${task.transfer.kind}` : 'wrapUp.transferNotCompleted', { name: task.transfer.target.displayName })}
        </p>
      )}
      {task.mode === 'optional' && <p className="hint">{t('wrapUp.optional')}</p>}
      {task.outcomeCodes.length > 0 && (
        <div className="field">
          <label htmlFor={`${id}-outcome`}>
            {t('wrapUp.outcome')}
            {task.outcomeRequired && <span aria-hidden="true"> *</span>}
          </label>
          <select
            id={`${id}-outcome`}
            value={outcome}
            required={task.outcomeRequired}
            aria-invalid={missingOutcome && !outcome ? true : undefined}
            aria-describedby={missingOutcome && !outcome ? `${id}-outcome-error` : undefined}
            onChange={(event) => {
              setMissingOutcome(false);
              edit(setOutcome)(event.target.value);
            }}
          >
            <option value="">{t('wrapUp.outcomeNone')}</option>
            {task.outcomeCodes.map((code) => (
              <option key={code.code} value={code.code}>
                {code.label}
              </option>
            ))}
          </select>
          <div aria-live="polite">
            {missingOutcome && !outcome && (
              <p id={`${id}-outcome-error`} className="field-error">
                {t('wrapUp.outcomeRequired')}
              </p>
            )}
          </div>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-notes`}>{t('wrapUp.notes')}</label>
        <textarea id={`${id}-notes`} rows={4} maxLength={4_000} value={notes} onChange={(event) => edit(setNotes)(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-tags`}>{t('wrapUp.tags')}</label>
        <input id={`${id}-tags`} value={tags} aria-describedby={`${id}-tags-hint`} onChange={(event) => edit(setTags)(event.target.value)} />
        <p id={`${id}-tags-hint`} className="hint">
          {t('wrapUp.tagsHint')}
        </p>
      </div>
      <div className="wrap-up-actions">
        <span className="wrap-up-save" aria-live="polite">
          {error ? <span className="error-text">{t('wrapUp.failed', { reason: error })}</span> : saveState === 'idle' ? '' : t(`wrapUp.${saveState}`)}
        </span>
        <button type="button" className="btn btn-primary" aria-keyshortcuts={CALL_KEYS.wrapUpDone.aria} onClick={() => void done()}>
          <Check size={16} />
          {t('wrapUp.done')}
        </button>
      </div>
    </section>
  );
}
