import { ChosenAwayReason } from '../../protocol';
import type { ChosenPresence, WrapUpDraft } from '../../protocol';
import type { PhoneCoreApi } from '../api';
import type { Clock } from '../ports';

/** The bot as a support-line agent (issue 14): its chosen state, and how it finishes its wrap-ups. */
export interface BotAgentOptions {
  /** Set once the bot is online the first time (the server keeps it across reconnects). */
  status?: { status: ChosenPresence; reason?: ChosenAwayReason };
  /** Finish each wrap-up this long after it starts, with these notes and outcome. */
  wrapUp?: { afterMs: number; outcomeCode?: string; notes?: string };
}

/** Parses `--status available|away:<reason>|dnd` (away alone is away for a break). */
export function parseAgentStatus(value: string): BotAgentOptions['status'] {
  if (value === 'available') return { status: 'online' };
  if (value === 'dnd') return { status: 'dnd' };
  const [state, reason = 'break'] = value.split(':');
  const parsed = ChosenAwayReason.safeParse(reason);
  if (state !== 'away' || !parsed.success) throw new Error(`--status must be available, dnd, away or away:<${ChosenAwayReason.options.join('|')}>`);
  return { status: 'away', reason: parsed.data };
}

type Print = (line: Record<string, unknown>) => void;
type Fail = (action: string, error: unknown) => void;

/** Wires the agent options to a PhoneCore: prints each agent state change, sets the state, finishes wrap-ups. */
export function runBotAgent(core: PhoneCoreApi, o: BotAgentOptions, print: Print, fail: Fail, clock: Clock): void {
  let statusSet = false;
  let lastPrinted = '';
  const wrapUpsFinishing = new Set<string>();

  core.on('connection', (state) => {
    if (state.status !== 'online' || statusSet || !o.status) return;
    statusSet = true;
    const { status, reason } = o.status;
    core.setPresence(status, reason).catch((e: unknown) => fail('status', e));
  });

  core.on('snapshot', (snapshot) => {
    const agent = snapshot.agent;
    if (!agent) return;
    const line = { event: 'agent', state: agent.state, reason: agent.reason, wrapUp: agent.wrapUp?.callId ?? null };
    const key = JSON.stringify(line);
    if (key !== lastPrinted) {
      lastPrinted = key;
      print(line);
    }
    const callId = agent.wrapUp?.callId;
    if (!o.wrapUp || !callId || wrapUpsFinishing.has(callId)) return;
    wrapUpsFinishing.add(callId);
    const { afterMs, outcomeCode, notes } = o.wrapUp;
    const draft: Partial<WrapUpDraft> = { ...(outcomeCode ? { outcomeCode } : {}), ...(notes ? { notes } : {}) };
    clock.setTimeout(() => {
      core.finishWrapUp(callId, draft).then(
        (after) => print({ event: 'wrap-up-done', callId, state: after.state }),
        (e: unknown) => fail('wrap-up', e),
      );
    }, afterMs);
  });
}
