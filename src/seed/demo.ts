import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { agencies, agencyUniversities, appMeta, specialties, universities, users } from '../db/schema.js';
import { ZCampaignInput } from '../domain/campaign/campaign.schema.js';
import { ZCatalogFile } from '../domain/catalog/catalog.schema.js';
import type { Role } from '../domain/roles.js';
import { dataFile } from '../paths.js';
import { saveCampaign } from '../server/campaigns/campaign.service.js';
import { importCatalog } from '../server/catalog/catalog.service.js';
import type { AppContext } from '../server/context.js';
import { SYSTEM_PRINCIPAL } from '../server/policies/policy.js';
import { SYSTEM_ACTOR } from '../server/services/audit.service.js';
import { findUserByEmail } from '../server/services/auth.service.js';
import { createUser } from '../server/services/user.service.js';
import { seedRegisterDemo } from './register-demo.js';

export interface DemoAccount {
  role: Role;
  email: string;
  password: string;
}

const DEMO_VERSION = 1;
const ACCOUNTS_FILE = 'demo-accounts.json';

const DEMO_AGENCY = {
  slug: 'study-medicine-agency',
  nameEn: 'Study Medicine Abroad Agency (demo)',
  nameRu: 'Агентство «Учёба в медвузе» (демо)',
};

const DEMO_USERS: {
  role: Role;
  email: string;
  fullName: string;
  university?: string;
  agency?: boolean;
  locale?: 'en' | 'ru';
}[] = [
  { role: 'administrator', email: 'admin@demo.medadmit.local', fullName: 'Demo Administrator' },
  { role: 'officer', email: 'officer@demo.medadmit.local', fullName: 'Anna Officer', university: 'rudn', locale: 'ru' },
  {
    role: 'reviewer',
    email: 'reviewer@demo.medadmit.local',
    fullName: 'Roman Reviewer',
    university: 'rudn',
    locale: 'ru',
  },
  {
    role: 'teacher',
    email: 'teacher@demo.medadmit.local',
    fullName: 'Tatiana Teacher',
    university: 'bsmu',
    locale: 'ru',
  },
  { role: 'consultant', email: 'consultant@demo.medadmit.local', fullName: 'Chidi Consultant', agency: true },
  { role: 'applicant', email: 'applicant@demo.medadmit.local', fullName: 'Amina Bello' },
  { role: 'student', email: 'student@demo.medadmit.local', fullName: 'Karim Haddad' },
  { role: 'parent', email: 'parent@demo.medadmit.local', fullName: 'Leila Haddad' },
];

function newPassword(): string {
  // 18 random bytes → 24 base64url characters; readable enough to type, far beyond guessing.
  return randomBytes(18).toString('base64url');
}

/**
 * Loads the catalog drawn from the source documents (data/catalog/demo-catalog.json) and the
 * official Russian residency specialties, once: later edits by officers are never overwritten.
 */
export async function seedDemoCatalog(ctx: AppContext): Promise<void> {
  const [done] = await ctx.db.select().from(appMeta).where(eq(appMeta.key, 'demo_catalog'));
  if (done) return;
  const file = ZCatalogFile.parse(JSON.parse(fs.readFileSync(dataFile('catalog', 'demo-catalog.json'), 'utf8')));
  const reference = JSON.parse(fs.readFileSync(dataFile('reference', 'ru-residency-specialties.json'), 'utf8')) as {
    code: string;
    nameEn: string;
    nameRu: string;
    durations: unknown[];
    source: string;
  }[];
  await ctx.db
    .insert(specialties)
    .values(reference.map((s) => ({ ...s, country: 'RU', level: 'residency' })))
    .onConflictDoNothing();
  await importCatalog(
    ctx,
    file,
    {
      universities: file.universities.map((u) => `demo-catalog.json ${u.slug}`),
      programs: file.programs.map((p) => `demo-catalog.json ${p.slug}`),
    },
    SYSTEM_ACTOR,
  );
  await ctx.db.insert(appMeta).values({ key: 'demo_catalog', value: { at: ctx.clock.now() } });
}

