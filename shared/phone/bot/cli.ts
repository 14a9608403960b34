import { parseArgs } from 'node:util';
import { PhoneCore } from '../phone-core';
import type { RingPolicy } from '../api';
import { MemoryStore } from '../memory-store';
import type { Logger } from '../ports';
import { silentLogger } from '../ports';
import { createSocketIoTransport } from '../socket-io-transport';
import { systemClock } from '../system-clock';
import { runBot } from './bot';
import type { BotMode } from './bot';
import { parseAgentStatus, type BotAgentOptions } from './bot-agent';
import { HttpTokenProvider, login, registerOrLogin } from './http-session';

const USAGE = `usage: npm run bot -- --server URL --user NAME --password PW [--register] [--display-name N]
         [--auto-answer | --auto-decline | --call USER [--video]] [--device ID] [--hangup-after MS]
         [--dnd off|reject|silent] [--block USER]... [--no-call-waiting] [--ack-missed] [--verbose]
       as a support-line agent: [--status available|away[:REASON]|dnd] [--auto-answer-lines]
         [--wrap-up-after MS [--outcome CODE] [--notes TEXT]]
Prints one JSON line per event. --call exits when the call is over; otherwise runs until SIGINT/SIGTERM.
--auto-answer answers every call at once; --auto-answer-lines answers line calls as the app's setting does
(after a short ring, only while available and in no other call).`;

function print(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...line, t: new Date().toISOString() })}\n`);
}

const stderrLogger: Logger = {
  debug: (m, f) => process.stderr.write(`${JSON.stringify({ level: 'debug', msg: m, ...f })}\n`),
  info: (m, f) => process.stderr.write(`${JSON.stringify({ level: 'info', msg: m, ...f })}\n`),
  warn: (m, f) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg: m, ...f })}\n`),
  error: (m, f) => process.stderr.write(`${JSON.stringify({ level: 'error', msg: m, ...f })}\n`),
};

class UsageRequested extends Error {
  constructor() {
    super(USAGE);
  }
}

function parse() {
  const { values } = parseArgs({
    options: {
      server: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      register: { type: 'boolean', default: false },
      'display-name': { type: 'string' },
      'auto-answer': { type: 'boolean', default: false },
      'auto-decline': { type: 'boolean', default: false },
      call: { type: 'string' },
      video: { type: 'boolean', default: false },
      device: { type: 'string' },
      'hangup-after': { type: 'string' },
      dnd: { type: 'string', default: 'off' },
      block: { type: 'string', multiple: true, default: [] },
      'no-call-waiting': { type: 'boolean', default: false },
      'ack-missed': { type: 'boolean', default: false },
      status: { type: 'string' },
      'auto-answer-lines': { type: 'boolean', default: false },
      'wrap-up-after': { type: 'string' },
      outcome: { type: 'string' },
      notes: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new UsageRequested();
  if (!values.server || !values.user || !values.password) throw new Error(USAGE);
  const modes = [values['auto-answer'], values['auto-decline'], values.call !== undefined, values['auto-answer-lines']].filter(Boolean).length;
  if (modes > 1) throw new Error(`choose one of --auto-answer, --auto-decline, --call, --auto-answer-lines\n${USAGE}`);
  if (!['off', 'reject', 'silent'].includes(values.dnd)) throw new Error(`--dnd must be off, reject or silent\n${USAGE}`);
  const hangupAfterMs = values['hangup-after'] === undefined ? undefined : Number(values['hangup-after']);
  if (hangupAfterMs !== undefined && !(hangupAfterMs >= 0)) throw new Error(`--hangup-after must be a number of milliseconds\n${USAGE}`);
  const mode: BotMode = values['auto-answer']
    ? { kind: 'auto-answer' }
    : values['auto-decline']
      ? { kind: 'auto-decline' }
      : values.call !== undefined
        ? { kind: 'call', to: values.call, media: values.video ? 'video' : 'audio' }
        : { kind: 'idle' };
  const ringPolicy: RingPolicy = {
    dnd: values.dnd as RingPolicy['dnd'],
    blocklist: values.block,
    callWaiting: !values['no-call-waiting'],
    autoAnswerLineCalls: values['auto-answer-lines'],
  };
  return { ...values, server: values.server, user: values.user, password: values.password, mode, hangupAfterMs, ringPolicy, agent: agentOptions(values) };
}

function agentOptions(values: { status?: string; 'wrap-up-after'?: string; outcome?: string; notes?: string }): BotAgentOptions {
  const status = values.status === undefined ? undefined : parseAgentStatus(values.status);
  const afterMs = values['wrap-up-after'] === undefined ? undefined : Number(values['wrap-up-after']);
  if (afterMs !== undefined && !(afterMs >= 0)) throw new Error(`--wrap-up-after must be a number of milliseconds\n${USAGE}`);
  if (afterMs === undefined && (values.outcome !== undefined || values.notes !== undefined)) throw new Error(`--outcome and --notes go with --wrap-up-after\n${USAGE}`);
  return { status, wrapUp: afterMs === undefined ? undefined : { afterMs, outcomeCode: values.outcome, notes: values.notes } };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof UsageRequested ? 0 : 2;
  }
  const displayName = args['display-name'] ?? args.user;
  const session = args.register ? await registerOrLogin(args.server, args.user, args.password, displayName) : await login(args.server, args.user, args.password);
  print({ event: 'login', user: session.user.username, userId: session.user.userId });

  const clock = systemClock();
  const core = new PhoneCore({
    transport: createSocketIoTransport({ url: args.server }),
    clock,
    // Nothing on disk: the device id comes from --device or is made up per run.
    store: new MemoryStore(args.device ?? null),
    notifier: { startRinging() {}, stopRinging() {}, missedCalls() {} },
    auth: new HttpTokenProvider(args.server, session),
    logger: args.verbose ? stderrLogger : silentLogger,
  });

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = (code: number) => {
      if (stopping) return;
      stopping = true;
      core.stop().finally(() => {
        print({ event: 'exit', code });
        resolve(code);
      });
    };
    process.once('SIGINT', () => shutdown(0));
    process.once('SIGTERM', () => shutdown(0));
    runBot(core, {
      mode: args.mode,
      hangupAfterMs: args.hangupAfterMs,
      ackMissed: args['ack-missed'],
      ringPolicy: args.ringPolicy,
      agent: args.agent,
      print,
      clock,
      onCallDone: () => shutdown(0),
    });
    core.start();
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    print({ event: 'error', action: 'start', code: (error as { code?: string }).code ?? 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
