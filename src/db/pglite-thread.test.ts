import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteThread } from './pglite-thread.js';

describe('PGliteThread (the embedded database on its own thread)', () => {
  let db: PGliteThread;
  beforeAll(async () => {
    db = await PGliteThread.create({});
    await db.exec(`create table t (id int primary key, name text not null, data jsonb, bytes bytea, at timestamptz)`);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('answers statements with the values PGlite gives, and keeps a type as text when asked to', async () => {
    const at = new Date('2026-12-07T10:00:00Z');
    await db.query('insert into t values ($1, $2, $3, $4, $5)', [1, 'one', { a: [1, 2] }, new Uint8Array([7, 8]), at]);
    const plain = await db.query<{ id: number; data: unknown; bytes: Uint8Array; at: Date }>('select * from t');
    expect(plain.rows[0]).toMatchObject({ id: 1, name: 'one', data: { a: [1, 2] } });
    expect([...(plain.rows[0]?.bytes ?? [])]).toEqual([7, 8]);
    expect(plain.rows[0]?.at).toEqual(at);
    // What Drizzle asks for timestamps: the text, untouched.
    const raw = await db.query<unknown[]>('select at from t', [], {
      rowMode: 'array',
      parsers: { 1184: (value: string) => value },
    });
    expect(raw.rows[0]?.[0]).toMatch(/^2026-12-07 10:00:00\+00/);
    await expect(
      db.query('select at from t', [], { parsers: { 1184: (value: string) => new Date(value) } }),
    ).rejects.toThrow(/no custom parser/);
    await expect(
      db.query('select at from t', [], { parsers: { 25: (value: string) => value.trim() } }),
    ).rejects.toThrow(/no custom parser/);
    await expect(db.query('select 1', [], { onNotice: () => undefined })).rejects.toThrow(/no notice listener/);
    // What cannot cross the thread is refused at once, and leaves nothing pending behind.
    await expect(db.query('select $1::text', [() => 'x'])).rejects.toThrow();
    expect((db as unknown as { pending: Map<number, unknown> }).pending.size).toBe(0);
    expect((await db.query<{ x: number }>('select 1 as x')).rows).toEqual([{ x: 1 }]);
  });

  it("carries PostgreSQL's error fields across the thread", async () => {
    const error = await db.query('insert into t (id, name) values (1, $1)', ['again']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: '23505', constraint: 't_pkey', table: 't' });
    expect((error as Error).message).toMatch(/duplicate key/);
  });

  it('commits a transaction whose callback returns, and rolls back one that throws or calls rollback', async () => {
    expect(
      await db.transaction(
        async (tx) => (await tx.query('insert into t (id, name) values (2, $1)', ['two'])).affectedRows,
      ),
    ).toBe(1);
    const failure = new Error('the caller changed its mind');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t (id, name) values (3, $1)', ['three']);
        throw failure;
      }),
    ).rejects.toBe(failure);
    let after: Promise<unknown> | null = null;
    await db.transaction(async (tx) => {
      await tx.query('insert into t (id, name) values (4, $1)', ['four']);
      await tx.rollback();
      expect(tx.closed).toBe(true);
      after = tx.query('select 1').catch((error: unknown) => error);
    });
    expect(await after).toMatchObject({ message: 'Transaction is closed' });
    const ids = await db.query<{ id: number }>('select id from t order by id');
    expect(ids.rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it('refuses to commit a transaction in which a statement failed', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t (id, name) values (5, $1)', ['five']);
        await tx.query('select * from missing_table').catch(() => undefined);
      }),
    ).rejects.toThrow();
    expect((await db.query('select id from t where id = 5')).rows).toEqual([]);
  });

  it('makes a statement outside a transaction wait until the transaction ends, as PGlite does', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const order: string[] = [];
    const transaction = db.transaction(async (tx) => {
      await tx.query('insert into t (id, name) values (6, $1)', ['six']);
      await held;
      order.push('commit');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outside = db.query<{ n: number }>('select count(*)::int as n from t where id = 6').then((r) => {
      order.push('outside');
      return r.rows[0]?.n;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual([]);
    release();
    await transaction;
    expect(await outside).toBe(1);
    expect(order).toEqual(['commit', 'outside']);
  });

  it('leaves the calling thread free while a long statement runs', async () => {
    let turns = 0;
    const ticker = setInterval(() => {
      turns += 1;
    }, 5);
    try {
      await db.query('select count(*) from generate_series(1, 3000000) g where g % 7 = 3');
    } finally {
      clearInterval(ticker);
    }
    // In the calling thread the statement would have blocked every timer until it ended.
    expect(turns).toBeGreaterThan(3);
  });

  it('dumps a data directory that loads into a new database', async () => {
    const dump = await db.dumpDataDir('none');
    const copy = await PGliteThread.create({ loadDataDir: dump });
    try {
      const ids = await copy.query<{ id: number }>('select id from t order by id');
      expect(ids.rows.map((r) => r.id)).toEqual([1, 2, 6]);
    } finally {
      await copy.close();
    }
  });

  it('fails pending and later statements with a clear error when the thread ends', async () => {
    const lost = await PGliteThread.create({});
    const pending = lost.query('select count(*) from generate_series(1, 20000000)');
    await (lost as unknown as { worker: Worker }).worker.terminate();
    await expect(pending).rejects.toThrow(/embedded database thread has ended/);
    await expect(lost.query('select 1')).rejects.toThrow(/embedded database thread has ended/);
    await lost.close();
  });
});
