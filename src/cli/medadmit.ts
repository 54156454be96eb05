#!/usr/bin/env node
import path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig, trustProxy } from '../config.js';
import { isRole, ROLES } from '../domain/roles.js';
import { seedDemo } from '../seed/demo.js';
import { BackupError, createBackup, restoreBackup, verifyBackup } from '../server/backup/backup.js';
import {
  CatalogImportError,
  exportCatalog,
  type ImportProblem,
  importCatalog,
} from '../server/catalog/catalog.service.js';
import { type ExportFormat, readCatalogFiles, writeCatalogFiles } from '../server/catalog/catalog-files.js';
import { newKeySpec } from '../server/files/encryption.js';
import { fileKeyStatus, rotateFileKeys } from '../server/files/file-keys.service.js';
import { eraseExpired } from '../server/privacy/erasure.service.js';
import { ProblemError } from '../server/problem.js';
import { closeContext, createContext, readVersion } from '../server/runtime.js';
import { serve } from '../server/serve.js';
import { SYSTEM_ACTOR } from '../server/services/audit.service.js';
import { verifyAuditChain } from '../server/services/audit-chain.js';
import { createUser } from '../server/services/user.service.js';
import { runSelect } from './select.js';

const program = new Command();
program
  .name('medadmit')
  .description('MedAdmit: admissions and study records for international medical students')
  .version(readVersion());

program
  .command('serve')
  .description('migrate the database, load demo data once, and serve the web app and API')
  .option('--no-seed', 'do not load demo data')
  .option(
    '--trust-proxy [proxies]',
    'trust X-Forwarded-* headers from these proxy addresses/CIDRs (behind nginx; without a value: from any peer)',
  )
  .action(async (opts: { seed: boolean; trustProxy?: true | string }) => {
    const config = loadConfig();
    if (!opts.seed) config.seedDemo = false;
    if (opts.trustProxy !== undefined)
      config.trustProxy = opts.trustProxy === true ? true : trustProxy(opts.trustProxy);
    const stop = await serve(config);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      });
    }
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const ctx = await createContext(loadConfig());
    console.log(`Migrations applied (${ctx.database.kind}).`);
    await closeContext(ctx);
  });

program
  .command('seed')
  .description('load the demo data (idempotent) and print the demo accounts')
  .action(async () => {
    const ctx = await createContext(loadConfig());
    const accounts = await seedDemo(ctx);
    for (const a of accounts) console.log(`${a.role.padEnd(14)} ${a.email.padEnd(34)} ${a.password}`);
    await closeContext(ctx);
  });

const user = program.command('user').description('manage accounts');
user
  .command('create')
  .description('create an account with any role (the e-mail counts as verified)')
  .requiredOption('--role <role>', `one of: ${ROLES.join(', ')}`, (value: string) => {
    if (!isRole(value)) throw new InvalidArgumentError(`expected one of ${ROLES.join(', ')}`);
    return value;
  })
  .requiredOption('--email <email>', 'e-mail address, used to sign in')
  .option('--name <name>', 'full name', 'New User')
  .option('--locale <locale>', 'en or ru', 'en')
  .option('--university <id>', 'university id (officer, reviewer, teacher)')
  .option('--agency <id>', 'agency id (consultant)')
  .option('--password <password>', 'password; read from MEDADMIT_PASSWORD when omitted')
  .action(
    async (opts: {
      role: (typeof ROLES)[number];
      email: string;
      name: string;
      locale: string;
      university?: string;
      agency?: string;
      password?: string;
    }) => {
      const password = opts.password ?? process.env.MEDADMIT_PASSWORD;
      if (!password) throw new InvalidArgumentError('give --password or set MEDADMIT_PASSWORD');
      if (opts.locale !== 'en' && opts.locale !== 'ru') throw new InvalidArgumentError('--locale must be en or ru');
      const ctx = await createContext(loadConfig());
      try {
        const created = await createUser(
          ctx,
          {
            email: opts.email,
            password,
            fullName: opts.name,
            role: opts.role,
            locale: opts.locale,
            universityId: opts.university ?? null,
            agencyId: opts.agency ?? null,
          },
          SYSTEM_ACTOR,
        );
        console.log(`Created ${created.role} ${created.email} (${created.id}).`);
      } finally {
        await closeContext(ctx);
      }
    },
  );

