import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import MongoStore from 'connect-mongo';
import express from 'express';
import session from 'express-session';
import { MongoClient } from 'mongodb';

/**
 * The alternative to compare against: the usual Express 5 + express-session +
 * connect-mongo stack on the same database, reading the session from a
 * signed cookie on every request. Settings match the session service where
 * it matters: 7-day sliding cookie, and connect-mongo's touchAfter equal to
 * SESSION_TOUCH_INTERVAL (60 s) so neither side writes on every read.
 * Run by the bench as its own process; env BENCH_MONGODB_URI, BENCH_MONGODB_DB.
 */
declare module 'express-session' {
  interface SessionData {
    created_at: string;
    user_data: Record<string, unknown>;
  }
}

/**
 * Database commands by name with their total time, in the session service's
 * metric format, so the bench reports the baseline's reads and touch writes
 * per request the same way as the service's.
 */
function commandStats(client: MongoClient): () => string {
  const stats = new Map<string, { count: number; sumS: number }>();
  client.on('commandSucceeded', (e) => {
    const s = stats.get(e.commandName) ?? { count: 0, sumS: 0 };
    s.count++;
    s.sumS += e.duration / 1_000;
    stats.set(e.commandName, s);
  });
  return () =>
    [...stats]
      .flatMap(([op, s]) => [
        `db_operation_seconds_sum{operation="${op}"} ${s.sumS}`,
        `db_operation_seconds_count{operation="${op}"} ${s.count}`,
      ])
      .join('\n') + '\n';
}

async function main(): Promise<void> {
  const client = await MongoClient.connect(process.env.BENCH_MONGODB_URI ?? 'mongodb://127.0.0.1:27017/', {
    maxPoolSize: 20,
    monitorCommands: true,
  });
  const metrics = commandStats(client);
  const store = MongoStore.create({
    client,
    dbName: process.env.BENCH_MONGODB_DB ?? 'sessions',
    collectionName: 'express_sessions',
    ttl: 7 * 86_400,
    touchAfter: 60,
    // The embedded database cannot build TTL indexes; nothing expires during a run anyway.
    autoRemove: 'disabled',
  });
  const app = express();
  app.disable('x-powered-by');
  // Before the session middleware, so reading the figures never touches a session.
  app.get('/bench/metrics', (_req, res) => {
    res.type('text/plain').send(metrics());
  });
  app.use(
    session({
      secret: randomUUID(),
      store,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', maxAge: 7 * 86_400_000 },
    }),
  );
  app.use(express.json());

  app.post('/api/sessions', (req, res) => {
    req.session.created_at = new Date().toISOString();
    req.session.user_data = typeof req.body === 'object' && req.body ? req.body : {};
    res.status(201).json({ session: { session_id: req.sessionID, user_data: req.session.user_data } });
  });

  app.get('/api/sessions/current', (req, res) => {
    if (!req.session.user_data) {
      res.status(401).json({ code: 'session_not_found' });
      return;
    }
    res.set('cache-control', 'no-store').json({
      session: {
        session_id: req.sessionID,
        user_data: req.session.user_data,
        created_at: req.session.created_at,
        expires_at: req.session.cookie.expires?.toISOString() ?? null,
      },
    });
  });

  const server = app.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ msg: 'express-session baseline listening', port })}\n`);
  });
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void store.close().finally(() => client.close());
  });
}

void main();
