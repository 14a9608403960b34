import { z } from 'zod';
import { CallId, Media, TransferEndReason, TransferMode, UserId, UserIdentity, Username } from './entities';

/**
 * Transfers (issue 15, protocol 1.3): blind and consult are one mechanism (docs/design/lines-and-transfers.md
 * D11). The agent (transferor) in an answered call with a customer starts a second leg to a target; blind
 * completes as soon as the target answers, consult waits for the agent's Complete. Completion links a fresh
 * call customer <-> target to the original one (same conversation) and ends both of the agent's legs.
 */

/** `ringing` → `consulting` ⇄ `merged` → `completed`; `cancelled` and `failed` are final. */
export const TRANSFER_STATES = ['ringing', 'consulting', 'merged', 'completed', 'cancelled', 'failed'] as const;
export const TransferState = z.enum(TRANSFER_STATES);
export type TransferState = z.infer<typeof TransferState>;
export const OPEN_TRANSFER_STATES = ['ringing', 'consulting', 'merged'] as const satisfies readonly TransferState[];

/** Which of the agent's two legs is live (not held): the customer's, the target's, or both (merged). */
export const LiveLeg = z.enum(['original', 'leg', 'both']);
export type LiveLeg = z.infer<typeof LiveLeg>;

/** The context a transfer target sees before answering: who transfers, and for whom. */
export const CallContext = z.object({
  kind: z.enum(['transfer', 'consult']),
  by: UserIdentity,
  for: UserIdentity,
});
export type CallContext = z.infer<typeof CallContext>;

/** A transfer as its transferor's device sees it (acks, `transfer:updated`, `session:ready.transfers`). */
export const TransferView = z.object({
  transferId: z.string().uuid(),
  kind: TransferMode,
  state: TransferState,
  originalCallId: CallId,
  /** The agent -> target leg (null only while it is being created). */
  legCallId: CallId.nullable(),
  /** The customer <-> target call, once completed. */
  newCallId: CallId.nullable(),
  customer: UserIdentity,
  target: UserIdentity,
  liveLeg: LiveLeg,
  /** The server completes as soon as the target answers (blind, "Transfer now", or the agent lost). */
  autoComplete: z.boolean(),
  endReason: TransferEndReason.nullable(),
  updatedAt: z.string().datetime(),
});
export type TransferView = z.infer<typeof TransferView>;

/** A three-way call: the hub (the agent's client) mixes; every side shows the parties. */
export const ConferenceView = z.object({
  active: z.boolean(),
  parties: z.array(UserIdentity).max(3),
  hub: UserId,
});
export type ConferenceView = z.infer<typeof ConferenceView>;

const TransferRef = z.object({ transferId: z.string().uuid() }).strict();

/** Client -> server events of transfers (spread into `clientEvents`). */
export const transferClientEvents = {
  /** Start a transfer of an answered call: the customer is held, `to` rings with the context. */
  'call:transfer': z.object({ callId: CallId, to: Username, mode: TransferMode, media: Media.default('audio') }).strict(),
  /** Consult: exchange which leg is live (one server step: exactly one leg is live after it). */
  'transfer:swap': TransferRef,
  /** Consult: three-way call (`merged: true`) or back to a consult with the customer live (`false`). */
  'transfer:merge': z.object({ transferId: z.string().uuid(), merged: z.boolean() }).strict(),
  /** Connect the customer and the target directly; both of the agent's legs end (`transferred`). While the target rings: complete on answer. */
  'transfer:complete': TransferRef,
  /** End the consult leg; the customer is taken off hold, back with the agent. */
  'transfer:cancel': TransferRef,
} as const;

const TransferAck = z.object({ transfer: TransferView });
export const transferAcks = {
  'call:transfer': TransferAck,
  'transfer:swap': TransferAck,
  'transfer:merge': TransferAck,
  'transfer:complete': TransferAck,
  'transfer:cancel': TransferAck,
} as const satisfies Record<keyof typeof transferClientEvents, z.ZodType>;
