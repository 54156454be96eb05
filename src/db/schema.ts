import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  json,
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
    /** Programs containing state secrets admit quota applicants only (S4-15). */
    stateSecret: boolean('state_secret').notNull().default(false),
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
    /** A consultant who also manages the agency's consultants and partner universities. */
    agencyAdmin: boolean('agency_admin').notNull().default(false),
    disabledAt: ts('disabled_at'),
    /** Last sign-in or change by the person (retention counts from it). */
    lastActiveAt: ts('last_active_at'),
    /** Personal data erased after the retention period; the row stays as a tombstone. */
    erasedAt: ts('erased_at'),
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

/**
 * Tamper evidence for the audit log: every INSERT statement on audit_log is sealed by a trigger with
 * one row here, numbered in commit order (advisory lock), holding the ids it added and
 * hash = SHA-256(previous seal's hash, seq, ids, each row's content). `medadmit audit verify`
 * recomputes every seal and checks that every audit row is sealed exactly once. Append-only.
 */
export const auditSeals = pgTable('audit_seals', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  ids: bigint('ids', { mode: 'number' }).array().notNull(),
  sealedAt: ts('sealed_at').notNull(),
});

/** Small key/value facts about this installation (e.g. which demo data set was loaded). */
export const appMeta = pgTable(
  'app_meta',
  {
    key: text('key').notNull(),
    value: jsonb('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key] })],
);

/**
 * An admission campaign: one university, academic year and level. Windows, document requirements
 * and eligibility are data an officer edits (and copies to the next year), each with its RULES source.
 */
export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    universityId: uuid('university_id')
      .notNull()
      .references(() => universities.id),
    slug: text('slug').notNull(),
    titleEn: text('title_en').notNull(),
    titleRu: text('title_ru').notNull(),
    academicYear: text('academic_year').notNull(),
    level: text('level').notNull(),
    windows: jsonb('windows').$type<unknown[]>().notNull().default([]),
    requirements: jsonb('requirements').$type<unknown[]>().notNull().default([]),
    eligibility: jsonb('eligibility').$type<Record<string, unknown>>().notNull().default({}),
    maxPriorities: integer('max_priorities').notNull().default(5),
    /** Readers per file, reconciliation threshold, competitive score (issue 5). */
    review: jsonb('review').$type<Record<string, unknown>>().notNull().default({}),
    scoreConfig: jsonb('score_config').$type<Record<string, unknown>>(),
    examPlan: jsonb('exam_plan').$type<Record<string, unknown>>(),
    /** Confirmation deadline, visa-regime countries, migration registration (issue 6). */
    enrollment: jsonb('enrollment').$type<Record<string, unknown>>(),
    notes: jsonb('notes').$type<Text>(),
    source: text('source').notNull().default(''),
    copiedFrom: uuid('copied_from'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('campaigns_slug_idx').on(t.slug)],
);

/** What an applicant applies to: a program of a campaign with one funding kind and study form. */
export const competitions = pgTable(
  'competitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id),
    funding: text('funding').notNull(),
    studyForm: text('study_form').notNull().default('full_time'),
    /** Foreign citizens and stateless persons compete separately (S4-4). */
    applicantGroup: text('applicant_group').notNull().default('foreign'),
    /** Seats the university sets for this competition (S4-4). */
    seats: integer('seats').notNull().default(0),
    /** The competition that receives this one's unfilled seats (no foreign key: set and checked by the service). */
    revertsToId: uuid('reverts_to_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('competitions_identity_idx').on(t.campaignId, t.programId, t.funding, t.studyForm, t.applicantGroup),
  ],
);

/** The applicant's dossier (src/domain/dossier/dossier.schema.ts), one per account. */
export const dossiers = pgTable('dossiers', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** A document of an applicant; its files are versions, every one kept. */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    relatesTo: text('relates_to'),
    issuedOn: text('issued_on'),
    /** Officer's verdict on the current version: pending, accepted, rejected. */
    status: text('status').notNull().default('pending'),
    rejectionCode: text('rejection_code'),
    rejectionNote: text('rejection_note'),
    verifiedBy: uuid('verified_by'),
    verifiedAt: ts('verified_at'),
    currentVersion: integer('current_version').notNull().default(0),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('documents_owner_idx').on(t.ownerId)],
);

