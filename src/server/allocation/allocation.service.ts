/**
 * Allocation runs over a campaign: load the submitted applications and their competitive scores,
 * draw the lottery for newcomers, run the engine (src/domain/allocation), let the independent checker
 * prove capacity and stability, and only then publish: ranked lists, offers to the admitted, an audit
 * entry per decision and e-mails. A result the checker refuses is recorded and never published.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, max, sql } from 'drizzle-orm';
import { type Db, unsentBytes } from '../../db/client.js';
import { admissions, allocationRuns, competitions, lotteryDraws, rankedLists, users } from '../../db/schema.js';
import { WriteBehind } from '../../db/write-behind.js';
import { checkAllocation } from '../../domain/allocation/check.js';
import { allocateCompiled, allocateRanked } from '../../domain/allocation/deferred-acceptance.js';
import { compileColumns } from '../../domain/allocation/instance.js';
import type { AllocationInput, AllocationResult } from '../../domain/allocation/types.js';
import { drawLottery } from '../../domain/enrollment/lottery.js';
import {
  ENTRY_STATES,
  type EntryState,
  type ListApplication,
  type Outcome,
  rankedOrder,
  rankedOrderFrom,
  stateOf,
} from '../../domain/enrollment/ranked-lists.js';
import { enrollmentSettings } from '../../domain/enrollment/settings.js';
import type { CampaignRow } from '../campaigns/campaign.service.js';
import type { AppContext } from '../context.js';
import { type LatestExams, latestAttempts, scoreConfigOf, scoresOf } from '../exams/competitive.service.js';
import { competitionTitles, renderAdmissionMail } from '../mail/admission-mail.js';
import { authorize, type Principal } from '../policies/policy.js';
import { ProblemError } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';

export type Engine = (input: AllocationInput) => AllocationResult;

/**
 * A ranked-list entry as read back (best first; `position` is 1-based). Lists are stored column-wise
 * (one JSON array per field) and carry no applicant ids: the lottery number identifies the applicant
 * within the campaign (lottery_draws), and the anonymous code is what the public sees.
 */
export interface StoredEntry {
  position: number;
  code: string;
  priority: number;
  score: number[];
  lottery: number;
  state: EntryState;
  reason: string | null;
  /** Whether the application was part of the engine's input (eligible and not holding a confirmed seat). */
  engine: boolean;
}

export interface RunSummary {
  id: string;
  seq: number;
  status: 'published' | 'refused';
  inputSha256: string;
  outputSha256: string;
  stats: Record<string, number>;
  violations: string[];
  offersMade: number;
  offersWithdrawn: number;
}

const ACTIVE = ['offered', 'confirmed', 'enrolled'] as const;
const FIXED = new Set(['confirmed', 'enrolled']);

/** SHA-256 of the engine input in a canonical order (competitions by id, applications by applicant and priority). */
export function inputHash(input: AllocationInput): string {
  const h = createHash('sha256');
  for (const c of [...input.competitions].sort((a, b) => (a.id < b.id ? -1 : 1)))
    h.update(`C|${c.id}|${c.capacity}|${c.revertsTo ?? ''}\n`);
  const apps = [...input.applications].sort((a, b) =>
    a.applicant < b.applicant ? -1 : a.applicant > b.applicant ? 1 : a.priority - b.priority,
  );
  // Hashed in batches: one update per thousand lines instead of one per line.
  let batch = '';
  for (let i = 0; i < apps.length; i++) {
    const a = apps[i] as (typeof apps)[number];
    batch += `A|${a.applicant}|${a.competition}|${a.priority}|${a.score.join(',')}|${a.lottery}\n`;
    if (i % 1000 === 999) {
      h.update(batch);
      batch = '';
    }
  }
  h.update(batch);
  return h.digest('hex');
}

/** SHA-256 of what the engine decided: assignments, final capacities and cutoffs. */
export function outputHash(result: Pick<AllocationResult, 'assignments' | 'capacities' | 'cutoffs'>): string {
  const h = createHash('sha256');
  for (const a of result.assignments) h.update(`${a.applicant}>${a.competition}\n`);
  for (const id of Object.keys(result.capacities).sort()) {
    const cut = result.cutoffs[id];
    h.update(`${id}|${result.capacities[id]}|${cut ? `${cut.score.join(',')}/${cut.lottery}` : '-'}\n`);
  }
  return h.digest('hex');
}

/** Stored lists before 2026-12: one array per field, states and reasons spelled out. */
type ColumnarEntriesV1 = {
  code: string[];
  lottery: number[];
  priority: number[];
  score: number[][];
  state: EntryState[];
  reason: (string | null)[];
  engine: (0 | 1)[];
};

/**
 * Stored lists (one JSON value per competition, 500,000 entries per run at 100,000 applicants): one
 * array per field; the state as its index in ENTRY_STATES; reasons only where there is one, by
 * position (0-based). A quarter smaller than version 1, which is still read.
 */
type ColumnarEntries = {
  v: 2;
  code: string[];
  lottery: number[];
  priority: number[];
  score: number[][];
  state: number[];
  reason: Record<number, string>;
  engine: (0 | 1)[];
};

