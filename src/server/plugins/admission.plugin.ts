import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { ProblemError } from '../problem.js';
import { sendProblem } from './errors.plugin.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Requests of this class are limited to a few at a time: uploads stream megabytes to disk;
     * password requests (sign-in, registration, resets) spend an Argon2id computation of 46 MiB.
     */
    admission?: 'upload' | 'password';
  }
}

type Limited = 'upload' | 'password';

/** How long a limited request may wait for a free slot before it is refused after all. */
const MAX_WAIT_MS: Record<Limited, number> = { upload: 15_000, password: 5_000 };

/**
 * A few slots and a waiting line of the same length, served in order of arrival. A waiting
 * request's body is not read (TCP holds it back); it takes the next free slot at once.
 */
class SlotPool {
  private inUse = 0;
  /** Requests waiting for a slot, oldest first; each is called with true when it gets one. */
  private readonly waiting: ((admitted: boolean) => void)[] = [];

  constructor(
    private readonly slots: number,
    private readonly maxWaitMs: number,
  ) {}

  /** True when admitted (the caller must release), false when refused (line full, waited too long, gone). */
  async acquire(raw: NodeJS.EventEmitter & { destroyed?: boolean }): Promise<boolean> {
    if (this.inUse < this.slots) {
      this.inUse++;
      return true;
    }
    if (this.waiting.length >= this.slots) return false;
    // The slot, when given, is handed over by release() without decrementing the count.
    const admitted = await new Promise<boolean>((resolve) => {
      let done = false;
      const settle = (ok: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        raw.off('close', gone);
        const at = this.waiting.indexOf(settle);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve(ok);
      };
      const gone = () => settle(false);
      const timer = setTimeout(() => settle(false), this.maxWaitMs);
      raw.once('close', gone);
      this.waiting.push(settle);
    });
    if (admitted && raw.destroyed) {
      this.release();
      return false;
    }
    return admitted;
  }

  /** Frees a slot, or hands it straight to the longest-waiting request. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next(true);
    else this.inUse--;
  }
}

/**
 * Admission control for deadline bursts: beyond a number of requests in progress the server answers
 * 503 with Retry-After at once, instead of accepting work it can only finish late (or not at all).
 * Clients retry; nothing is half-done, because refusal happens before the request is read.
 *
 * Two kinds of request get their own few slots and a waiting line of the same length:
 * - uploads (`uploadConcurrency`): without the line a slot stays empty until some client's
 *   Retry-After expires, and every refused attempt sends its megabytes again;
 * - password requests (`passwordConcurrency`, default 2): each Argon2id computation takes a
 *   thread-pool thread and a core for tens of milliseconds; unbounded, a crowd signing in at once
 *   starves the file writes of uploads (same thread pool) and every other request of CPU, so even
 *   light requests wait tens of seconds.
 * Beyond the line, or after waiting too long, 503 as before. Waiting requests do not count towards
 * `maxInFlight`, so they never crowd out other requests such as submissions.
 */
export function registerAdmissionControl(app: FastifyInstance, ctx: AppContext): void {
  const limit = ctx.config.maxInFlight;
  let inFlight = 0;
  const pools: Record<Limited, SlotPool> = {
    upload: new SlotPool(ctx.config.uploadConcurrency, MAX_WAIT_MS.upload),
    password: new SlotPool(ctx.config.passwordConcurrency, MAX_WAIT_MS.password),
  };
  const busy = (what: string) =>
    new ProblemError(503, 'busy', 'Server busy', {
      detail: `Too many ${what} in progress; try again in a moment.`,
      headers: { 'retry-after': '1' },
    });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/v1/')) return;
    const kind = request.routeOptions.config?.admission;
    if (inFlight >= limit) return sendProblem(reply, request, busy('requests'));
    const pool = kind ? pools[kind] : undefined;
    if (pool && !(await pool.acquire(reply.raw)))
      return sendProblem(reply, request, busy(kind === 'upload' ? 'uploads' : 'sign-ins'));
    inFlight++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inFlight--;
      pool?.release();
    };
    reply.raw.once('close', release);
  });
}
