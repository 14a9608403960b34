import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Line } from '../../shared/protocol';
import { api, registerUser, startServer, removeDataDir } from '../support/server';
import type { TestServer } from '../support/server';
import { uniqueName } from '../support/clients';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CLI = resolve(ROOT, 'shared/phone/bot/cli.ts');

interface Bot {
  proc: ChildProcess;
  lines: Array<Record<string, unknown>>;
  stderr: () => string;
  waitFor(match: (line: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function startBot(args: string[]): Bot {
  const proc = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  let stderr = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      lines.push(JSON.parse(line) as Record<string, unknown>); // every stdout line must be JSON
      waiters.forEach((w) => w());
    }
  });
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => proc.once('exit', (code) => done(code)));
  return {
    proc,
    lines,
    stderr: () => stderr,
    exited,
    waitFor(match, what, timeoutMs = 15_000) {
      return new Promise((resolveLine, reject) => {
        const check = () => {
          const hit = lines.find(match);
          if (!hit) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolveLine(hit);
        };
        const timer = setTimeout(() => reject(new Error(`bot: no ${what} within ${timeoutMs} ms\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n${stderr}`)), timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

let server: TestServer;
const bots: Bot[] = [];

beforeAll(async () => {
  server = await startServer({ env: { ADMIN_USERS: 'bot-admin' } });
});
afterAll(async () => {
  for (const bot of bots) if (bot.proc.exitCode === null) bot.proc.kill('SIGKILL');
  await server?.stop();
  if (server) removeDataDir(server);
});

describe('the bot CLI', () => {
  it('two bots place and answer a call, relay the test offer/answer, and print one JSON line per event', async () => {
    const callee = uniqueName('bob');
    const caller = uniqueName('alice');
    const answerer = startBot(['--server', server.url, '--user', callee, '--password', 'password-bob', '--register', '--display-name', 'Bob Bot', '--auto-answer']);
    bots.push(answerer);
    await answerer.waitFor((l) => l.event === 'ready', 'answerer ready');

    const dialer = startBot(['--server', server.url, '--user', caller, '--password', 'password-alice', '--register', '--call', callee, '--video', '--hangup-after', '200']);
    bots.push(dialer);
    expect(await dialer.exited).toBe(0);

    const events = dialer.lines.map((l) => l.event);
    expect(events).toEqual(expect.arrayContaining(['login', 'ready', 'calling', 'answered', 'signal', 'ended', 'exit']));
    const calling = dialer.lines.find((l) => l.event === 'calling')!;
    expect(calling).toMatchObject({ peer: callee, media: 'video', direction: 'outgoing' });
    // Printed once call() resolves with the invite's ack; the callee's ringing, and on a loaded machine its
    // auto-answer too, can arrive in the same socket read and be applied first.
    expect(['calling', 'ringback', 'active']).toContain(calling.phase);
    const callId = calling.callId;
    expect(dialer.lines.find((l) => l.event === 'answered')).toMatchObject({ callId, initiator: true });
    expect(dialer.lines.find((l) => l.event === 'signal')).toMatchObject({ callId, data: { type: 'answer', sdp: 'v=0 bot-answer' } });
    expect(dialer.lines.find((l) => l.event === 'ended')).toMatchObject({ callId, reason: 'hangup' });

    await answerer.waitFor((l) => l.event === 'ended' && l.callId === callId, 'answerer ended');
    expect(answerer.lines.find((l) => l.event === 'incoming')).toMatchObject({ callId, peer: caller, media: 'video', silent: false });
    expect(answerer.lines.find((l) => l.event === 'answered')).toMatchObject({ callId, initiator: false });
    expect(answerer.lines.find((l) => l.event === 'signal')).toMatchObject({ callId, data: { type: 'offer', sdp: 'v=0 bot-offer' } });
    expect(answerer.lines.find((l) => l.event === 'ended' && l.callId === callId)).toMatchObject({ reason: 'hangup' });

    answerer.proc.kill('SIGINT');
    expect(await answerer.exited).toBe(0);
    expect(answerer.lines.at(-1)).toMatchObject({ event: 'exit', code: 0 });
  });

  it('an auto-declining bot makes the caller bot see declined', async () => {
    const callee = uniqueName('carol');
    const decliner = startBot(['--server', server.url, '--user', callee, '--password', 'password-carol', '--register', '--auto-decline']);
    bots.push(decliner);
    await decliner.waitFor((l) => l.event === 'ready', 'decliner ready');
    const dialer = startBot(['--server', server.url, '--user', uniqueName('dave'), '--password', 'password-dave', '--register', '--call', callee]);
    bots.push(dialer);
    expect(await dialer.exited).toBe(0);
    expect(dialer.lines.find((l) => l.event === 'ended')).toMatchObject({ reason: 'declined' });
    decliner.proc.kill('SIGTERM');
    expect(await decliner.exited).toBe(0);
  });

  it('rejects bad arguments with usage and exit code 2', async () => {
    const bot = startBot(['--server', server.url, '--user', 'x']);
    bots.push(bot);
    expect(await bot.exited).toBe(2);
    expect(bot.stderr()).toContain('usage: npm run bot');
    const badStatus = startBot(['--server', server.url, '--user', 'x', '--password', 'y', '--status', 'away:nap']);
    bots.push(badStatus);
    expect(await badStatus.exited).toBe(2);
    expect(badStatus.stderr()).toContain('--status must be');
  });

  it('as the agent of a line: sets its state, auto-answers the line call a caller dials, and finishes the wrap-up with its outcome and notes', async () => {
    const admin = await registerUser(server.url, 'bot-admin');
    const agentName = uniqueName('agent');
    await registerUser(server.url, agentName);
    const { line } = await api<{ line: Line }>(
      server.url,
      'POST',
      '/api/lines',
      { name: uniqueName('helpdesk'), displayName: 'Help desk', wrapUp: { mode: 'time-boxed', timeMs: 60_000 }, outcomeCodes: [{ code: 'solved', label: 'Solved' }], outcomeRequired: true },
      admin.accessToken,
    );
    await api(server.url, 'PUT', `/api/lines/${line.lineId}/members/${agentName}`, undefined, admin.accessToken);

    // --status is stored on the server: one run sets away for lunch, the next sets available.
    const away = startBot(['--server', server.url, '--user', agentName, '--password', `password-${agentName}`, '--status', 'away:lunch']);
    bots.push(away);
    await away.waitFor((l) => l.event === 'agent' && l.state === 'away' && l.reason === 'lunch', 'agent away for lunch');
    away.proc.kill('SIGTERM');
    expect(await away.exited).toBe(0);

    const agent = startBot(['--server', server.url, '--user', agentName, '--password', `password-${agentName}`, '--status', 'available', '--auto-answer-lines', '--wrap-up-after', '100', '--outcome', 'solved', '--notes', 'Reset by the bot']);
    bots.push(agent);
    await agent.waitFor((l) => l.event === 'agent' && l.state === 'available', 'agent available');

    const caller = startBot(['--server', server.url, '--user', uniqueName('customer'), '--password', 'password-customer', '--register', '--call', line.name, '--hangup-after', '200']);
    bots.push(caller);
    expect(await caller.exited).toBe(0);
    const callId = caller.lines.find((l) => l.event === 'calling')!.callId;
    expect(caller.lines.find((l) => l.event === 'answered')).toMatchObject({ callId, line: line.name });
    expect(caller.lines.find((l) => l.event === 'ended')).toMatchObject({ callId, reason: 'hangup' });

    expect(await agent.waitFor((l) => l.event === 'incoming', 'line call offered')).toMatchObject({ callId, line: line.name });
    expect(await agent.waitFor((l) => l.event === 'answered', 'auto-answered')).toMatchObject({ callId, initiator: false });
    await agent.waitFor((l) => l.event === 'agent' && l.state === 'wrap-up' && l.wrapUp === callId, 'agent in wrap-up');
    expect(await agent.waitFor((l) => l.event === 'wrap-up-done', 'wrap-up done')).toMatchObject({ callId, state: 'available' });

    const day = new Date().toISOString().slice(0, 10);
    const { records } = await api<{ records: Array<{ callId: string; outcome: string; wrapUp: { notes: string; outcomeLabel: string } | null }> }>(
      server.url,
      'GET',
      `/api/lines/${line.lineId}/records?from=${day}&to=${day}`,
      undefined,
      admin.accessToken,
    );
    expect(records).toEqual([expect.objectContaining({ callId, outcome: 'answered', wrapUp: expect.objectContaining({ notes: 'Reset by the bot', outcomeLabel: 'Solved' }) })]);
    agent.proc.kill('SIGINT');
    expect(await agent.exited).toBe(0);
  });
});
