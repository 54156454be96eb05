/** Reads and writes the expected authorization table, `test/authz/matrix.md`. */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COLUMN_MEANING, COLUMNS, type Column } from '../helpers/authz-world.js';

export const MATRIX_FILE = fileURLToPath(new URL('./matrix.md', import.meta.url));

export interface MatrixRow {
  cells: Record<Column, string>;
  note: string;
}

export type Matrix = Map<string, MatrixRow>;

export function readMatrix(file = MATRIX_FILE): Matrix {
  const rows: Matrix = new Map();
  if (!fs.existsSync(file)) return rows;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('| `')) continue;
    const parts = line.split('|').map((p) => p.trim());
    const operation = parts[1]?.replace(/`/g, '') as string;
    const values = parts.slice(2, 2 + COLUMNS.length);
    const cells = Object.fromEntries(COLUMNS.map((c, i) => [c, values[i] ?? ''])) as Record<Column, string>;
    rows.set(operation, { cells, note: parts[2 + COLUMNS.length] ?? '' });
  }
  return rows;
}

/** Does an answer match the expected cell? `2xx` accepts any success, a code only itself. */
export function matches(expected: string, status: number): boolean {
  if (expected === '2xx') return status >= 200 && status < 300;
  return expected === String(status);
}

export function writeMatrix(rows: Matrix, file = MATRIX_FILE): void {
  const header = `| operation | ${COLUMNS.join(' | ')} | note |`;
  const rule = `|${' --- |'.repeat(COLUMNS.length + 2)}`;
  const lines = [...rows].map(
    ([operation, row]) => `| \`${operation}\` | ${COLUMNS.map((c) => row.cells[c]).join(' | ')} | ${row.note} |`,
  );
  const text = `# Authorization matrix

Every operation of \`/api/openapi.json\` × every principal → the expected HTTP status, checked by
\`test/integration/authz-matrix.test.ts\` on PGlite and PostgreSQL. A route without a row here, or a
row without a route, fails the test, and so does any cell that differs (the test prints them).

The path parameters of every operation point at the **target objects**: the target applicant's
dossier, document, application, admission and agency grant (university A, agency A), university A's
campaign, register and catalog entries, the target student's record and guardian link. Each column is
a principal whose relation to those objects is fixed; so the columns are the ownership cases too.

${COLUMNS.map((c) => `- \`${c}\`: ${COLUMN_MEANING[c]}`).join('\n')}

Reading a cell: \`401\` anonymous; \`403\` the principal's role may never do this; \`404\` the object
exists but is not the principal's to know about (not-owned objects answer 404, not 403); a success
code (\`200\`, \`201\`, \`204\`) the operation was done. Any other code (\`400\`, \`409\`, \`422\`…) is an
authorized principal whose request the business rules then refused (the note says why), or, for the
anonymous endpoints of authentication, the answer everyone gets. Operations marked *last* change the
world for good (withdrawing, closing a term) and run after every other write; *fresh* ones get a new
object per cell. \`/me/…\` operations act on the principal's own objects.

${header}
${rule}
${lines.join('\n')}
`;
  fs.writeFileSync(file, text);
}
