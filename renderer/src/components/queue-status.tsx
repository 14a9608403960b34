import { LogOut, Users } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { LineRef, QueueStatus as QueueStatusValue } from '../../../shared/protocol';
import { useServices } from '../state/app-context';
import { estimateMinutes } from '../ui/agent';

/**
 * The waiting caller's view of a line call (issue 14): which line, the place in line and a wait
 * estimate as a range (never "0 min"; "waiting for an agent" while nobody serves), and Leave. Changes
 * are announced politely; the queue tone plays while this shows (media/queue-tone).
 */
export function QueueStatus({ callId, line, queue }: { callId: string; line: LineRef; queue: QueueStatusValue }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const estimate = estimateMinutes(queue);
  return (
    <section className="queue-status" aria-label={t('queue.region')}>
      <p className="queue-line">
        <Users size={16} />
        {t('queue.waitingIn', { line: line.displayName })}
      </p>
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