const catalog = program.command('catalog').description('import and export the program catalog');
catalog
  .command('import')
  .description(
    'import universities and programs from JSON, CSV or XLSX files; everything is checked first and imported all or nothing',
  )
  .argument(
    '<files...>',
    '.json ({universities, programs}), .csv (one table per file) or .xlsx (sheets universities, programs)',
  )
  .action(async (files: string[]) => {
    const read = await readCatalogFiles(files);
    const ctx = await createContext(loadConfig());
    const total = read.file.universities.length + read.file.programs.length;
    const bar = process.stderr.isTTY
      ? new SingleBar(
          { format: 'importing [{bar}] {percentage}% {value}/{total}', stream: process.stderr },
          Presets.shades_classic,
        )
      : undefined;
    bar?.start(total, 0);
    try {
      const progress = (done: number) => bar?.update(done);
      const counts = await importCatalog(ctx, read.file, read.where, SYSTEM_ACTOR, progress, read.problems);
      bar?.stop();
      console.log(`Imported ${counts.universities} universities and ${counts.programs} programs.`);
    } catch (error) {
      bar?.stop();
      if (error instanceof CatalogImportError) {
        reportImportProblems(error.problems);
        process.exitCode = 1;
        return;
      }
      throw error;
    } finally {
      await closeContext(ctx);
    }
  });

catalog
  .command('export')
  .description('export the catalog as JSON, CSV (two files: .universities.csv and .programs.csv) or XLSX')
  .option('--format <format>', 'json, csv or xlsx', 'json')
  .option('--out <file>', 'output file (JSON goes to standard output without it)')
  .action(async (opts: { format: string; out?: string }) => {
    if (!['json', 'csv', 'xlsx'].includes(opts.format))
      throw new InvalidArgumentError('--format must be json, csv or xlsx');
    if (!opts.out && opts.format !== 'json') throw new InvalidArgumentError(`--out is required for ${opts.format}`);
    const ctx = await createContext(loadConfig());
    try {
      const data = await exportCatalog(ctx);
      if (!opts.out) {
        process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
        return;
      }
      const written = await writeCatalogFiles(data, opts.format as ExportFormat, opts.out);
      console.log(
        `Exported ${data.universities.length} universities and ${data.programs.length} programs to ${written.join(', ')}.`,
      );
    } finally {
      await closeContext(ctx);
    }
  });

program
  .command('select')
  .description(
    'allocate seats: applicant-proposing deferred acceptance with reversion of unfilled seats, checked for capacity and stability',
  )
  .argument(
    '<input>',
    'INPUT.json: {"competitions":[{"id","capacity","revertsTo"?}],"applications":[{"applicant","competition","priority","score":[…],"lottery"?}]}',
  )
  .option('--out <file>', 'write the result here instead of standard output')
  .action(async (input: string, opts: { out?: string }) => {
    process.exitCode = await runSelect(input, opts.out);
  });

program
  .command('backup')
  .description(
    'back up the database (the embedded one while the server is stopped; PostgreSQL online with pg_dump) and every stored file, with a manifest of row counts and SHA-256 hashes',
  )
  .option(
    '--out <dir>',
    'a new directory for the backup',
    `backups/medadmit-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`,
  )
  .action(async (opts: { out: string }) => {
    const out = path.resolve(opts.out);
    const manifest = await createBackup(loadConfig(), out, readVersion());
    const rows = Object.values(manifest.rowCounts).reduce((a, b) => a + b, 0);
    console.log(
      `Backed up ${manifest.database.kind}: ${Object.keys(manifest.rowCounts).length} tables, ${rows} rows, ${manifest.files.length} files → ${out}`,
    );
  });

program
  .command('restore')
  .description(
    'check a backup, restore it into DATA_DIR (or the database at DATABASE_URL), then compare row counts and file hashes with its manifest',
  )
  .argument('<dir>', 'a directory written by `medadmit backup`')
  .option('--force', 'replace a database that already holds data (the embedded one is moved aside, not deleted)')
  .option('--verify-only', 'only check the backup against its manifest; change nothing')
  .action(async (dir: string, opts: { force?: boolean; verifyOnly?: boolean }) => {
    if (opts.verifyOnly) {
      const manifest = await verifyBackup(path.resolve(dir));
      console.log(`Backup is intact: database file and ${manifest.files.length} files match the manifest.`);
      return;
    }
    const { drill } = await restoreBackup(loadConfig(), path.resolve(dir), { force: !!opts.force });
    for (const [table, expected, found] of drill.rowMismatches)
      console.error(`  ${table}: ${expected} rows in the backup, ${found} restored`);
    for (const key of drill.fileMismatches) console.error(`  file ${key} missing or altered`);
    if (!drill.ok) {
      console.error('error: the restore drill found differences (listed above)');
      process.exitCode = 1;
      return;
    }
    console.log(
      `Restored and verified: ${drill.tables} tables, ${drill.rows} rows, ${drill.files} files match the backup.`,
    );
  });

