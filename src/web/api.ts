/** A small client for the MedAdmit JSON API: same origin, session cookie, CSRF header, problem+json errors. */

export const ROLES = [
  'administrator',
  'officer',
  'reviewer',
  'teacher',
  'consultant',
  'applicant',
  'student',
  'parent',
] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

export interface User {
  id: string;
  email: string;
  fullName: string;
  role: Role;
  locale: Locale;
  emailVerified: boolean;
  universityId: string | null;
  agencyId: string | null;
  /** A consultant who administers their agency. */
  agencyAdmin: boolean;
  disabled: boolean;
  createdAt: string;
}

export interface Session {
  user: User;
  csrfToken: string;
}

export interface FieldError {
  /** Dotted path such as "body.email". */
  field: string;
  code: string;
  message: string;
}

/** An RFC 9457 problem answered by the API, or a network failure (status 0, code "network_error"). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: FieldError[];
  /** Seconds from the Retry-After header, when the server sent one. */
  readonly retryAfter: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    fieldErrors: FieldError[] = [],
    retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fieldErrors = fieldErrors;
    this.retryAfter = retryAfter;
  }
}

let csrfToken: string | null = null;

/** The session's CSRF token, sent with every write; set from the login and session responses. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Listener = (error: ApiError) => void;
const listeners = new Set<Listener>();

/** Lets the session know when the server says the session is gone, whatever request found out. */
export function onUnauthenticated(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function toFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (item): item is FieldError => isRecord(item) && typeof item.field === 'string' && typeof item.code === 'string',
  );
}

function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - Date.now()) / 1000));
}

/** The ApiError for a failed answer, from its status, parsed body (null when not JSON) and Retry-After header. */
export function apiErrorFrom(
  status: number,
  statusText: string,
  body: unknown,
  retryAfterHeader: string | null,
): ApiError {
  const retryAfter = parseRetryAfter(retryAfterHeader);
  if (isRecord(body) && typeof body.code === 'string') {
    const message = typeof body.detail === 'string' ? body.detail : String(body.title ?? body.code);
    return new ApiError(status, body.code, message, toFieldErrors(body.errors), retryAfter);
  }
  const code =
    status >= 500
      ? 'internal_error'
      : status === 429
        ? 'too_many_requests'
        : status === 413
          ? 'file_too_large'
          : 'unknown';
  return new ApiError(status, code, statusText, [], retryAfter);
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy error page, say): fall through to a generic problem.
  }
  return apiErrorFrom(response.status, response.statusText, body, response.headers.get('retry-after'));
}

/** Tells the session listeners the server no longer knows this session (for requests not made with `request`). */
export function reportUnauthenticated(error: ApiError): void {
  if (error.code === 'unauthenticated') for (const listener of listeners) listener(error);
}

/** The CSRF header to send with a write made without `request` (an upload with progress, say). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'X-CSRF-Token': csrfToken } : {};
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Sends one request to the API; feature modules build their own clients on it (see features/catalog). */
export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  init: { keepalive?: boolean; signal?: AbortSignal | undefined; headers?: Record<string, string> } = {},
): Promise<T> {
  const { headers: extra, ...rest } = init;
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...extra };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...rest,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }
  if (!response.ok) {
    const error = await toApiError(response);
    reportUnauthenticated(error);
    throw error;
  }
  if (response.status === 204 || response.status === 202) return undefined as T;
  return (await response.json()) as T;
}

export interface UserListQuery {
  role?: Role | undefined;
  limit: number;
  offset: number;
}

export const api = {
  session: () => request<Session>('GET', '/api/v1/auth/session'),
  register: (body: { email: string; password: string; fullName: string; locale: Locale }) =>
    request<User>('POST', '/api/v1/auth/register', body),
  verifyEmail: (token: string) => request<User>('POST', '/api/v1/auth/verify-email', { token }),
  resendVerification: (email: string) => request<void>('POST', '/api/v1/auth/resend-verification', { email }),
  login: (body: { email: string; password: string }) => request<Session>('POST', '/api/v1/auth/login', body),
  logout: () => request<void>('POST', '/api/v1/auth/logout'),
  requestPasswordReset: (email: string) => request<void>('POST', '/api/v1/auth/password-reset/request', { email }),
  confirmPasswordReset: (token: string, password: string) =>
    request<void>('POST', '/api/v1/auth/password-reset/confirm', { token, password }),
  me: () => request<User>('GET', '/api/v1/me'),
  updateMe: (body: { fullName?: string; locale?: Locale }) => request<User>('PATCH', '/api/v1/me', body),
  /** Saves the language; kept alive so a reload or sign-out right after the switch does not lose it. */
  saveLocale: (locale: Locale) => request<User>('PATCH', '/api/v1/me', { locale }, { keepalive: true }),
  changePassword: (body: { currentPassword: string; newPassword: string }) =>
    request<void>('POST', '/api/v1/me/password', body),
  listUsers: (query: UserListQuery) => {
    const params = new URLSearchParams({ limit: String(query.limit), offset: String(query.offset) });
    if (query.role) params.set('role', query.role);
    return request<{ items: User[] }>('GET', `/api/v1/users?${params.toString()}`);
  },
};

/** Fraction sent, 0 to 1. */
export type ProgressListener = (fraction: number) => void;

/** Posts one file as multipart/form-data (part "file") with the CSRF header, reporting the upload's progress. */
export function uploadFile<T>(
  url: string,
  file: File,
  onProgress: ProgressListener,
  signal?: AbortSignal,
  /** Form fields sent before the file (the server reads them first). */
  fields: Record<string, string> = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON: a generic problem below.
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
        return;
      }
      const error = apiErrorFrom(xhr.status, xhr.statusText, body, xhr.getResponseHeader('retry-after'));
      reportUnauthenticated(error);
      reject(error);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The server could not be reached.'));
    xhr.onabort = () => reject(new ApiError(0, 'upload_aborted', 'The upload was cancelled.'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.append(name, value);
    data.append('file', file, file.name);
    xhr.send(data);
  });
}