const STATE_INDEX = new Map<EntryState, number>(ENTRY_STATES.map((state, i) => [state, i]));

/** What each application of a run shows on its list, aligned with the run's applications (see entryStates). */
export interface EntryStates {
  state: Uint8Array;
  reason: (string | null)[];
  code: string[];
  engine: Uint8Array;
}

/**
 * The state, reason, public code and engine flag of every application of a run, in the order of
 * `list` (grouped by applicant): one lookup of the applicant's outcome and code per applicant, where
 * doing it per list entry (in list order, i.e. at random) cost more than the rest of the encoding.
 */
export function entryStates(
  list: readonly ListApplication[],
  outcomes: ReadonlyMap<string, Outcome>,
  codeOf: (applicantId: string) => string,
  fixed: ReadonlySet<string> | ReadonlyMap<string, unknown>,
): EntryStates {
  const n = list.length;
  const out: EntryStates = {
    state: new Uint8Array(n),
    reason: new Array(n),
    code: new Array(n),
    engine: new Uint8Array(n),
  };
  let applicantId: string | null = null;
  let outcome: Outcome | undefined;
  let code = '';
  let isFixed = false;
  for (let i = 0; i < n; i++) {
    const app = list[i] as ListApplication;
    if (app.applicantId !== applicantId) {
      applicantId = app.applicantId;
      outcome = outcomes.get(applicantId);
      code = codeOf(applicantId);
      isFixed = fixed.has(applicantId);
    }
    const { state, reason } = stateOf(app, outcome);
    out.state[i] = STATE_INDEX.get(state) as number;
    out.reason[i] = reason;
    out.code[i] = code;
    // Exactly the applications given to the engine: eligible, and not holding a confirmed seat.
    out.engine[i] = reason === null && !isFixed ? 1 : 0;
  }
  return out;
}

const ADMITTED = STATE_INDEX.get('admitted') as number;
const CONFIRMED = STATE_INDEX.get('confirmed') as number;

/** Encodes one ranked list (`order`: indices into `list`, best first) for storage, and counts the admitted. */
export function encodeList(
  list: readonly ListApplication[],
  order: readonly number[],
  states: EntryStates,
): { entries: ColumnarEntries; admitted: number } {
  const n = order.length;
  const entries: ColumnarEntries = {
    v: 2,
    code: new Array(n),
    lottery: new Array(n),
    priority: new Array(n),
    score: new Array(n),
    state: new Array(n),
    reason: {},
    engine: new Array(n),
  };
  let admitted = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const app = list[i] as ListApplication;
    const state = states.state[i] as number;
    const reason = states.reason[i];
    entries.code[k] = states.code[i] as string;
    entries.lottery[k] = app.lottery;
    entries.priority[k] = app.priority;
    entries.score[k] = app.score;
    entries.state[k] = state;
    if (reason) entries.reason[k] = reason;
    entries.engine[k] = states.engine[i] as 0 | 1;
    if (state === ADMITTED || state === CONFIRMED) admitted++;
  }
  return { entries, admitted };
}

export function decodeEntries(raw: unknown): StoredEntry[] {
  const c = raw as ColumnarEntries | ColumnarEntriesV1;
  const v2 = 'v' in c && c.v === 2;
  return c.code.map((code, i) => ({
    position: i + 1,
    code,
    lottery: c.lottery[i] as number,
    priority: c.priority[i] as number,
    score: c.score[i] as number[],
    state: v2 ? (ENTRY_STATES[c.state[i] as number] as EntryState) : ((c as ColumnarEntriesV1).state[i] as EntryState),
    reason: v2 ? ((c as ColumnarEntries).reason[i] ?? null) : ((c as ColumnarEntriesV1).reason[i] ?? null),
    engine: c.engine[i] === 1,
  }));
}

/** Rows sent as one JSON parameter and unpacked by the server (json_to_recordset): one statement, few bytes. */
const asJson = (rows: unknown[]) => JSON.stringify(rows);

interface Loaded {
  comps: (typeof competitions.$inferSelect)[];
  /** The submitted applications (one per applicant), each with its choices in priority order. */
  applications: {
    applicationId: string;
    applicantId: string;
    choices: { competitionId: string; priority: number }[];
  }[];
  scores: Awaited<ReturnType<typeof scoresOf>>;
  draws: Map<string, { lottery: number; code: string }>;
  active: Pick<
    typeof admissions.$inferSelect,
    'id' | 'applicantId' | 'applicationId' | 'competitionId' | 'priority' | 'status'
  >[];
}

/**
 * The submitted applications of a campaign with their choices (priority order) and the latest attempt
 * of each exam, in one query answering two text values: at 100,000 applicants a row per application
 * cost PGlite more than the query itself. `comps` lists the campaign's competition ids in uuid order;
 * `lines` are `applicationId applicantId choices exams` in applicant order (the order the engine and
 * the input hash sort by: sorting here is cheaper), with choices as `k:priority,…` (k: a competition's
 * index in `comps`, which halves the text against the ids written out) and exams as
 * `slot:score:outcome;…` (slot ids are lower-case identifiers; the score may be empty).
 */
