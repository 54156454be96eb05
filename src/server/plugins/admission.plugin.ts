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

/**
 * Admission control for deadline bursts: beyond a number of requests in progress the server answers
 * 503 with Retry-After at once, instead of accepting work it can only finish late (or not at all).
 * Clients retry; nothing is half-done, because refusal happens before the request is read.
 */
export function registerAdmissionControl(app: FastifyInstance, ctx: AppContext): void {
  const limits = { upload: ctx.config.uploadConcurrency, all: ctx.config.maxInFlight };
  const inFlight = { upload: 0, all: 0 };
  const busy = (what: string) =>
    new ProblemError(503, 'busy', 'Server busy', {
      detail: `Too many ${what} in progress; try again in a moment.`,
      headers: { 'retry-after': '1' },
    });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/v1/')) return;
    const kind = request.routeOptions.config?.admission;
    if (inFlight.all >= limits.all) return sendProblem(reply, request, busy('requests'));
    if (kind === 'upload' && inFlight.upload >= limits.upload) return sendProblem(reply, request, busy('uploads'));
    inFlight.all++;
    if (kind === 'upload') inFlight.upload++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inFlight.all--;
      if (kind === 'upload') inFlight.upload--;
    };
    reply.raw.once('close', release);
  });
}
