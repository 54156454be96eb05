/**
 * An application's timeline: the events stored for it (submitted, priorities changed, confirmed,
 * withdrawn, …) and one "offered" event per offer. An offer is not stored twice: its admission row
 * (created by the allocation run, kept when later superseded) says when it was made, for which
 * competition, until when to confirm and in which run, so the event is read from it. An allocation
 * run making 77,000 offers thus writes 77,000 rows fewer.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { admissions, allocationRuns, applicationEvents } from '../../db/schema.js';

export type TimelineEvent = Pick<typeof applicationEvents.$inferSelect, 'applicationId' | 'at' | 'type' | 'data'>;

/** The timelines of the given applications, each oldest first. */
export async function applicationTimelines(db: Db, applicationIds: readonly string[]): Promise<TimelineEvent[]> {
  if (applicationIds.length === 0) return [];
  const ids = [...applicationIds];
  const [stored, offers] = await Promise.all([
    db
      .select({
        applicationId: applicationEvents.applicationId,
        at: applicationEvents.at,
        type: applicationEvents.type,
        data: applicationEvents.data,
      })
      .from(applicationEvents)
      .where(
        ids.length === 1
          ? eq(applicationEvents.applicationId, ids[0] as string)
          : inArray(applicationEvents.applicationId, ids),
      )
      .orderBy(asc(applicationEvents.id)),
    db
      .select({
        applicationId: admissions.applicationId,
        at: admissions.createdAt,
        competition: admissions.competitionId,
        confirmBy: admissions.confirmBy,
        run: allocationRuns.seq,
      })
      .from(admissions)
      .innerJoin(allocationRuns, eq(allocationRuns.id, admissions.runId))
      .where(ids.length === 1 ? eq(admissions.applicationId, ids[0] as string) : inArray(admissions.applicationId, ids))
      .orderBy(asc(admissions.createdAt), asc(allocationRuns.seq)),
  ]);
  const events: TimelineEvent[] = [
    ...stored,
    ...offers.map((o) => ({
      applicationId: o.applicationId,
      at: o.at,
      type: 'offered',
      data: { competition: o.competition, confirmBy: o.confirmBy.toISOString(), run: o.run },
    })),
  ];
  // Oldest first; a stable sort, so stored events keep their order. At the same instant (one clock
  // reading for a whole run or request) an offer follows what leads to it and precedes what answers it.
  return events.sort((a, b) => a.at.getTime() - b.at.getTime() || causalRank(a.type) - causalRank(b.type));
}

/** Where an event of this type stands relative to an offer made at the same instant. */
function causalRank(type: string): number {
  if (type === 'offered') return 1;
  return type === 'submitted' || type === 'priorities_changed' ? 0 : 2;
}