export const documentVersions = pgTable(
  'document_versions',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    /** Key in the blob store: server-generated from the content hash, never the uploaded name. */
    blobKey: text('blob_key').notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    mediaType: text('media_type').notNull(),
    fileName: text('file_name').notNull(),
    width: integer('width'),
    height: integer('height'),
    uploadedBy: uuid('uploaded_by').notNull(),
    uploadedAt: ts('uploaded_at').notNull(),
    /**
     * Envelope encryption of special-category files (medical reports): the blob holds AES-256-GCM
     * ciphertext under a per-file data key, stored here wrapped by the key-encryption key `keyId`
     * from the environment. `sha256` stays the hash of the plaintext. Null for files stored in clear.
     */
    encryption: jsonb('encryption').$type<{
      alg: string;
      keyId: string;
      wrappedKey: string;
      iv: string;
      tag: string;
    }>(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.version] })],
);

/** An applicant's application to one campaign: choices by priority, then a submission with a receipt. */
export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicantId: uuid('applicant_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    status: text('status').notNull().default('draft'),
    number: text('number'),
    submittedAt: ts('submitted_at'),
    snapshot: jsonb('snapshot'),
    snapshotSha256: text('snapshot_sha256'),
    idempotencyKey: text('idempotency_key'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('applications_applicant_campaign_idx').on(t.applicantId, t.campaignId),
    uniqueIndex('applications_number_idx').on(t.number),
    index('applications_campaign_idx').on(t.campaignId, t.status),
  ],
);

export const applicationChoices = pgTable(
  'application_choices',
  {
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    competitionId: uuid('competition_id')
      .notNull()
      .references(() => competitions.id),
    priority: integer('priority').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.applicationId, t.competitionId] }),
    uniqueIndex('application_choices_priority_idx').on(t.applicationId, t.priority),
  ],
);

/** The status timeline of an application, shown to the applicant. */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    type: text('type').notNull(),
    data: jsonb('data'),
  },
  (t) => [index('application_events_app_idx').on(t.applicationId)],
);

/** A later cutoff for one applicant in one campaign, granted by an officer with a reason (audited). */
export const deadlineExtensions = pgTable(
  'deadline_extensions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    applicantId: uuid('applicant_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull().default('documents'),
    until: ts('until').notNull(),
    reason: text('reason').notNull(),
    grantedBy: uuid('granted_by').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('deadline_extensions_idx').on(t.campaignId, t.applicantId, t.kind)],
);

/** A campaign's portfolio rubric (src/domain/scoring/rubric.schema.ts). Versions in use never change. */
export const rubrics = pgTable(
  'rubrics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('rubrics_campaign_version_idx').on(t.campaignId, t.version)],
);

/** One reader's (or the senior reviewer's) scoring of one application against one rubric version. */
export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    reviewerId: uuid('reviewer_id')
      .notNull()
      .references(() => users.id),
    rubricId: uuid('rubric_id')
      .notNull()
      .references(() => rubrics.id),
    /** reader: scores independently; senior: reconciles readers who disagree. */
    role: text('role').notNull().default('reader'),
    status: text('status').notNull().default('assigned'),
    inputs: jsonb('inputs').$type<Record<string, unknown>>(),
    items: jsonb('items').$type<unknown[]>(),
    total: numeric('total', { mode: 'number' }),
    comment: text('comment'),
    assignedAt: ts('assigned_at').notNull(),
    submittedAt: ts('submitted_at'),
  },
  (t) => [
    uniqueIndex('reviews_application_reviewer_idx').on(t.applicationId, t.reviewerId, t.role),
    index('reviews_reviewer_idx').on(t.reviewerId, t.status),
  ],
);

/** A sitting of an entrance exam (RULES S2-4 window), on site or online, with a capacity. */
export const examSessions = pgTable(
  'exam_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    slotId: text('slot_id').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    mode: text('mode').notNull(),
    location: text('location'),
    capacity: integer('capacity').notNull(),
  },
  (t) => [index('exam_sessions_campaign_idx').on(t.campaignId, t.slotId)],
);

export const examBookings = pgTable(
  'exam_bookings',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => examSessions.id, { onDelete: 'cascade' }),
    applicantId: uuid('applicant_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id').notNull(),
    slotId: text('slot_id').notNull(),
    /** The option chosen in the slot, e.g. the exam language (S2-5). */
    optionId: text('option_id').notNull(),
    bookedAt: ts('booked_at').notNull(),
    /** When the reminder e-mail went out (once, about a day before the sitting). */
    remindedAt: ts('reminded_at'),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.applicantId] }),
    uniqueIndex('exam_bookings_one_per_slot_idx').on(t.applicantId, t.campaignId, t.slotId),
  ],
);

