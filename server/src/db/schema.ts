import type { Generated, Kysely, Transaction } from 'kysely';

/**
 * The tables as the query layer sees them (both dialects). Times are ISO-8601 strings in TEXT columns on
 * both SQLite and Postgres, so every comparison and sort means the same on each.
 */
export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  created_at: string;
  presence_choice: Generated<'online' | 'dnd' | 'away'>;
  /** A person, or a service line (issue 14: one namespace). */
  kind: Generated<'person' | 'line'>;
  presence_reason: string | null;
  presence_since: string | null;
}

export interface CallsTable {
  id: string;
  caller_id: string;
  callee_id: string;
  caller_device_id: string;
  answered_device_id: string | null;
  /** JSON array of device ids (kept for history; the live per-device state is in call_devices). */
  devices_rung: Generated<string>;
  media: 'audio' | 'video';
  status: 'ringing' | 'active' | 'ended';
  outcome: string | null;
  end_reason: string | null;
  ended_by: string | null;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  ring_ms: number | null;
  talk_ms: number | null;
  ring_until: string | null;
  push_latency_ms: number | null;
  /** Bumped by every state transition (compare-and-set). */
  version: Generated<number>;
  /** Since when the caller's / the answering device's signalling is away (cluster); NULL while connected. */
  caller_away_since: string | null;
  callee_away_since: string | null;
  /** The line a line call came in on (NULL: not a line call). */
  line_id: Generated<string | null>;
  /** The first call of the conversation (NULL: this call is its own). */
  conversation_id: Generated<string | null>;
  /** The call this leg came from (a transfer's leg or the call that replaced a transferred one). */
  parent_call_id: Generated<string | null>;
  leg_kind: Generated<'direct' | 'line' | 'consult' | 'transfer' | 'transferred'>;
}

/** One transfer (blind or consult): the agent's second leg and what became of it. */
export interface TransfersTable {
  id: string;
  original_call_id: string;
  conversation_id: string;
  kind: 'blind' | 'consult';
  transferor_id: string;
  transferor_device: string;
  customer_id: string;
  customer_device: string;
  target_id: string;
  leg_call_id: string | null;
  new_call_id: string | null;
  state: 'ringing' | 'consulting' | 'merged' | 'completed' | 'cancelled' | 'failed';
  live_leg: Generated<'original' | 'leg' | 'both'>;
  /** 0/1: complete as soon as the target answers. */
  auto_complete: Generated<number>;
  completed_by: 'transferor' | 'system' | null;
  end_reason: string | null;
  created_at: string;
  updated_at: string;
  ended_at: string | null;
  version: Generated<number>;
}

/** A callee device a call rings on since after the invite, or that declined it: the per-call device set every node sees. */
export interface CallDevicesTable {
  call_id: string;
  device_id: string;
  /** Set when the device declined the call. */
  declined_at: string | null;
}

export interface MissedCallsTable {
  id: string;
  call_id: string;
  user_id: string;
  created_at: string;
  read_at: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  refresh_hash: string;
  created_at: string;
  refreshed_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
}

export interface PushDevicesTable {
  user_id: string;
  device_id: string;
  platform: 'ios-voip' | 'android-fcm';
  token: string;
  bundle_id: string | null;
  environment: 'sandbox' | 'production' | null;
  created_at: string;
  updated_at: string;
}

export interface UserRolesTable {
  user_id: string;
  role: 'admin' | 'supervisor';
  granted_by: string | null;
  granted_at: string;
}

export interface LinesTable {
  id: string;
  strategy: 'ring-all' | 'longest-idle';
  offer_timeout_ms: number;
  max_wait_ms: number;
  when_no_agent: 'wait' | 'reject';
  wrap_mode: 'none' | 'optional' | 'time-boxed';
  wrap_ms: number;
  /** JSON array of { code, label }. */
  outcome_codes: string;
  outcome_required: number;
  expected_handle_ms: number;
  time_zone: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  version: Generated<number>;
}

export interface LineMembersTable {
  line_id: string;
  user_id: string;
  added_at: string;
}

export interface AgentStatesTable {
  user_id: string;
  /** The one entry this agent is being offered, else null. */
  offer_entry_id: string | null;
  /** A time-boxed wrap-up running for this call, else null. */
  wrap_call_id: string | null;
  wrap_line_id: string | null;
  wrap_started_at: string | null;
  wrap_until: string | null;
  /** Longest-idle order: when the agent last became routable. */
  idle_since: string;
  offline_since: string | null;
  version: Generated<number>;
}

export type QueueEntryState = 'waiting' | 'offered' | 'connected' | 'abandoned' | 'timed-out' | 'rejected';

export interface QueueEntriesTable {
  /** = the caller's callId; the calls row gets it when the entry ends. */
  id: string;
  line_id: string;
  caller_id: string;
  caller_device_id: string;
  caller_away_since: string | null;
  media: 'audio' | 'video';
  state: QueueEntryState;
  priority: Generated<number>;
  enqueued_at: string;
  give_up_at: string;
  offer_round: Generated<number>;
  offer_until: string | null;
  agent_id: string | null;
  agent_device_id: string | null;
  connected_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
  conversation_id: string;
  parent_call_id: string | null;
  context: string | null;
  version: Generated<number>;
}

export type OfferOutcome = 'pending' | 'accepted' | 'declined' | 'timed-out' | 'withdrawn' | 'answered-elsewhere' | 'caller-left';

export interface LineOffersTable {
  entry_id: string;
  agent_id: string;
  round: number;
  /** JSON array of the agent's device ids the offer was delivered to. */
  device_ids: Generated<string>;
  offered_at: string;
  outcome: Generated<OfferOutcome>;
  ended_at: string | null;
}

export interface CallWrapupsTable {
  call_id: string;
  agent_id: string;
  line_id: string | null;
  mode: 'none' | 'optional' | 'time-boxed';
  notes: Generated<string>;
  outcome_code: string | null;
  /** JSON array of strings. */
  tags: Generated<string>;
  started_at: string;
  ended_at: string | null;
  ended_by: 'done' | 'timer' | 'superseded' | 'expired' | null;
  updated_at: string;
  edit_until: string;
}

export interface Schema {
  users: UsersTable;
  calls: CallsTable;
  missed_calls: MissedCallsTable;
  sessions: SessionsTable;
  push_devices: PushDevicesTable;
  call_devices: CallDevicesTable;
  transfers: TransfersTable;
  user_roles: UserRolesTable;
  lines: LinesTable;
  line_members: LineMembersTable;
  agent_states: AgentStatesTable;
  queue_entries: QueueEntriesTable;
  line_offers: LineOffersTable;
  call_wrapups: CallWrapupsTable;
}

export type Db = Kysely<Schema>;
export type Tx = Transaction<Schema>;
export type Dialect = 'sqlite' | 'postgres';
