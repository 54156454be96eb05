#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.js';
import { isRole, ROLES } from '../domain/roles.js';
import { seedDemo } from '../seed/demo.js';
import { ProblemError } from '../server/problem.js';
import { closeContext, createContext, readVersion } from '../server/runtime.js';
import { serve } from '../server/serve.js';
import { SYSTEM_ACTOR } from '../server/services/audit.service.js';
import { createUser } from '../server/services/user.service.js';

const program = new Command();
program
  .name('medadmit')
  .description('MedAdmit: admissions and study records for international medical students')
  .version(readVersion());

program
  .command('serve')
  .description('migrate the database, load demo data once, and serve the web app and API')
  .option('--no-seed', 'do not load demo data')
  .option('--trust-proxy', 'trust X-Forwarded-* headers (behind nginx)')
  .action(async (opts: { seed: boolean; trustProxy?: boolean }) => {
    const config = loadConfig();
    if (!opts.seed) config.seedDemo = false;
    if (opts.trustProxy) config.trustProxy = true;
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

program.parseAsync().catch((error: unknown) => {
  if (error instanceof ProblemError) {
    console.error(`error: ${error.message}`);
    for (const e of error.errors ?? []) console.error(`  ${e.field.replace(/^body\./, '')}: ${e.message}`);
  } else {
    console.error(error instanceof Error ? `error: ${error.message}` : error);
  }
  process.exit(1);
});
