/**
 * The embedded database (PGlite, PostgreSQL compiled to WebAssembly) on a thread of its own. In the
 * application's thread every statement ran synchronously: while PGlite inserted 77,000 offers the
 * web server answered nobody, and the allocation run could not compute while its writes ran. Here
 * the caller's thread sends each statement as a message and keeps going; the database thread runs
 * PGlite unchanged, with its own locks (a statement outside a transaction waits for the open one,
 * statements of a transaction run in the order sent) and its own transaction handling (a COMMIT of
 * an aborted transaction fails, a failed callback rolls back).
 *
 * The client offers what the Drizzle driver, the backup and the tests use: `query`, `exec`,
 * `transaction` (with `query`, `exec`, `rollback`, `closed`), `dumpDataDir` and `close`. Query
 * options cross the thread as data: a type parser may only keep the value as text (Drizzle's, for
 * dates and intervals), which the database thread then does itself.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { PGliteOptions, QueryOptions, Results } from '@electric-sql/pglite';

/** A database error as it crossed the thread: the message and PostgreSQL's fields (code, detail, constraint, …). */
export class EmbeddedDatabaseError extends Error {
  code?: string;
  detail?: string;
  constraint?: string;
}

export interface ThreadTransaction {
  query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(query: string): Promise<Results[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}

/** Code run by the database thread (self-contained: it is sent as source text). */
const SOURCE = `const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.module);
let db = null;
const transactions = new Map();
let nextTransaction = 1;
const ROLLBACK = Symbol('rollback');
const keep = (value) => value;
const withParsers = (options, rawTypes) => {
  if (!rawTypes) return options;
  const parsers = {};
  for (const type of rawTypes) parsers[type] = keep;
  return { ...options, parsers };
};
const target = (id) => {
  if (!id) return db;
  const open = transactions.get(id);
  if (!open) throw new Error('Transaction is closed');
  return open.tx;
};
const run = async (m) => {
  switch (m.op) {
    case 'open':
      db = await PGlite.create(m.options);
      return null;
    case 'query':
      return target(m.tx).query(m.sql, m.params, withParsers(m.options, m.rawTypes));
    case 'exec':
      return target(m.tx).exec(m.sql);
    case 'rollback':
      return target(m.tx).rollback();
    case 'begin':
      return new Promise((begun, failed) => {
        const id = nextTransaction++;
        const open = { tx: null, end: null, done: null };
        open.done = db.transaction((tx) => new Promise((commit, rollback) => {
          open.tx = tx;
          open.end = (ok) => (ok ? commit() : rollback(ROLLBACK));
          transactions.set(id, open);
          begun(id);
        }));
        open.done.catch((error) => { if (!transactions.has(id)) failed(error); });
      });
    case 'end': {
      const open = transactions.get(m.tx);
      if (!open) throw new Error('Transaction is closed');
      transactions.delete(m.tx);
      open.end(m.commit);
      try {
        await open.done;
      } catch (error) {
        if (error !== ROLLBACK) throw error;
      }
      return null;
    }
    case 'dump': {
      const file = await db.dumpDataDir(m.compression);
      return new Uint8Array(await file.arrayBuffer());
    }
    case 'close':
      if (db) await db.close();
      return null;
  }
  throw new Error('unknown operation ' + m.op);
};
const fields = (error) => {
  const out = { message: String((error && error.message) || error) };
  if (error && typeof error === 'object') {
    for (const key of Object.keys(error)) {
      const value = error[key];
      if (key === 'params' || key === 'queryOptions' || value === undefined || typeof value === 'function') continue;
      if (value !== null && typeof value === 'object') continue;
      out[key] = value;
    }
  }
  return out;
};
parentPort.on('message', (m) => {
  run(m).then(
    (result) => {
      try {
        parentPort.postMessage({ id: m.id, result }, result instanceof Uint8Array ? [result.buffer] : []);
      } catch (error) {
        parentPort.postMessage({ id: m.id, error: fields(error) });
      }
    },
    (error) => parentPort.postMessage({ id: m.id, error: fields(error) }),
  );
});`;

type Message = { op: string; tx?: number; [key: string]: unknown };

/** Text a parser that keeps the text returns unchanged (trimming, case or number parsing would not). */
const PROBE = ' \u0000Probe 1.50 ';

export class PGliteThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private ended: Error | null = null;

