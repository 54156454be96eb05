/**
 * Catalog benchmark (issue 3): a generated catalog of 500 universities and 20,000 programs,
 * searched with a query and two filters by 50 concurrent clients; p95 server time (the
 * Server-Timing header: time spent in the process on the request) and client latency, on PGlite
 * and on PostgreSQL. Then Lighthouse (mobile preset, Debian Chromium) on the catalog search page.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TCatalogFile, TProgramInput, TUniversityInput } from '../src/domain/catalog/catalog.schema.js';
import { withPostgres } from './postgres.js';
import type { Row } from './run.js';
import { cli, percentile, startServer, stopServer } from './server.js';

const run = promisify(execFile);
const UNIVERSITIES = Number(process.env.BENCH_UNIVERSITIES ?? 500);
const PROGRAMS = Number(process.env.BENCH_PROGRAMS ?? 20_000);
const CLIENTS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

const SPECIALTIES: [string, string, string][] = [
  ['Cardiology', 'Кардиология', '31.08.36'],
  ['Pediatrics', 'Педиатрия', '31.08.19'],
  ['Neurology', 'Неврология', '31.08.42'],
  ['Surgery', 'Хирургия', '31.08.67'],
  ['Therapy', 'Терапия', '31.08.49'],
  ['Obstetrics and gynecology', 'Акушерство и гинекология', '31.08.01'],
  ['Ophthalmology', 'Офтальмология', '31.08.59'],
  ['Oncology', 'Онкология', '31.08.57'],
  ['Psychiatry', 'Психиатрия', '31.08.20'],
  ['Radiology', 'Рентгенология', '31.08.09'],
  ['Dermatovenereology', 'Дерматовенерология', '31.08.32'],
  ['Endocrinology', 'Эндокринология', '31.08.53'],
  ['Urology', 'Урология', '31.08.68'],
  ['Traumatology and orthopedics', 'Травматология и ортопедия', '31.08.66'],
  ['Anesthesiology and resuscitation', 'Анестезиология-реаниматология', '31.08.02'],
  ['Infectious diseases', 'Инфекционные болезни', '31.08.35'],
  ['Rheumatology', 'Ревматология', '31.08.46'],
  ['Nephrology', 'Нефрология', '31.08.43'],
  ['Pulmonology', 'Пульмонология', '31.08.45'],
  ['Gastroenterology', 'Гастроэнтерология', '31.08.28'],
];
const CITIES: [string, string][] = [
  ['Moscow', 'Москва'],
  ['Saint Petersburg', 'Санкт-Петербург'],
  ['Kazan', 'Казань'],
  ['Novosibirsk', 'Новосибирск'],
  ['Minsk', 'Минск'],
  ['Grodno', 'Гродно'],
  ['Almaty', 'Алматы'],
  ['Astana', 'Астана'],
  ['Volgograd', 'Волгоград'],
  ['Kemerovo', 'Кемерово'],
];
const LEVELS = ['residency', 'residency', 'residency', 'specialist', 'master', 'phd', 'preparatory'] as const;

/** A deterministic pseudo-random catalog (mulberry32), the same on every run. */
export function generateCatalog(universityCount: number, programCount: number): TCatalogFile {
  let state = 20261122;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const universities: TUniversityInput[] = Array.from({ length: universityCount }, (_, i) => {
    const [cityEn, cityRu] = pick(CITIES);
    const country =
      cityEn === 'Minsk' || cityEn === 'Grodno' ? 'BY' : cityEn === 'Almaty' || cityEn === 'Astana' ? 'KZ' : 'RU';
    return {
      slug: `bench-u${i}`,
      name: { en: `${cityEn} Medical University No. ${i}`, ru: `Медицинский университет № ${i}, ${cityRu}` },
      shortName: `BMU${i}`,
      country,
      city: { en: cityEn, ru: cityRu },
      website: null,
      wdomsListed: random() < 0.5 ? true : null,
      languages: random() < 0.4 ? ['ru', 'en'] : ['ru'],
      multidisciplinaryClinicalBases: random() < 0.3 ? true : null,
      clinicalBases: null,
      partnerships:
        random() < 0.2 ? { en: 'Exchange with partner universities', ru: 'Обмен с вузами-партнёрами' } : null,
      exchangePrograms: null,
      description: null,
      sources: { country: 'benchmark' },
    };
  });
  const codesUsed = new Set<string>();
  const programs: TProgramInput[] = Array.from({ length: programCount }, (_, i) => {
    const university = universities[i % universityCount] as TUniversityInput;
    const [en, ru, code] = pick(SPECIALTIES);
    const level = pick(LEVELS);
    // An official code once per university and level, as the catalog requires.
    const codeKey = `${university.slug}|${code}`;
    const withCode = level === 'residency' && university.country === 'RU' && random() < 0.05 && !codesUsed.has(codeKey);
    if (withCode) codesUsed.add(codeKey);
    const years = level === 'preparatory' ? 1 : 2 + Math.floor(random() * 4);
    return {
      slug: `bench-p${i}`,
      university: university.slug,
      level,
      title: {
        en: level === 'preparatory' ? 'Preparatory faculty' : en,
        ru: level === 'preparatory' ? 'Подготовительный факультет' : ru,
      },
      specialtyCode: withCode ? code : null,
      durations: [
        { fromIntakeYear: null, toIntakeYear: null, minMonths: years * 12, maxMonths: years * 12, source: 'benchmark' },
      ],
      languages: random() < 0.3 ? ['ru', 'en'] : ['ru'],
      languagePreparation: random() < 0.3 ? true : null,
      studyForms: random() < 0.7 ? ['full_time'] : ['full_time', 'part_time'],
      fundingKinds: random() < 0.5 ? ['contract'] : ['contract', 'quota'],
      tuition:
        random() < 0.5 ? { amount: 200_000 + Math.floor(random() * 800_000), currency: 'RUB', period: 'year' } : null,
      clinicalPractice: random() < 0.5 ? true : null,
      exchangePrograms: null,
      stateSecret: false,
      entranceExams: null,
      intakeWindows: [{ yearRound: false, opens: '06-20', closes: '08-31', studyForms: [], source: 'benchmark' }],
      notes: null,
      sources: { title: 'benchmark' },
    };
  });
  return { universities, programs };
}

