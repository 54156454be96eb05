/**
 * Statements of one transaction sent in the background, one after another, while the caller keeps
 * computing. On PostgreSQL the server executes a large write (100,000 lottery draws, 77,000 offers
 * with their audit entries) on its own core while Node ranks and encodes the lists on the other; on
 * PGlite (same thread) it simply runs them in order. The transaction's connection carries one
 * statement at a time: while a queue is open, every statement of the transaction must go through it.
 *
 * A failed statement makes every later one fail too (PostgreSQL aborts the transaction; the queue
 * refuses to start more), and `drain` throws the first error, so the transaction rolls back whole.
 */
export class WriteBehind {
  /** `unsent`: bytes the connection has yet to write (see unsentBytes in client.ts). */
  constructor(private readonly unsent: () => number = () => 0) {}

  private tail: Promise<unknown> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  /** Settles when the last queued statement has been started (or skipped after a failure). */
  private lastStarted: Promise<void> = Promise.resolve();

  /** Queues a statement: it starts when every statement queued before it has finished. */
  push<T>(statement: () => PromiseLike<T>): Promise<T> {
    let started: () => void = () => undefined;
    this.lastStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const result = this.tail.then(() => {
      started();
      if (this.failure) throw this.failure.error;
      return statement();
    });
    this.tail = result.then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    // The caller may only wait for `drain`: a rejection here is reported there, not as unhandled.
    result.catch(() => undefined);
    return result;
  }

  /**
   * Waits until the last statement queued so far is with the database: the ones before it have
   * finished (a short wait when they are small), it has been handed to the driver, and the driver
   * has written all of it to its socket (a 10 MB statement takes several event-loop turns). Call
   * before long synchronous work, which would otherwise hold the queue or the statement back.
   */
  async dispatch(): Promise<void> {
    await this.lastStarted;
    do await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.unsent() > 0);
  }

  /**
   * After an error in the caller: starts nothing more and waits for the statement in flight. The
   * caller's transaction then rolls back; a statement still queued would otherwise reach the
   * connection after the rollback, outside any transaction. Returns the error of a queued statement
   * that failed before, if one did: in an aborted transaction everything after it fails too, so that
   * one is the cause to report.
   */
  async abandon(): Promise<unknown> {
    const abandoned = { error: new Error('the transaction was abandoned') };
    this.failure ??= abandoned;
    await this.tail;
    return this.failure === abandoned ? undefined : this.failure.error;
  }

  /** Waits for every queued statement; throws the first failure. */
  async drain(): Promise<void> {
    await this.tail;
    if (this.failure) throw this.failure.error;
  }
}
