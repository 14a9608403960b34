/**
 * A test process that fails before it stops its servers: starts Redis and Postgres through the rig, prints
 * what it started, then throws. The rig's exit hook must still kill both and remove their folders.
 * Run by cleanup.test.ts as `node --import tsx test/infra/support/abandon-rig.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPostgres, startRedis } from '../../support/infra';
import { processTree } from './leftovers';

const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
// postmaster.pid, line 7: "<shared memory key> <shmid>" of the System V segment the postmaster holds.
const shmid = Number(readFileSync(join(postgres.dataDir, 'postmaster.pid'), 'utf8').split('\n')[6]?.trim().split(/\s+/)[1]);
const started = { pids: [...processTree(redis.pid()), ...processTree(postgres.pid())], dirs: [redis.dir, postgres.dataDir], ports: [redis.port, postgres.port], shmid };
console.log(JSON.stringify(started));
throw new Error('a test failed before it stopped its servers');
