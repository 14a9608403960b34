import type { TFunction } from 'i18next';
import type { BridgeErrorBody } from '../../../shared/bridge';

const KNOWN = new Set([
  'INVALID_CREDENTIALS',
  'USERNAME_TAKEN',
  'OFFLINE',
  'TRANSPORT',
  'TIMEOUT',
  'USER_NOT_FOUND',
  'SELF_CALL',
  'RATE_LIMITED',
  'NOT_SIGNED_IN',
  'UNAUTHORIZED',
  'TOKEN_EXPIRED',
  'CALL_NOT_FOUND',
  'ALREADY_ANSWERED',
  'UNSUPPORTED',
  'STORAGE_UNAVAILABLE',
  'TOO_MANY_DEVICES',
  'TRANSFER_CONFLICT',
  'TRANSFER_NOT_FOUND',
  'TARGET_UNAVAILABLE',
  'PEER_OUTDATED',
  'INVALID_STATE',
  'OUTCOME_REQUIRED',
  'EDIT_WINDOW_CLOSED',
  'FORBIDDEN',
  'LINE_NOT_FOUND',
]);

/** A bridge error in the user's language: known codes get their own sentence, never the technical message (finding 9). */
export function errorText(t: TFunction, error: BridgeErrorBody | { code?: string; message?: string } | unknown): string {
  const body = (typeof error === 'object' && error !== null ? error : {}) as { code?: string; message?: string; issues?: { path: string; message: string }[] };
  const code = body.code ?? 'INTERNAL';
  if (KNOWN.has(code) || code === 'VALIDATION_FAILED') return t(`errors.${code}`);
  return t('errors.generic', { code });
}
