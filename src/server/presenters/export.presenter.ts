import { z } from 'zod';
import type { ConsentRow } from '../privacy/consent.service.js';
import type { PersonalData } from '../privacy/export.service.js';
import { presentDocument } from './dossier.presenter.js';
import { presentUser } from './user.presenter.js';

export const ZConsent = z
  .object({
    id: z.uuid(),
    purpose: z.string(),
    textVersion: z.string(),
    textSha256: z.string().describe('SHA-256 of the exact text shown (title, blank line, body) in `locale`'),
    locale: z.string(),
    givenAt: z.string(),
    withdrawnAt: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'Consent' });

/** The address a consent was given from stays on the server (it is in the person's export only). */
export function presentConsent(c: ConsentRow): z.infer<typeof ZConsent> {
  return {
    id: c.id,
    purpose: c.purpose,
    textVersion: c.textVersion,
    textSha256: c.textSha256,
    locale: c.locale,
    givenAt: c.givenAt.toISOString(),
    withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
    active: c.withdrawnAt === null,
  };
}

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

const PERSON_ROLES = new Set(['applicant', 'student']);

/**
 * The machine-readable export of everything held about one person (GDPR art. 15 and 20). Other
 * people appear by name only: staff who decided something about the person, and linked guardians;
 * never their ids, e-mail addresses or anything else.
 */
