/**
 * Register alerts: detected when grades or attendance are saved (inside that transaction), sent as
 * one daily digest per recipient — the student and their active parents and sponsors, each in their
 * language — at the university's digest hour, and never twice. Everyone may opt out of the kinds
 * that are not essential.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  assessments,
  courses,
  guardianLinks,
  notificationOptOuts,
  registerAlerts,
  students,
  users,
} from '../../db/schema.js';
import type { Clock } from '../../domain/clock.js';
import { type ScaleId, scaleOf } from '../../domain/register/scales.js';
import type { RegisterSettings } from '../../domain/register/settings.js';
import type { AppContext } from '../context.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { renderDigestMail } from './people-mail.js';
import { settingsOf } from './register-access.js';
import { countsByStudentCourse, currentStreaks, gradesBelow, rateOf, type Streak } from './register-stats.js';

export const ALERT_KINDS = ['absence_streak', 'failing_grade', 'low_attendance'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Kinds nobody can opt out of. None: every register alert is informational (the register shows it anyway). */
const ESSENTIAL_KINDS: readonly AlertKind[] = [];

/** A low-attendance alert needs this many counted marks in the course, so one early absence is not "0 %". */
export const MIN_MARKS_FOR_RATE_ALERT = 5;

type Text = { en: string; ru: string };

export interface AlertPayload {
  /** absence_streak */
  length?: number;
  since?: string | null;
  courses?: { code: string; name: Text }[];
  /** failing_grade, low_attendance */
  course?: { id: string; code: string; name: Text };
  assessment?: { id: string; title: string };
  value?: number;
  passMark?: number;
  rate?: number;
  threshold?: number;
}

interface NewAlert {
  studentId: string;
  kind: AlertKind;
  dedupKey: string;
  essential: boolean;
  payload: AlertPayload;
  createdAt: Date;
}

/**
 * Records the alerts the students' current marks and grades call for, by their university's
 * settings: an absence streak (key: its first session), a failing grade (key: the assessment), low
 * attendance in a course (key: course and term). Existing alerts are kept (ON CONFLICT DO NOTHING),
 * so calling this after every save is safe. Only terms that are not closed count.
 * Returns the number of new alerts.
 */
export interface DetectScope {
  /** Limit course-bound checks (low attendance, failing grades) to these courses; streaks span all courses. */
  courseIds?: readonly string[];
  /** Only these kinds (a save of attendance cannot create a failing grade). */
  kinds?: readonly AlertKind[];
}

export async function detectAlerts(
  tx: Db,
  clock: Clock,
  studentIds: string[],
  only: DetectScope = {},
): Promise<number> {
  const ids = [...new Set(studentIds)];
  if (ids.length === 0) return 0;
  const rows = await tx
    .select({ id: students.id, universityId: students.universityId })
    .from(students)
    .where(inArray(students.id, ids));
  const byUniversity = new Map<string, string[]>();
  for (const r of rows) byUniversity.set(r.universityId, [...(byUniversity.get(r.universityId) ?? []), r.id]);
  const now = clock.now();
  const alerts: NewAlert[] = [];
  for (const [universityId, studentIdsOfUniversity] of byUniversity) {
    const settings = await settingsOf(tx, universityId);
    alerts.push(...(await alertsFor(tx, settings, studentIdsOfUniversity, now, only)));
  }
  if (alerts.length === 0) return 0;
  const inserted = await tx
    .insert(registerAlerts)
    .values(alerts.map((a) => ({ ...a, payload: a.payload as Record<string, unknown> })))
    .onConflictDoNothing()
    .returning({ id: registerAlerts.id });
  return inserted.length;
}