const QUERIES = [
  'q=cardiology&country=RU&level=residency',
  'q=кардиология&country=KZ&level=residency',
  'q=pediatrics&language=en&level=residency',
  'q=surgery&country=BY&studyForm=part_time',
  'q=neurolgy&country=RU&funding=quota',
  'q=терапия&level=specialist&clinicalPractice=true',
  'country=RU&level=residency',
  'q=oncology&city=Moscow&level=master',
];

async function load(url: string) {
  const server: number[] = [];
  const client: number[] = [];
  let errors = 0;
  const until = Date.now() + SECONDS * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        const query = QUERIES[n++ % QUERIES.length];
        const started = performance.now();
        const res = await fetch(`${url}/api/v1/programs?${query}`);
        await res.arrayBuffer();
        client.push(performance.now() - started);
        if (!res.ok) errors++;
        const timing = /dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '');
        if (timing?.[1]) server.push(Number(timing[1]));
      }
    }),
  );
  server.sort((a, b) => a - b);
  client.sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(1);
  return {
    server: `p50 ${f(percentile(server, 50))} ms, p95 ${f(percentile(server, 95))} ms, p99 ${f(percentile(server, 99))} ms`,
    client: `p50 ${f(percentile(client, 50))} ms, p95 ${f(percentile(client, 95))} ms; ${Math.round(client.length / SECONDS)} req/s, ${errors} errors`,
  };
}

async function lighthouse(url: string): Promise<Row[]> {
  const out = path.join(os.tmpdir(), `medadmit-lighthouse-${process.pid}.json`);
  const chromeFlags = [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ].join(' ');
  // Fetched by npx at bench time, so its moving dependencies stay out of the project's lock file.
  await run(
    'npx',
    [
      '--yes',
      'lighthouse@12.8.2',
      url,
      '--only-categories=performance',
      '--output=json',
      `--output-path=${out}`,
      `--chrome-flags=${chromeFlags}`,
      '--quiet',
    ],
    {
      env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as {
    categories: { performance: { score: number } };
    audits: Record<
      string,
      { numericValue?: number; details?: { items?: { resourceType?: string; transferSize?: number }[] } }
    >;
  };
  fs.rmSync(out, { force: true });
  const scripts = report.audits['resource-summary']?.details?.items?.find((i) => i.resourceType === 'script');
  const ms = (audit: string) => `${Math.round(report.audits[audit]?.numericValue ?? Number.NaN)} ms`;
  return [
    {
      database: 'pglite',
      measure: 'Lighthouse performance score, mobile preset, /catalog',
      value: String(Math.round(report.categories.performance.score * 100)),
    },
    {
      database: 'pglite',
      measure: 'Lighthouse first contentful paint / largest contentful paint / total blocking time',
      value: `${ms('first-contentful-paint')} / ${ms('largest-contentful-paint')} / ${ms('total-blocking-time')}`,
    },
    {
      database: 'pglite',
      measure: 'JavaScript transferred on first load of /catalog (compressed)',
      value: `${((scripts?.transferSize ?? 0) / 1024).toFixed(1)} KiB`,
    },
  ];
}

async function measure(
  rows: Row[],
  database: string,
  env: Record<string, string>,
  dataDir: string,
  catalogFile: string,
) {
  const first = await startServer({ ...env, DATA_DIR: dataDir });
  await stopServer(first.proc);
  const started = performance.now();
  await run('node', [cli, 'catalog', 'import', catalogFile], { env: { ...process.env, ...env, DATA_DIR: dataDir } });
  rows.push({
    database,
    measure: `import ${UNIVERSITIES} universities and ${PROGRAMS} programs (CLI, JSON)`,
    value: `${Math.round(performance.now() - started)} ms`,
  });
  const server = await startServer({ ...env, DATA_DIR: dataDir });
  try {
    await fetch(`${server.url}/api/v1/programs?q=warmup`);
    const result = await load(server.url);
    rows.push({
      database,
      measure: `search, query + 2 filters, ${CLIENTS} clients, ${SECONDS} s: server time`,
      value: result.server,
    });
    rows.push({ database, measure: 'same run: latency seen by the clients', value: result.client });
    if (database === 'pglite') rows.push(...(await lighthouse(`${server.url}/catalog?q=cardiology`)));
  } finally {
    await stopServer(server.proc);
  }
}

export async function benchCatalog(): Promise<Row[]> {
  const rows: Row[] = [];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-bench-catalog-'));
  try {
    const catalogFile = path.join(root, 'catalog.json');
    fs.writeFileSync(catalogFile, JSON.stringify(generateCatalog(UNIVERSITIES, PROGRAMS)));
    await measure(rows, 'pglite', {}, path.join(root, 'pglite'), catalogFile);
    await withPostgres('medadmit_bench_catalog', (url) =>
      measure(rows, 'postgresql', { DATABASE_URL: url }, path.join(root, 'pg'), catalogFile),
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return rows;
}
