import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, programs, universities } from '../../src/db/schema.js';
import { seedDemoCatalog } from '../../src/seed/demo.js';
import { CatalogImportError, exportCatalog, importCatalog } from '../../src/server/catalog/catalog.service.js';
import { readCatalogFiles, writeCatalogFiles } from '../../src/server/catalog/catalog-files.js';
import { SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let rudnId: string;
let kaznmuId: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCatalog(t.ctx);
  const ids = await t.ctx.db.select({ id: universities.id, slug: universities.slug }).from(universities);
  rudnId = ids.find((u) => u.slug === 'rudn')?.id ?? '';
  kaznmuId = ids.find((u) => u.slug === 'kaznmu')?.id ?? '';
});
afterAll(async () => {
  await t.close();
});

const get = (url: string) => t.app.inject({ method: 'GET', url });
const programCount = async () => (await t.ctx.db.select({ n: count() }).from(programs))[0]?.n;

// RULES S2-2: the 31 KazNMU residency specialties and their durations in years.
const S2_2: [string, number][] = [
  ['obstetrics-and-gynecology', 3],
  ['endocrinology', 2],
  ['otorhinolaryngology', 3],
  ['cardiology', 3],
  ['ophthalmology', 3],
  ['pediatrics', 2],
  ['neonatology', 2],
  ['infectious-diseases', 2],
  ['dermatovenereology', 2],
  ['neuropathology', 2],
  ['oncology', 2],
  ['pathological-anatomy', 2],
  ['psychiatry', 2],
  ['child-psychiatry', 2],
  ['radiology', 2],
  ['radiation-therapy', 2],
  ['dentistry', 2],
  ['traumatology-and-orthopedics', 3],
  ['phthisiology', 2],
  ['general-surgery', 3],
  ['angiosurgery', 4],
  ['heart-surgery', 4],
  ['pediatric-surgery', 3],
  ['oral-and-maxillofacial-surgery', 3],
  ['allergology-and-immunology', 2],
  ['rheumatology', 2],
  ['urology-and-andrology', 3],
  ['clinical-laboratory-diagnostics', 2],
  ['nephrology', 2],
  ['sports-medicine', 2],
  ['family-medicine', 2],
];

describe('demo catalog from the source documents', () => {
  it('S2-2: has the 31 KazNMU residency specialties with their durations', async () => {
    const res = await get('/api/v1/programs?university=kaznmu&level=residency&pageSize=100');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(31);
    type Item = { slug: string; duration: { minMonths: number; maxMonths: number; source: string } };
    const items = body.items as Item[];
    for (const [name, years] of S2_2) {
      const program = items.find((p) => p.slug.startsWith(`kaznmu-residency-${name}`));
      expect(program, name).toBeDefined();
      expect(program?.duration).toEqual({ minMonths: years * 12, maxMonths: years * 12, source: 'S2-2' });
    }
  });

  it('stores unknown facts as unknown: no tuition anywhere, and every known duration has a source', async () => {
    const all = (await get('/api/v1/programs?pageSize=100')).json();
    expect(all.total).toBeGreaterThanOrEqual(45);
    for (const p of all.items) {
      expect(p.tuition).toBeNull();
      if (p.duration) expect(p.duration.source).not.toBe('');
    }
    const prep = (await get('/api/v1/programs/bsmu-preparatory')).json();
    expect(prep.duration).toMatchObject({ minMonths: 8, maxMonths: 9, source: 'S1-2' });
    expect(prep.studyForms.sort()).toEqual(['correspondence', 'full_time', 'part_time']);
    expect(prep.sources.studyForms).toContain('S1-2');
    const bsmu = (await get('/api/v1/universities/bsmu')).json();
    expect(bsmu).toMatchObject({ wdomsListed: true, country: 'BY' });
    expect(bsmu.sources.wdomsListed).toBe('S1-1');
  });
});

