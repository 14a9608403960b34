import { ArrowLeftRight, LogOut, Merge, PhoneForwarded, Split, X } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TransferView } from '../../../shared/protocol';
import type { TransferAction } from '../../../shared/phone/api';
import { useServices } from '../state/app-context';
import { CALL_KEYS, useCallKeys, withKey, type CallKeyAction } from '../ui/call-keys';
import { errorText } from './error-text';

type LegState = 'legRinging' | 'legLive' | 'legHeld' | 'legMerged';

/** Each leg's state in words: exactly one live while consulting, both while merged. */
function legStates(transfer: TransferView): { customer: LegState; target: LegState } {
  if (transfer.state === 'merged') return { customer: 'legMerged', target: 'legMerged' };
  const target: LegState = transfer.state === 'ringing' ? 'legRinging' : transfer.liveLeg === 'leg' ? 'legLive' : 'legHeld';
  return { customer: transfer.liveLeg === 'original' ? 'legLive' : 'legHeld', target };
}

/**
 * The transferor's open transfer (issue 15): both legs with their state, and what can be done now.
 * Blind, ringing: Cancel. Consult, ringing: Transfer when answered, Cancel. Consulting: Swap, Merge,
 * Complete, Cancel. Merged (three-way call): Split, Leave (= complete: the other two stay connected), Cancel.
 * Every button says what it does to whom, and its key (ui/call-keys.ts); the state is announced politely.
 */
export function ConsultPanel({ transfer }: { transfer: TransferView }) {
  const { t } = useTranslation();
  const { bridge, media } = useServices();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const customer = transfer.customer.displayName;
  const target = transfer.target.displayName;
  const names = { customer, target };
  const states = legStates(transfer);
  const consult = transfer.kind === 'consult';

  async function run(action: TransferAction | 'leave') {
    setBusy(true);
    setError(null);
    const result =
      action === 'leave' && media
        ? await media.leaveTransfer(transfer.transferId)
        : await bridge.invoke('phone.transferAction', { transferId: transfer.transferId, action: action === 'leave' ? 'complete' : action });
    setBusy(false);
    if (!result.ok) setError(errorText(t, result.error));
  }
  // The keys (ui/call-keys.ts): each does what the panel's button for it does now, and nothing when there is none.
  const consulting = transfer.state === 'consulting';
  const merged = transfer.state === 'merged';
  const ringingConsult = consult && transfer.state === 'ringing' && !transfer.autoComplete;
  const act = (action: TransferAction | 'leave') => () => {
    if (!busy) void run(action);
  };
  useCallKeys({
    swap: consulting ? act('swap') : null,
    merge: consulting ? act('merge') : merged ? act('split') : null,
    complete: consulting || ringingConsult ? act('complete') : merged ? act('leave') : null,
  });
  const button = (action: TransferAction | 'leave', label: string, Icon: typeof X, description?: string, key?: CallKeyAction) => (
    <button
      type="button"
      className="btn btn-small"
      disabled={busy}
      aria-label={description}
      aria-keyshortcuts={key && CALL_KEYS[key].aria}
      title={key && withKey(description ?? label, key)}
      onClick={() => void run(action)}
      data-transfer-action={action}
    >
      <Icon size={16} />
      {label}
    </button>
  );

  return (
    <section className="consult-panel" aria-labelledby="consult-title" data-transfer-state={transfer.state}>
      <h2 id="consult-title">{t('transfer.panel', { name: customer })}</h2>
      {!consult && (
        <p className="consult-note" aria-live="polite">
          {t('transfer.blindRinging', names)}
        </p>
      )}
      {consult && (
        <ul className="consult-legs" aria-label={t('transfer.legs')} aria-live="polite">
          <li data-leg="customer" data-leg-state={states.customer}>
            <strong>{customer}</strong>
            <span>{t(`transfer.${states.customer}`)}</span>
          </li>
          <li data-leg="target" data-leg-state={states.target}>
            <strong>{target}</strong>
            <span>{t(`transfer.${states.target}`)}</span>
          </li>
        </ul>
      )}
      {consult && transfer.autoComplete && transfer.state === 'ringing' && <p className="consult-note">{t('transfer.willComplete', names)}</p>}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="consult-actions">
        {consulting && button('swap', t('transfer.swap'), ArrowLeftRight, t('transfer.swapTo', { name: transfer.liveLeg === 'leg' ? customer : target }), 'swap')}
        {consulting && button('merge', t('transfer.merge'), Merge, t('transfer.mergeHint', names), 'merge')}
        {consulting && button('complete', t('transfer.complete'), PhoneForwarded, t('transfer.completeHint', names), 'complete')}
        {ringingConsult && button('complete', t('transfer.transferWhenAnswered'), PhoneForwarded, undefined, 'complete')}
        {merged && button('split', t('transfer.split'), Split, undefined, 'merge')}
        {merged && button('leave', t('transfer.leave'), LogOut, t('transfer.leaveHint', names), 'complete')}
        {button('cancel', t('transfer.cancel'), X)}
      </div>
    </section>
  );
}
