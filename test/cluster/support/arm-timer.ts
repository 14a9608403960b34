// A stand-in node for the timer tests: arms one cluster timer, says so on stdout, then idles until
// killed (kill -9 in the test: the timer must fire on another node). Usage: arm-timer.ts REDIS_URL KIND ID DELAY_MS
// (due DELAY_MS after this process is ready to arm it, so a slow start-up cannot make it due before the kill).
import { pino } from 'pino';
import { createRedis, redisReady } from '../../../server/src/cluster/redis';
import { BullTimers } from '../../../server/src/timers/bullmq-timers';

const [url, kind, id, delayMs] = process.argv.slice(2);
if (!url || !kind || !id || !delayMs) throw new Error('usage: arm-timer.ts REDIS_URL KIND ID DELAY_MS');
const logger = pino({ level: 'silent' });
const commands = createRedis(url, 'timers', logger);
await redisReady(commands, 5_000);
const timers = new BullTimers({ commands, blocking: createRedis(url, 'timers', logger, { blocking: true }), logger });
timers.handle(kind, () => {
  process.stdout.write('fired-here\n');
});
const dueAt = Date.now() + Number(delayMs);
timers.schedule(kind, id, dueAt);
// Wait until the job itself is in Redis before saying so (its index entry, timers:armed:*, is written first: a kill
// between the two would lose a timer Redis never got, which is not the case under test).
for (;;) {
  const jobId = await commands.get(`timers:armed:${kind}:${id}`);
  if (jobId && (await commands.exists(`bull:softphone-timers:${jobId}`))) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
process.stdout.write(`armed ${dueAt}\n`);
setInterval(() => undefined, 60_000);