export const examResults = pgTable(
  'exam_results',
  {
    applicantId: uuid('applicant_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    slotId: text('slot_id').notNull(),
    attempt: integer('attempt').notNull(),
    status: text('status').notNull(),
    score: numeric('score', { mode: 'number' }),
    outcome: text('outcome').notNull(),
    enteredBy: uuid('entered_by').notNull(),
    enteredAt: ts('entered_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.applicantId, t.campaignId, t.slotId, t.attempt] })],
);

/**
 * The lottery number of an applicant in a campaign: drawn once, at the first allocation run that
 * includes them, and never redrawn (single tie-breaking). Also the applicant's anonymous code on the
 * public ranked lists. A batch's seed is published: lottery order = SHA-256(seed ‖ applicant id).
 */
export const lotteryDraws = pgTable(
  'lottery_draws',
  {
    // One reference (the application, which belongs to the applicant and the campaign) instead of
    // three: a draw goes with its application (deleted with it). The reference is kept by
    // statement-level triggers (migration 0014_references_by_statement), not by a foreign key: an
    // allocation run inserts 100,000 draws, and a key checks them one at a time.
    campaignId: uuid('campaign_id').notNull(),
    applicantId: uuid('applicant_id').notNull(),
    applicationId: uuid('application_id').notNull(),
    lottery: integer('lottery').notNull(),
    code: text('code').notNull(),
    batch: integer('batch').notNull(),
    seed: text('seed').notNull(),
    drawnAt: ts('drawn_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.applicantId] }),
    uniqueIndex('lottery_draws_lottery_idx').on(t.campaignId, t.lottery),
    // Codes are unique per campaign by construction (drawLottery avoids the codes already taken, under
    // the run's lock); nothing looks a draw up by code, so no index is kept for it.
  ],
);

/** One run of the allocation engine over a campaign: its inputs' and outputs' hashes and the checker's verdict. */
export const allocationRuns = pgTable(
  'allocation_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    /** published (the current ranked lists and offers come from it), superseded, or refused by the checker. */
    status: text('status').notNull(),
    reason: text('reason').notNull().default(''),
    /**
     * The engine's competitions exactly as run (ids, capacities after fixed seats, revertsTo); with the
     * ranked lists' engine entries they rebuild the whole input, so anyone can recompute and compare hashes.
     */
    competitions: jsonb('competitions').$type<unknown[]>().notNull(),
    inputSha256: text('input_sha256').notNull(),
    outputSha256: text('output_sha256').notNull(),
    stats: jsonb('stats').$type<Record<string, unknown>>().notNull(),
    capacities: jsonb('capacities').$type<Record<string, number>>().notNull(),
    cutoffs: jsonb('cutoffs').$type<Record<string, unknown>>().notNull(),
    check: jsonb('check').$type<Record<string, unknown>>().notNull(),
    confirmBy: ts('confirm_by'),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('allocation_runs_seq_idx').on(t.campaignId, t.seq)],
);

/** The ranked list of one competition as a run left it (entries best first; applicant ids never leave the server). */
export const rankedLists = pgTable(
  'ranked_lists',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => allocationRuns.id, { onDelete: 'cascade' }),
    competitionId: uuid('competition_id')
      .notNull()
      .references(() => competitions.id, { onDelete: 'cascade' }),
    capacity: integer('capacity').notNull(),
    admitted: integer('admitted').notNull(),
    /** Number of entries (applications on the list), so the overview never reads the entries. */
    size: integer('size').notNull(),
    cutoff: jsonb('cutoff'),
    /**
     * Column-wise: { code: [], lottery: [], priority: [], score: [], state: [], reason: [], engine: [] },
     * best first. `json` (stored as written), not `jsonb`: a list is only ever read whole, and storing
     * 500,000 entries as jsonb cost twice as long (parsing them into binary form) for nothing.
     */
    entries: json('entries').$type<Record<string, unknown[]>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.competitionId] })],
);

