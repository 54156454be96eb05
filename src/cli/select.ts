/** `medadmit select INPUT.json [--out OUTPUT.json]`: the allocation, validated and checked before publication. */
import fs from 'node:fs/promises';
import { checkAllocation } from '../domain/allocation/check.js';
import { allocate } from '../domain/allocation/deferred-acceptance.js';
import type { AllocationOptions } from '../domain/allocation/types.js';
import { validate } from '../domain/allocation/validate.js';

/** Returns the exit code: 0 ok, 2 invalid input (message on stderr), 1 the checker found a violation. */
export async function runSelect(
  inputPath: string,
  outPath: string | undefined,
  options: AllocationOptions = {},
): Promise<number> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(inputPath, 'utf8'));
  } catch (error) {
    process.stderr.write(`${inputPath}: cannot read JSON input: ${(error as Error).message}\n`);
    return 2;
  }
  const valid = validate(raw);
  if (!valid.ok) {
    process.stderr.write(`${inputPath}: invalid input\n${valid.errors.map((e) => `  ${e}`).join('\n')}\n`);
    return 2;
  }
  const result = allocate(valid.input, options);
  const violations = checkAllocation(valid.input, result);
  if (violations.length) {
    process.stderr.write(
      `allocation refused: the checker found ${violations.length} violation(s)\n${violations
        .slice(0, 20)
        .map((v) => `  ${v}`)
        .join('\n')}\n`,
    );
    return 1;
  }
  const output: Record<string, unknown> = {
    assignments: result.assignments,
    unassigned: result.unassigned,
    cutoffs: result.cutoffs,
    capacities: result.capacities,
  };
  if (Object.keys(result.drawn).length) output.lottery = result.drawn;
  output.stats = result.stats;
  const text = `${JSON.stringify(output, null, 2)}\n`;
  if (outPath) await fs.writeFile(outPath, text);
  else process.stdout.write(text);
  return 0;
}
