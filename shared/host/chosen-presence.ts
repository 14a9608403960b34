import type { ChosenPresence } from '../protocol';
import type { Logger } from '../phone/ports';
import type { UserStatus } from '../settings';
import type { PhoneCoreApi } from './deps';

/** The presence others see for a chosen status. */
export function presenceOf(status: UserStatus): ChosenPresence {
  return status === 'available' ? 'online' : status;
}

/**
 * Tells the server the status this device's settings hold, when it says otherwise: after a change,
 * and after every (re)connect (the choice may have been made offline). While the user is in a call
 * the server shows `busy` and keeps the choice for afterwards, so nothing is sent then.
 */
export async function publishChosenPresence(phone: PhoneCoreApi | null, status: UserStatus, log: Logger): Promise<void> {
  const wanted = presenceOf(status);
  const current = phone?.snapshot();
  if (!phone || current?.connection.status !== 'online' || current.presence === wanted || current.presence === 'busy') return;
  await phone.setPresence(wanted).catch((error: unknown) => log.warn('presence update failed', { error: String(error) }));
}