async function submittedApplications(db: Db, campaign: CampaignRow, competitionIds: readonly string[]) {
  // One string object per competition id: every later map lookup by it (engine, checker, lists)
  // then compares pointers instead of 36 characters.
  const canonical = new Map(competitionIds.map((id) => [id, id]));
  const result = await db.execute(sql`
    with k as (
      select id, (row_number() over (order by id))::int - 1 as n from competitions where campaign_id = ${campaign.id}::uuid),
    ch as (
      select c.application_id, string_agg(k.n::text || ':' || c.priority, ',' order by c.priority) as choices
      from application_choices c join applications a on a.id = c.application_id join k on k.id = c.competition_id
      where a.campaign_id = ${campaign.id}::uuid and a.status = 'submitted'
      group by c.application_id),
    ex as (
      select applicant_id, string_agg(slot_id || ':' || coalesce(score::text, '') || ':' || outcome, ';') as exams
      from (${latestAttempts(campaign.id)}) r
      group by applicant_id)
    select (select string_agg(id::text, ',' order by n) from k) as comps,
      (select string_agg(a.id::text || ' ' || a.applicant_id::text || ' ' || ch.choices || ' ' || coalesce(ex.exams, ''), E'\n'
        order by a.applicant_id)
      from applications a join ch on ch.application_id = a.id left join ex on ex.applicant_id = a.applicant_id
      where a.campaign_id = ${campaign.id}::uuid and a.status = 'submitted') as lines`);
  const row = result.rows[0] as { comps: string | null; lines: string | null } | undefined;
  const compIds = (row?.comps ?? '').split(',').map((id) => canonical.get(id) ?? id);
  const text = row?.lines ?? null;
  const applications: Loaded['applications'] = [];
  const latest: LatestExams = new Map();
  if (text === null) return { applications, latest };
  for (const line of text.split('\n')) {
    const [applicationId, applicantId, choices, exams] = line.split(' ') as [string, string, string, string];
    applications.push({
      applicationId,
      applicantId,
      choices: choices.split(',').map((pair) => {
        const colon = pair.indexOf(':');
        return {
          competitionId: compIds[Number(pair.slice(0, colon))] as string,
          priority: Number(pair.slice(colon + 1)),
        };
      }),
    });
    if (exams) {
      const slots: Record<string, [number | null, string]> = {};
      for (const item of exams.split(';')) {
        const outcomeAt = item.lastIndexOf(':');
        const scoreAt = item.lastIndexOf(':', outcomeAt - 1);
        const score = item.slice(scoreAt + 1, outcomeAt);
        slots[item.slice(0, scoreAt)] = [score === '' ? null : Number(score), item.slice(outcomeAt + 1)];
      }
      latest.set(applicantId, slots);
    }
  }
  return { applications, latest };
}

/**
 * Everything but the applications' choices and exams: the competitions, the draws so far, the active
 * admissions, and the roster of submitted applications (applicant → application, one text value).
 */
async function loadRoster(db: Db, campaign: CampaignRow) {
  const comps = await db.select().from(competitions).where(eq(competitions.campaignId, campaign.id));
  const drawRows = await db
    .select({ applicantId: lotteryDraws.applicantId, lottery: lotteryDraws.lottery, code: lotteryDraws.code })
    .from(lotteryDraws)
    .where(eq(lotteryDraws.campaignId, campaign.id));
  const active = await db
    .select({
      id: admissions.id,
      applicantId: admissions.applicantId,
      applicationId: admissions.applicationId,
      competitionId: admissions.competitionId,
      priority: admissions.priority,
      status: admissions.status,
    })
    .from(admissions)
    .where(and(eq(admissions.campaignId, campaign.id), inArray(admissions.status, [...ACTIVE])));
  const roster = await db.execute(sql`
    select string_agg(applicant_id::text || ' ' || id::text, ',') as pairs from applications a
    where campaign_id = ${campaign.id}::uuid and status = 'submitted'
      and exists (select 1 from application_choices c where c.application_id = a.id)`);
  const pairs = (roster.rows[0] as { pairs: string | null } | undefined)?.pairs ?? null;
  const applicationOf = new Map<string, string>();
  if (pairs !== null) for (const pair of pairs.split(',')) applicationOf.set(pair.slice(0, 36), pair.slice(37));
  return {
    comps,
    draws: new Map(drawRows.map((d) => [d.applicantId, { lottery: d.lottery, code: d.code }])),
    active,
    applicationOf,
  };
}

/**
 * Runs the allocation for a campaign and publishes it when the checker agrees. One run at a time per
 * campaign across every app instance (a transaction-scoped advisory lock in PostgreSQL); the whole
 * publication is one transaction. `wait: false` (an officer's request) answers 409
 * `allocation_in_progress` while another run holds the lock; a re-run after expired offers waits.
 */
