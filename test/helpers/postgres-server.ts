import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface PostgresServer {
  /** URL of the `postgres` database as superuser, over TCP on loopback. */
  adminUrl: string;
  urlFor(database: string): string;
  /** `kill -9` of the postmaster (the cluster's main process); resolves once it and its children are gone. */
  kill9(): Promise<void>;
  /** Starts the cluster again on the same port and data (crash recovery), e.g. after kill9(). */
  restart(): Promise<void>;
  stop(): void;
}

export interface StartPostgresOptions {
  /**
   * Keep PostgreSQL's durability settings (fsync, synchronous_commit, full_page_writes). Off by
   * default: the test clusters are throwaway, and a commit that returns before its WAL is written
   * is lost when the server is killed, which only a crash test cares about.
   */
  durable?: boolean;
}

/** Whether a process still runs (a zombie waiting for its parent to reap it does not). */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Pids of a process's children (from /proc), so a kill can wait until the backends are gone too. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a throwaway PostgreSQL cluster (initdb + pg_ctl) in a temporary directory on a loopback port.
 * initdb refuses to run as root, so as root the cluster runs as the `postgres` system user.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-pg-'));
  const dataDir = path.join(dir, 'data');
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(
        `${cmd} failed (${result.status}): ${result.error?.message ?? ''}\n${result.stdout}\n${result.stderr}`,
      );
    }
  };
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    '-c max_connections=200',
  ].join(' ');
  const start = () => run('pg_ctl', ['-D', dataDir, '-o', settings, '-l', path.join(dir, 'server.log'), '-w', 'start']);
  start();
  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    async kill9() {
      const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const children = childrenOf(pid);
      process.kill(pid, 'SIGKILL');
      // Backends notice their postmaster's death and exit; a new postmaster cannot start before.
      const deadline = Date.now() + 30_000;
      while ([pid, ...children].some(alive)) {
        if (Date.now() > deadline) throw new Error('PostgreSQL backends still running 30 s after kill -9');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async restart() {
      // A killed postmaster may linger as a zombie until its new parent reaps it, and PostgreSQL
      // takes a zombie's pid for a running server: remove the lock file of a postmaster that is gone.
      for (const lock of [path.join(dataDir, 'postmaster.pid'), path.join(dir, `.s.PGSQL.${port}.lock`)]) {
        if (fs.existsSync(lock) && !alive(Number(fs.readFileSync(lock, 'utf8').split('\n')[0]))) fs.rmSync(lock);
      }
      start();
    },
    stop() {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