/**
 * A seat offered to an applicant by an allocation run, and its way to enrollment: offered →
 * confirmed (consent; contract and prepayment for paid places) → enrolled by an order; or declined,
 * expired (deadline passed), superseded (a later run moved the applicant up).
 */
export const admissions = pgTable(
  'admissions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Campaign and applicant follow from the application; no checks of their own. The application
    // (deleting it deletes its admissions) and the competition (which cannot be deleted while an
    // admission names it) are references kept by statement-level triggers, not foreign keys (migration
    // 0014_references_by_statement): an allocation run inserts 77,000 offers in one statement.
    campaignId: uuid('campaign_id').notNull(),
    applicantId: uuid('applicant_id').notNull(),
    applicationId: uuid('application_id').notNull(),
    competitionId: uuid('competition_id').notNull(),
    runId: uuid('run_id').notNull(),
    priority: integer('priority').notNull(),
    status: text('status').notNull(),
    confirmBy: ts('confirm_by').notNull(),
    consentAt: ts('consent_at'),
    contractAcceptedAt: ts('contract_accepted_at'),
    prepaymentConfirmedAt: ts('prepayment_confirmed_at'),
    prepaymentConfirmedBy: uuid('prepayment_confirmed_by'),
    prepaymentReference: text('prepayment_reference'),
    confirmedAt: ts('confirmed_at'),
    orderId: uuid('order_id'),
    closedReason: text('closed_reason'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    index('admissions_campaign_idx').on(t.campaignId, t.status),
    index('admissions_competition_idx').on(t.competitionId, t.status),
    index('admissions_applicant_idx').on(t.applicantId),
    uniqueIndex('admissions_one_active_idx')
      .on(t.campaignId, t.applicantId)
      .where(sql`status in ('offered', 'confirmed', 'enrolled')`),
  ],
);

/** An enrollment order for one competition (quota applicants by a separate order on referral, S4-2). */
export const enrollmentOrders = pgTable(
  'enrollment_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    competitionId: uuid('competition_id')
      .notNull()
      .references(() => competitions.id),
    number: text('number').notNull(),
    quotaReferral: boolean('quota_referral').notNull(),
    /** Frozen list of the enrolled: application number, names, citizenship, score. */
    students: jsonb('students').$type<unknown[]>().notNull(),
    signedBy: text('signed_by').notNull(),
    issuedBy: uuid('issued_by').notNull(),
    issuedAt: ts('issued_at').notNull(),
  },
  (t) => [uniqueIndex('enrollment_orders_number_idx').on(t.number)],
);

/**
 * The visa path of an admitted applicant from a visa-regime country: invitation requested (only after
 * the prepayment is confirmed, S4-14) → invitation issued → visa issued → arrived → registered with
 * the migration authorities, each step with its date and deadline.
 */
export const visaCases = pgTable('visa_cases', {
  admissionId: uuid('admission_id')
    .primaryKey()
    .references(() => admissions.id, { onDelete: 'cascade' }),
  applicantId: uuid('applicant_id').notNull(),
  campaignId: uuid('campaign_id').notNull(),
  status: text('status').notNull(),
  requestedAt: ts('requested_at').notNull(),
  /** Passport data and consulate the invitation is for, as the applicant gave them. */
  request: jsonb('request').$type<Record<string, unknown>>().notNull(),
  invitationIssuedAt: ts('invitation_issued_at'),
  invitationNumber: text('invitation_number'),
  visaIssuedAt: ts('visa_issued_at'),
  arrivedAt: ts('arrived_at'),
  registrationDueAt: ts('registration_due_at'),
  registeredAt: ts('registered_at'),
  updatedAt: ts('updated_at').notNull(),
});

/**
 * A question from the public "ask a consultant" form (S0-8), routed to the queue of an agency that
 * partners with the university (or the default queue, agency null, that administrators route).
 */
export const leads = pgTable(
  'leads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id').references(() => agencies.id, { onDelete: 'set null' }),
    universityId: uuid('university_id').references(() => universities.id, { onDelete: 'set null' }),
    programId: uuid('program_id').references(() => programs.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    citizenship: text('citizenship'),
    level: text('level'),
    specialty: text('specialty'),
    message: text('message').notNull(),
    locale: localeEnum('locale').notNull().default('en'),
    /** new → contacted → invited → converted (an applicant account is linked), or closed. */
    status: text('status').notNull().default('new'),
    consultantId: uuid('consultant_id'),
    applicantId: uuid('applicant_id').references(() => users.id, { onDelete: 'set null' }),
    /** SHA-256 of the invitation token e-mailed by a consultant; the token itself is never stored. */
    inviteTokenHash: text('invite_token_hash'),
    invitedAt: ts('invited_at'),
    source: text('source'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('leads_agency_idx').on(t.agencyId, t.status), uniqueIndex('leads_invite_idx').on(t.inviteTokenHash)],
);

