import { and, eq, gt, isNull, lte } from 'drizzle-orm';
import { campaigns, examBookings, examSessions, users } from '../../db/schema.js';
import type { AppContext } from '../context.js';

const AHEAD_MS = 24 * 3_600_000;

/**
 * E-mails every applicant whose sitting starts within the next 24 hours and who has not been
 * reminded yet, in their language. Marking happens first, so two instances never both send.
 */
export async function sendExamReminders(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .select({ booking: examBookings, session: examSessions, user: users, campaign: campaigns })
    .from(examBookings)
    .innerJoin(examSessions, eq(examSessions.id, examBookings.sessionId))
    .innerJoin(users, eq(users.id, examBookings.applicantId))
    .innerJoin(campaigns, eq(campaigns.id, examSessions.campaignId))
    .where(
      and(
        isNull(examBookings.remindedAt),
        gt(examSessions.startsAt, now),
        lte(examSessions.startsAt, new Date(now.getTime() + AHEAD_MS)),
      ),
    );
  let sent = 0;
  for (const { booking, session, user, campaign } of due) {
    const claimed = await ctx.db
      .update(examBookings)
      .set({ remindedAt: now })
      .where(
        and(
          eq(examBookings.sessionId, booking.sessionId),
          eq(examBookings.applicantId, booking.applicantId),
          isNull(examBookings.remindedAt),
        ),
      )
      .returning();
    if (claimed.length === 0) continue;
    const when = `${session.startsAt.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
    const where = session.mode === 'online' ? (user.locale === 'ru' ? 'онлайн' : 'online') : (session.location ?? '');
    const message =
      user.locale === 'ru'
        ? {
            subject: `Напоминание: экзамен ${when}`,
            text: `Здравствуйте, ${user.fullName}!\n\nНапоминаем о вступительном испытании «${session.slotId}» (${campaign.titleRu}): ${when}, ${where}.\n\nMedAdmit`,
          }
        : {
            subject: `Reminder: exam on ${when}`,
            text: `Hello ${user.fullName},\n\na reminder of your entrance exam "${session.slotId}" (${campaign.titleEn}): ${when}, ${where}.\n\nMedAdmit`,
          };
    try {
      await ctx.mailer.send({ to: user.email, ...message });
      sent++;
    } catch (error) {
      ctx.log?.error({ err: error }, 'exam reminder');
    }
  }
  return sent;
}