export function presentPersonalExport(data: PersonalData, exportedAt: Date) {
  const nameOf = (id: string | null | undefined): string | null => {
    if (!id) return null;
    if (id === data.user.id) return data.user.fullName;
    const person = data.people.get(id);
    return person && !PERSON_ROLES.has(person.role) ? person.fullName : null;
  };
  const actorOf = (id: string | null) => {
    if (!id) return { kind: 'system' as const, name: null };
    if (id === data.user.id) return { kind: 'self' as const, name: data.user.fullName };
    return { kind: 'staff' as const, name: nameOf(id) };
  };
  const studentIds = new Set(data.students.map((s) => s.student.id));
  return {
    format: 'medadmit-personal-data',
    formatVersion: 1,
    exportedAt: exportedAt.toISOString(),
    account: {
      ...presentUser(data.user),
      lastActiveAt: iso(data.user.lastActiveAt),
      erasedAt: iso(data.user.erasedAt),
      updatedAt: data.user.updatedAt.toISOString(),
    },
    dossier: data.dossier.dossier ? { data: data.dossier.dossier, updatedAt: iso(data.dossier.updatedAt) } : null,
    documents: data.documents.map(({ document, versions }) => ({
      ...presentDocument(document, versions),
      verifiedBy: nameOf(document.verifiedBy),
      createdAt: document.createdAt.toISOString(),
    })),
    applications: data.applications.map(({ application: a, campaign }) => ({
      id: a.id,
      campaign: { slug: campaign.slug, title: campaign.titleEn },
      status: a.status,
      receipt: a.submittedAt
        ? { number: a.number, submittedAt: a.submittedAt.toISOString(), snapshotSha256: a.snapshotSha256 }
        : null,
      snapshot: a.snapshot ?? null,
      choices: data.choices
        .filter((c) => c.applicationId === a.id)
        .sort((x, y) => x.priority - y.priority)
        .map((c) => ({ priority: c.priority, competitionId: c.competitionId })),
      timeline: data.events
        .filter((e) => e.applicationId === a.id)
        .map((e) => ({ at: e.at.toISOString(), type: e.type, data: e.data ?? null })),
      lottery:
        data.draws
          .filter((d) => d.applicationId === a.id)
          .map((d) => ({ number: d.lottery, code: d.code, drawnAt: d.drawnAt.toISOString() }))[0] ?? null,
      createdAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
    })),
    deadlineExtensions: data.extensions.map((e) => ({
      campaignId: e.campaignId,
      kind: e.kind,
      until: e.until.toISOString(),
      reason: e.reason,
      grantedBy: nameOf(e.grantedBy),
    })),
    exams: {
      bookings: data.bookings.map((b) => ({
        campaignId: b.campaignId,
        slotId: b.slotId,
        optionId: b.optionId,
        sessionId: b.sessionId,
        bookedAt: b.bookedAt.toISOString(),
      })),
      results: data.results.map((r) => ({
        campaignId: r.campaignId,
        slotId: r.slotId,
        attempt: r.attempt,
        status: r.status,
        score: r.score,
        outcome: r.outcome,
        enteredBy: nameOf(r.enteredBy),
        enteredAt: r.enteredAt.toISOString(),
      })),
    },
    admissions: data.admissions.map((a) => ({
      id: a.id,
      applicationId: a.applicationId,
      competitionId: a.competitionId,
      priority: a.priority,
      status: a.status,
      confirmBy: a.confirmBy.toISOString(),
      consentAt: iso(a.consentAt),
      contractAcceptedAt: iso(a.contractAcceptedAt),
      prepaymentConfirmedAt: iso(a.prepaymentConfirmedAt),
      prepaymentConfirmedBy: nameOf(a.prepaymentConfirmedBy),
      prepaymentReference: a.prepaymentReference,
      confirmedAt: iso(a.confirmedAt),
      closedReason: a.closedReason,
      createdAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
    })),
    visaCases: data.visas.map((v) => ({
      admissionId: v.admissionId,
      status: v.status,
      requestedAt: v.requestedAt.toISOString(),
      request: v.request,
      invitationIssuedAt: iso(v.invitationIssuedAt),
      invitationNumber: v.invitationNumber,
      visaIssuedAt: iso(v.visaIssuedAt),
      arrivedAt: iso(v.arrivedAt),
      registrationDueAt: iso(v.registrationDueAt),
      registeredAt: iso(v.registeredAt),
    })),
    agency: {
      grants: data.grants.map(({ grant, agency }) => ({
        agency: { slug: agency.slug, name: agency.nameEn },
        scope: grant.scope,
        grantedAt: grant.grantedAt.toISOString(),
        revokedAt: iso(grant.revokedAt),
      })),
      notes: data.notes.map(({ note, agency }) => ({
        agency: { slug: agency.slug, name: agency.nameEn },
        body: note.body,
        author: nameOf(note.authorId),
        createdAt: note.createdAt.toISOString(),
      })),
      inquiries: data.leads.map((l) => ({
        name: l.name,
        email: l.email,
        phone: l.phone,
        citizenship: l.citizenship,
        message: l.message,
        status: l.status,
        createdAt: l.createdAt.toISOString(),
      })),
    },
    adaptation: data.adaptation.map((a) => ({
      universityId: a.universityId,
      itemId: a.itemId,
      dueAt: a.dueAt.toISOString(),
      doneAt: iso(a.doneAt),
    })),
    consents: data.consents.map((c) => ({ ...presentConsent(c), ip: c.ip })),
    register:
      data.students.length === 0
        ? null
        : {
            students: data.students.map(({ student: s, university }) => ({
              id: s.id,
              number: s.number,
              nameLatin: s.nameLatin,
              nameCyrillic: s.nameCyrillic,
              status: s.status,
              university: { slug: university.slug, name: university.nameEn },
              createdAt: s.createdAt.toISOString(),
            })),
            grades: data.grades.map((g) => ({
              course: g.courseCode,
              assessment: g.assessment.title,
              kind: g.assessment.kind,
              heldOn: g.assessment.heldOn,
              value: g.grade.value,
              comment: g.grade.comment,
              by: nameOf(g.grade.updatedBy),
              updatedAt: g.grade.updatedAt.toISOString(),
            })),
            attendance: data.attendance.map((a) => ({
              course: a.courseCode,
              startsAt: a.startsAt.toISOString(),
              status: a.mark.status,
              reason: a.mark.reason,
              hasDocument: a.mark.documentKey !== null,
              updatedAt: a.mark.updatedAt.toISOString(),
            })),
            rotations: data.rotations.map((r) => ({
              clinicalBase: r.clinicalBase,
              department: r.department,
              supervisor: nameOf(r.supervisorId),
              startsOn: r.startsOn,
              endsOn: r.endsOn,
              result: r.result,
            })),
            attestations: data.attestations.map((a) => ({
              kind: a.kind,
              heldOn: a.heldOn,
              result: a.result,
              grade: a.grade,
              qualification: a.qualification,
              protocolNumber: a.protocolNumber,
              recordedAt: a.recordedAt.toISOString(),
            })),
          },
    guardianLinks: data.links.map(({ link, studentName }) => {
      const asStudent = studentIds.has(link.studentId);
      return {
        role: asStudent ? ('student' as const) : ('guardian' as const),
        relation: link.relation,
        status: link.status,
        // The student sees the address they invited and the guardian's name; a guardian sees the student's name.
        ...(asStudent
          ? { email: link.email, guardian: link.guardianUserId ? nameOf(link.guardianUserId) : null }
          : { student: studentName }),
        createdAt: link.createdAt.toISOString(),
        confirmedAt: iso(link.confirmedAt),
        endedAt: iso(link.endedAt),
      };
    }),
    notifications: { optOut: data.optOuts.map((o) => o.kind) },
    sessions: data.sessions.map((s) => ({
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      ip: s.ip,
      userAgent: s.userAgent,
    })),
    audit: data.audit.map((a) => ({
      at: a.at.toISOString(),
      action: a.action,
      subjectType: a.subjectType,
      subjectId: a.subjectId,
      actor: actorOf(a.actorUserId),
      onBehalfOfYou: a.onBehalfOfUserId === data.user.id,
      reason: a.reason,
      before: a.before ?? null,
      after: a.after ?? null,
    })),
  };
}
