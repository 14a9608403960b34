import { LogOut } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { QueueStatus as QueueStatusValue } from '../../../shared/protocol';
import { useServices } from '../state/app-context';
import { estimateMinutes } from '../ui/agent';

/**
 * The waiting caller's place in a line's queue (issue 14): the position and a wait estimate as a range
 * (never "0 min"; "waiting for an agent" while nobody serves), and Leave. The call screen around it
 * already names the line (heading) and says "Waiting in line" (status), so this does not repeat either.
 * Changes are announced politely; the queue tone plays while this shows (media/queue-tone).
 */
export function QueueStatus({ callId, queue }: { callId: string; queue: QueueStatusValue }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const estimate = estimateMinutes(queue);
  return (
    <section className="queue-status" aria-label={t('queue.region')}>
      <div aria-live="polite" aria-atomic="true" className="queue-figures">
        <p className="queue-position" data-queue-position={queue.position}>
          {t('queue.position', { count: queue.position })}
        </p>
        <p className="queue-estimate">{estimate ? t('queue.estimate', estimate) : t('queue.noAgent')}</p>
      </div>
      <button type="button" className="btn" onClick={() => void bridge.invoke('phone.end', { callId, reason: 'hangup' })}>
        <LogOut size={16} />
        {t('queue.leave')}
      </button>
    </section>
  );
}
