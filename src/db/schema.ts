import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ROLES } from '../domain/roles.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const roleEnum = pgEnum('role', ROLES);
export const localeEnum = pgEnum('locale', ['en', 'ru']);
export const emailTokenPurposeEnum = pgEnum('email_token_purpose', ['verify_email', 'reset_password']);

type Text = { en: string; ru: string };

/**
 * A university of the catalog. Officers, reviewers and teachers belong to one.
 * Unknown facts are NULL (or empty arrays) and shown as "not stated"; `sources` maps each known
 * fact to where it comes from (RULES id or document).
 */
export const universities = pgTable('universities', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  nameEn: text('name_en').notNull(),
  nameRu: text('name_ru').notNull(),
  nameKk: text('name_kk'),
  shortName: text('short_name'),
  country: text('country'),
  city: jsonb('city').$type<Text>(),
  website: text('website'),
  wdomsListed: boolean('wdoms_listed'),
  languages: text('languages').array().notNull().default(sql`'{}'::text[]`),
  multidisciplinaryClinicalBases: boolean('multidisciplinary_clinical_bases'),
  clinicalBases: jsonb('clinical_bases').$type<Text>(),
  partnerships: jsonb('partnerships').$type<Text>(),
  exchangePrograms: jsonb('exchange_programs').$type<Text>(),
  description: jsonb('description').$type<Text>(),
  sources: jsonb('sources').$type<Record<string, string>>().notNull().default({}),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** A program of study at one university; see src/domain/catalog/catalog.schema.ts for the fields. */
export const programs = pgTable(
  'programs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    universityId: uuid('university_id')
      .notNull()
      .references(() => universities.id),
    level: text('level').notNull(),
    titleEn: text('title_en').notNull(),
    titleRu: text('title_ru').notNull(),
    specialtyCode: text('specialty_code'),
    durations: jsonb('durations').$type<unknown[]>().notNull().default([]),
    languages: text('languages').array().notNull().default(sql`'{}'::text[]`),
    languagePreparation: boolean('language_preparation'),
    studyForms: text('study_forms').array().notNull().default(sql`'{}'::text[]`),
    fundingKinds: text('funding_kinds').array().notNull().default(sql`'{}'::text[]`),
    tuitionAmount: numeric('tuition_amount', { mode: 'number' }),
    tuitionCurrency: text('tuition_currency'),
    tuitionPeriod: text('tuition_period'),
    clinicalPractice: boolean('clinical_practice'),
    exchangePrograms: boolean('exchange_programs'),
    entranceExams: jsonb('entrance_exams').$type<Text>(),
    intakeWindows: jsonb('intake_windows').$type<unknown[]>().notNull().default([]),
    notes: jsonb('notes').$type<Text>(),
    sources: jsonb('sources').$type<Record<string, string>>().notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('programs_university_idx').on(t.universityId)],
);

/** Official specialties (e.g. Russian ordinatura codes) with their standard durations per intake year. */
export const specialties = pgTable(
  'specialties',
  {
    country: text('country').notNull(),
    level: text('level').notNull(),
    code: text('code').notNull(),
    nameEn: text('name_en').notNull(),
    nameRu: text('name_ru').notNull(),
    durations: jsonb('durations').$type<unknown[]>().notNull().default([]),
    source: text('source').notNull(),
  },
  (t) => [primaryKey({ columns: [t.country, t.level, t.code] })],
);

/** Which agency partners with which university (RULES S0-8). */
export const agencyUniversities = pgTable(
  'agency_universities',
  {
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    universityId: uuid('university_id')
      .notNull()
      .references(() => universities.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.universityId] })],
);

/** Recruitment agency; consultants belong to one. */
export const agencies = pgTable('agencies', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  nameEn: text('name_en').notNull(),
  nameRu: text('name_ru').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    fullName: text('full_name').notNull(),
    role: roleEnum('role').notNull(),
    locale: localeEnum('locale').notNull().default('en'),
    emailVerifiedAt: ts('email_verified_at'),
    universityId: uuid('university_id').references(() => universities.id),
    agencyId: uuid('agency_id').references(() => agencies.id),
    disabledAt: ts('disabled_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`)],
);

/** Server-side sessions. The id is the SHA-256 of the cookie value, so a database leak does not leak sessions. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: ts('created_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** One-time tokens sent by e-mail (verification, password reset); stored as SHA-256 only. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: emailTokenPurposeEnum('purpose').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('email_tokens_user_idx').on(t.userId, t.purpose)],
);

/** Fixed-window counters (login throttling and other limits), shared by every app instance. */
export const rateLimitCounters = pgTable('rate_limit_counters', {
  key: text('key').primaryKey(),
  windowStartedAt: ts('window_started_at').notNull(),
  count: integer('count').notNull(),
});

/** Append-only record of every decision about a person. UPDATE and DELETE are refused by a trigger. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull(),
    actorUserId: uuid('actor_user_id'),
    onBehalfOfUserId: uuid('on_behalf_of_user_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    ip: text('ip'),
  },
  (t) => [index('audit_subject_idx').on(t.subjectType, t.subjectId), index('audit_actor_idx').on(t.actorUserId)],
);

/** Small key/value facts about this installation (e.g. which demo data set was loaded). */
export const appMeta = pgTable(
  'app_meta',
  {
    key: text('key').notNull(),
    value: jsonb('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key] })],
);
