import { PhoneMissed } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentStatus } from '../../../shared/protocol';
import { useServices } from '../state/app-context';
import { missedOffer } from '../ui/agent';
import { errorText } from './error-text';

/**
 * A line call rang out on this agent, so the server set it away ("missed offer", issue 14) and the
 * line offers it nothing more. The banner says so and brings the agent back with one click. It is an
 * alert (announced at once) but does not take focus: the agent may be typing elsewhere.
 */
export function MissedOfferBanner({ agent }: { agent: AgentStatus | null }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const [error, setError] = useState<string | null>(null);
  if (!agent || !missedOffer(agent)) return null;
  const line = agent.lines.length === 1 ? agent.lines[0]!.displayName : null;
  const back = async () => {
    setError(null);
    const result = await bridge.invoke('settings.update', { status: 'available' });
    if (!result.ok) setError(errorText(t, result.error));
  };
  return (
    <div className="banner banner-warning missed-offer" role="alert">
      <PhoneMissed size={16} />
      <span>{line ? t('agent.missedOffer', { line }) : t('agent.missedOfferNoLine')}</span>
      <span className="spacer" />
      {error && <span className="error-text">{error}</span>}
      <button type="button" className="btn btn-small btn-primary" onClick={() => void back()}>
        {t('agent.backToAvailable')}
      </button>
    </div>
  );
}
