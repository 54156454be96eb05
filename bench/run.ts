/**
 * `npm run bench [-- foundation|catalog …]`: runs the benchmarks (all by default) and prints one
 * Markdown table per benchmark, ready for docs/PERFORMANCE.md. Loopback only, bounded in time.
 */
import fs from 'node:fs';
import os from 'node:os';
import { benchAllocation } from './allocation.js';
import { benchAllocationDb } from './allocation-db.js';
import { benchApplications } from './applications.js';
import { benchCatalog } from './catalog.js';
import { benchFoundation } from './foundation.js';
import { benchInstances } from './instances.js';
import { benchRegister } from './register.js';
import { cli } from './server.js';

export interface Row {
  database: string;
  measure: string;
  value: string;
}

const BENCHMARKS: Record<string, () => Promise<Row[]>> = {
  foundation: benchFoundation,
  catalog: benchCatalog,
  applications: benchApplications,
  allocation: benchAllocation,
  'allocation-db': benchAllocationDb,
  register: benchRegister,
  instances: benchInstances,
};

async function main() {
  if (!fs.existsSync(cli)) throw new Error('run `npm run build` first');
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !(w in BENCHMARKS));
  if (unknown.length)
    throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  for (const name of wanted.length ? wanted : Object.keys(BENCHMARKS)) {
    const rows = await (BENCHMARKS[name] as () => Promise<Row[]>)();
    console.log(`\n## ${name} — ${new Date().toISOString()} — ${os.cpus().length} × ${cpu}, Node ${process.version}\n`);
    console.log('| database | measure | result |');
    console.log('|---|---|---|');
    for (const r of rows) console.log(`| ${r.database} | ${r.measure} | ${r.value} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
