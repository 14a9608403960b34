import type { ConferenceView, TransferView, UserIdentity } from '../../../shared/protocol';
import type { TransferRow } from './transfer-repo';

/** The parties of a transfer, as identities (built by the server from its user records). */
export interface TransferParties {
  transferor: UserIdentity;
  customer: UserIdentity;
  target: UserIdentity;
}

export function transferView(row: TransferRow, parties: TransferParties): TransferView {
  return {
    transferId: row.id,
    kind: row.kind,
    state: row.state,
    originalCallId: row.originalCallId,
    legCallId: row.legCallId,
    newCallId: row.newCallId,
    customer: parties.customer,
    target: parties.target,
    liveLeg: row.liveLeg,
    autoComplete: row.autoComplete,
    endReason: row.endReason,
    updatedAt: row.updatedAt,
  };
}

/** The three-way call as every side is told (the agent's client is the hub). */
export function conferenceView(parties: TransferParties, active: boolean): ConferenceView {
  return { active, parties: [parties.transferor, parties.customer, parties.target], hub: parties.transferor.userId };
}
