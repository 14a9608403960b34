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
  /** The first call of the conversation (NULL: this call is its own). */
  conversation_id: string | null;
  /** The call this leg came from (a transfer's leg or the call that replaced a transferred one). */
  parent_call_id: string | null;
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

export interface Schema {
  users: UsersTable;
  calls: CallsTable;
  missed_calls: MissedCallsTable;
  sessions: SessionsTable;
  push_devices: PushDevicesTable;
  call_devices: CallDevicesTable;
  transfers: TransfersTable;
}

export type Db = Kysely<Schema>;
export type Tx = Transaction<Schema>;
export type Dialect = 'sqlite' | 'postgres';
