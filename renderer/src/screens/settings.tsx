import { CircleCheck } from 'lucide-react';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsPatch } from '../../../shared/settings';
import { errorText } from '../components/error-text';
import { useAppState, useServices } from '../state/app-context';
import { useSavedFlash } from '../state/use-saved';
import { AccountSettings, AudioVideoSettings, CallSettings, GeneralSettings } from './settings-sections';

const TABS = ['audio', 'calls', 'general', 'account'] as const;
type Tab = (typeof TABS)[number];

/**
 * Settings in four tabs instead of one long page, and a "Saved" note after every change
 * (finding 10). Tabs follow the WAI-ARIA pattern: arrow keys move between them.
 */
export function Settings() {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { settings } = useAppState();
  const [tab, setTab] = useState<Tab>('audio');
  const [error, setError] = useState<string | null>(null);
  const [saved, flashSaved] = useSavedFlash();
  const tabs = useRef<HTMLDivElement>(null);

  useEffect(() => setError(null), [tab]);
  if (!settings) return null;

  async function update(patch: SettingsPatch): Promise<boolean> {
    setError(null);
    const result = await bridge.invoke('settings.update', patch);
    if (!result.ok) setError(errorText(t, result.error));
    else flashSaved();
    return result.ok;
  }

  const onKeyDown = (event: KeyboardEvent) => {
    const index = TABS.indexOf(tab);
    const go = (to: number) => {
      event.preventDefault();
      const next = TABS[(to + TABS.length) % TABS.length]!;
      setTab(next);
      tabs.current?.querySelector<HTMLElement>(`#settings-tab-${next}`)?.focus();
    };
    if (event.key === 'ArrowRight') go(index + 1);
    else if (event.key === 'ArrowLeft') go(index - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(TABS.length - 1);
  };

  return (
    <div className="settings page">
      <div className="page-head">
        <h1 id="screen-title" tabIndex={-1}>
          {t('settings.title')}
        </h1>
        <span className="saved" role="status">
          {saved && (
            <>
              <CircleCheck size={16} />
              {t('settings.saved')}
            </>
          )}
        </span>
      </div>
      <div ref={tabs} className="tablist" role="tablist" aria-label={t('settings.title')} onKeyDown={onKeyDown}>
        {TABS.map((name) => (
          <button
            key={name}
            id={`settings-tab-${name}`}
            type="button"
            role="tab"
            aria-selected={tab === name}
            aria-controls={`settings-panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
          >
            {t(`settings.tabs.${name}`)}
          </button>
        ))}
      </div>
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      <div id={`settings-panel-${tab}`} className="card tabpanel" role="tabpanel" aria-labelledby={`settings-tab-${tab}`}>
        {tab === 'audio' && <AudioVideoSettings update={update} />}
        {tab === 'calls' && <CallSettings update={update} />}
        {tab === 'general' && <GeneralSettings update={update} />}
        {tab === 'account' && <AccountSettings update={update} onError={setError} />}
      </div>
    </div>
  );
}