describe('search', () => {
  it('finds cardiology in English, Russian and with a typo', async () => {
    for (const q of ['cardiology', 'кардиология', 'cardiolgy', 'Кардиолог']) {
      const body = (await get(`/api/v1/programs?q=${encodeURIComponent(q)}`)).json();
      expect(
        body.items.map((p: { slug: string }) => p.slug),
        q,
      ).toContain('kaznmu-residency-cardiology');
    }
  });

  it('filters by country and level with counts per value, and reports the filters it knows', async () => {
    const body = (await get('/api/v1/programs?q=pediatrics&country=KZ')).json();
    expect(body.items.every((p: { university: { country: string } }) => p.university.country === 'KZ')).toBe(true);
    const ru = body.facets.country.find((f: { value: string }) => f.value === 'RU');
    expect(ru?.count).toBeGreaterThanOrEqual(1); // SPbGPMU pediatrics (S0-7)
    expect(body.facets.country.find((f: { value: string }) => f.value === 'KZ').label).toEqual({
      en: 'Kazakhstan',
      ru: 'Казахстан',
    });
  });

  it('S2-3 and S4-12: "accepting applications now" follows the server date', async () => {
    t.clock.set(new Date('2026-07-01T10:00:00Z'));
    const july = (await get('/api/v1/programs?acceptingNow=true&pageSize=100')).json();
    expect(july.items.map((p: { slug: string }) => p.slug)).toContain('kaznmu-residency-cardiology');
    t.clock.set(new Date('2026-11-22T10:00:00Z'));
    const november = (await get('/api/v1/programs?acceptingNow=true&pageSize=100')).json();
    const slugs = november.items.map((p: { slug: string }) => p.slug);
    expect(slugs).not.toContain('kaznmu-residency-cardiology');
    expect(slugs).toContain('rudn-preparatory'); // year-round (S4-12)
  });

  it('answers bad filters with 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['country=XX', 'querystring.country.0'],
      ['university=nowhere', 'querystring.university'],
      ['level=kindergarten', 'querystring.level.0'],
      ['durationMinYears=5&durationMaxYears=2', 'querystring.durationMaxYears'],
      ['pageSize=1000', 'querystring.pageSize'],
      ['colour=blue', 'querystring.colour'],
      ['tuitionMax=100', 'querystring.currency'],
      ['clinicalPractice=maybe', 'querystring.clinicalPractice'],
    ];
    for (const [query, field] of cases) {
      const res = await get(`/api/v1/programs?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(
        res.json().errors.map((e: { field: string }) => e.field),
        query,
      ).toContain(field);
    }
  });
});

describe('pages and comparison', () => {
  it('shows a program with every fact and its source, and 404 for an unknown one', async () => {
    const p = (await get('/api/v1/programs/kaznmu-residency-cardiology')).json();
    expect(p).toMatchObject({
      level: 'residency',
      languages: ['kk', 'ru'],
      university: { slug: 'kaznmu', country: 'KZ' },
    });
    expect(p.entranceExams.en).toMatch(/Kazakh or Russian/);
    expect(p.sources.entranceExams).toContain('S2-5');
    expect(p.intakeWindows[0]).toMatchObject({ opens: '06-20', closes: '07-20', source: 'S2-3' });
    expect((await get('/api/v1/programs/no-such-program')).statusCode).toBe(404);
  });

  it('compares up to four programs', async () => {
    const res = await get('/api/v1/compare?programs=kaznmu-residency-cardiology,spbgpmu-residency-pediatrics');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((p: { slug: string }) => p.slug)).toEqual([
      'kaznmu-residency-cardiology',
      'spbgpmu-residency-pediatrics',
    ]);
    expect((await get('/api/v1/compare?programs=a,b,c,d,e')).statusCode).toBe(400);
    expect((await get('/api/v1/compare?programs=kaznmu-residency-cardiology,nope')).statusCode).toBe(400);
  });

  it('lists universities with their programs', async () => {
    const list = (await get('/api/v1/universities')).json().items;
    expect(list.map((u: { slug: string }) => u.slug).sort()).toEqual(
      ['bsmu', 'kaznmu', 'kemsu', 'rudn', 'sechenov', 'spbgpmu', 'volgmed'].sort(),
    );
    const sechenov = (await get('/api/v1/universities/sechenov')).json();
    expect(sechenov.multidisciplinaryClinicalBases).toBe(true);
    expect(sechenov.sources.multidisciplinaryClinicalBases).toContain('S3-2');
    expect(sechenov.programs.length).toBeGreaterThanOrEqual(1);
    expect((await get('/api/v1/universities/atlantis')).statusCode).toBe(404);
  });
});

describe('editing the catalog', () => {
  const programBody = async (slug: string) => {
    const { exportCatalog: exp } = await import('../../src/server/catalog/catalog.service.js');
    return (await exp(t.ctx)).programs.find((p) => p.slug === slug);
  };

  it('lets only administrators and the officers of the university edit, and audits before and after', async () => {
    const body = await programBody('rudn-general-medicine');
    expect(body).toBeDefined();
    const changed = {
      ...body,
      clinicalPractice: true,
      sources: { ...body?.sources, clinicalPractice: 'RUDN curriculum 2026' },
    };
    const url = '/api/v1/programs/rudn-general-medicine';

    expect((await t.agent().request({ method: 'PUT', url, payload: changed })).statusCode).toBe(401);
    const applicant = await t.signedIn('applicant');
    expect((await applicant.agent.request({ method: 'PUT', url, payload: changed })).statusCode).toBe(403);
    const kazOfficer = await t.signedIn('officer', { universityId: kaznmuId });
    expect((await kazOfficer.agent.request({ method: 'PUT', url, payload: changed })).statusCode).toBe(403);

    const officer = await t.signedIn('officer', { universityId: rudnId });
    const ok = await officer.agent.request({ method: 'PUT', url, payload: changed });
    expect(ok.statusCode).toBe(200);
    expect((await get(url)).json().clinicalPractice).toBe(true);
    const [entry] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subjectId, ok.json().id))
      .orderBy(auditLog.id);
    expect(entry).toMatchObject({ action: 'catalog.program.updated', actorUserId: officer.userId });
    expect(entry?.before).toMatchObject({ clinicalPractice: null });
    expect(entry?.after).toMatchObject({ clinicalPractice: true });
  });

  it('refuses invalid programs, duplicate codes and missing universities, saving nothing', async () => {
    const { agent } = await t.signedIn('administrator');
    const before = await programCount();
    const base = await programBody('spbgpmu-residency-pediatrics');
    const bad = await agent.request({
      method: 'PUT',
      url: '/api/v1/programs/x-new',
      payload: {
        ...base,
        slug: 'x-new',
        languages: ['klingon'],
        durations: [{ minMonths: 30, maxMonths: 12, source: 's' }],
      },
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.languages.0', 'body.durations.0.maxMonths']));
    const dup = await agent.request({
      method: 'PUT',
      url: '/api/v1/programs/x-dup',
      payload: { ...base, slug: 'x-dup' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('duplicate_program');
    const orphan = await agent.request({
      method: 'PUT',
      url: '/api/v1/programs/x-orphan',
      payload: { ...base, slug: 'x-orphan', university: 'atlantis', specialtyCode: null },
    });
    expect(orphan.statusCode).toBe(400);
    expect(orphan.json().errors[0].field).toBe('body.university');
    expect(await programCount()).toBe(before);
  });

  it('S0-2: a plastic surgery program takes its duration from the specialty, by intake year', async () => {
    const { agent } = await t.signedIn('administrator');
    const base = await programBody('spbgpmu-residency-pediatrics');
    const payload = {
      ...base,
      slug: 'sechenov-plastic-surgery-test',
      university: 'sechenov',
      title: { en: 'Plastic surgery', ru: 'Пластическая хирургия' },
      specialtyCode: '31.08.60',
      durations: [],
      sources: {},
    };
    expect((await agent.request({ method: 'PUT', url: `/api/v1/programs/${payload.slug}`, payload })).statusCode).toBe(
      201,
    );
    t.clock.set(new Date('2022-05-01T00:00:00Z'));
    expect((await get(`/api/v1/programs/${payload.slug}`)).json().duration).toMatchObject({ maxMonths: 24 });
    t.clock.set(new Date('2026-05-01T00:00:00Z'));
    expect((await get(`/api/v1/programs/${payload.slug}`)).json().duration).toEqual({
      minMonths: 60,
      maxMonths: 60,
      source: 'S0-2',
    });
  });
});

describe('import and export', () => {
  it('round-trips the catalog through JSON, CSV and XLSX unchanged', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-export-'));
    try {
      const original = await exportCatalog(t.ctx);
      for (const format of ['json', 'csv', 'xlsx'] as const) {
        const written = await writeCatalogFiles(original, format, path.join(dir, `catalog.${format}`));
        const read = await readCatalogFiles(written);
        expect(read.problems, format).toEqual([]);
        expect(read.file, format).toEqual(original);
        await importCatalog(t.ctx, read.file, read.where, SYSTEM_ACTOR);
        expect(await exportCatalog(t.ctx), format).toEqual(original);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports nothing when any row is wrong, naming file, row and field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-import-'));
    try {
      const before = await exportCatalog(t.ctx);
      const file = path.join(dir, 'new.programs.csv');
      const header = 'slug,university,level,title_en,title_ru,specialty_code,languages,clinical_practice';
      fs.writeFileSync(
        file,
        [
          header,
          'good-one,rudn,master,Public health,Общественное здоровье,,ru,true',
          'bad-level,rudn,kindergarten,X,Х,,ru,',
          'orphan,atlantis,master,Y,У,,ru,',
          'good-one,rudn,master,Again,Снова,,ru,',
          'bad-flag,rudn,master,Z,З,,ru,maybe',
        ].join('\n'),
      );
      const read = await readCatalogFiles([file]);
      const error = await importCatalog(t.ctx, read.file, read.where, SYSTEM_ACTOR, undefined, read.problems).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CatalogImportError);
      const lines = (error as CatalogImportError).problems.map((p) => `${p.where}: ${p.field}`);
      expect(lines).toEqual(
        expect.arrayContaining([
          'new.programs.csv row 3: level',
          'new.programs.csv row 4: university',
          'new.programs.csv row 5: slug',
          'new.programs.csv row 6: clinicalPractice',
        ]),
      );
      expect(await exportCatalog(t.ctx)).toEqual(before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