/**
 * An applicant's explicit, scoped and revocable permission for an agency: "view" its dossier and
 * progress, or "act" (view and act on the applicant's behalf). Takes effect at once; one active grant
 * per agency and applicant.
 */
export const agencyGrants = pgTable(
  'agency_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    applicantId: uuid('applicant_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    scope: text('scope').notNull(),
    grantedAt: ts('granted_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    uniqueIndex('agency_grants_active_idx').on(t.agencyId, t.applicantId).where(sql`revoked_at is null`),
    index('agency_grants_applicant_idx').on(t.applicantId),
  ],
);

/** The agency's file on one applicant: assigned consultant and the stages set by hand. */
export const agencyCases = pgTable(
  'agency_cases',
  {
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    applicantId: uuid('applicant_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    consultantId: uuid('consultant_id'),
    /** Stage → ISO instant, for the stages the system cannot derive (consultation, contract, adapted…). */
    manualStages: jsonb('manual_stages').$type<Record<string, string>>().notNull().default({}),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.applicantId] })],
);

/** A task or reminder of an agency, about a lead or an applicant, with a due date. */
export const agencyTasks = pgTable(
  'agency_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    applicantId: uuid('applicant_id').references(() => users.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    dueAt: ts('due_at').notNull(),
    assigneeId: uuid('assignee_id'),
    doneAt: ts('done_at'),
    remindedAt: ts('reminded_at'),
    createdBy: uuid('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('agency_tasks_agency_idx').on(t.agencyId, t.doneAt, t.dueAt)],
);

/** A consultant's note about a lead or an applicant (visible to the agency only). */
export const agencyNotes = pgTable(
  'agency_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id, { onDelete: 'cascade' }),
    applicantId: uuid('applicant_id').references(() => users.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    authorId: uuid('author_id').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('agency_notes_subject_idx').on(t.agencyId, t.applicantId)],
);

/**
 * The adaptation checklist after arrival, per university and (optionally) citizenship: items with a
 * due date counted from the arrival (migration registration, insurance, housing, medical examination).
 */
export const adaptationTemplates = pgTable(
  'adaptation_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    universityId: uuid('university_id')
      .notNull()
      .references(() => universities.id, { onDelete: 'cascade' }),
    /** ISO country of the applicants it applies to; '*' for everyone else. */
    country: text('country').notNull().default('*'),
    items: jsonb('items').$type<unknown[]>().notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('adaptation_templates_idx').on(t.universityId, t.country)],
);

/** One applicant's progress on an adaptation item. */
export const adaptationItems = pgTable(
  'adaptation_items',
  {
    applicantId: uuid('applicant_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    universityId: uuid('university_id')
      .notNull()
      .references(() => universities.id, { onDelete: 'cascade' }),
    itemId: text('item_id').notNull(),
    dueAt: ts('due_at').notNull(),
    doneAt: ts('done_at'),
    doneBy: uuid('done_by'),
    remindedAt: ts('reminded_at'),
  },
  (t) => [primaryKey({ columns: [t.applicantId, t.universityId, t.itemId] })],
);

// ---------------------------------------------------------------------------------------------
// Electronic performance register (S1-6): terms, groups, students, courses, sessions, grades,
// attendance, rotations, parents and sponsors, alerts, attestation.

/** A term of an academic year at one university; closed terms refuse edits without an officer's override. */
export const terms = pgTable(
  'terms',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    universityId: uuid('university_id')
      .notNull()
      .references(() => universities.id, { onDelete: 'cascade' }),
    /** "2026/2027". */
    academicYear: text('academic_year').notNull(),
    name: jsonb('name').$type<Text>().notNull(),
    startsOn: text('starts_on').notNull(),
    endsOn: text('ends_on').notNull(),
    closedAt: ts('closed_at'),
    closedBy: uuid('closed_by'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('terms_university_idx').on(t.universityId, t.startsOn)],
);

/** A study group (faculty, level, program); teachers and curators are assigned through group_staff. */
export const studyGroups = pgTable(
  'study_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    universityId: uuid('university_id')
      .notNull()
      .references(() => universities.id, { onDelete: 'cascade' }),
    programId: uuid('program_id').references(() => programs.id, { onDelete: 'set null' }),
    code: text('code').notNull(),
    faculty: jsonb('faculty').$type<Text>().notNull(),
    academicYear: text('academic_year').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('study_groups_code_idx').on(t.universityId, t.academicYear, t.code)],
);

