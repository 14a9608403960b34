import { PhoneMissed, PhoneOff, TriangleAlert, X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallView } from '../../../shared/phone/api';
import { useAppState, useServices } from '../state/app-context';
import { endSummary, isSilentEnd, isUnplacedCall } from '../ui/end-summary';
import { formatDuration } from '../ui/format';

/** Long enough to read; it also goes as soon as another call starts (finding 7). */
const SHOW_MS = 10_000;

/** The end-of-call summary: who, how long, and why, told from this side. */
export function CallSummary() {
  const { t } = useTranslation();
  const { bridge, media } = useServices();
  const { snapshot } = useAppState();
  const [ended, setEnded] = useState<{ call: CallView; talkedMs: number | null } | null>(null);
  const anotherCall = (snapshot?.calls ?? []).some((call) => call.phase !== 'ended');
  // The consult legs of this device's transfers as last seen (a leg's end comes before the snapshot that drops it).
  const consultLegs = useRef<ReadonlySet<string>>(new Set());
  consultLegs.current = new Set((snapshot?.transfers ?? []).flatMap((t) => (t.legCallId ? [t.legCallId] : [])));

  useEffect(
    () =>
      bridge.on('phone.ended', ({ call }) => {
        if (isUnplacedCall(call) || isSilentEnd(call, consultLegs.current)) return;
        const start = media?.talkStartOf(call.callId) ?? null;
        const end = call.endedAt ? Date.parse(call.endedAt) : Date.now();
        setEnded({ call, talkedMs: start === null ? null : end - start });
      }),
    [bridge, media],
  );
  useEffect(() => {
    if (!ended) return;
    const timer = setTimeout(() => setEnded(null), SHOW_MS);
    return () => clearTimeout(timer);
  }, [ended]);
  useEffect(() => {
    if (anotherCall) setEnded(null);
  }, [anotherCall]);

  if (!ended) return null;
  const { call, talkedMs } = ended;
  const summary = endSummary(call);
  const name = call.peer.displayName;
  const Icon = summary.tone === 'missed' ? PhoneMissed : summary.tone === 'problem' ? TriangleAlert : PhoneOff;
  const detail = summary.detail ? t(`summary.detail.${summary.detail}`, { name }) : null;
  return (
    <div className={`call-summary call-summary-${summary.tone}`} role="status">
      <Icon size={20} />
      <div className="call-summary-text">
        <strong>{t(`summary.title.${summary.title}`, { name })}</strong>
        {(detail || talkedMs !== null) && (
          <span>
            {detail}
            {detail && talkedMs !== null && ' · '}
            {talkedMs !== null && <span data-volatile>{formatDuration(talkedMs)}</span>}
          </span>
        )}
      </div>
      <button type="button" className="icon-btn" aria-label={t('call.dismiss')} onClick={() => setEnded(null)}>
        <X size={18} />
      </button>
    </div>
  );
}
