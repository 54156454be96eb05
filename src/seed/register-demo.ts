/**
 * Demo data of the electronic register (S1-6) at BSMU, where the demo teacher works: the current
 * term, a group with the demo student and ten fictional students, three courses on the three
 * scales taught by the demo teacher, sessions over the past weeks with attendance, assessments
 * with grades, a clinical rotation, and the demo parent actively linked to the demo student.
 * Loaded once (app_meta.demo_register); every name is fictional.
 */
import { eq } from 'drizzle-orm';
import {
  appMeta,
  assessments,
  attendance,
  classSessions,
  courses,
  courseTeachers,
  grades,
  groupMembers,
  groupStaff,
  guardianLinks,
  rotations,
  students,
  studyGroups,
  terms,
  universities,
  users,
} from '../db/schema.js';
import type { ScaleId } from '../domain/register/scales.js';
import type { AppContext } from '../server/context.js';
import { recordAudit, SYSTEM_ACTOR } from '../server/services/audit.service.js';

const KEY = 'demo_register';
const DAY = 86_400_000;

const CLASSMATES: [string, string][] = [
  ['Aisha Mensah', 'Аиша Менса'],
  ['Rahul Verma', 'Рахул Верма'],
  ['Fatima Al-Sayed', 'Фатима Аль-Саид'],
  ['Daniel Okoye', 'Даниэль Окойе'],
  ['Mei Tanaka', 'Мэй Танака'],
  ['Omar Haddou', 'Омар Хадду'],
  ['Sofia Rossi', 'София Росси'],
  ['Kwame Asante', 'Кваме Асанте'],
  ['Layla Nasser', 'Лейла Насер'],
  ['Arjun Nair', 'Арджун Наир'],
];

const COURSES: { code: string; name: { en: string; ru: string }; scale: ScaleId; hours: number; weekdays: number[] }[] =
  [
    {
      code: 'ANAT-2',
      name: { en: 'Human Anatomy', ru: 'Анатомия человека' },
      scale: 'five_point',
      hours: 108,
      weekdays: [1, 3],
    },
    { code: 'BIOCH-2', name: { en: 'Biochemistry', ru: 'Биохимия' }, scale: 'hundred_point', hours: 72, weekdays: [2] },
    {
      code: 'LAT-1',
      name: { en: 'Latin Language', ru: 'Латинский язык' },
      scale: 'pass_fail',
      hours: 36,
      weekdays: [4],
    },
  ];

