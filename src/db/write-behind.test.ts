import { describe, expect, it } from 'vitest';
import { WriteBehind } from './write-behind.js';

const later = <T>(value: T, ms = 5) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('WriteBehind', () => {
  it('runs statements one at a time, in the order they were queued', async () => {
    const writes = new WriteBehind();
    const log: string[] = [];
    let running = 0;
    for (const name of ['a', 'b', 'c']) {
      writes.push(async () => {
        running++;
        expect(running).toBe(1);
        log.push(`start ${name}`);
        await later(null, name === 'a' ? 20 : 1);
        log.push(`end ${name}`);
        running--;
      });
    }
    await writes.drain();
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('dispatch returns once the last queued statement has started, before it ends', async () => {
    const writes = new WriteBehind();
    const log: string[] = [];
    writes.push(() => later(log.push('first')));
    writes.push(async () => {
      log.push('second started');
      await later(null, 30);
      log.push('second ended');
    });
    await writes.dispatch();
    expect(log).toEqual(['first', 'second started']);
    await writes.drain();
    expect(log).toEqual(['first', 'second started', 'second ended']);
  });

  it('after a failure starts nothing more, and drain throws the first error', async () => {
    const writes = new WriteBehind();
    const started: string[] = [];
    const first = writes.push(async () => {
      started.push('x');
      throw new Error('unique violation');
    });
    writes.push(async () => {
      started.push('y');
    });
    await expect(first).rejects.toThrow('unique violation');
    await expect(writes.drain()).rejects.toThrow('unique violation');
    expect(started).toEqual(['x']);
  });
});

describe('WriteBehind.abandon', () => {
  it('lets the statement in flight finish and starts none of those queued after it', async () => {
    const writes = new WriteBehind();
    const log: string[] = [];
    writes.push(async () => {
      log.push('in flight');
      await later(null, 20);
      log.push('finished');
    });
    writes.push(async () => {
      log.push('queued');
    });
    await later(null, 5); // the first is in flight
    expect(await writes.abandon()).toBeUndefined();
    expect(log).toEqual(['in flight', 'finished']);
    await expect(writes.drain()).rejects.toThrow('abandoned');
  });

  it('returns the failure of a queued statement, the cause of what failed after it', async () => {
    const writes = new WriteBehind();
    const cause = new Error('insert into lottery_draws: foreign key violation');
    writes.push(async () => {
      throw cause;
    });
    await later(null, 5);
    // The caller's own statement then fails too ("current transaction is aborted"), and it reports the cause.
    expect(await writes.abandon()).toBe(cause);
  });
});

describe('WriteBehind.dispatch and the connection backlog', () => {
  it('waits until the driver has written the whole statement to its socket', async () => {
    let backlog = 3;
    const writes = new WriteBehind(() => backlog);
    writes.push(() => later(null, 1));
    // The "socket" drains one unit per event-loop turn.
    const drain = setInterval(() => {
      backlog = Math.max(0, backlog - 1);
    }, 1);
    try {
      await writes.dispatch();
      expect(backlog).toBe(0);
    } finally {
      clearInterval(drain);
    }
  });
});
