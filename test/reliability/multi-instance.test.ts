/**
 * Several instances (issue 10): PostgreSQL, the object store (s3rver), nginx with deploy's proxy
 * rules and 3 `medadmit serve` instances on loopback. The deadline burst goes through nginx while
 * one instance is killed with SIGKILL and started again; every acknowledged receipt and file must
 * be there afterwards, and sessions must work on whichever instance a request lands.
 */
import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type Cluster, startCluster } from '../../bench/cluster.js';
import { type BurstResult, runBurst, signIn, upstreamOf, verifyCluster } from '../../bench/instances.js';
import { type Answer, adminSession, call, createApplicantAccount, PASSWORD } from '../../bench/scripted-applicants.js';

// About 30 s of burst (the whole file about 50 s) on this 2-core machine, shared with PostgreSQL, s3rver, nginx and the clients.
const APPLICANTS = Number(process.env.RELIABILITY_MULTI_APPLICANTS ?? 400);

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ instances: 3, blobStore: 's3' });
}, 180_000);
afterAll(async () => {
  await cluster?.stop();
});

/** A session from one sign-in, checked on every instance: GET /api/v1/auth/session answers 200 as this user. */
async function checkSession(session: { cookie: string; csrf: string }, times: number): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < times; i++) {
    const res = await call(`${cluster.url}/api/v1/auth/session`, { session });
    expect(res.status, res.body).toBe(200);
    expect((JSON.parse(res.body) as { user: unknown }).user).toBeTruthy();
    seen.add(upstreamOf(res));
  }
  return seen;
}

describe('three instances behind nginx', () => {
  it('serves one session on every instance, and records the client address nginx saw', async () => {
    const admin = await adminSession(cluster.url, cluster.seedDir);
    const email = `roaming-${Date.now()}@bench.example`;
    await createApplicantAccount(cluster.url, admin, email);
    const { session } = await signIn(cluster.url, email);
    const seen = await checkSession(session, 9);
    expect(seen.size).toBe(3);

    // From another loopback address, with a forged X-Forwarded-For: the instance must record the
    // address nginx saw (TRUST_PROXY=127.0.0.1 and nginx replacing the header), not the forged one.
    const answer = await new Promise<Answer>((resolve, reject) => {
      const body = JSON.stringify({ email, password: PASSWORD });
      const req = http.request(
        `${cluster.url}/api/v1/auth/login`,
        {
          method: 'POST',
          localAddress: '127.0.0.7',
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'x-forwarded-for': '203.0.113.9',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: '', headers: new Headers() }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(answer.status).toBe(200);
    const client = new pg.Client({ connectionString: cluster.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ ip: string }>(
        'select s.ip from sessions s join users u on u.id = s.user_id where u.email = $1 order by s.created_at desc limit 1',
        [email],
      );
      expect(rows[0]?.ip).toBe('127.0.0.7');
    } finally {
      await client.end();
    }
  });

  it(`loses nothing acknowledged in a burst of ${APPLICANTS} applicants while one instance is killed and restarted`, async () => {
    onTestFailed(() => console.log(`instance logs (last 20,000 characters):\n${cluster.logs().slice(-20_000)}`));
    const admin = await adminSession(cluster.url, cluster.seedDir);
    // Witnesses: signed in before the kill, some of them on the instance that is killed.
    const witnesses: { session: { cookie: string; csrf: string }; upstream: string }[] = [];
    for (let i = 0; i < 9; i++) {
      const email = `witness-${i}-${Date.now()}@bench.example`;
      await createApplicantAccount(cluster.url, admin, email);
      witnesses.push(await signIn(cluster.url, email));
    }
    const victim = cluster.ports.findIndex((_, i) => witnesses.some((w) => w.upstream === cluster.upstreamOf(i)));
    const onVictim = witnesses.filter((w) => w.upstream === cluster.upstreamOf(victim));
    expect(onVictim.length).toBeGreaterThan(0);

    let whileDown: Set<string> | undefined;
    const burst: BurstResult = await runBurst(cluster, {
      applicants: APPLICANTS,
      kill: { instance: victim, atFraction: 0.35, downMs: 1_000 },
      whileDown: async () => {
        // The instance they signed in on is gone: their next requests land on the others and work.
        whileDown = new Set();
        for (const w of onVictim) for (const u of await checkSession(w.session, 3)) whileDown.add(u);
      },
    });
    // After the restart every witness still works, on every instance including the restarted one.
    // nginx skips an instance for fail_timeout (10 s) after max_fails, then tries it again.
    const afterRestart = new Set<string>();
    const deadline = Date.now() + 20_000;
    while (!afterRestart.has(cluster.upstreamOf(victim)) && Date.now() < deadline) {
      for (const w of witnesses) for (const u of await checkSession(w.session, 3)) afterRestart.add(u);
      await new Promise((r) => setTimeout(r, 500));
    }

    const v = await verifyCluster(cluster, burst.receipts, burst.files);
    console.log(
      `\nMulti-instance burst: ${APPLICANTS} applicants in ${burst.seconds.toFixed(1)} s through nginx to 3 instances, ` +
        `instance ${victim + 1} killed at 35 % and back after ${(burst.restartMs / 1000).toFixed(1)} s; ` +
        `${burst.requests} answers, ${burst.retries} retries, ${burst.busy} 503/429, ${burst.errors500} 500; ` +
        `per instance ${[...burst.perUpstream.values()].join(' / ')}; receipts ${v.receiptsIntact}/${v.receipts}, ` +
        `files ${v.filesIntact}/${v.files}; sessions moved ${burst.movedSessions}, ` +
        `signed in on the killed instance and kept working ${burst.survivedKill}, lost ${burst.sessionsLost}\n`,
    );
    expect(whileDown?.has(cluster.upstreamOf(victim))).toBe(false);
    expect(whileDown?.size).toBeGreaterThan(0);
    expect(v.problems).toEqual([]);
    expect(v.receipts).toBe(APPLICANTS);
    expect(v.receiptsIntact).toBe(v.receipts);
    expect(v.files).toBe(3 * APPLICANTS);
    expect(v.filesIntact).toBe(v.files);
    expect(burst.sessionsLost).toBe(0);
    expect(burst.movedSessions).toBeGreaterThan(0);
    // The killed instance is back in rotation.
    expect(afterRestart.has(cluster.upstreamOf(victim))).toBe(true);
  });
});
