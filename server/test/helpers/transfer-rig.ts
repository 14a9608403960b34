import type { AuthResponse } from '../../../shared/protocol';
import { newUser, type RawDevice } from './raw-device';
import type { RawServer } from './raw-server';

/** Three people: a customer who called an agent (answered), and an expert the agent can bring in. */
export interface TransferScene {
  customer: AuthResponse;
  agent: AuthResponse;
  expert: AuthResponse;
  c: RawDevice;
  a: RawDevice;
  e: RawDevice;
  /** The answered call customer -> agent. */
  callId: string;
}

export async function transferScene(rig: RawServer): Promise<TransferScene> {
  const customer = await newUser(rig.url, 'cust');
  const agent = await newUser(rig.url, 'agent');
  const expert = await newUser(rig.url, 'expert');
  const c = await rig.connect(customer, customer.user.username);
  const a = await rig.connect(agent, agent.user.username);
  const e = await rig.connect(expert, expert.user.username);
  const scene = { customer, agent, expert, c, a, e, callId: '' };
  return nextCall(scene);
}

/** The same three people, a new answered call customer -> agent (loops reuse the people: registering is slow). */
export async function nextCall(scene: TransferScene): Promise<TransferScene> {
  const { callId } = await scene.c.ok('call:invite', { to: scene.agent.user.username, media: 'audio' });
  await scene.a.next('call:incoming', (call) => call.callId === callId);
  await scene.a.ok('call:accept', { callId });
  await scene.c.next('call:accepted', (accepted) => accepted.callId === callId);
  return { ...scene, callId };
}

/** The agent starts a transfer; the expert's incoming leg. */
export async function startTransfer(scene: TransferScene, mode: 'blind' | 'consult') {
  const { transfer } = await scene.a.ok('call:transfer', { callId: scene.callId, to: scene.expert.user.username, mode });
  const incoming = await scene.e.next('call:incoming', (call) => call.callId === transfer.legCallId);
  return { transfer, legCallId: transfer.legCallId!, incoming };
}

/** A consult the expert answered. */
export async function answeredConsult(scene: TransferScene) {
  const started = await startTransfer(scene, 'consult');
  await scene.e.ok('call:accept', { callId: started.legCallId });
  await scene.a.next('call:accepted', (accepted) => accepted.callId === started.legCallId);
  await scene.a.next('transfer:updated', (view) => view.transferId === started.transfer.transferId && view.state === 'consulting');
  return started;
}