export async function runAllocation(
  ctx: AppContext,
  principal: Principal | null,
  campaign: CampaignRow,
  options: { reason: string; engine?: Engine; wait?: boolean },
  actor: Actor,
): Promise<RunSummary> {
  authorize(principal, 'campaign.allocate', { universityId: campaign.universityId });
  const settings = enrollmentSettings(campaign.enrollment);
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - mark);
    mark = now;
  };

  const { summary, notify } = await ctx.db.transaction(async (tx) => {
    const lockKey = `allocation:${campaign.id}`;
    if (options.wait === false) {
      const locked = await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext(${lockKey})) as locked`);
      if (!(locked.rows[0] as { locked?: boolean } | undefined)?.locked) {
        throw new ProblemError(409, 'allocation_in_progress', 'Another allocation run is in progress', {
          detail: 'Another allocation run of this campaign is in progress; see the list of runs when it ends.',
        });
      }
    } else {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${lockKey}))`);
    }
    const now = ctx.clock.now();
    const roster = await loadRoster(tx, campaign);
    const [{ seq } = { seq: 0 }] = await tx
      .select({ seq: max(allocationRuns.seq) })
      .from(allocationRuns)
      .where(eq(allocationRuns.campaignId, campaign.id));
    const [{ top, batch } = { top: 0, batch: 0 }] = await tx
      .select({ top: max(lotteryDraws.lottery), batch: max(lotteryDraws.batch) })
      .from(lotteryDraws)
      .where(eq(lotteryDraws.campaignId, campaign.id));
    // From here on the transaction's statements go through `writes`: sent in order, in the
    // background, while the lottery, the engine, the checker and the ranked lists are computed (see
    // WriteBehind). First the largest read, answered while the lottery is drawn.
    const writes = new WriteBehind(unsentBytes(tx));
    try {
      const reading = writes.push(() =>
        submittedApplications(
          tx,
          campaign,
          roster.comps.map((c) => c.id),
        ),
      );
      await writes.dispatch();
      lap('loadMs');

      // The lottery: drawn once per applicant per campaign, for those who have none yet. Drawn from the
      // roster, its rows made ready for the insert, while the database answers the read; each statement
      // sees the data committed before it began, so if the read's applications differ from the
      // roster's (one submitted or withdrawn in between), the batch is drawn again over the read's.
      const first = (top ?? 0) + 1;
      const codesTaken = new Set([...roster.draws.values()].map((d) => d.code));
      /** A batch drawn for the applicants without a number, with its rows as JSON for the insert. */
      const drawBatch = (applicationOf: ReadonlyMap<string, string>) => {
        const applicantIds = [...applicationOf.keys()].filter((id) => !roster.draws.has(id));
        if (!applicantIds.length) return null;
        const seed = randomBytes(16).toString('hex');
        const drawn = drawLottery(seed, applicantIds, first, codesTaken);
        const json: string[] = [];
        for (let i = 0; i < drawn.length; i += 100_000)
          json.push(
            asJson(
              drawn
                .slice(i, i + 100_000)
                .map((d) => ({ a: d.applicantId, p: applicationOf.get(d.applicantId), l: d.lottery, c: d.code })),
            ),
          );
        return { seed, drawn, json };
      };
      let draw = drawBatch(roster.applicationOf);
      lap('lotteryMs');
      const { applications: submitted, latest } = await reading;
      lap('readMs');
      const sameRoster =
        submitted.length === roster.applicationOf.size &&
        submitted.every((a) => roster.applicationOf.get(a.applicantId) === a.applicationId);
      const applicationOf = sameRoster
        ? roster.applicationOf
        : new Map(submitted.map((a) => [a.applicantId, a.applicationId]));
      if (!sameRoster) draw = drawBatch(applicationOf);
      if (draw) for (const d of draw.drawn) roster.draws.set(d.applicantId, { lottery: d.lottery, code: d.code });

      // Confirmed and enrolled applicants keep their seats and leave the engine.
      const fixed = new Map<string, Outcome>();
      const taken = new Map<string, number>();
      for (const a of roster.active) {
        if (!FIXED.has(a.status)) continue;
        if (a.status === 'confirmed' && !applicationOf.has(a.applicantId)) {
          // The applicant withdrew the application after confirming: the seat goes back to the run.
          writes.push(() =>
            tx
              .update(admissions)
              .set({ status: 'declined', closedReason: 'application_withdrawn', updatedAt: now })
              .where(eq(admissions.id, a.id)),
          );
          writes.push(() =>
            recordAudit(tx, ctx.clock, actor, {
              action: 'admission.declined',
              subjectType: 'admission',
              subjectId: a.id,
              before: { status: 'confirmed' },
              after: { status: 'declined' },
              reason: 'the application was withdrawn',
            }),
          );
          continue;
        }
        fixed.set(a.applicantId, { competitionId: a.competitionId, priority: a.priority, fixed: true });
        taken.set(a.competitionId, (taken.get(a.competitionId) ?? 0) + 1);
      }
      if (draw) {
        const { seed, drawn } = draw;
        const batchNo = (batch ?? 0) + 1;
        // The audit entry first, so that the large insert is the last statement queued (see dispatch below).
        writes.push(() =>
          recordAudit(tx, ctx.clock, actor, {
            action: 'lottery.drawn',
            subjectType: 'campaign',
            subjectId: campaign.id,
            after: { batch: batchNo, seed, applicants: drawn.length, first },
            reason: 'S4-4 single tie-breaking: one number per applicant per campaign',
          }),
        );
        for (const json of draw.json)
          writes.push(() =>
            tx.execute(sql`
            insert into lottery_draws (campaign_id, applicant_id, application_id, lottery, code, batch, seed, drawn_at)
            select ${campaign.id}::uuid, x.a, x.p, x.l, x.c, ${batchNo}::int, ${seed}::text, ${now}::timestamptz
            from json_to_recordset(${json}::json) as x(a uuid, p uuid, l int, c text)`),
          );
      }
      // The draws travel to the database while the scores, the engine and the checker are computed.
      await writes.dispatch();
      // Scores from exams need no statement: they are computed while the draws are written. A
      // portfolio's status is read by statements of this transaction, so they go through the queue.
      const scoring = () =>
        scoresOf(
          { ...ctx, db: tx },
          campaign,
          submitted.map((a) => ({ id: a.applicationId, applicantId: a.applicantId })),
          latest,
          // The run keeps the tuple, eligibility and reason; the explanations are the scores page's.
          { explain: false },
        );
      const scores = await (scoreConfigOf(campaign).mode === 'exams' ? scoring() : writes.push(scoring));
      const data: Loaded = { ...roster, applications: submitted, scores };
      lap('applicationsMs');
      const input: AllocationInput = {
        competitions: data.comps.map((c) => ({
          id: c.id,
          capacity: Math.max(0, c.seats - (taken.get(c.id) ?? 0)),
          ...(c.revertsToId ? { revertsTo: c.revertsToId } : {}),
        })),
        applications: [],
      };
      /** Every application as its ranked lists show it (built while the database writes the offers). */
      const list: ListApplication[] = [];
      /** Index in `list` of each engine application. */
      const listIndexOf: number[] = [];
      // The engine's applications as columns, in the order the object input lists them.
      const engineApplicants: string[] = [];
      const engineStarts = [0];
      const engineCompetition: string[] = [];
      const enginePriority: number[] = [];
      const engineScore: (readonly number[])[] = [];
      const engineLottery: number[] = [];
      // What each application's entries share: looked up once per applicant, used for the engine's
      // columns now and for the ranked lists' entries later.
      const facts = data.applications.map(({ applicantId }) => {
        const score = data.scores.get(applicantId);
        const eligible = !!score?.eligible;
        return {
          lottery: data.draws.get(applicantId)?.lottery ?? 0,
          eligible,
          tuple: score?.tuple ?? [],
          reason: eligible ? null : (score?.reason ?? 'no_score'),
          engine: eligible && !fixed.has(applicantId),
        };
      });
      let listed = 0;
      data.applications.forEach(({ applicantId, choices }, i) => {
        const { tuple, lottery, engine } = facts[i] as (typeof facts)[number];
        if (!engine) {
          listed += choices.length;
          return;
        }
        for (const { competitionId, priority } of choices) {
          listIndexOf.push(listed++);
          engineCompetition.push(competitionId);
          enginePriority.push(priority);
          engineScore.push(tuple);
          engineLottery.push(lottery);
        }
        if (choices.length) {
          engineApplicants.push(applicantId);
          engineStarts.push(engineCompetition.length);
        }
      });
      const buildList = () =>
        data.applications.forEach(({ applicantId, choices }, i) => {
          const { tuple: score, lottery, eligible, reason } = facts[i] as (typeof facts)[number];
          for (const { competitionId, priority } of choices)
            list.push({ applicantId, competitionId, priority, score, lottery, eligible, reason });
        });
      /** The object input's applications (the checker, the hashes and a custom engine read them). */
      const buildApplications = () => {
        for (let a = 0; a < engineApplicants.length; a++) {
          const applicant = engineApplicants[a] as string;
          for (let k = engineStarts[a] as number; k < (engineStarts[a + 1] as number); k++)
            input.applications.push({
              applicant,
              competition: engineCompetition[k] as string,
              priority: enginePriority[k] as number,
              score: engineScore[k] as readonly number[] as number[],
              lottery: engineLottery[k] as number,
            });
        }
      };
      // The built-in engine takes the columns directly when they are in its order (applicants by id,
      // choices by priority: as the read returns them), and hands back its ranking, which the ranked
      // lists reuse; the object input is then built while the database writes the offers.
      const compiled = options.engine
        ? null
        : compileColumns({
            competitions: input.competitions,
            applicantIds: engineApplicants,
            appStart: Int32Array.from(engineStarts),
            competition: engineCompetition,
            priority: enginePriority,
            score: engineScore,
            lottery: engineLottery,
          });
      if (!compiled) buildApplications();
      lap('buildMs');
      let result: AllocationResult;
      let engineOrder: Map<string, Int32Array> | null = null;
      /** Per engine applicant, the index of the assigned engine application (-1: none), when known. */
      let assignedIndex: Int32Array | null = null;
      if (options.engine) result = options.engine(input);
      else {
        if (compiled) {
          const ranked = allocateCompiled(compiled, engineCompetition.length);
          result = ranked.result;
          engineOrder = ranked.ranked;
          assignedIndex = ranked.assigned;
        } else {
          const ranked = allocateRanked(input);
          result = ranked.result;
          engineOrder = ranked.ranked;
        }
      }
      lap('engineMs');
      // Publication starts before the checker's verdict, inside a savepoint: the offers (the largest
      // write) are written while the checker, the hashes and the ranked lists are computed. A result
      // the checker refuses rolls back to the savepoint, so nothing of it is ever published.
      const seqNo = (seq ?? 0) + 1;
      const confirmBy = new Date(now.getTime() + settings.confirmDays * 86_400_000);
      const runId = randomUUID();
      writes.push(() => tx.execute(sql`savepoint allocation_publish`));
      const outcomes = new Map<string, Outcome>(fixed);
      if (assignedIndex) {
        for (let a = 0; a < engineApplicants.length; a++) {
          const k = assignedIndex[a] as number;
          if (k >= 0)
            outcomes.set(engineApplicants[a] as string, {
              competitionId: engineCompetition[k] as string,
              priority: enginePriority[k] as number,
              fixed: false,
            });
        }
      } else {
        const assignedTo = new Map(result.assignments.map((a) => [a.applicant, a.competition]));
        for (const app of input.applications) {
          if (assignedTo.get(app.applicant) === app.competition)
            outcomes.set(app.applicant, { competitionId: app.competition, priority: app.priority, fixed: false });
        }
      }

      // Offers: keep an unchanged one, supersede a moved one, offer to the newly admitted.
      const offered = new Map(data.active.filter((a) => a.status === 'offered').map((a) => [a.applicantId, a]));
      const newOffers: { id: string; who: string; app: string; comp: string; pr: number }[] = [];
      const closed: { id: string; applicationId: string; from: string; to: string | null }[] = [];
      for (const [applicantId, outcome] of outcomes) {
        if (outcome.fixed) continue;
        const current = offered.get(applicantId);
        if (current?.competitionId === outcome.competitionId) continue;
        if (current)
          closed.push({
            id: current.id,
            applicationId: current.applicationId,
            from: current.competitionId,
            to: outcome.competitionId,
          });
        newOffers.push({
          // Ids made here, not by the database: a quarter less work for PGlite, and nothing to read back.
          id: randomUUID(),
          who: applicantId,
          app: applicationOf.get(applicantId) as string,
          comp: outcome.competitionId,
          pr: outcome.priority,
        });
      }
      for (const [applicantId, current] of offered) {
        if (!outcomes.has(applicantId))
          closed.push({ id: current.id, applicationId: current.applicationId, from: current.competitionId, to: null });
      }
      // Set-based writes: the rows travel as one JSON parameter per chunk; audit entries (one per
      // decision about a person) and timeline events are derived by the server from the rows just
      // written, in the same statement. A new offer needs no timeline event: the application's
      // timeline reads it from its admission row (see applications/timeline.ts).
      const why = `allocation run ${seqNo}: ${options.reason}`;
      for (let i = 0; i < closed.length; i += 50_000) {
        const json = asJson(
          closed.slice(i, i + 50_000).map((c) => ({ id: c.id, app: c.applicationId, from: c.from, to: c.to })),
        );
        writes.push(() =>
          tx.execute(sql`
          with x as (select * from json_to_recordset(${json}::json) as x(id uuid, app uuid, "from" text, "to" text)),
          upd as (
            update admissions set status = 'superseded', closed_reason = 'reallocated', updated_at = ${now}::timestamptz
            where id in (select x.id from x)),
          aud as (
            insert into audit_log (at, actor_user_id, action, subject_type, subject_id, before, after, reason, ip)
            select ${now}::timestamptz, ${actor.userId}::uuid, 'admission.superseded', 'admission', x.id::text,
              jsonb_build_object('status', 'offered', 'competition', x."from"),
              jsonb_build_object('status', 'superseded', 'competition', x."to"), ${why}::text, ${actor.ip ?? null}::text
            from x)
          insert into application_events (application_id, at, type, data)
          select x.app, ${now}::timestamptz, 'offer_withdrawn', jsonb_build_object('competition', x."from", 'run', ${seqNo}::int)
          from x where x."to" is null`),
        );
      }
      for (let i = 0; i < newOffers.length; i += 100_000) {
        const json = asJson(newOffers.slice(i, i + 100_000));
        writes.push(() =>
          tx.execute(sql`
          with x as (select * from json_to_recordset(${json}::json) as x(id uuid, who uuid, app uuid, comp uuid, pr int)),
          aud as (
            insert into audit_log (at, actor_user_id, action, subject_type, subject_id, before, after, reason, ip)
            select ${now}::timestamptz, ${actor.userId}::uuid, 'admission.offered', 'admission', x.id::text, null,
              jsonb_build_object('status', 'offered', 'competition', x.comp, 'run', ${runId}::uuid, 'confirmBy', ${confirmBy.toISOString()}::text),
              ${why}::text, ${actor.ip ?? null}::text
            from x)
          insert into admissions (id, campaign_id, applicant_id, application_id, competition_id, run_id, priority, status, confirm_by, created_at, updated_at)
          select x.id, ${campaign.id}::uuid, x.who, x.app, x.comp, ${runId}::uuid, x.pr, 'offered', ${confirmBy}::timestamptz, ${now}::timestamptz, ${now}::timestamptz
          from x`),
        );
      }
      // The offers are written while the object input is built, the checker runs and the ranked lists
      // are built.
      await writes.dispatch();
      lap('offersMs');
      if (compiled) buildApplications();
      const violations = checkAllocation(input, result);
      lap('checkMs');
      const inSha = inputHash(input);
      const outSha = outputHash(result);
      lap('hashMs');
      const stats = {
        ...result.stats,
        rounds: result.rounds,
        fixedSeats: fixed.size,
        // 1: the engine read the applications as columns, not as objects (see compileColumns).
        engineColumns: compiled ? 1 : 0,
        ...timings,
      };
      const base = {
        campaignId: campaign.id,
        seq: seqNo,
        reason: options.reason,
        competitions: input.competitions,
        inputSha256: inSha,
        outputSha256: outSha,
        stats,
        capacities: result.capacities,
        cutoffs: result.cutoffs,
        createdBy: actor.userId,
        createdAt: now,
      };
      if (violations.length) {
        await writes.drain();
        await tx.execute(sql`rollback to savepoint allocation_publish`);
        const [run] = await tx
          .insert(allocationRuns)
          .values({ ...base, status: 'refused', check: { ok: false, violations: violations.slice(0, 50) } })
          .returning({ id: allocationRuns.id });
        await recordAudit(tx, ctx.clock, actor, {
          action: 'allocation.refused',
          subjectType: 'campaign',
          subjectId: campaign.id,
          after: { run: run?.id, violations: violations.slice(0, 10), inputSha256: inSha, outputSha256: outSha },
          reason: options.reason,
        });
        return {
          summary: {
            id: run?.id ?? '',
            seq: base.seq,
            status: 'refused' as const,
            inputSha256: inSha,
            outputSha256: outSha,
            stats,
            violations,
            offersMade: 0,
            offersWithdrawn: 0,
          },
          notify: [] as string[],
        };
      }

      // Publish: the previous run is superseded, offers follow the new assignment.
      writes.push(() =>
        tx
          .update(allocationRuns)
          .set({ status: 'superseded' })
          .where(and(eq(allocationRuns.campaignId, campaign.id), eq(allocationRuns.status, 'published'))),
      );
      writes.push(() =>
        tx
          .insert(allocationRuns)
          .values({ ...base, id: runId, status: 'published', check: { ok: true, violations: [] }, confirmBy }),
      );

      buildList();
      // The engine ranked its own applications: renumber them as entries of `list`.
      if (engineOrder)
        for (const order of engineOrder.values())
          for (let k = 0; k < order.length; k++) order[k] = listIndexOf[order[k] as number] as number;
      const orders = engineOrder ? rankedOrderFrom(list, engineOrder) : rankedOrder(list);
      lap('rankListsMs');
      const states = entryStates(list, outcomes, (applicantId) => data.draws.get(applicantId)?.code ?? '', fixed);
      const rows = data.comps.map((c) => {
        const order = orders.get(c.id) ?? [];
        const { entries, admitted } = encodeList(list, order, states);
        return {
          runId,
          competitionId: c.id,
          capacity: (result.capacities[c.id] ?? 0) + (taken.get(c.id) ?? 0),
          admitted,
          size: order.length,
          cutoff: result.cutoffs[c.id] ?? null,
          entries,
        };
      });
      for (let i = 0; i < rows.length; i += 1000) {
        const json = asJson(rows.slice(i, i + 1000));
        writes.push(() =>
          tx.execute(sql`
          insert into ranked_lists (run_id, competition_id, capacity, admitted, size, cutoff, entries)
          select ${runId}::uuid, x."competitionId", x.capacity, x.admitted, x.size, x.cutoff, x.entries
          from json_to_recordset(${json}::json)
            as x("competitionId" uuid, capacity int, admitted int, size int, cutoff jsonb, entries json)`),
        );
      }
      lap('encodeListsMs');
      await writes.drain();
      // Time spent waiting for the database after the last computation (the writes overlap the lists).
      lap('writesMs');
      await recordAudit(tx, ctx.clock, actor, {
        action: 'allocation.published',
        subjectType: 'campaign',
        subjectId: campaign.id,
        after: { run: runId, seq: base.seq, inputSha256: inSha, outputSha256: outSha, stats },
        reason: options.reason,
      });
      Object.assign(stats, timings);
      await tx.update(allocationRuns).set({ stats }).where(eq(allocationRuns.id, runId));
      return {
        summary: {
          id: runId,
          seq: base.seq,
          status: 'published' as const,
          inputSha256: inSha,
          outputSha256: outSha,
          stats,
          violations: [],
          offersMade: newOffers.length,
          offersWithdrawn: closed.length,
        },
        notify: [...newOffers.map((o) => o.id), ...closed.filter((c) => c.to === null).map((c) => `-${c.id}`)],
      };
    } catch (error) {
      // A statement that failed in the queue is the cause of what failed after it (PostgreSQL
      // refuses every statement of an aborted transaction): report that one.
      throw (await writes.abandon()) ?? error;
    }
  });
  if (summary.status === 'refused') {
    throw new ProblemError(409, 'allocation_check_failed', 'Allocation refused by the checker', {
      detail: `The independent check found ${summary.violations.length} violation(s); nothing was published (run ${summary.seq}). First: ${summary.violations[0]}`,
    });
  }
  // E-mails go out after the commit, in the background; a failure is logged, never undoes the run.
  const sending = notifyAdmissions(ctx, campaign.id, notify)
    .catch((error) => ctx.log?.error({ err: error }, 'could not send admission e-mails'))
    .finally(() => pendingNotifications.delete(sending));
  pendingNotifications.add(sending);
  return summary;
}

