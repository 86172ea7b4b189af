/**
 * The embedded system: one process with dynalite, the referral state machine from the synthesized
 * template, a real SMTP mailbox and the HTTP API, all bound to the same handler code as Lambda.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FastForwardClock } from '../../functions/adapters/clock';
import { createDocumentClient, DynamoDbReferralStore } from '../../functions/adapters/dynamodb-store';
import { SmtpEmailSender } from '../../functions/adapters/email-smtp';
import { HmacIdentityHasher } from '../../functions/adapters/identity-hasher';
import { createLogger } from '../../functions/adapters/logger';
import type { Config } from '../../functions/shared/config';
import { provideDependencies } from '../../functions/shared/dependencies';
import type { Dependencies } from '../../functions/ports';
import { ensureTable, startDynalite } from './dynalite';
import { LocalHttpServer } from './http-server';
import { Mailbox } from './mailbox';
import { seedDemoData, DEMO_PARTNERSHIP_ID } from './seed';
import { seedDemoReferrals } from './demo-referrals';
import { resumeUnfinished } from './resume';
import { REPO_ROOT, synthesizedTemplates } from './synth';
import { handlerEntries, httpRoutes, stateMachines, tableDefinition } from './template';
import { LocalWorkflowEngine } from './workflow-engine';

export interface LocalSystemOptions {
  /** HTTP port; 0 picks a free one. */
  port?: number;
  smtpPort?: number;
  /** Where dynalite, the mailbox and the identity key live; undefined keeps everything in memory. */
  dataDir?: string;
  /** Time (waits, deadlines, link expiry) runs this many times faster than real time; default 1. */
  fastForward?: number;
  linkTtlDays?: number;
  seed?: boolean;
  /** Also drive a few demo referrals through the workflow (npm start does; tests do not). */
  demoReferrals?: boolean;
  quiet?: boolean;
}

export interface LocalSystem {
  url: string;
  mailbox: Mailbox;
  engine: LocalWorkflowEngine;
  clock: FastForwardClock;
  deps: Dependencies;
  stop(): Promise<void>;
}

function identityKey(dataDir: string | undefined): string {
  if (!dataDir) return randomBytes(32).toString('hex');
  const file = join(dataDir, 'identity.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const log = (m: string) => {
    if (!options.quiet) console.log(`[local] ${m}`);
  };
  const dataDir = options.dataDir;
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  const { templates } = await synthesizedTemplates({ log });
  const entries = handlerEntries(templates);

  const dynamo = await startDynalite(dataDir ? join(dataDir, 'dynalite') : undefined);
  const tableName = 'BrisReferrals';
  await ensureTable(dynamo.endpoint, tableName, tableDefinition(templates));

  const mailbox = new Mailbox(dataDir ? join(dataDir, 'mailbox.jsonl') : undefined);
  const smtpPort = await mailbox.start(options.smtpPort ?? 0);

  const clock = new FastForwardClock(options.fastForward ?? 1);
  const engine = new LocalWorkflowEngine({
    definitions: stateMachines(templates),
    handlers: entries,
    clock,
    log,
  });
  const http = new LocalHttpServer(httpRoutes(templates), {
    mailbox,
    advanceClock: (ms) => clock.advance(ms),
    clockNow: () => clock.now(),
  });
  const port = await http.start(options.port ?? 3000);
  const url = `http://localhost:${port}`;

  const config: Config = {
    tableName,
    publicBaseUrl: url,
    senderEmail: 'stodgrupper@bris.example',
    linkTtlDays: options.linkTtlDays ?? 14,
    partnershipId: DEMO_PARTNERSHIP_ID,
    emailTransport: 'smtp',
    smtp: { host: '127.0.0.1', port: smtpPort },
    dynamodbEndpoint: dynamo.endpoint,
  };
  const email = new SmtpEmailSender(config.smtp, config.senderEmail);
  const key = identityKey(dataDir);
  const deps: Dependencies = {
    config,
    store: new DynamoDbReferralStore(createDocumentClient(dynamo.endpoint), tableName),
    email,
    workflow: engine,
    clock,
    identity: new HmacIdentityHasher(async () => key),
    log: createLogger({ service: 'local' }, options.quiet ? () => {} : console.log),
  };
  provideDependencies(deps);
  if (options.seed ?? true) await seedDemoData(deps.store, clock.now());
  if (dataDir) {
    const resumed = await resumeUnfinished(deps, engine);
    if (resumed.referrals || resumed.groups)
      log(`resumed ${resumed.referrals} referrals and ${resumed.groups} groups`);
  }
  if (options.demoReferrals) await seedDemoReferrals(deps, mailbox, log);
  log(
    `ready at ${url} (mailbox ${url}/dev/mailbox, SMTP 127.0.0.1:${smtpPort}, fast-forward ×${clock.factor})`,
  );

  return {
    url,
    mailbox,
    engine,
    clock,
    deps,
    async stop() {
      await http.stop();
      await engine.stop();
      email.close();
      await mailbox.stop();
      await dynamo.stop();
      provideDependencies(undefined);
    },
  };
}

export { REPO_ROOT };
