import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScreenSource } from '../../../shared/bridge';

/** The desktop's screen/window picker (sources from desktopCapturer via the bridge). */
export function ScreenPicker(props: { sources: ScreenSource[]; onPick: (id: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const first = useRef<HTMLButtonElement>(null);
  const [kind] = useState<('screen' | 'window')[]>(['screen', 'window']);
  useEffect(() => first.current?.focus(), []);
  return (
    <div
      className="dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby="picker-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onCancel();
      }}
    >
      <h2 id="picker-title">{t('call.chooseSource')}</h2>
      {kind.map((k) => {
        const list = props.sources.filter((s) => s.kind === k);
        if (list.length === 0) return null;
        return (
          <section key={k} aria-label={k === 'screen' ? t('call.screens') : t('call.windows')}>
            <h3>{k === 'screen' ? t('call.screens') : t('call.windows')}</h3>
            <ul className="sources">
              {list.map((source, index) => (
                <li key={source.id}>
                  <button ref={index === 0 && k === 'screen' ? first : undefined} type="button" className="source" onClick={() => props.onPick(source.id)}>
                    {source.thumbnail && <img src={source.thumbnail} alt="" />}
                    <span>{source.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      <button type="button" className="btn" onClick={props.onCancel}>
        {t('call.cancelShare')}
      </button>
    </div>
  );
}
