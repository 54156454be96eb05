import { describe, expect, it } from 'vitest';
import { toProblem } from './plugins/errors.plugin.js';
import { ProblemError, problems } from './problem.js';

describe('problem details', () => {
  it('serializes RFC 9457 members with a stable code', () => {
    const body = problems.conflict('email_taken', 'Taken.', 'body.email').toBody('/api/v1/auth/register');
    expect(body).toEqual({
      type: 'https://medadmit.dev/problems/email_taken',
      title: 'Conflict',
      status: 409,
      detail: 'Taken.',
      instance: '/api/v1/auth/register',
      code: 'email_taken',
      errors: [{ field: 'body.email', code: 'email_taken', message: 'Taken.' }],
    });
  });

  it('sets Retry-After on 429', () => {
    expect(problems.tooMany(12.2, 'slow down').headers).toEqual({ 'retry-after': '13' });
  });

  it('never leaks internal error messages', () => {
    const problem = toProblem(new Error('relation "users" does not exist at 10.0.0.5'));
    expect(problem).toBeInstanceOf(ProblemError);
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem.toBody())).not.toContain('relation');
  });
});
