import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Matrix, matches, readMatrix, writeMatrix } from '../authz/matrix.js';
import { buildRequest, formPayload, OPERATIONS } from '../authz/requests.js';
import { type AuthzWorld, buildAuthzWorld, COLUMNS, type Column } from '../helpers/authz-world.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Issue 9, access control: every operation of the OpenAPI document × every principal → the status in
// test/authz/matrix.md. `AUTHZ_MATRIX_WRITE=1` rewrites the table from what the server answers (on
// PGlite only), for a person to review the differences before committing them.

let t: TestApp;
let w: AuthzWorld;
/** Observed status per operation and column. */
const observed = new Map<string, Record<Column, number>>();
/** JSON bodies of the successful GETs of parents and consultants, for the field-level walk. */
const received: { column: Column; operation: string; body: unknown }[] = [];

/** Outsiders first, owners and administrators last, so a success cannot turn a refusal into something else. */
const EXECUTION_ORDER: Column[] = [
  'anon',
  'parU',
  'parL',
  'stud2',
  'appl2',
  'conB',
  'teaB',
  'revB',
  'offB',
  'revA',
  'teaA',
  'conA',
  'stud',
  'appl',
  'offA',
  'admin',
];

async function operationsOf(): Promise<{ method: string; path: string; key: string }[]> {
  const spec = (await t.agent().get('/api/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path, key: `${m.toUpperCase()} ${path}` })),
  );
}

async function runCell(method: string, path: string, key: string, column: Column): Promise<number> {
  const spec = OPERATIONS[key];
  if (!spec) throw new Error(`no request for ${key}`);
  const request = await buildRequest(w, column, method, path, spec);
  const agent = w.agents[column];
  const res = request.form
    ? await agent.request({ method, url: request.url, ...formPayload(request.form) })
    : await agent.request({
        method,
        url: request.url,
        headers: request.headers ?? {},
        ...(request.body === undefined ? {} : { payload: request.body as object }),
      });
  if (
    method === 'GET' &&
    res.statusCode === 200 &&
    ['parL', 'parU', 'conA', 'conB'].includes(column) &&
    res.headers['content-type']?.toString().startsWith('application/json')
  )
    received.push({ column, operation: key, body: res.json() });
  if (spec.signInAfter && column !== 'anon') await w.signInAgain(column);
  return res.statusCode;
}

beforeAll(async () => {
  t = await createTestApp();
  w = await buildAuthzWorld(t);
  const operations = await operationsOf();
  const phaseOf = (o: { method: string; key: string }) =>
    OPERATIONS[o.key]?.phase ?? (o.method === 'GET' ? 'read' : 'write');
  for (const phase of ['read', 'write', 'last'] as const) {
    for (const o of operations.filter((o) => OPERATIONS[o.key] && phaseOf(o) === phase)) {
      const row = {} as Record<Column, number>;
      for (const column of EXECUTION_ORDER) row[column] = await runCell(o.method, o.path, o.key, column);
      observed.set(o.key, row);
    }
  }
}, 600_000);

afterAll(async () => {
  await t?.close();
});

describe('authorization matrix', () => {
  it('every operation of the API has a row, and every row an operation', async () => {
    const operations = (await operationsOf()).map((o) => o.key);
    const table = readMatrix();
    expect(operations.filter((o) => !OPERATIONS[o])).toEqual([]);
    expect(operations.filter((o) => !table.has(o))).toEqual([]);
    expect([...table.keys()].filter((o) => !operations.includes(o))).toEqual([]);
    expect(Object.keys(OPERATIONS).filter((o) => !operations.includes(o))).toEqual([]);
  });

  it('every cell answers as the table says', async () => {
    const table = readMatrix();
    if (process.env.AUTHZ_MATRIX_WRITE === '1' && process.env.TEST_DB !== 'postgres') {
      const next: Matrix = new Map();
      for (const o of await operationsOf()) {
        const got = observed.get(o.key);
        if (!got) continue;
        const cells = Object.fromEntries(COLUMNS.map((c) => [c, String(got[c])])) as Record<Column, string>;
        next.set(o.key, { cells, note: table.get(o.key)?.note ?? '' });
      }
      writeMatrix(next);
      return;
    }
    const differences: string[] = [];
    for (const [operation, got] of observed) {
      const row = table.get(operation);
      for (const column of COLUMNS) {
        const expected = row?.cells[column] ?? '(no row)';
        if (!matches(expected, got[column]))
          differences.push(`${operation} · ${column}: expected ${expected}, got ${got[column]}`);
      }
    }
    const cells = observed.size * COLUMNS.length;
    expect(cells).toBeGreaterThan(180 * 16);
    expect(differences, `${differences.length} of ${cells} cells differ:\n${differences.join('\n')}`).toEqual([]);
  });

  it('not-owned objects answer 404, never 403, to principals of the same role', () => {
    // Owners and outsiders of the same role: when the owner may act, the outsider must not learn the object exists.
    const pairs: [Column, Column][] = [
      ['offA', 'offB'],
      ['revA', 'revB'],
      ['teaA', 'teaB'],
      ['conA', 'conB'],
      ['appl', 'appl2'],
      ['stud', 'stud2'],
      ['parL', 'parU'],
    ];
    const leaks: string[] = [];
    for (const [operation, got] of observed) {
      if (!/\{[a-zA-Z]+\}/.test(operation) || operation.includes('/me/')) continue;
      // Campaigns, universities, programs and exam sittings are public (catalog, exam plan): a 403
      // there tells nothing anyone cannot read anonymously.
      if (
        /^\S+ \/api\/v1\/(campaigns\/\{key\}|universities\/\{(key|slug)\}|programs\/\{key\}|exam-sessions\/)/.test(
          operation,
        )
      )
        continue;
      for (const [owner, outsider] of pairs)
        if (got[owner] >= 200 && got[owner] < 300 && got[outsider] === 403)
          leaks.push(`${operation}: ${owner} ${got[owner]}, ${outsider} 403`);
    }
    expect(leaks).toEqual([]);
  });
});

/** Every key and string value in a JSON value, with its path. */
function* walk(value: unknown, path = '$'): Generator<{ path: string; key: string | null; value: unknown }> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* walk(v, `${path}[${i}]`);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield { path: `${path}.${k}`, key: k, value: v };
      yield* walk(v, `${path}.${k}`);
    }
  } else yield { path, key: null, value };
}