/** A student of a university: created from an enrolled admission, by an officer, or by an import. */
export const students = pgTable(
  'students',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    universityId: uuid('university_id')
      .notNull()
      .references(() => universities.id, { onDelete: 'cascade' }),
    programId: uuid('program_id').references(() => programs.id, { onDelete: 'set null' }),
    admissionId: uuid('admission_id').references(() => admissions.id, { onDelete: 'set null' }),
    number: text('number').notNull(),
    nameLatin: text('name_latin').notNull(),
    nameCyrillic: text('name_cyrillic'),
    /** active, graduated, completed (preparatory faculty), expelled, on_leave. */
    status: text('status').notNull().default('active'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('students_number_idx').on(t.universityId, t.number),
    uniqueIndex('students_user_idx').on(t.userId, t.universityId),
  ],
);

/** Membership of a student in a group (one row per group). */
export const groupMembers = pgTable(
  'group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => studyGroups.id, { onDelete: 'cascade' }),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    joinedAt: ts('joined_at').notNull(),
    leftAt: ts('left_at'),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.studentId] }), index('group_members_student_idx').on(t.studentId)],
);

/** Staff of a group: curator (sees the whole group) or teacher. */
export const groupStaff = pgTable(
  'group_staff',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => studyGroups.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull().default('curator'),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('group_staff_user_idx').on(t.userId)],
);

/**
 * A course (or a module of one, parent_id) taught to one group in one term, on a grading scale
 * (five_point, pass_fail, hundred_point) with its pass mark.
 */
export const courses = pgTable(
  'courses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    universityId: uuid('university_id')
      .notNull()
      .references(() => universities.id, { onDelete: 'cascade' }),
    termId: uuid('term_id')
      .notNull()
      .references(() => terms.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id')
      .notNull()
      .references(() => studyGroups.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id'),
    code: text('code').notNull(),
    name: jsonb('name').$type<Text>().notNull(),
    scale: text('scale').notNull(),
    /** Hours or credits, as the curriculum states them. */
    hours: integer('hours'),
    credits: numeric('credits', { precision: 5, scale: 2, mode: 'number' }),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('courses_group_idx').on(t.groupId, t.termId), index('courses_term_idx').on(t.termId)],
);

/** Teachers assigned to a course: they enter its grades and attendance. */
export const courseTeachers = pgTable(
  'course_teachers',
  {
    courseId: uuid('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.userId] }), index('course_teachers_user_idx').on(t.userId)],
);

/** One class of a course (lecture, seminar, practical, clinical), for attendance. */
export const classSessions = pgTable(
  'class_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courseId: uuid('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    startsAt: ts('starts_at').notNull(),
    kind: text('kind').notNull().default('practical'),
    topic: text('topic'),
  },
  (t) => [index('class_sessions_course_idx').on(t.courseId, t.startsAt)],
);

/** Attendance of one student at one session: present, absent, late, excused (reason, document). */
export const attendance = pgTable(
  'attendance',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => classSessions.id, { onDelete: 'cascade' }),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    status: text('status').notNull(),
    reason: text('reason'),
    /** An uploaded justification (blob key and SHA-256), for excused absences. */
    documentKey: text('document_key'),
    documentSha256: text('document_sha256'),
    updatedBy: uuid('updated_by').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.studentId] }), index('attendance_student_idx').on(t.studentId)],
);

/** A graded item of a course (test, colloquium, exam, final) with its weight in the final grade. */
export const assessments = pgTable(
  'assessments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courseId: uuid('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    /** current, exam, final (a final assessment's grade is the course's final grade). */
    kind: text('kind').notNull().default('current'),
    weight: numeric('weight', { precision: 6, scale: 3, mode: 'number' }).notNull().default(1),
    heldOn: text('held_on'),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('assessments_course_idx').on(t.courseId, t.position)],
);

