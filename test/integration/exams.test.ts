import { count, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examResults, universities } from '../../src/db/schema.js';
import { seedDemoCampaigns, seedDemoCatalog } from '../../src/seed/demo.js';
import { sendExamReminders } from '../../src/server/exams/reminders.js';
import { multipart, pdfBytes } from '../helpers/files.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let kaznmu = '';
const CAMPAIGN = 'kaznmu-residency-2026';

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCatalog(t.ctx);
  await seedDemoCampaigns(t.ctx);
  kaznmu = (await t.ctx.db.select().from(universities).where(eq(universities.slug, 'kaznmu')))[0]?.id ?? '';
  t.clock.set(new Date('2026-07-01T09:00:00Z'));
});
afterAll(async () => {
  await t.close();
});

async function submitted(citizenship: string) {
  const a = await t.signedIn('applicant');
  const dossier = {
    latinName: { surname: 'Test', givenNames: 'Applicant' },
    citizenship,
    passport: { number: 'N1234567', issuingCountry: citizenship, issuedOn: '2022-01-10', expiresOn: '2032-01-09' },
    education: [
      {
        id: 'md',
        institution: 'Medical University',
        country: citizenship,
        level: 'medical_degree',
        field: 'general_medicine',
        title: 'MD',
        documentLanguage: 'ru',
      },
    ],
    internship: { completed: true },
  };
  expect((await a.agent.request({ method: 'PUT', url: '/api/v1/me/dossier', payload: dossier })).statusCode).toBe(200);
  for (const query of [
    'kind=passport',
    'kind=education_document&relatesTo=md',
    'kind=transcript&relatesTo=md',
    'kind=internship_certificate',
  ]) {
    const { payload, headers } = multipart('doc.pdf', pdfBytes());
    await a.agent.request({ method: 'POST', url: `/api/v1/me/documents?${query}`, payload, headers });
  }
  const campaign = (await t.agent().get(`/api/v1/campaigns/${CAMPAIGN}`)).json();
  await a.agent.request({
    method: 'PUT',
    url: `/api/v1/me/applications/${CAMPAIGN}/choices`,
    payload: { competitions: [campaign.competitions[0].id] },
  });
  const receipt = await a.agent.post(`/api/v1/me/applications/${CAMPAIGN}/submit`, undefined, {
    'idempotency-key': `exam-${a.userId}`,
  });
  expect(receipt.statusCode).toBe(201);
  return { ...a, number: receipt.json().number as string };
}

