import { OPEN_TRANSFER_STATES, type TransferView } from '../protocol';

/**
 * The transferor's view of its transfers (issue 15), pure. The server is the truth: every
 * `transfer:updated`, every acknowledgement and `session:ready.transfers` replace what is known of a
 * transfer. Which of the agent's two legs is live is derived from it here, so the media layer's one
 * rule (a held call sends nothing) keeps working without a second hold message from the agent.
 */

const OPEN: ReadonlySet<string> = new Set(OPEN_TRANSFER_STATES);

export function isOpenTransfer(transfer: TransferView): boolean {
  return OPEN.has(transfer.state);
}

/** The calls a transfer involves on the transferor's device. */
function callsOf(transfer: TransferView): string[] {
  return transfer.legCallId ? [transfer.originalCallId, transfer.legCallId] : [transfer.originalCallId];
}

/**
 * Folds one view into the list. A view older than the one known (by `updatedAt`) is dropped; a newer
 * transfer of the same call replaces the older one (one transfer per call at a time, D16).
 */
export function applyTransfer(transfers: readonly TransferView[], view: TransferView): TransferView[] {
  const known = transfers.find((t) => t.transferId === view.transferId);
  if (known && Date.parse(known.updatedAt) > Date.parse(view.updatedAt)) return [...transfers];
  return [...transfers.filter((t) => t.transferId !== view.transferId && t.originalCallId !== view.originalCallId), view];
}

/**
 * After a (re)connect: the server's open transfers, plus the final ones already known here (their outcome
 * stays on screen while their call lasts).
 */
export function resumeTransfers(transfers: readonly TransferView[], open: readonly TransferView[]): TransferView[] {
  return open.reduce<TransferView[]>((list, view) => applyTransfer(list, view), transfers.filter((t) => !isOpenTransfer(t)));
}

/** Keeps the transfers that still concern a live call of this device (an open one always). */
export function pruneTransfers(transfers: readonly TransferView[], liveCallIds: ReadonlySet<string>): TransferView[] {
  return transfers.filter((t) => isOpenTransfer(t) || callsOf(t).some((id) => liveCallIds.has(id)));
}

/** The open transfer `callId` is a leg of (the customer's call or the consult leg), if any. */
export function openTransferOf(transfers: readonly TransferView[], callId: string): TransferView | undefined {
  return transfers.find((t) => isOpenTransfer(t) && callsOf(t).includes(callId));
}

/**
 * The transferor's leg `callId` is held by its open transfer: the customer's call while the target's leg
 * is live (ringing or consulting), the target's leg while the customer's is live. Merged: neither.
 */
export function legHeld(transfers: readonly TransferView[], callId: string): boolean {
  const transfer = openTransferOf(transfers, callId);
  if (!transfer || transfer.liveLeg === 'both') return false;
  return callId === transfer.originalCallId ? transfer.liveLeg !== 'original' : transfer.liveLeg === 'original';
}
