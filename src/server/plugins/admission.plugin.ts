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

/** How long an upload may wait for a free slot before it is refused after all. */
const UPLOAD_WAIT_MS = 15_000;

/**
 * Admission control for deadline bursts: beyond a number of requests in progress the server answers
 * 503 with Retry-After at once, instead of accepting work it can only finish late (or not at all).
 * Clients retry; nothing is half-done, because refusal happens before the request is read.
 *
 * Uploads get `uploadConcurrency` slots and a waiting line of the same length: a waiting upload's
 * body is not read (TCP holds it back), and it takes the next free slot at once, in order of arrival.
 * Without the line a slot stays empty until some client's Retry-After expires, and every refused
 * attempt sends its megabytes again (the server has to read and discard them to keep the connection).
 * Uploads beyond the line, or waiting longer than 15 s, are refused with 503 as before.
 * Waiting uploads do not count towards `maxInFlight`, so they never crowd out other requests such
 * as submissions.
 */
export function registerAdmissionControl(app: FastifyInstance, ctx: AppContext): void {
  const limits = { upload: ctx.config.uploadConcurrency, all: ctx.config.maxInFlight };
  const inFlight = { upload: 0, all: 0 };
  /** Uploads waiting for a slot, oldest first; each is called with true when it gets one. */
  const waiting: ((admitted: boolean) => void)[] = [];
  const busy = (what: string) =>
    new ProblemError(503, 'busy', 'Server busy', {
      detail: `Too many ${what} in progress; try again in a moment.`,
      headers: { 'retry-after': '1' },
    });
  /** Frees an upload slot, or hands it straight to the longest-waiting upload. */
  const releaseUpload = () => {
    const next = waiting.shift();
    if (next) next(true);
    else inFlight.upload--;
  };
  const waitForUploadSlot = (raw: NodeJS.EventEmitter) =>
    new Promise<boolean>((resolve) => {
      let done = false;
      const settle = (admitted: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        raw.off('close', gone);
        const at = waiting.indexOf(settle);
        if (at >= 0) waiting.splice(at, 1);
        resolve(admitted);
      };
      const gone = () => settle(false);
      const timer = setTimeout(() => settle(false), UPLOAD_WAIT_MS);
      raw.once('close', gone);
      waiting.push(settle);
    });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/v1/')) return;
    const kind = request.routeOptions.config?.admission;
    if (inFlight.all >= limits.all) return sendProblem(reply, request, busy('requests'));
    if (kind === 'upload') {
      if (inFlight.upload < limits.upload) {
        inFlight.upload++;
      } else if (waiting.length >= limits.upload) {
        return sendProblem(reply, request, busy('uploads'));
      } else {
        // The slot, when given, was handed over by releaseUpload without decrementing the count.
        const admitted = await waitForUploadSlot(reply.raw);
        if (!admitted) return sendProblem(reply, request, busy('uploads'));
        if (reply.raw.destroyed) {
          releaseUpload();
          return sendProblem(reply, request, busy('uploads'));
        }
      }
    }
    inFlight.all++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inFlight.all--;
      if (kind === 'upload') releaseUpload();
    };
    reply.raw.once('close', release);
  });
}
