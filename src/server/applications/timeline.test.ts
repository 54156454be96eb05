import { describe, expect, it } from 'vitest';
import { mergeTimeline, type TimelineEvent } from './timeline.js';

const T = new Date('2026-08-25T09:00:00Z');
const later = new Date('2026-08-26T09:00:00Z');
const event = (type: string, at = T, data: Record<string, unknown> | null = null): TimelineEvent => ({
  applicationId: 'a',
  at,
  type,
  data,
});
const offer = (run: number, at = T) => event('offered', at, { competition: `c${run}`, confirmBy: '', run });
const types = (events: TimelineEvent[]) =>
  events.map((e) => (e.type === 'offered' ? `offered#${(e.data as { run: number }).run}` : e.type));

describe('mergeTimeline (stored events and offers read from admissions)', () => {
  it('orders by time, and keeps the stored events in the order they were written', () => {
    const stored = [
      event('submitted', new Date('2026-08-01T00:00:00Z')),
      event('confirmed', later),
      event('enrolled', later),
    ];
    expect(types(mergeTimeline(stored, [offer(1)]))).toEqual(['submitted', 'offered#1', 'confirmed', 'enrolled']);
  });

  it('at one instant: submission before the offer; a withdrawal between the runs it belongs to; answers after', () => {
    const stored = [
      event('submitted'),
      event('priorities_changed'),
      event('offer_withdrawn', T, { competition: 'c1', run: 2 }),
      event('offer_declined'),
    ];
    expect(types(mergeTimeline(stored, [offer(1), offer(3)]))).toEqual([
      'submitted',
      'priorities_changed',
      'offered#1',
      'offer_withdrawn',
      'offered#3',
      'offer_declined',
    ]);
  });

  it('keeps offers made after every stored event at the end', () => {
    expect(types(mergeTimeline([event('submitted')], [offer(1, later), offer(2, later)]))).toEqual([
      'submitted',
      'offered#1',
      'offered#2',
    ]);
  });
});
