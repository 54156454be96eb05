import { describe, expect, it } from 'vitest';
import { isAcceptingOn, isWindowOpen } from './intake-window.js';

const kaznmu = { yearRound: false as const, opens: '06-20', closes: '07-20', studyForms: [], source: 'S2-3' };

describe('intake windows', () => {
  it('S2-3: KazNMU residency applications are open from 20 June to 20 July inclusive', () => {
    expect(isWindowOpen(kaznmu, new Date('2026-06-19T23:59:00Z'))).toBe(false);
    expect(isWindowOpen(kaznmu, new Date('2026-06-20T00:00:00Z'))).toBe(true);
    expect(isWindowOpen(kaznmu, new Date('2026-07-20T23:59:00Z'))).toBe(true);
    expect(isWindowOpen(kaznmu, new Date('2026-07-21T00:00:00Z'))).toBe(false);
  });

  it('S4-12: the preparatory faculty accepts documents all year', () => {
    expect(isAcceptingOn([{ yearRound: true, source: 'S4-12' }], new Date('2026-12-31T12:00:00Z'))).toBe(true);
  });

  it('handles windows across New Year and programs without windows', () => {
    const winter = { yearRound: false as const, opens: '12-01', closes: '01-31', studyForms: [], source: 'x' };
    expect(isWindowOpen(winter, new Date('2026-12-15T00:00:00Z'))).toBe(true);
    expect(isWindowOpen(winter, new Date('2027-01-10T00:00:00Z'))).toBe(true);
    expect(isWindowOpen(winter, new Date('2027-02-01T00:00:00Z'))).toBe(false);
    expect(isAcceptingOn([], new Date())).toBe(false);
  });
});
