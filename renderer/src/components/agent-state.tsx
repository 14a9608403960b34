import { CircleCheck, CircleMinus, CircleX, Clock, NotebookPen, PhoneCall, type LucideIcon } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { AgentState, AgentStatus } from '../../../shared/protocol';
import { agentStateText, msSince } from '../ui/agent';
import { formatDuration } from '../ui/format';
import { useNow } from '../ui/use-now';

/** Each agent state has its own icon shape (never colour alone, issue 12 finding 4); the colours are the presence ones. */
const ICONS: Record<AgentState, { icon: LucideIcon; tone: string }> = {
  available: { icon: CircleCheck, tone: 'online' },
  busy: { icon: PhoneCall, tone: 'busy' },
  'wrap-up': { icon: NotebookPen, tone: 'busy' },
  away: { icon: Clock, tone: 'away' },
  dnd: { icon: CircleMinus, tone: 'dnd' },
  offline: { icon: CircleX, tone: 'offline' },
};

export function AgentStateIcon({ state, size = 16 }: { state: AgentState; size?: number }) {
  const { icon: Icon, tone } = ICONS[state];
  return <Icon className={`presence-icon presence-${tone}`} size={size} strokeWidth={2.25} />;
}

/** "Away: Lunch", "Wrap-up", "In a call": the words of an agent state. */
export function useAgentStateWords(): (agent: Pick<AgentStatus, 'state' | 'reason'>) => string {
  const { t } = useTranslation();
  return (agent) => {
    const { stateKey, reasonKey } = agentStateText(agent);
    return reasonKey ? t('agent.awayWith', { reason: t(reasonKey) }) : t(stateKey);
  };
}

/** How long the agent has been in this state, ticking ("4:05"). */
export function TimeInState({ since }: { since: string }) {
  const now = useNow();
  return (
    <span className="time-in-state" data-volatile>
      {formatDuration(msSince(since, now))}
    </span>
  );
}