/** Loads the demo admission campaigns (data/campaigns/demo-campaigns.json) once. */
export async function seedDemoCampaigns(ctx: AppContext): Promise<void> {
  const [done] = await ctx.db.select().from(appMeta).where(eq(appMeta.key, 'demo_campaigns'));
  if (done) return;
  const file = JSON.parse(fs.readFileSync(dataFile('campaigns', 'demo-campaigns.json'), 'utf8')) as {
    campaigns: unknown[];
  };
  for (const raw of file.campaigns) {
    await saveCampaign(ctx, SYSTEM_PRINCIPAL, ZCampaignInput.parse(raw), SYSTEM_ACTOR);
  }
  await ctx.db.insert(appMeta).values({ key: 'demo_campaigns', value: { at: ctx.clock.now() } });
}

export function demoAccountsFile(dataDir: string): string {
  return path.join(dataDir, ACCOUNTS_FILE);
}

export function readDemoAccounts(dataDir: string): DemoAccount[] {
  const file = demoAccountsFile(dataDir);
  if (!fs.existsSync(file)) return [];
  return JSON.parse(fs.readFileSync(file, 'utf8')) as DemoAccount[];
}

/**
 * Loads the demo data once. On restart it changes nothing; accounts missing from the
 * database (for example after a reset) are created again with the passwords from the file.
 */
export async function seedDemo(ctx: AppContext): Promise<DemoAccount[]> {
  const known = new Map(readDemoAccounts(ctx.config.dataDir).map((a) => [a.email, a]));
  const [meta] = await ctx.db.select().from(appMeta).where(eq(appMeta.key, 'demo_seed'));
  await seedDemoCatalog(ctx);
  await seedDemoCampaigns(ctx);
  await ctx.db.insert(agencies).values(DEMO_AGENCY).onConflictDoNothing();
  const slugs = await ctx.db.select({ id: universities.id, slug: universities.slug }).from(universities);
  const [agency] = await ctx.db.select({ id: agencies.id }).from(agencies).where(eq(agencies.slug, DEMO_AGENCY.slug));

  const accounts: DemoAccount[] = [];
  for (const spec of DEMO_USERS) {
    const existing = await findUserByEmail(ctx, spec.email);
    const password = known.get(spec.email)?.password ?? newPassword();
    if (!existing) {
      await createUser(
        ctx,
        {
          email: spec.email,
          password,
          fullName: spec.fullName,
          role: spec.role,
          locale: spec.locale ?? 'en',
          universityId: spec.university ? (slugs.find((s) => s.slug === spec.university)?.id ?? null) : null,
          agencyId: spec.agency ? (agency?.id ?? null) : null,
        },
        SYSTEM_ACTOR,
      );
    }
    // A password we never recorded (the file was deleted) cannot be shown again.
    if (!existing || known.has(spec.email)) accounts.push({ role: spec.role, email: spec.email, password });
  }
  // The demo agency (fictional, S0-8) partners with every demo university; its consultant administers it.
  if (agency) {
    await ctx.db
      .insert(agencyUniversities)
      .values(slugs.map((u) => ({ agencyId: agency.id, universityId: u.id })))
      .onConflictDoNothing();
    await ctx.db
      .update(users)
      .set({ agencyAdmin: true })
      .where(and(eq(users.agencyId, agency.id), eq(users.role, 'consultant')));
  }
  await seedRegisterDemo(ctx);
  fs.writeFileSync(demoAccountsFile(ctx.config.dataDir), `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
  if (!meta) {
    await ctx.db.insert(appMeta).values({ key: 'demo_seed', value: { version: DEMO_VERSION, at: ctx.clock.now() } });
  }
  return accounts;
}
