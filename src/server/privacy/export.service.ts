import { and, asc, eq, inArray, or } from 'drizzle-orm';
import {
  adaptationItems,
  admissions,
  agencies,
  agencyGrants,
  agencyNotes,
  applicationChoices,
  applications,
  assessments,
  attendance,
  attestations,
  auditLog,
  campaigns,
  classSessions,
  courses,
  deadlineExtensions,
  examBookings,
  examResults,
  grades,
  guardianLinks,
  leads,
  lotteryDraws,
  notificationOptOuts,
  rotations,
  sessions,
  students,
  universities,
  users,
  visaCases,
} from '../../db/schema.js';
import { applicationTimelines } from '../applications/timeline.js';
import type { AppContext } from '../context.js';
import { listDocuments } from '../dossier/documents.service.js';
import { getDossier } from '../dossier/dossier.service.js';
import { problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { listConsents } from './consent.service.js';

/** Audit subjects that are about one person (their ids are the person's or their objects'). */
const PERSONAL_SUBJECTS = [
  'user',
  'dossier',
  'document',
  'application',
  'application_deadline',
  'admission',
  'consent',
  'student',
  'exam_booking',
  'exam_result',
  'adaptation',
  'lead',
] as const;

const none = <T>(): Promise<T[]> => Promise.resolve([]);

/**
 * Everything the system holds about one person, as rows; the export presenter decides what of it
 * leaves the server. Other people appear only as the ids of staff who decided, resolved to names.
 */
export async function collectPersonalData(ctx: AppContext, userId: string) {
  const db = ctx.db;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw problems.notFound('user');
  const dossier = await getDossier(ctx, userId);
  const documents = await listDocuments(ctx, userId);
  const apps = await db
    .select({ application: applications, campaign: { slug: campaigns.slug, titleEn: campaigns.titleEn } })
    .from(applications)
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(eq(applications.applicantId, userId))
    .orderBy(asc(applications.createdAt));
  const appIds = apps.map((a) => a.application.id);
  const [choices, events, draws, admissionRows] = await Promise.all([
    appIds.length
      ? db.select().from(applicationChoices).where(inArray(applicationChoices.applicationId, appIds))
      : none<typeof applicationChoices.$inferSelect>(),
    applicationTimelines(db, appIds),
    db.select().from(lotteryDraws).where(eq(lotteryDraws.applicantId, userId)),
    db.select().from(admissions).where(eq(admissions.applicantId, userId)).orderBy(asc(admissions.createdAt)),
  ]);
  const [visas, extensions, bookings, results] = await Promise.all([
    db.select().from(visaCases).where(eq(visaCases.applicantId, userId)),
    db.select().from(deadlineExtensions).where(eq(deadlineExtensions.applicantId, userId)),
    db.select().from(examBookings).where(eq(examBookings.applicantId, userId)),
    db.select().from(examResults).where(eq(examResults.applicantId, userId)),
  ]);
  const [grants, notes, leadRows, adaptation, consentRows] = await Promise.all([
    db
      .select({ grant: agencyGrants, agency: { slug: agencies.slug, nameEn: agencies.nameEn } })
      .from(agencyGrants)
      .innerJoin(agencies, eq(agencies.id, agencyGrants.agencyId))
      .where(eq(agencyGrants.applicantId, userId))
      .orderBy(asc(agencyGrants.grantedAt)),
    db
      .select({ note: agencyNotes, agency: { slug: agencies.slug, nameEn: agencies.nameEn } })
      .from(agencyNotes)
      .innerJoin(agencies, eq(agencies.id, agencyNotes.agencyId))
      .where(eq(agencyNotes.applicantId, userId))
      .orderBy(asc(agencyNotes.createdAt)),
    db.select().from(leads).where(eq(leads.applicantId, userId)),
    db.select().from(adaptationItems).where(eq(adaptationItems.applicantId, userId)),
    listConsents(db, userId),
  ]);
  const studentRows = await db
    .select({ student: students, university: { slug: universities.slug, nameEn: universities.nameEn } })
    .from(students)
    .innerJoin(universities, eq(universities.id, students.universityId))
    .where(eq(students.userId, userId));
  const studentIds = studentRows.map((s) => s.student.id);
  const [gradeRows, attendanceRows, rotationRows, attestationRows, links, optOuts, sessionRows] = await Promise.all([
    studentIds.length
      ? db
          .select({ grade: grades, assessment: assessments, courseCode: courses.code })
          .from(grades)
          .innerJoin(assessments, eq(assessments.id, grades.assessmentId))
          .innerJoin(courses, eq(courses.id, assessments.courseId))
          .where(inArray(grades.studentId, studentIds))
          .orderBy(asc(courses.code), asc(assessments.position))
      : none<never>(),
    studentIds.length
      ? db
          .select({ mark: attendance, startsAt: classSessions.startsAt, courseCode: courses.code })
          .from(attendance)
          .innerJoin(classSessions, eq(classSessions.id, attendance.sessionId))
          .innerJoin(courses, eq(courses.id, classSessions.courseId))
          .where(inArray(attendance.studentId, studentIds))
          .orderBy(asc(classSessions.startsAt))
      : none<never>(),
    studentIds.length ? db.select().from(rotations).where(inArray(rotations.studentId, studentIds)) : none<never>(),
    studentIds.length
      ? db.select().from(attestations).where(inArray(attestations.studentId, studentIds))
      : none<never>(),
    db
      .select({ link: guardianLinks, studentName: students.nameLatin })
      .from(guardianLinks)
      .innerJoin(students, eq(students.id, guardianLinks.studentId))
      .where(
        studentIds.length
          ? or(eq(guardianLinks.guardianUserId, userId), inArray(guardianLinks.studentId, studentIds))
          : eq(guardianLinks.guardianUserId, userId),
      ),
    db.select().from(notificationOptOuts).where(eq(notificationOptOuts.userId, userId)),
    db.select().from(sessions).where(eq(sessions.userId, userId)),
  ]);
  const subjectIds = [
    userId,
    ...documents.map((d) => d.document.id),
    ...appIds,
    ...admissionRows.map((a) => a.id),
    ...consentRows.map((c) => c.id),
    ...studentIds,
    ...leadRows.map((l) => l.id),
  ];
  const audit = await db
    .select()
    .from(auditLog)
    .where(and(inArray(auditLog.subjectType, [...PERSONAL_SUBJECTS]), inArray(auditLog.subjectId, subjectIds)))
    .orderBy(asc(auditLog.id));

  // Names (only) of the other people who acted: staff who decided, a guardian the person linked.
  const otherIds = new Set<string>();
  const note = (id: string | null | undefined) => {
    if (id && id !== userId) otherIds.add(id);
  };
  for (const d of documents) note(d.document.verifiedBy);
  for (const e of extensions) note(e.grantedBy);
  for (const r of results) note(r.enteredBy);
  for (const a of admissionRows) note(a.prepaymentConfirmedBy);
  for (const n of notes) note(n.note.authorId);
  for (const g of gradeRows) note(g.grade.updatedBy);
  for (const r of rotationRows) note(r.supervisorId);
  for (const a of attestationRows) note(a.recordedBy);
  for (const l of links) note(l.link.guardianUserId);
  for (const a of audit) note(a.actorUserId);
  const people = otherIds.size
    ? await db
        .select({ id: users.id, fullName: users.fullName, role: users.role })
        .from(users)
        .where(inArray(users.id, [...otherIds]))
    : [];

  return {
    user,
    dossier,
    documents,
    applications: apps,
    choices,
    events,
    draws,
    admissions: admissionRows,
    visas,
    extensions,
    bookings,
    results,
    grants,
    notes,
    leads: leadRows,
    adaptation,
    consents: consentRows,
    students: studentRows,
    grades: gradeRows,
    attendance: attendanceRows,
    rotations: rotationRows,
    attestations: attestationRows,
    links,
    optOuts,
    sessions: sessionRows,
    audit,
    people: new Map(people.map((p) => [p.id, p])),
  };
}

export type PersonalData = Awaited<ReturnType<typeof collectPersonalData>>;

/** The export is itself a disclosure of personal data: audited (who asked, for whom; no contents). */
export async function recordExport(ctx: AppContext, userId: string, actor: Actor): Promise<void> {
  await recordAudit(ctx.db, ctx.clock, actor, {
    action: 'person.exported',
    subjectType: 'user',
    subjectId: userId,
    after: { bySelf: actor.userId === userId },
  });
}