const pendingNotifications = new Set<Promise<unknown>>();

/** Waits for the background e-mails of earlier runs (shutdown, benchmarks, tests). */
export async function drainNotifications(): Promise<void> {
  while (pendingNotifications.size) await Promise.all([...pendingNotifications]);
}

/** Sends the offer (or "offer withdrawn", ids prefixed with "-") e-mails, a few at a time. */
export async function notifyAdmissions(ctx: AppContext, campaignId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const titles = await competitionTitles(ctx, { campaignId });
  const withdrawn = new Set(ids.filter((id) => id.startsWith('-')).map((id) => id.slice(1)));
  const all = ids.map((id) => id.replace(/^-/, ''));
  for (let i = 0; i < all.length; i += 200) {
    const chunk = all.slice(i, i + 200);
    const rows = await ctx.db
      .select({ admission: admissions, user: users })
      .from(admissions)
      .innerJoin(users, eq(users.id, admissions.applicantId))
      .where(inArray(admissions.id, chunk));
    for (const { admission, user } of rows) {
      const message = await renderAdmissionMail(
        ctx,
        user,
        admission,
        withdrawn.has(admission.id) ? 'withdrawn' : 'offered',
        {},
        titles,
      );
      await ctx.mailer.send(message).catch((error) => ctx.log?.error({ err: error }, 'admission e-mail failed'));
    }
  }
}

