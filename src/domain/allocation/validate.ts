/** Validation of `medadmit select` input: every error names the offending entry. */
import type { AllocationInput, ApplicationInput, CompetitionInput } from './types.js';

export type ValidationResult = { ok: true; input: AllocationInput } | { ok: false; errors: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => JSON.stringify(v) ?? String(v);

export function validate(raw: unknown): ValidationResult {
  const errors: string[] = [];
  if (!isObject(raw)) return { ok: false, errors: ['input: must be an object with competitions and applications'] };
  if (!Array.isArray(raw.competitions)) errors.push('competitions: must be an array');
  if (!Array.isArray(raw.applications)) errors.push('applications: must be an array');
  if (errors.length) return { ok: false, errors };
  const rawCompetitions = raw.competitions as unknown[];
  const rawApplications = raw.applications as unknown[];

  const competitions: CompetitionInput[] = [];
  const compAt = new Map<string, number>();
  rawCompetitions.forEach((c, i) => {
    const where = `competitions[${i}]`;
    if (!isObject(c) || typeof c.id !== 'string' || c.id === '') {
      errors.push(`${where}: must be an object with a string id`);
      return;
    }
    if (compAt.has(c.id)) {
      errors.push(`${where}: duplicate competition ${c.id} (competitions[${compAt.get(c.id)}])`);
      return;
    }
    compAt.set(c.id, i);
    if (typeof c.capacity !== 'number' || !Number.isInteger(c.capacity) || c.capacity < 0) {
      errors.push(`${where}: capacity of ${c.id} must be a non-negative integer (got ${show(c.capacity)})`);
      return;
    }
    if (c.revertsTo !== undefined && typeof c.revertsTo !== 'string') {
      errors.push(`${where}: revertsTo of ${c.id} must be a competition id`);
      return;
    }
    competitions.push(
      c.revertsTo === undefined
        ? { id: c.id, capacity: c.capacity }
        : { id: c.id, capacity: c.capacity, revertsTo: c.revertsTo },
    );
  });
  for (const c of competitions) {
    if (c.revertsTo !== undefined && !compAt.has(c.revertsTo))
      errors.push(`competitions[${compAt.get(c.id)}]: ${c.id} reverts to unknown competition ${c.revertsTo}`);
  }
  // Reversion cycles: follow each chain, colouring nodes (0 new, 1 on the current path, 2 done).
  const next = new Map<string, string>();
  for (const c of competitions) if (c.revertsTo !== undefined && compAt.has(c.revertsTo)) next.set(c.id, c.revertsTo);
  const colour = new Map<string, number>();
  for (const c of competitions) {
    const path: string[] = [];
    let cur: string | undefined = c.id;
    while (cur !== undefined && (colour.get(cur) ?? 0) === 0) {
      colour.set(cur, 1);
      path.push(cur);
      cur = next.get(cur);
    }
    if (cur !== undefined && colour.get(cur) === 1) {
      const cycle = path.slice(path.indexOf(cur));
      errors.push(`competitions[${compAt.get(cur)}]: reversion cycle ${[...cycle, cur].join(' → ')}`);
    }
    for (const p of path) colour.set(p, 2);
  }

  const applications: ApplicationInput[] = [];
  const pairAt = new Map<string, number>();
  const priorityAt = new Map<string, number>();
  const widthOf = new Map<string, { width: number; at: number }>();
  rawApplications.forEach((a, i) => {
    const where = `applications[${i}]`;
    if (!isObject(a)) {
      errors.push(`${where}: must be an object`);
      return;
    }
    const { applicant, competition, priority, score, lottery } = a;
    if (typeof applicant !== 'string' || applicant === '') {
      errors.push(`${where}: applicant must be a non-empty string`);
      return;
    }
    if (typeof competition !== 'string') {
      errors.push(`${where}: competition of ${applicant} must be a string`);
      return;
    }
    let ok = true;
    if (!compAt.has(competition)) {
      errors.push(`${where}: unknown competition ${competition} (applicant ${applicant})`);
      ok = false;
    }
    const pair = `${applicant}\u0000${competition}`;
    if (pairAt.has(pair)) {
      errors.push(`${where}: duplicate (${applicant}, ${competition}) (first at applications[${pairAt.get(pair)}])`);
      ok = false;
    } else pairAt.set(pair, i);
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1) {
      errors.push(
        `${where}: priority of (${applicant}, ${competition}) must be a positive integer (got ${show(priority)})`,
      );
      ok = false;
    } else {
      const pk = `${applicant}\u0000${priority}`;
      if (priorityAt.has(pk)) {
        errors.push(
          `${where}: ${applicant} has two applications with priority ${priority} (first at applications[${priorityAt.get(pk)}])`,
        );
        ok = false;
      } else priorityAt.set(pk, i);
    }
    if (
      !Array.isArray(score) ||
      score.length === 0 ||
      !score.every((s) => typeof s === 'number' && Number.isFinite(s))
    ) {
      errors.push(`${where}: non-numeric score ${show(score)} for (${applicant}, ${competition})`);
      ok = false;
    } else {
      const seen = widthOf.get(competition);
      if (!seen) widthOf.set(competition, { width: score.length, at: i });
      else if (seen.width !== score.length) {
        errors.push(
          `${where}: score of (${applicant}, ${competition}) has ${score.length} values but applications[${seen.at}] has ${seen.width}`,
        );
        ok = false;
      }
    }
    if (lottery !== undefined && (typeof lottery !== 'number' || !Number.isFinite(lottery))) {
      errors.push(`${where}: lottery of (${applicant}, ${competition}) must be a number (got ${show(lottery)})`);
      ok = false;
    }
    if (ok) {
      const app: ApplicationInput = { applicant, competition, priority: priority as number, score: score as number[] };
      if (lottery !== undefined) app.lottery = lottery as number;
      applications.push(app);
    }
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, input: { competitions, applications } };
}
