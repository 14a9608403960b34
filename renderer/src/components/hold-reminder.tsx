import { Timer } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallView } from '../../../shared/phone/api';
import { holdWatch, HOLD_REMINDER_MS } from '../media/hold-watch';
import { playOnOutputs } from '../media/tone-player';
import { PROGRESS_TONES } from '../media/tones';
import { useNow } from '../ui/use-now';

/** "Ann has been on hold for 2 min." (polite: a reminder, not an alarm). */
export function HoldReminderBanner({ name, minutes }: { name: string; minutes: number }) {
  const { t } = useTranslation();
  return (
    <p className="call-banner call-banner-warning" role="status" data-banner="hold-reminder">
      <Timer size={16} />
      {t('transfer.holdReminder', { name, minutes })}
    </p>
  );
}

/** The longest-held call of this device, once it has waited a reminder period: the banner, and a soft beep each period. */
export function HoldReminder({ calls, speakerId }: { calls: readonly CallView[]; speakerId: string | null }) {
  const now = useNow(1_000);
  holdWatch.follow(calls, now);
  const held = holdWatch.longest(calls, now);
  const periods = held?.periods ?? 0;
  const callId = held?.call.callId;
  useEffect(() => {
    if (periods > 0) void playOnOutputs(PROGRESS_TONES['hold-reminder'], [speakerId]).catch(() => undefined);
  }, [callId, periods, speakerId]);
  if (!held || periods === 0) return null;
  return <HoldReminderBanner name={held.call.peer.displayName} minutes={Math.round((periods * HOLD_REMINDER_MS) / 60_000)} />;
}