const audit = program.command('audit').description('the audit log');
audit
  .command('verify')
  .description(
    'recompute the audit log seals (a SHA-256 chain); exits 1 and lists the first broken rows when anything was altered',
  )
  .action(async () => {
    const ctx = await createContext(loadConfig());
    try {
      const report = await verifyAuditChain(ctx.db);
      if (!report.ok) {
        console.error(`error: the audit log was altered (${report.broken.length} broken row(s) shown):`);
        for (const b of report.broken) console.error(`  row ${b.id} (sequence ${b.seq ?? '-'}): ${b.problem}`);
        process.exitCode = 1;
        return;
      }
      console.log(
        `Audit log intact: ${report.rows} rows; head ${report.head ? `#${report.head.seq} ${report.head.hash}` : '(empty)'}`,
      );
    } finally {
      await closeContext(ctx);
    }
  });

const keys = program
  .command('keys')
  .description('key-encryption keys of special-category files (FILE_ENCRYPTION_KEYS, first = current)');
keys
  .command('status')
  .description('encrypted file versions per key id, and whether each key is configured')
  .action(async () => {
    const ctx = await createContext(loadConfig(), { checkFileKeys: false });
    try {
      const status = await fileKeyStatus(ctx.db, ctx.fileKeys, ctx.config.encryptedDocumentKinds);
      console.log(
        `Current key: ${status.current} (${status.source === 'environment' ? 'FILE_ENCRYPTION_KEYS' : `development key ${ctx.fileKeys.file}`})`,
      );
      for (const k of status.keys) {
        const note = k.current ? 'current' : k.configured ? 'configured, reads only' : 'MISSING';
        console.log(`  ${k.keyId.padEnd(40)} ${String(k.files).padStart(8)} file(s)  ${note}`);
      }
      if (status.clearOfEncryptedKinds > 0)
        console.log(
          `  ${status.clearOfEncryptedKinds} version(s) of ${ctx.config.encryptedDocumentKinds.join(', ')} stored in clear (uploaded before encryption)`,
        );
      if (status.keys.some((k) => !k.configured && k.files > 0)) process.exitCode = 1;
    } finally {
      await closeContext(ctx);
    }
  });
keys
  .command('rotate')
  .description(
    're-wrap every data key not under the current key with the current key (files are not re-encrypted); audited; running it again changes nothing',
  )
  .action(async () => {
    const ctx = await createContext(loadConfig());
    try {
      const result = await rotateFileKeys(ctx.db, ctx.clock, ctx.fileKeys, SYSTEM_ACTOR);
      const from = Object.entries(result.rewrapped).map(([id, n]) => `${n} from ${id}`);
      console.log(
        result.total === 0
          ? `Nothing to re-wrap: every encrypted file is under the current key ${result.current}.`
          : `Re-wrapped ${result.total} data key(s) under ${result.current} (${from.join(', ')}). The old key(s) may now be removed from FILE_ENCRYPTION_KEYS.`,
      );
    } finally {
      await closeContext(ctx);
    }
  });
keys
  .command('generate')
  .description('print a new key for FILE_ENCRYPTION_KEYS (put it first to make it current, keep the old ones after it)')
  .option('--id <keyId>', 'key id', `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`)
  .action((opts: { id: string }) => {
    console.log(newKeySpec(opts.id));
  });

program
  .command('erase-expired')
  .description(
    'erase the personal data of applicants inactive for longer than RETENTION_DAYS who have no active admission or student record (one audit entry person.erased each; the account stays as a tombstone)',
  )
  .option('--dry-run', 'list who would be erased and what would go; change nothing')
  .action(async (opts: { dryRun?: boolean }) => {
    const ctx = await createContext(loadConfig());
    try {
      const run = await eraseExpired(ctx, { dryRun: !!opts.dryRun });
      for (const p of run.people) {
        const counts = p.counts
          ? `${p.counts.documents} documents, ${p.counts.files} files, ${p.counts.applicationSnapshots} application snapshots`
          : 'skipped (active again)';
        console.log(`  ${p.userId}: ${counts}`);
      }
      const what = run.dryRun
        ? `${run.people.length} would be erased (dry run, nothing changed)`
        : `${run.erased} erased`;
      console.log(`Last activity before ${run.cutoff} (RETENTION_DAYS=${ctx.config.retentionDays}): ${what}.`);
    } finally {
      await closeContext(ctx);
    }
  });

function reportImportProblems(problems: ImportProblem[]): void {
  console.error(`error: nothing was imported; ${problems.length} problem(s):`);
  for (const p of problems.slice(0, 200)) console.error(`  ${p.where}: ${p.field}: ${p.message}`);
  if (problems.length > 200) console.error(`  … and ${problems.length - 200} more`);
}

program.parseAsync().catch((error: unknown) => {
  if (error instanceof BackupError) {
    console.error(`error: ${error.message}`);
  } else if (error instanceof ProblemError) {
    console.error(`error: ${error.message}`);
    for (const e of error.errors ?? []) console.error(`  ${e.field.replace(/^body\./, '')}: ${e.message}`);
  } else {
    console.error(error instanceof Error ? `error: ${error.message}` : error);
  }
  process.exit(1);
});
