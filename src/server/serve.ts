import type { AppConfig } from '../config.js';
import { type DemoAccount, demoAccountsFile, seedDemo } from '../seed/demo.js';
import { sendAgencyReminders } from './agency/work.service.js';
import { buildApp } from './app.js';
import { sendExamReminders } from './exams/reminders.js';
import type { Keyring } from './files/encryption.js';
import { runDailyErasure } from './privacy/erasure.service.js';
import { sendRegisterDigest } from './register/alerts.service.js';
import { closeContext, createContext } from './runtime.js';

function banner(config: AppConfig, kind: string, mail: string, accounts: DemoAccount[], keys: Keyring): string {
  const lines = [
    '',
    `  MedAdmit is running at ${config.publicUrl}`,
    `  API docs: ${config.publicUrl}/api/docs   database: ${kind}   e-mail: ${mail}`,
  ];
  if (keys.source === 'development') {
    lines.push(
      '',
      `  WARNING: medical reports are encrypted with a development key kept beside the data (${keys.file}).`,
      '  For development only: in production set FILE_ENCRYPTION_KEYS (see README, Configuration).',
    );
  }
  if (accounts.length > 0) {
    lines.push('', `  Demo accounts (also in ${demoAccountsFile(config.dataDir)}):`);
    for (const a of accounts) lines.push(`    ${a.role.padEnd(14)} ${a.email.padEnd(34)} ${a.password}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Starts the whole system: database, migrations, demo data, API and web app. */
export async function serve(config: AppConfig): Promise<() => Promise<void>> {
  const ctx = await createContext(config);
  const accounts = config.seedDemo ? await seedDemo(ctx) : [];
  const app = await buildApp(ctx, { logger: true });
  await app.listen({ port: config.port, host: config.host });
  process.stdout.write(banner(config, ctx.database.kind, ctx.mailer.describe(), accounts, ctx.fileKeys));
  // Background duties of a running server; each run is idempotent.
  const timer = setInterval(() => {
    sendExamReminders(ctx).catch((error: unknown) => app.log.error({ err: error }, 'exam reminders failed'));
    sendAgencyReminders(ctx).catch((error: unknown) => app.log.error({ err: error }, 'agency reminders failed'));
    sendRegisterDigest(ctx).catch((error: unknown) => app.log.error({ err: error }, 'register digest failed'));
    runDailyErasure(ctx).catch((error: unknown) => app.log.error({ err: error }, 'retention erasure failed'));
  }, 10 * 60_000);
  timer.unref();
  let closing: Promise<void> | undefined;
  const stop = () => {
    closing ??= (async () => {
      clearInterval(timer);
      await app.close();
      await closeContext(ctx);
    })();
    return closing;
  };
  return stop;
}
