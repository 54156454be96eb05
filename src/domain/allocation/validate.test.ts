import { describe, expect, it } from 'vitest';
import { validate } from './validate.js';

const comp = (id: string, capacity: unknown, revertsTo?: string) =>
  revertsTo === undefined ? { id, capacity } : { id, capacity, revertsTo };
const app = (applicant: string, competition: string, priority: unknown, score: unknown, lottery?: unknown) =>
  lottery === undefined
    ? { applicant, competition, priority, score }
    : { applicant, competition, priority, score, lottery };

const errorsOf = (raw: unknown) => {
  const v = validate(raw);
  return v.ok ? [] : v.errors;
};

describe('validate', () => {
  it('accepts the contract example', () => {
    const v = validate({
      competitions: [comp('C1', 30, 'C2'), comp('C2', 5)],
      applications: [app('A1', 'C1', 1, [245, 80], 17)],
    });
    expect(v).toEqual({
      ok: true,
      input: {
        competitions: [comp('C1', 30, 'C2'), comp('C2', 5)],
        applications: [app('A1', 'C1', 1, [245, 80], 17)],
      },
    });
  });

  it('rejects a duplicate (applicant, competition)', () => {
    expect(
      errorsOf({ competitions: [comp('C1', 1)], applications: [app('A3', 'C1', 1, [1]), app('A3', 'C1', 2, [1])] }),
    ).toEqual(['applications[1]: duplicate (A3, C1) (first at applications[0])']);
  });

  it('rejects two applications of one applicant with the same priority', () => {
    expect(
      errorsOf({
        competitions: [comp('C1', 1), comp('C2', 1)],
        applications: [app('A1', 'C1', 1, [1]), app('A1', 'C2', 1, [1])],
      }),
    ).toEqual(['applications[1]: A1 has two applications with priority 1 (first at applications[0])']);
  });

  it('rejects an unknown competition', () => {
    expect(errorsOf({ competitions: [comp('C1', 1)], applications: [app('A1', 'C9', 1, [1])] })).toEqual([
      'applications[0]: unknown competition C9 (applicant A1)',
    ]);
  });

  it('rejects a negative or non-integer capacity', () => {
    expect(errorsOf({ competitions: [comp('C1', -1), comp('C2', 1.5), comp('C3', '3')], applications: [] })).toEqual([
      'competitions[0]: capacity of C1 must be a non-negative integer (got -1)',
      'competitions[1]: capacity of C2 must be a non-negative integer (got 1.5)',
      'competitions[2]: capacity of C3 must be a non-negative integer (got "3")',
    ]);
  });

  it('rejects a non-numeric score', () => {
    expect(
      errorsOf({
        competitions: [comp('C1', 1)],
        applications: [app('A1', 'C1', 1, [245, '80']), app('A2', 'C1', 1, 245), app('A3', 'C1', 1, [])],
      }),
    ).toEqual([
      'applications[0]: non-numeric score [245,"80"] for (A1, C1)',
      'applications[1]: non-numeric score 245 for (A2, C1)',
      'applications[2]: non-numeric score [] for (A3, C1)',
    ]);
  });

  it('rejects score arrays of different lengths in one competition', () => {
    expect(
      errorsOf({
        competitions: [comp('C1', 1), comp('C2', 1)],
        applications: [app('A1', 'C1', 1, [245, 80]), app('A2', 'C2', 1, [245]), app('A2', 'C1', 2, [245])],
      }),
    ).toEqual(['applications[2]: score of (A2, C1) has 1 values but applications[0] has 2']);
  });

  it('rejects a reversion cycle and an unknown reversion target', () => {
    expect(
      errorsOf({
        competitions: [
          comp('C1', 1, 'C2'),
          comp('C2', 1, 'C3'),
          comp('C3', 1, 'C1'),
          comp('C4', 1, 'C4'),
          comp('C5', 1, 'C0'),
        ],
        applications: [],
      }),
    ).toEqual([
      'competitions[4]: C5 reverts to unknown competition C0',
      'competitions[0]: reversion cycle C1 → C2 → C3 → C1',
      'competitions[3]: reversion cycle C4 → C4',
    ]);
  });

  it('rejects malformed entries, naming them', () => {
    expect(errorsOf(null)).toEqual(['input: must be an object with competitions and applications']);
    expect(errorsOf({ competitions: {} })).toEqual([
      'competitions: must be an array',
      'applications: must be an array',
    ]);
    expect(
      errorsOf({
        competitions: [comp('C1', 1), comp('C1', 2), 7],
        applications: [app('A1', 'C1', 0, [1]), app('A2', 'C1', 1, [1], 'x'), 'nope'],
      }),
    ).toEqual([
      'competitions[1]: duplicate competition C1 (competitions[0])',
      'competitions[2]: must be an object with a string id',
      'applications[0]: priority of (A1, C1) must be a positive integer (got 0)',
      'applications[1]: lottery of (A2, C1) must be a number (got "x")',
      'applications[2]: must be an object',
    ]);
  });
});
