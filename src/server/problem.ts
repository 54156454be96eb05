/** RFC 9457 problem details; every error the API answers with is one of these. */
export interface FieldError {
  /** Dotted path of the failing field, e.g. "body.email". */
  field: string;
  /** Stable machine code the UI localizes, e.g. "too_short". */
  code: string;
  /** English explanation for API users. */
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Stable machine code of the problem, e.g. "email_taken"; the UI localizes by it. */
  code: string;
  errors?: FieldError[];
}

const TYPE_BASE = 'https://medadmit.dev/problems/';

export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    title: string,
    options: { detail?: string; errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(options.detail ?? title);
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  toBody(instance?: string): ProblemBody {
    return {
      type: TYPE_BASE + this.code,
      title: this.title,
      status: this.status,
      ...(this.message !== this.title ? { detail: this.message } : {}),
      ...(instance ? { instance } : {}),
      code: this.code,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const problems = {
  validation: (errors: FieldError[], detail = 'The request has invalid fields.') =>
    new ProblemError(400, 'validation_failed', 'Invalid request', { detail, errors }),
  unauthenticated: () => new ProblemError(401, 'unauthenticated', 'Authentication required'),
  forbidden: (detail?: string) => new ProblemError(403, 'forbidden', 'Not allowed', detail ? { detail } : {}),
  notFound: (what = 'resource') => new ProblemError(404, 'not_found', 'Not found', { detail: `No such ${what}.` }),
  conflict: (code: string, detail: string, field?: string) =>
    new ProblemError(409, code, 'Conflict', {
      detail,
      ...(field ? { errors: [{ field, code, message: detail }] } : {}),
    }),
  tooMany: (retryAfterSeconds: number, detail: string) =>
    new ProblemError(429, 'too_many_requests', 'Too many requests', {
      detail,
      headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    }),
};