describe('entrance exams', () => {
  it('S2-4/S2-5: sittings inside the exam window; foreign citizens choose Kazakh or Russian; seats are limited', async () => {
    const officer = await t.signedIn('officer', { universityId: kaznmu });
    expect(
      (
        await officer.agent.request({
          method: 'PUT',
          url: `/api/v1/campaigns/${CAMPAIGN}/exam-plan`,
          payload: { preset: 'kaznmu-residency' },
        })
      ).statusCode,
    ).toBe(204);
    const outside = await officer.agent.post(`/api/v1/campaigns/${CAMPAIGN}/exam-sessions`, {
      slotId: 'language',
      startsAt: '2026-09-01T05:00:00Z',
      endsAt: '2026-09-01T07:00:00Z',
      mode: 'on_site',
      capacity: 10,
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0].code).toBe('outside_exam_window');
    const small = (
      await officer.agent.post(`/api/v1/campaigns/${CAMPAIGN}/exam-sessions`, {
        slotId: 'language',
        startsAt: '2026-08-05T04:00:00Z',
        endsAt: '2026-08-05T06:00:00Z',
        mode: 'online',
        capacity: 1,
      })
    ).json().id;
    const big = (
      await officer.agent.post(`/api/v1/campaigns/${CAMPAIGN}/exam-sessions`, {
        slotId: 'language',
        startsAt: '2026-08-06T04:00:00Z',
        endsAt: '2026-08-06T06:00:00Z',
        mode: 'on_site',
        location: 'Almaty, Tole Bi 94',
        capacity: 50,
      })
    ).json().id;

    const foreign = await submitted('NG');
    const local = await submitted('KZ');
    const fx = (await foreign.agent.get(`/api/v1/me/exams/${CAMPAIGN}`)).json();
    expect(fx.group).toBe('foreign');
    expect(
      fx.slots.find((s: { slotId: string }) => s.slotId === 'language').options.map((o: { id: string }) => o.id),
    ).toEqual(['kk', 'ru']);
    const lx = (await local.agent.get(`/api/v1/me/exams/${CAMPAIGN}`)).json();
    expect(lx.group).toBe('local');
    expect(
      lx.slots.find((s: { slotId: string }) => s.slotId === 'language').options.map((o: { id: string }) => o.id),
    ).toEqual(['en', 'fr', 'de']);

    const wrong = await foreign.agent.request({
      method: 'PUT',
      url: `/api/v1/me/exams/${CAMPAIGN}/bookings/language`,
      payload: { sessionId: small, optionId: 'en' },
    });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().code).toBe('option_not_allowed');
    expect(
      (
        await foreign.agent.request({
          method: 'PUT',
          url: `/api/v1/me/exams/${CAMPAIGN}/bookings/language`,
          payload: { sessionId: small, optionId: 'ru' },
        })
      ).statusCode,
    ).toBe(204);
    const mail = await t.mail.next(foreign.email);
    expect(mail.subject).toMatch(/Exam booked/);
    const full = await local.agent.request({
      method: 'PUT',
      url: `/api/v1/me/exams/${CAMPAIGN}/bookings/language`,
      payload: { sessionId: small, optionId: 'en' },
    });
    expect(full.json().code).toBe('session_full');
    expect(
      (
        await local.agent.request({
          method: 'PUT',
          url: `/api/v1/me/exams/${CAMPAIGN}/bookings/language`,
          payload: { sessionId: big, optionId: 'en' },
        })
      ).statusCode,
    ).toBe(204);
    // Rescheduling frees the seat.
    expect(
      (
        await foreign.agent.request({
          method: 'PUT',
          url: `/api/v1/me/exams/${CAMPAIGN}/bookings/language`,
          payload: { sessionId: big, optionId: 'kk' },
        })
      ).statusCode,
    ).toBe(204);
    expect((await t.mail.next(foreign.email)).subject).toBe('Exam booked for 2026-08-06 04:00 UTC');
    const ics = await foreign.agent.get('/api/v1/me/exams.ics');
    expect(ics.body).toContain('BEGIN:VEVENT');
    expect(ics.body).toContain('DTSTART:20260806T040000Z');

    // A day before, the reminder goes out once.
    t.clock.set(new Date('2026-08-05T12:00:00Z'));
    expect(await sendExamReminders(t.ctx)).toBeGreaterThanOrEqual(2);
    expect((await t.mail.next(foreign.email)).subject).toMatch(/^Reminder: exam on 2026-08-06 04:00 UTC/);
    expect(await sendExamReminders(t.ctx)).toBe(0);
    // Less than 24 hours before the sitting nothing changes.
    await foreign.agent.post('/api/v1/auth/login', { email: foreign.email, password: TEST_PASSWORD });
    const late = await foreign.agent.request({
      method: 'DELETE',
      url: `/api/v1/me/exams/${CAMPAIGN}/bookings/language`,
    });
    expect(late.json().code).toBe('too_late_to_change');
    t.clock.set(new Date('2026-07-01T09:00:00Z'));
  });

  it('S2-5: enters results all or nothing, keeps attempts, imports CSV/XLSX and ranks by the exam total', async () => {
    const officer = await t.signedIn('officer', { universityId: kaznmu });
    await officer.agent.request({
      method: 'PUT',
      url: `/api/v1/campaigns/${CAMPAIGN}/exam-plan`,
      payload: { preset: 'kaznmu-residency' },
    });
    const a = await submitted('NG');
    const b = await submitted('GH');
    const before = (await t.ctx.db.select({ n: count() }).from(examResults))[0]?.n;
    const bad = await officer.agent.request({
      method: 'PUT',
      url: `/api/v1/campaigns/${CAMPAIGN}/exam-results`,
      payload: {
        rows: [
          { applicationNumber: a.number, slotId: 'language', status: 'sat', score: 80 },
          { applicationNumber: 'MA-0000-000000', slotId: 'language', status: 'sat', score: 50 },
          { applicationNumber: b.number, slotId: 'specialty', status: 'sat', score: 180 },
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toEqual([
      'rows.1:unknown_applicant',
      'rows.2.score:out_of_range',
    ]);
    expect((await t.ctx.db.select({ n: count() }).from(examResults))[0]?.n).toBe(before);

    const ok = await officer.agent.request({
      method: 'PUT',
      url: `/api/v1/campaigns/${CAMPAIGN}/exam-results`,
      payload: {
        rows: [
          { applicationNumber: a.number, slotId: 'language', status: 'sat', score: 80 },
          { applicationNumber: a.number, slotId: 'specialty', status: 'sat', score: 72 },
        ],
      },
    });
    expect(ok.json()).toEqual({ saved: 2 });

    const csv = `application_number,slot,status,score\n${b.number},language,sat,64\n${b.number},specialty,sat,40\n`;
    const { payload, headers } = multipart('results.csv', Buffer.from(csv));
    const imported = await officer.agent.request({
      method: 'POST',
      url: `/api/v1/campaigns/${CAMPAIGN}/exam-results/import`,
      payload,
      headers,
    });
    expect(imported.json()).toEqual({ saved: 2 });
    const badCsv = multipart(
      'results.csv',
      Buffer.from(`application_number,slot,status,score\n${b.number},language,sat,640\n`),
    );
    const refused = await officer.agent.request({
      method: 'POST',
      url: `/api/v1/campaigns/${CAMPAIGN}/exam-results/import`,
      payload: badCsv.payload,
      headers: badCsv.headers,
    });
    expect(refused.json().errors[0].field).toBe('results.csv row 2.score');

    // The same from a spreadsheet: a correction of the latest attempt of applicant A.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('results');
    sheet.addRow(['application_number', 'slot', 'status', 'score']);
    sheet.addRow([a.number, 'specialty', 'sat', 74]);
    const xlsx = multipart('results.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    const fromXlsx = await officer.agent.request({
      method: 'POST',
      url: `/api/v1/campaigns/${CAMPAIGN}/exam-results/import`,
      payload: xlsx.payload,
      headers: xlsx.headers,
    });
    expect(fromXlsx.json()).toEqual({ saved: 1 });

    const grid = (await officer.agent.get(`/api/v1/campaigns/${CAMPAIGN}/exam-results`)).json();
    const rowB = grid.rows.find((r: { applicationNumber: string }) => r.applicationNumber === b.number);
    expect(rowB.results.specialty).toMatchObject({ attempt: 1, score: 40, outcome: 'failed' });
    // Export → import gives the same grid (the round trip officers use with spreadsheets).
    const exported = await officer.agent.get(`/api/v1/campaigns/${CAMPAIGN}/exam-results/export?format=xlsx`);
    const round = multipart('round-trip.xlsx', exported.rawPayload);
    const reimported = await officer.agent.request({
      method: 'POST',
      url: `/api/v1/campaigns/${CAMPAIGN}/exam-results/import`,
      payload: round.payload,
      headers: round.headers,
    });
    expect(reimported.statusCode).toBe(200);
    expect((await officer.agent.get(`/api/v1/campaigns/${CAMPAIGN}/exam-results`)).json()).toEqual(grid);
    // KazNMU allows no retake: a second attempt is refused.
    const retake = await officer.agent.request({
      method: 'PUT',
      url: `/api/v1/campaigns/${CAMPAIGN}/exam-results`,
      payload: { rows: [{ applicationNumber: b.number, slotId: 'specialty', status: 'sat', score: 90, attempt: 2 }] },
    });
    expect(retake.json().errors[0].code).toBe('retake_not_allowed');

    expect(
      (
        await officer.agent.request({
          method: 'PUT',
          url: `/api/v1/campaigns/${CAMPAIGN}/score-config`,
          payload: {
            mode: 'exams',
            weights: { rubric: 0, exams: 1 },
            tieBreaks: [{ source: 'exam', slotId: 'specialty' }],
            source: 'S2-5',
          },
        })
      ).statusCode,
    ).toBe(204);
    const ranked = (await officer.agent.get(`/api/v1/campaigns/${CAMPAIGN}/competitive-scores`)).json().items;
    const ra = ranked.find((r: { applicationNumber: string }) => r.applicationNumber === a.number);
    const rb = ranked.find((r: { applicationNumber: string }) => r.applicationNumber === b.number);
    expect(ra).toMatchObject({ eligible: true, tuple: [154, 74] });
    expect(rb).toMatchObject({ eligible: false, reason: 'exam_failed' });
    expect(ranked.indexOf(ra)).toBeLessThan(ranked.indexOf(rb));
  });
});