  private constructor() {
    const module = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    this.worker = new Worker(SOURCE, { eval: true, workerData: { module } });
    // Kept alive only while a statement is pending: an idle database does not hold the process open.
    this.worker.unref();
    this.worker.on('message', (reply: { id: number; result?: unknown; error?: Record<string, unknown> }) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      if (reply.error) {
        const { message, ...rest } = reply.error;
        waiting.reject(Object.assign(new EmbeddedDatabaseError(String(message)), rest));
      } else waiting.resolve(reply.result);
    });
    const end = (error: Error) => {
      this.ended ??= error;
      for (const waiting of this.pending.values()) waiting.reject(this.ended);
      this.pending.clear();
    };
    this.worker.on('error', (error: Error) => end(new Error(`the embedded database thread failed: ${error.message}`)));
    this.worker.on('exit', () => end(new Error('the embedded database thread has ended')));
  }

  static async create(options: PGliteOptions): Promise<PGliteThread> {
    const thread = new PGliteThread();
    try {
      await thread.call({ op: 'open', options });
    } catch (error) {
      await thread.worker.terminate();
      throw error;
    }
    return thread;
  }

  private call<T>(message: Message): Promise<T> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      try {
        // Throws at once for what cannot cross the thread (a function among the parameters, say).
        this.worker.postMessage({ ...message, id });
      } catch (error) {
        reject(error);
        return;
      }
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private queryMessage(sql: string, params: unknown[] | undefined, options: QueryOptions | undefined): Message {
    if (!options) return { op: 'query', sql, params };
    const { parsers, serializers, ...rest } = options;
    if (serializers && Object.keys(serializers).length)
      throw new Error('the embedded database thread takes no custom serializers');
    if (rest.onNotice) throw new Error('the embedded database thread takes no notice listener');
    let rawTypes: number[] | undefined;
    if (parsers) {
      rawTypes = [];
      for (const [type, parse] of Object.entries(parsers)) {
        // Only "keep the text" crosses the thread: a function cannot.
        if (parse(PROBE, Number(type)) !== PROBE)
          throw new Error(`the embedded database thread takes no custom parser (type ${type})`);
        rawTypes.push(Number(type));
      }
    }
    return { op: 'query', sql, params, options: rest, rawTypes };
  }

  async query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.call(this.queryMessage(sql, params, options));
  }

  exec(sql: string): Promise<Results[]> {
    return this.call({ op: 'exec', sql });
  }

  /**
   * Runs `callback` in a transaction: committed when it returns, rolled back when it throws (or when
   * it called `rollback`). Statements outside it wait until it ends, as in PGlite itself.
   */
  async transaction<T>(callback: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const txId = await this.call<number>({ op: 'begin' });
    let closed = false;
    const open = () => {
      if (closed) throw new Error('Transaction is closed');
    };
    const tx: ThreadTransaction = {
      query: async <R>(sql: string, params?: unknown[], options?: QueryOptions) => {
        open();
        return this.call<Results<R>>({ ...this.queryMessage(sql, params, options), tx: txId });
      },
      exec: async (sql: string) => {
        open();
        return this.call<Results[]>({ op: 'exec', sql, tx: txId });
      },
      rollback: async () => {
        open();
        await this.call({ op: 'rollback', tx: txId });
        closed = true;
      },
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (error) {
      closed = true;
      await this.call({ op: 'end', tx: txId, commit: false }).catch(() => undefined);
      throw error;
    }
    closed = true;
    await this.call({ op: 'end', tx: txId, commit: true });
    return result;
  }

  /** The data directory as a tar file (see PGlite's dumpDataDir), to load with `loadDataDir`. */
  async dumpDataDir(compression: 'none' | 'gzip' | 'auto' = 'auto'): Promise<Blob> {
    const bytes = await this.call<Uint8Array<ArrayBuffer>>({ op: 'dump', compression });
    return new Blob([bytes]);
  }

  async close(): Promise<void> {
    try {
      if (!this.ended) await this.call({ op: 'close' });
    } finally {
      this.ended ??= new Error('the embedded database is closed');
      await this.worker.terminate();
    }
  }
}
