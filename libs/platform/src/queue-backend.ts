import {
  createPostgresBackend,
  setDefaultBackendFactory,
  type ConnectionOptions,
  type DefaultJobOptions,
} from 'bullmq';

export interface QueueBackend {
  kind: 'redis' | 'postgres';
  /** What BullMQ's `connection` option takes on this backend. */
  connection: ConnectionOptions;
  describe: string;
}

/**
 * How long finished jobs are kept: failed ones a week (the operators' queue page shows them), completed
 * ones an hour. Redis also caps completed jobs by number, to bound its memory. The PostgreSQL backend
 * does not: it applies a cap by sorting every kept job each time one completes (several times the cost
 * of the job itself) and concurrent caps can deadlock, while the age limit is an index range delete.
 */
export function defaultJobOptions(kind: QueueBackend['kind']): DefaultJobOptions {
  return {
    removeOnComplete: kind === 'redis' ? { age: 3600, count: 1000 } : { age: 3600 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

function redisConnection(url: string): ConnectionOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/**
 * Chooses BullMQ's backend for this process: Redis when a URL is given, otherwise the PostgreSQL
 * backend in the application database (schema `bullmq`). The choice is process-wide because
 * @nestjs/bullmq builds its queues without a backend factory.
 */
export function selectQueueBackend(redisUrl: string | undefined, databaseUrl: string, poolSize = 2): QueueBackend {
  if (redisUrl) {
    setDefaultBackendFactory(undefined);
    const parsed = new URL(redisUrl);
    return { kind: 'redis', connection: redisConnection(redisUrl), describe: `redis ${parsed.host}` };
  }
  setDefaultBackendFactory(createPostgresBackend as never);
  // Each queue and worker has a pool of its own (and a worker one LISTEN connection besides).
  const connection = { connectionString: databaseUrl, schema: 'bullmq', migrate: true, max: poolSize };
  const parsed = new URL(databaseUrl);
  return {
    kind: 'postgres',
    connection: connection as unknown as ConnectionOptions,
    describe: `postgres backend (schema bullmq) on ${parsed.host}${parsed.pathname}`,
  };
}
