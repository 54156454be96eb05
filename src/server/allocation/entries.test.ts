import { describe, expect, it } from 'vitest';
import type { ListApplication, Outcome } from '../../domain/enrollment/ranked-lists.js';
import { decodeEntries, encodeList, entryStates } from './allocation.service.js';

const app = (applicantId: string, priority: number, score: number[], lottery: number, eligible = true) =>
  ({
    applicantId,
    competitionId: 'C',
    priority,
    score,
    lottery,
    eligible,
    reason: eligible ? null : 'exam_failed',
  }) satisfies ListApplication;

describe('stored ranked-list entries', () => {
  it('encodes states by index and reasons only where there is one, and decodes them back', () => {
    const list = [app('a', 1, [90], 2), app('b', 2, [80], 1), app('c', 1, [], 3, false), app('d', 1, [70], 4)];
    const outcomes = new Map<string, Outcome>([
      ['a', { competitionId: 'C', priority: 1, fixed: false }],
      ['b', { competitionId: 'D', priority: 1, fixed: false }],
      ['d', { competitionId: 'D', priority: 2, fixed: true }],
    ]);
    const states = entryStates(list, outcomes, (id) => `CODE-${id}`, new Set(['d']));
    const { entries, admitted } = encodeList(list, [0, 1, 2, 3], states);
    expect(admitted).toBe(1);
    expect(entries.reason).toEqual({ 2: 'exam_failed', 3: 'confirmed_elsewhere' });
    expect(JSON.stringify(entries)).not.toContain('admitted_higher');
    expect(decodeEntries(JSON.parse(JSON.stringify(entries)))).toEqual([
      {
        position: 1,
        code: 'CODE-a',
        priority: 1,
        score: [90],
        lottery: 2,
        state: 'admitted',
        reason: null,
        engine: true,
      },
      {
        position: 2,
        code: 'CODE-b',
        priority: 2,
        score: [80],
        lottery: 1,
        state: 'admitted_higher',
        reason: null,
        engine: true,
      },
      {
        position: 3,
        code: 'CODE-c',
        priority: 1,
        score: [],
        lottery: 3,
        state: 'not_admitted',
        reason: 'exam_failed',
        engine: false,
      },
      {
        position: 4,
        code: 'CODE-d',
        priority: 1,
        score: [70],
        lottery: 4,
        state: 'not_admitted',
        reason: 'confirmed_elsewhere',
        engine: false,
      },
    ]);
  });

  it('still reads lists stored in the first format (states and reasons spelled out per entry)', () => {
    const v1 = {
      code: ['X', 'Y'],
      lottery: [5, 6],
      priority: [1, 3],
      score: [
        [10, 2],
        [9, 1],
      ],
      state: ['admitted', 'waiting'],
      reason: [null, null],
      engine: [1, 1],
    };
    expect(decodeEntries(v1).map((e) => [e.position, e.code, e.state, e.reason, e.engine])).toEqual([
      [1, 'X', 'admitted', null, true],
      [2, 'Y', 'waiting', null, true],
    ]);
  });
});