/** A student's grade for an assessment, on the course's scale (pass_fail stored as 1 / 0). */
export const grades = pgTable(
  'grades',
  {
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    value: numeric('value', { precision: 6, scale: 2, mode: 'number' }).notNull(),
    comment: text('comment'),
    updatedBy: uuid('updated_by').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.studentId] }), index('grades_student_idx').on(t.studentId)],
);

/** A resident's clinical rotation: clinical base, department, supervisor, dates, result. */
export const rotations = pgTable(
  'rotations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    termId: uuid('term_id').references(() => terms.id, { onDelete: 'set null' }),
    clinicalBase: text('clinical_base').notNull(),
    department: text('department'),
    supervisorId: uuid('supervisor_id').references(() => users.id, { onDelete: 'set null' }),
    startsOn: text('starts_on').notNull(),
    endsOn: text('ends_on').notNull(),
    /** pass / fail / null while in progress. */
    result: text('result'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('rotations_student_idx').on(t.studentId), index('rotations_supervisor_idx').on(t.supervisorId)],
);

/**
 * A parent or sponsor linked to a student, read-only. Invited by the student (the guardian accepts
 * by the e-mailed token) or requested by the guardian (the student accepts or an officer confirms);
 * active until the student or an officer ends it.
 */
export const guardianLinks = pgTable(
  'guardian_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    guardianUserId: uuid('guardian_user_id').references(() => users.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    relation: text('relation').notNull(),
    /** invited, requested, active, ended, declined. */
    status: text('status').notNull(),
    tokenHash: text('token_hash'),
    tokenExpiresAt: ts('token_expires_at'),
    createdBy: uuid('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    confirmedAt: ts('confirmed_at'),
    confirmedBy: uuid('confirmed_by'),
    endedAt: ts('ended_at'),
    endedBy: uuid('ended_by'),
  },
  (t) => [
    index('guardian_links_student_idx').on(t.studentId),
    index('guardian_links_guardian_idx').on(t.guardianUserId),
    uniqueIndex('guardian_links_token_idx').on(t.tokenHash),
  ],
);

/** Register settings per university: at-risk thresholds and alert rules (defaults in the domain). */
export const registerSettings = pgTable('register_settings', {
  universityId: uuid('university_id')
    .primaryKey()
    .references(() => universities.id, { onDelete: 'cascade' }),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
  updatedBy: uuid('updated_by'),
  updatedAt: ts('updated_at').notNull(),
});

/** An alert about a student (absence streak, failing grade, low attendance), sent in the next daily digest. */
export const registerAlerts = pgTable(
  'register_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    /** Deduplication: one alert per (student, kind, key), e.g. the course and the streak's first session. */
    dedupKey: text('dedup_key').notNull(),
    essential: boolean('essential').notNull().default(false),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: ts('created_at').notNull(),
    digestedAt: ts('digested_at'),
  },
  (t) => [
    uniqueIndex('register_alerts_dedup_idx').on(t.studentId, t.kind, t.dedupKey),
    index('register_alerts_pending_idx').on(t.digestedAt),
  ],
);

/** A person's opt-outs of non-essential notifications (kinds). */
export const notificationOptOuts = pgTable(
  'notification_opt_outs',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/**
 * Final results: state attestation with the specialist qualification awarded (S2-6, S0-9), or the
 * completion of the preparatory faculty (S1-2).
 */
export const attestations = pgTable(
  'attestations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    heldOn: text('held_on').notNull(),
    /** passed / failed. */
    result: text('result').notNull(),
    grade: numeric('grade', { precision: 6, scale: 2, mode: 'number' }),
    qualification: jsonb('qualification').$type<Text>(),
    protocolNumber: text('protocol_number'),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [index('attestations_student_idx').on(t.studentId)],
);

/**
 * Consent records: which text (purpose and version, with the text's SHA-256) a person agreed to and
 * when, e.g. the processing of health data (medical reports); withdrawal is recorded, never deleted.
 */
export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose').notNull(),
    textVersion: text('text_version').notNull(),
    textSha256: text('text_sha256').notNull(),
    locale: text('locale').notNull(),
    givenAt: ts('given_at').notNull(),
    withdrawnAt: ts('withdrawn_at'),
    ip: text('ip'),
  },
  (t) => [index('consents_user_idx').on(t.userId, t.purpose)],
);