export async function listRuns(ctx: AppContext, principal: Principal | null, campaign: CampaignRow) {
  authorize(principal, 'campaign.applications.read', { universityId: campaign.universityId });
  return ctx.db
    .select({
      id: allocationRuns.id,
      seq: allocationRuns.seq,
      status: allocationRuns.status,
      reason: allocationRuns.reason,
      inputSha256: allocationRuns.inputSha256,
      outputSha256: allocationRuns.outputSha256,
      stats: allocationRuns.stats,
      check: allocationRuns.check,
      confirmBy: allocationRuns.confirmBy,
      createdAt: allocationRuns.createdAt,
    })
    .from(allocationRuns)
    .where(eq(allocationRuns.campaignId, campaign.id))
    .orderBy(desc(allocationRuns.seq));
}

/** The published run of a campaign, if any. */
export async function publishedRun(db: Db, campaignId: string) {
  const [run] = await db
    .select()
    .from(allocationRuns)
    .where(and(eq(allocationRuns.campaignId, campaignId), eq(allocationRuns.status, 'published')));
  return run;
}

/**
 * Rebuilds a run's engine input from what was stored (its competitions and the engine entries of its
 * ranked lists), so anyone can recompute it and compare the hashes.
 */
export async function storedInput(db: Db, runId: string): Promise<AllocationInput> {
  const [run] = await db.select().from(allocationRuns).where(eq(allocationRuns.id, runId));
  if (!run) throw new Error(`no run ${runId}`);
  const lists = await db
    .select({ competitionId: rankedLists.competitionId, entries: rankedLists.entries })
    .from(rankedLists)
    .where(eq(rankedLists.runId, runId));
  const apps: AllocationInput['applications'] = [];
  const draws = await db
    .select({ applicantId: lotteryDraws.applicantId, lottery: lotteryDraws.lottery })
    .from(lotteryDraws)
    .where(eq(lotteryDraws.campaignId, run.campaignId));
  const byLottery = new Map(draws.map((d) => [d.lottery, d.applicantId]));
  for (const l of lists) {
    for (const e of decodeEntries(l.entries)) {
      if (!e.engine) continue;
      apps.push({
        applicant: byLottery.get(e.lottery) as string,
        competition: l.competitionId,
        priority: e.priority,
        score: e.score,
        lottery: e.lottery,
      });
    }
  }
  return { competitions: run.competitions as AllocationInput['competitions'], applications: apps };
}
