// A stand-in node for the timer tests: arms one cluster timer, says so on stdout, then idles until
// killed (kill -9 in the test: the timer must fire on another node). Usage: arm-timer.ts REDIS_URL KIND ID DELAY_MS
// (due DELAY_MS after this process is ready to arm it, so a slow start-up cannot make it due before the kill).
// With a fifth argument `die-after-first-write` it kills itself (SIGKILL) as soon as Redis has taken the first write
// of the arming, whichever that is: the instant between a timer's two writes, made observable.
import { pino } from 'pino';
import { createRedis, redisReady } from '../../../server/src/cluster/redis';
import { BullTimers } from '../../../server/src/timers/bullmq-timers';

const [url, kind, id, delayMs, mode] = process.argv.slice(2);
if (!url || !kind || !id || !delayMs) throw new Error('usage: arm-timer.ts REDIS_URL KIND ID DELAY_MS');
const logger = pino({ level: 'silent' });
const commands = createRedis(url, 'timers', logger);
await redisReady(commands, 5_000);
const timers = new BullTimers({ commands, blocking: createRedis(url, 'timers', logger, { blocking: true }), logger });
timers.handle(kind, () => {
  process.stdout.write('fired-here\n');
});
const dueAt = Date.now() + Number(delayMs);
if (mode === 'die-after-first-write') dieAfterFirstWrite(commands);
timers.schedule(kind, id, dueAt);
// Wait until both the job and its index entry (timers:armed:*) are in Redis before saying so.
for (;;) {
  const jobId = await commands.get(`timers:armed:${kind}:${id}`);
  if (jobId && (await commands.exists(`bull:softphone-timers:${jobId}`))) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
process.stdout.write(`armed ${dueAt}\n`);
setInterval(() => undefined, 60_000);

/** From now on, the first write command sent on `connection` ends this process (kill -9) once Redis has answered it. */
function dieAfterFirstWrite(connection: typeof commands): void {
  const send = connection.sendCommand.bind(connection);
  connection.sendCommand = (command, stream) => {
    const sent = send(command, stream);
    if (['set', 'evalsha', 'eval'].includes(command.name)) {
      process.stdout.write(`dying after ${command.name}\n`);
      void command.promise.finally(() => process.kill(process.pid, 'SIGKILL'));
    }
    return sent;
  };
}