async function alertsFor(
  db: Db,
  settings: RegisterSettings,
  studentIds: string[],
  now: Date,
  only: DetectScope,
): Promise<NewAlert[]> {
  const wanted = (kind: AlertKind) => !only.kinds || only.kinds.includes(kind);
  const enabled = {
    lowAttendance: settings.alerts.lowAttendance && wanted('low_attendance'),
    absenceStreak: settings.alerts.absenceStreak && wanted('absence_streak'),
    failingGrade: settings.alerts.failingGrade && wanted('failing_grade'),
  };
  const { atRisk } = settings;
  const essential = (kind: AlertKind) => ESSENTIAL_KINDS.includes(kind);
  const found: NewAlert[] = [];
  const scope = { studentIds, openTermsOnly: true };
  const courseScope = only.courseIds ? { ...scope, courseIds: only.courseIds } : scope;
  const [counts, streaks, failing] = [
    enabled.lowAttendance ? await countsByStudentCourse(db, courseScope) : [],
    enabled.absenceStreak ? await currentStreaks(db, scope) : new Map<string, Streak>(),
    enabled.failingGrade ? await gradesBelow(db, courseScope, settings.passMarks) : [],
  ];
  const courseIds = new Set<string>([
    ...counts.map((c) => c.courseId),
    ...[...streaks.values()].flatMap((s) => s.courseIds),
    ...failing.map((f) => f.courseId),
  ]);
  const courseRows = courseIds.size
    ? await db
        .select({ id: courses.id, code: courses.code, name: courses.name, termId: courses.termId })
        .from(courses)
        .where(inArray(courses.id, [...courseIds]))
    : [];
  const course = new Map(courseRows.map((c) => [c.id, c]));
  const ref = (id: string) => {
    const c = course.get(id);
    return { id, code: c?.code ?? '', name: c?.name ?? { en: '', ru: '' } };
  };

  for (const [studentId, streak] of streaks) {
    if (streak.length < atRisk.absenceStreak || !streak.startSessionId) continue;
    found.push({
      studentId,
      kind: 'absence_streak',
      dedupKey: streak.startSessionId,
      essential: essential('absence_streak'),
      payload: {
        length: streak.length,
        since: streak.since,
        courses: streak.courseIds.map((id) => {
          const { code, name } = ref(id);
          return { code, name };
        }),
      },
      createdAt: now,
    });
  }
  for (const c of counts) {
    const rate = rateOf(c, settings.lateCountsAsPresent);
    if (rate === null || c.present + c.late + c.absent < MIN_MARKS_FOR_RATE_ALERT) continue;
    if (rate >= atRisk.minAttendanceRate) continue;
    found.push({
      studentId: c.studentId,
      kind: 'low_attendance',
      dedupKey: `${c.courseId}:${course.get(c.courseId)?.termId ?? ''}`,
      essential: essential('low_attendance'),
      payload: { course: ref(c.courseId), rate: Math.round(rate * 1000) / 1000, threshold: atRisk.minAttendanceRate },
      createdAt: now,
    });
  }
  if (failing.length) {
    const titles = await assessmentTitles(
      db,
      failing.map((f) => f.assessmentId),
    );
    for (const f of failing) {
      const scale = scaleOf(f.scale as ScaleId, settings.passMarks);
      found.push({
        studentId: f.studentId,
        kind: 'failing_grade',
        dedupKey: f.assessmentId,
        essential: essential('failing_grade'),
        payload: {
          course: ref(f.courseId),
          assessment: { id: f.assessmentId, title: titles.get(f.assessmentId) ?? '' },
          value: f.value,
          passMark: scale.passMark,
        },
        createdAt: now,
      });
    }
  }
  return found;
}

async function assessmentTitles(db: Db, ids: string[]): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: assessments.id, title: assessments.title })
    .from(assessments)
    .where(inArray(assessments.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.title]));
}

// ---------- Daily digest ----------

/** Claims "today" for a key in app_meta; false when this day was claimed already (by any instance). */
async function claimDay(db: Db, key: string, day: string): Promise<boolean> {
  const result =
    await db.execute(sql`insert into app_meta (key, value) values (${key}, ${JSON.stringify({ day })}::jsonb)
    on conflict (key) do update set value = excluded.value
    where coalesce(app_meta.value->>'day', '') < ${day}
    returning key`);
  return result.rows.length > 0;
}

function enabledKinds(settings: RegisterSettings): Set<AlertKind> {
  const kinds = new Set<AlertKind>();
  if (settings.alerts.absenceStreak) kinds.add('absence_streak');
  if (settings.alerts.failingGrade) kinds.add('failing_grade');
  if (settings.alerts.lowAttendance) kinds.add('low_attendance');
  return kinds;
}

export interface DigestStudent {
  id: string;
  number: string;
  nameLatin: string;
  nameCyrillic: string | null;
  alerts: { kind: AlertKind; payload: AlertPayload; createdAt: Date }[];
}

/**
 * Sends the day's digest of every university whose digest hour (UTC) has come and that has not had
 * its digest today: one e-mail per recipient listing each of their students' pending alerts, minus
 * the kinds the recipient opted out of. The day is claimed per university before anything is sent
 * and the alerts are marked as digested in the same step, so a second run (or a second instance)
 * sends nothing; alerts raised after today's digest wait for tomorrow's.
 */