/** A repeatable pseudo-random number in [0, 1) from integers (no state, same demo every time). */
function noise(...parts: number[]): number {
  let h = 2166136261;
  for (const p of parts) {
    h ^= p + 0x9e3779b9;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return (h % 10_000) / 10_000;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export async function seedRegisterDemo(ctx: AppContext): Promise<void> {
  const db = ctx.db;
  const [done] = await db.select().from(appMeta).where(eq(appMeta.key, KEY));
  if (done) return;
  const [university] = await db.select().from(universities).where(eq(universities.slug, 'bsmu'));
  const [teacher] = await db.select().from(users).where(eq(users.email, 'teacher@demo.medadmit.local'));
  const [demoStudent] = await db.select().from(users).where(eq(users.email, 'student@demo.medadmit.local'));
  const [parent] = await db.select().from(users).where(eq(users.email, 'parent@demo.medadmit.local'));
  if (!university || !teacher || !demoStudent) return;
  const now = ctx.clock.now();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const year = now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  const academicYear = `${year}/${year + 1}`;

  await db.transaction(async (tx) => {
    const [term] = await tx
      .insert(terms)
      .values({
        universityId: university.id,
        academicYear,
        name: { en: 'Current term (demo)', ru: 'Текущий семестр (демо)' },
        startsOn: isoDate(today - 8 * 7 * DAY),
        endsOn: isoDate(today + 10 * 7 * DAY),
        createdAt: now,
      })
      .returning();
    const [group] = await tx
      .insert(studyGroups)
      .values({
        universityId: university.id,
        code: 'L-201 (demo)',
        faculty: { en: 'Faculty of Foreign Students (demo)', ru: 'Факультет иностранных учащихся (демо)' },
        academicYear,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!term || !group) return;

    // The demo student, then ten classmates with accounts that have no password (nobody signs in as them).
    const people = [{ userId: demoStudent.id, nameLatin: 'Karim Haddad', nameCyrillic: 'Карим Хаддад' }];
    for (const [i, [latin, cyrillic]] of CLASSMATES.entries()) {
      const email = `register-demo-${String(i + 1).padStart(2, '0')}@demo.medadmit.local`;
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
      const [created] = existing
        ? [existing]
        : await tx
            .insert(users)
            .values({ email, passwordHash: '!register:no-password', fullName: latin, role: 'student' })
            .returning({ id: users.id });
      people.push({ userId: created?.id as string, nameLatin: latin, nameCyrillic: cyrillic });
    }
    const studentRows = await tx
      .insert(students)
      .values(
        people.map((p, i) => ({
          userId: p.userId,
          universityId: university.id,
          number: `BSMU-D-${String(i + 1).padStart(3, '0')}`,
          nameLatin: p.nameLatin,
          nameCyrillic: p.nameCyrillic,
          createdAt: now,
        })),
      )
      .onConflictDoNothing()
      .returning();
    const ids = people
      .map((p) => studentRows.find((s) => s.userId === p.userId)?.id)
      .filter((id): id is string => !!id);
    const karim = studentRows.find((s) => s.userId === demoStudent.id)?.id;
    await tx.insert(groupMembers).values(ids.map((studentId) => ({ groupId: group.id, studentId, joinedAt: now })));
    await tx.insert(groupStaff).values({ groupId: group.id, userId: teacher.id, role: 'curator' });

    for (const [c, spec] of COURSES.entries()) {
      const [course] = await tx
        .insert(courses)
        .values({
          universityId: university.id,
          termId: term.id,
          groupId: group.id,
          code: spec.code,
          name: spec.name,
          scale: spec.scale,
          hours: spec.hours,
          createdAt: now,
        })
        .returning();
      if (!course) continue;
      await tx.insert(courseTeachers).values({ courseId: course.id, userId: teacher.id });
      // Sessions on the course's weekdays at 09:00 Minsk (06:00 UTC) over the past six weeks and the next four.
      const starts: Date[] = [];
      for (let day = today - 42 * DAY; day <= today + 28 * DAY; day += DAY) {
        const weekday = ((new Date(day).getUTCDay() + 6) % 7) + 1;
        if (spec.weekdays.includes(weekday)) starts.push(new Date(day + 6 * 3_600_000));
      }
      const sessions = await tx
        .insert(classSessions)
        .values(
          starts.map((startsAt, i) => ({
            courseId: course.id,
            startsAt,
            kind: i % 3 === 0 ? 'lecture' : 'practical',
            topic: `${spec.name.en} ${i + 1}`,
          })),
        )
        .returning();
      const past = sessions
        .filter((s) => s.startsAt.getTime() < now.getTime())
        .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
      const marks = past.flatMap((session, si) =>
        ids.map((studentId, pi) => {
          const r = noise(c, si, pi);
          // The demo student missed the last two anatomy classes: one more absence makes a streak alert.
          const karimStreak = studentId === karim && c === 0 && si >= past.length - 2;
          const status = karimStreak
            ? 'absent'
            : r < 0.8
              ? 'present'
              : r < 0.88
                ? 'late'
                : r < 0.95
                  ? 'absent'
                  : 'excused';
          return {
            sessionId: session.id,
            studentId,
            status,
            reason: status === 'excused' ? 'Medical certificate' : null,
            updatedBy: teacher.id,
            updatedAt: new Date(session.startsAt.getTime() + 2 * 3_600_000),
          };
        }),
      );
      if (marks.length) await tx.insert(attendance).values(marks);
      const items = await tx
        .insert(assessments)
        .values([
          {
            courseId: course.id,
            title: 'Colloquium 1',
            kind: 'current',
            weight: 1,
            heldOn: isoDate(today - 28 * DAY),
            position: 1,
          },
          {
            courseId: course.id,
            title: 'Colloquium 2',
            kind: 'current',
            weight: 1,
            heldOn: isoDate(today - 7 * DAY),
            position: 2,
          },
          {
            courseId: course.id,
            title: 'Exam',
            kind: 'exam',
            weight: 2,
            heldOn: isoDate(today + 30 * DAY),
            position: 3,
          },
        ])
        .returning();
      const graded = items.filter((a) => a.kind === 'current');
      const values = graded.flatMap((a, ai) =>
        ids.map((studentId, pi) => {
          const r = noise(100 + c, ai, pi);
          const value =
            spec.scale === 'five_point'
              ? r < 0.1
                ? 2
                : r < 0.35
                  ? 3
                  : r < 0.75
                    ? 4
                    : 5
              : spec.scale === 'hundred_point'
                ? 45 + Math.floor(r * 55)
                : r < 0.1
                  ? 0
                  : 1;
          return { assessmentId: a.id, studentId, value, comment: null, updatedBy: teacher.id, updatedAt: now };
        }),
      );
      if (values.length) await tx.insert(grades).values(values);
    }

    if (karim) {
      await tx.insert(rotations).values({
        studentId: karim,
        termId: term.id,
        clinicalBase: 'City Clinical Hospital (demo)',
        department: 'Surgery',
        supervisorId: teacher.id,
        startsOn: isoDate(today - 14 * DAY),
        endsOn: isoDate(today + 14 * DAY),
        createdAt: now,
      });
      if (parent)
        await tx.insert(guardianLinks).values({
          studentId: karim,
          guardianUserId: parent.id,
          email: parent.email,
          relation: 'parent',
          status: 'active',
          createdBy: demoStudent.id,
          createdAt: now,
          confirmedAt: now,
          confirmedBy: demoStudent.id,
        });
    }
    await recordAudit(tx, ctx.clock, SYSTEM_ACTOR, {
      action: 'register.demo.seeded',
      subjectType: 'term',
      subjectId: term.id,
      after: { group: group.code, students: ids.length, courses: COURSES.length },
    });
    await tx.insert(appMeta).values({ key: KEY, value: { at: now } });
  });
}
