import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { ProblemError } from '../problem.js';
import { sendProblem } from './errors.plugin.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Requests of this class are limited to a few at a time (uploads stream megabytes to disk). */
    admission?: 'upload';
  }
}

/** Events per second over the last few seconds, in one-second buckets. */
class Rate {
  private readonly buckets = new Map<number, number>();
  add(now = Date.now()): void {
    const second = Math.floor(now / 1000);
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + 1);
    for (const key of this.buckets.keys()) if (key < second - 5) this.buckets.delete(key);
  }
  perSecond(now = Date.now()): number {
    const second = Math.floor(now / 1000);
    let sum = 0;
    for (const [key, n] of this.buckets) if (key >= second - 5 && key < second) sum += n;
    return sum / 5;
  }
}

/**
 * Admission control for deadline bursts: beyond a number of requests in progress the server answers
 * 503 with Retry-After at once, instead of accepting work it can only finish late (or not at all).
 * Retry-After grows with the crowd (refusals per second over completions per second), so waiting
 * clients spread out instead of retrying in a herd. Refusal happens before the request is processed,
 * so nothing is half-done.
 */
export function registerAdmissionControl(app: FastifyInstance, ctx: AppContext): void {
  const limits = { upload: ctx.config.uploadConcurrency, all: ctx.config.maxInFlight };
  const inFlight = { upload: 0, all: 0 };
  const refused = new Rate();
  const completed = new Rate();
  const busy = (what: string) => {
    refused.add();
    const wait = Math.min(60, Math.max(1, Math.ceil(refused.perSecond() / Math.max(1, completed.perSecond()))));
    return new ProblemError(503, 'busy', 'Server busy', {
      detail: `Too many ${what} in progress; try again in ${wait} s.`,
      headers: { 'retry-after': String(wait) },
    });
  };
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/v1/')) return;
    const kind = request.routeOptions.config?.admission;
    if (inFlight.all >= limits.all) return sendProblem(reply, request, busy('requests'));
    if (kind === 'upload' && inFlight.upload >= limits.upload) return sendProblem(reply, request, busy('uploads'));
    inFlight.all++;
    if (kind === 'upload') inFlight.upload++;
    let released = false;
    reply.raw.once('close', () => {
      if (released) return;
      released = true;
      inFlight.all--;
      if (kind === 'upload') {
        inFlight.upload--;
        completed.add();
      }
    });
  });
}