export async function sendRegisterDigest(ctx: AppContext): Promise<{ emails: number }> {
  const now = ctx.clock.now();
  const day = now.toISOString().slice(0, 10);
  const pending = await ctx.db
    .selectDistinct({ universityId: students.universityId })
    .from(registerAlerts)
    .innerJoin(students, eq(students.id, registerAlerts.studentId))
    .where(isNull(registerAlerts.digestedAt));
  const due = new Map<string, RegisterSettings>();
  for (const { universityId } of pending) {
    const settings = await settingsOf(ctx.db, universityId);
    if (now.getUTCHours() < settings.alerts.digestHourUtc) continue;
    if (await claimDay(ctx.db, `register_digest:${universityId}`, day)) due.set(universityId, settings);
  }
  if (due.size === 0) return { emails: 0 };

  const claimed = await ctx.db
    .update(registerAlerts)
    .set({ digestedAt: now })
    .where(
      and(
        isNull(registerAlerts.digestedAt),
        inArray(
          registerAlerts.studentId,
          ctx.db
            .select({ id: students.id })
            .from(students)
            .where(inArray(students.universityId, [...due.keys()])),
        ),
      ),
    )
    .returning();
  if (claimed.length === 0) return { emails: 0 };

  const studentIds = [...new Set(claimed.map((a) => a.studentId))];
  const studentRows = await ctx.db
    .select({ student: students, user: users })
    .from(students)
    .innerJoin(users, eq(users.id, students.userId))
    .where(inArray(students.id, studentIds));
  const guardians = await ctx.db
    .select({ studentId: guardianLinks.studentId, user: users })
    .from(guardianLinks)
    .innerJoin(users, eq(users.id, guardianLinks.guardianUserId))
    .where(and(inArray(guardianLinks.studentId, studentIds), eq(guardianLinks.status, 'active')));

  const digestStudents = new Map<string, DigestStudent>();
  for (const { student } of studentRows) {
    const kinds = enabledKinds(due.get(student.universityId) as RegisterSettings);
    digestStudents.set(student.id, {
      id: student.id,
      number: student.number,
      nameLatin: student.nameLatin,
      nameCyrillic: student.nameCyrillic,
      alerts: claimed
        .filter((a) => a.studentId === student.id && kinds.has(a.kind as AlertKind))
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map((a) => ({ kind: a.kind as AlertKind, payload: a.payload as AlertPayload, createdAt: a.createdAt })),
    });
  }

  type Recipient = { user: typeof users.$inferSelect; students: Map<string, 'self' | 'guardian'> };
  const recipients = new Map<string, Recipient>();
  const add = (user: typeof users.$inferSelect, studentId: string, as: 'self' | 'guardian') => {
    if (user.disabledAt) return;
    const r = recipients.get(user.id) ?? { user, students: new Map() };
    if (!r.students.has(studentId) || as === 'self') r.students.set(studentId, as);
    recipients.set(user.id, r);
  };
  for (const { student, user } of studentRows) add(user, student.id, 'self');
  for (const g of guardians) add(g.user, g.studentId, 'guardian');

  const optOuts = await ctx.db
    .select()
    .from(notificationOptOuts)
    .where(inArray(notificationOptOuts.userId, [...recipients.keys()]));
  const optedOut = new Map<string, Set<string>>();
  for (const o of optOuts) optedOut.set(o.userId, (optedOut.get(o.userId) ?? new Set()).add(o.kind));

  let emails = 0;
  for (const { user, students: theirs } of recipients.values()) {
    const skip = optedOut.get(user.id) ?? new Set<string>();
    const list = [...theirs]
      .map(([studentId, as]) => {
        const s = digestStudents.get(studentId);
        if (!s) return null;
        const alerts = s.alerts.filter((a) => ESSENTIAL_KINDS.includes(a.kind) || !skip.has(a.kind));
        return alerts.length ? { ...s, alerts, as } : null;
      })
      .filter((s) => s !== null);
    if (list.length === 0) continue;
    try {
      await ctx.mailer.send(renderDigestMail(user.locale, user.email, user.fullName, list, ctx.config.publicUrl));
      emails++;
    } catch (error) {
      ctx.log?.error({ err: error }, 'register digest');
    }
  }
  return { emails };
}

// ---------- Personal opt-outs ----------

export interface NotificationPrefs {
  kinds: { kind: AlertKind; essential: boolean; optedOut: boolean }[];
}

export async function notificationPrefs(db: Db, userId: string): Promise<NotificationPrefs> {
  const rows = await db
    .select({ kind: notificationOptOuts.kind })
    .from(notificationOptOuts)
    .where(eq(notificationOptOuts.userId, userId))
    .orderBy(asc(notificationOptOuts.kind));
  const out = new Set(rows.map((r) => r.kind));
  return {
    kinds: ALERT_KINDS.map((kind) => {
      const essential = ESSENTIAL_KINDS.includes(kind);
      return { kind, essential, optedOut: !essential && out.has(kind) };
    }),
  };
}

/** Replaces the person's opt-outs (essential kinds are ignored: they cannot be turned off). */
export async function setNotificationOptOuts(
  ctx: AppContext,
  userId: string,
  optOut: readonly AlertKind[],
  actor: Actor,
): Promise<NotificationPrefs> {
  const wanted = [...new Set(optOut)].filter((k) => !ESSENTIAL_KINDS.includes(k)).sort();
  await ctx.db.transaction(async (tx) => {
    const before = (
      await tx
        .select({ kind: notificationOptOuts.kind })
        .from(notificationOptOuts)
        .where(eq(notificationOptOuts.userId, userId))
        .for('update')
    )
      .map((r) => r.kind)
      .sort();
    if (before.join() === wanted.join()) return;
    await tx.delete(notificationOptOuts).where(eq(notificationOptOuts.userId, userId));
    if (wanted.length)
      await tx.insert(notificationOptOuts).values(wanted.map((kind) => ({ userId, kind, createdAt: ctx.clock.now() })));
    await recordAudit(tx, ctx.clock, actor, {
      action: 'notifications.opt_out_set',
      subjectType: 'user',
      subjectId: userId,
      before: { optOut: before },
      after: { optOut: wanted },
    });
  });
  return notificationPrefs(ctx.db, userId);
}
