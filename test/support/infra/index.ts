/**
 * The infrastructure rig: real redis-server, Postgres, HAProxy and node processes on 127.0.0.1, each in a
 * temporary folder, stopped and removed by stop() (and killed at exit if a test never got there).
 * The API in one page: docs/deploy.md, "Testing: the rig".
 */
export { startCluster, signallingNode, type Cluster, type ClusterNode, type ClusterOptions, type NodeContext, type NodeSpec } from './cluster';
export { checkHaproxyConfig, SERVED_BY_HEADER, startHaproxy, type Haproxy, type HaproxyOptions, type ServerState } from './haproxy';
export { leftovers } from './managed-process';
export { startPostgres, type PostgresOptions, type PostgresServer } from './postgres';
export { redisCommand, startRedis, type RedisOptions, type RedisServer } from './redis';
