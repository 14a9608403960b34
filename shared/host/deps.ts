/** The PhoneCore types the host core uses, in one place. */
export type { CallView, PhoneCoreApi, PhoneSnapshot, RingPolicy, ConnectionState } from '../phone/api';
export type { EndReason, MissedCall, Media } from '../protocol';