/** Keys no response carries to anyone. */
const DENIED_KEYS =
  /^(password|passwordHash|password_hash|blobKey|blob_key|tokenHash|token_hash|sessionToken|wrappedKey)$/i;

describe('field-level: what parents and consultants receive', () => {
  function deniedValues(column: Column): Map<string, string> {
    const deny = new Map<string, string>();
    const add = (what: string, value: string | undefined | null) => {
      if (value) deny.set(value, what);
    };
    // Everyone: other people's secrets.
    add('a passport number of an applicant not granted to them', w.secrets.otherApplicantPassport);
    if (column !== 'conB') {
      // The other applicant is granted to agency B only.
      add('the e-mail of the other applicant', w.users.appl2?.email);
      add('the id of the other applicant', w.users.appl2?.userId);
    }
    add("the other student's e-mail", w.users.stud2?.email);
    add("the other student's id", w.regA.students[1]?.id);
    add('the e-mail of an unrelated parent', column === 'parU' ? w.users.parL?.email : w.users.parU?.email);
    if (column === 'parL' || column === 'parU') {
      add("the student's e-mail", w.users.stud?.email);
      add("a teacher's comment", w.secrets.teacherComment);
      add("a teacher's e-mail", w.regA.teacher.email);
      add("a teacher's account id", w.regA.teacher.userId);
      add("the applicant's passport", w.secrets.applicantPassport);
      add('the visa passport number', w.secrets.visaPassport);
      add("the applicant's id", w.applicantId);
      add("the applicant's e-mail", w.users.appl?.email);
    }
    if (column === 'parU') {
      add("the student's id", w.studentId);
      add("the student's account id", w.users.stud?.userId);
      add("the student's number", w.studentNumber);
    }
    if (column === 'conB') {
      add("agency A's applicant's passport", w.secrets.applicantPassport);
      add("agency A's applicant's id", w.applicantId);
      add("agency A's applicant's e-mail", w.users.appl?.email);
      add("agency A's consultant's e-mail", w.users.conA?.email);
    }
    if (column === 'conA') {
      add("agency B's consultant's e-mail", w.users.conB?.email);
      add("a student's e-mail", w.users.stud?.email);
      add("a teacher's comment", w.secrets.teacherComment);
    }
    return deny;
  }

  it('no GET a parent or a consultant can reach returns a denied field or value', () => {
    const columns = new Set(received.map((r) => r.column));
    expect([...columns].sort()).toEqual(['conA', 'conB', 'parL', 'parU']);
    const found: string[] = [];
    for (const { column, operation, body } of received) {
      const deny = deniedValues(column);
      for (const { path, key, value } of walk(body)) {
        if (key && DENIED_KEYS.test(key)) found.push(`${column} ${operation} ${path}: key "${key}"`);
        if (typeof value === 'string') {
          if (value.startsWith('$argon2')) found.push(`${column} ${operation} ${path}: a password hash`);
          for (const [secret, what] of deny)
            if (value.includes(secret)) found.push(`${column} ${operation} ${path}: ${what}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('a linked parent does see the student, and the consultant the granted applicant (the walk is not vacuous)', () => {
    const text = (column: Column) => JSON.stringify(received.filter((r) => r.column === column).map((r) => r.body));
    expect(text('parL')).toContain(w.studentNumber);
    expect(text('parU')).not.toContain(w.studentNumber);
    expect(text('conA')).toContain(w.applicantId);
    expect(text('conB')).not.toContain(w.applicantId);
  });
});
