/**
 * A walk over every HTTP route family of a running local system, at the states people meet them in: the
 * form and its refusals, each link purpose with a page (screening, consent, the pool, the home visit,
 * attendance, the questionnaire, withdrawal), an expired link and its renewal, staff sign-in, inbox, step
 * task, pool task, referral page, report, sign-out. Each handler call's table requests and their sequential
 * round trips come from the system's meter (infra/local/table-requests.ts). Used by the route test
 * (test/integration/route-round-trips.test.ts) and the routes benchmark (bench/routes.ts).
 *
 * It throws when a page answers other than the walk expects: a walk that went wrong measures nothing.
 */
import { linksIn, renewalOf, type MailboxMessage } from '../infra/local/mailbox';
import { childIdentityNumber } from '../infra/local/simulated-people';
import type { LocalSystem } from '../infra/local/system';

export interface RouteCall {
  /** Where the walk was: the referral's or the person's state. */
  state: string;
  /** The route as the template names it, e.g. `POST /links/{id}`. */
  route: string;
  status: number;
  requests: number;
  roundTrips: number;
  /** The SDK commands in the order they started, e.g. `GetItem GetItem UpdateItem`. */
  commands: string;
}

const DAY = 86_400_000;
const COORDINATOR = 'samordnare@bris.example';

export async function walkRoutes(
  system: LocalSystem,
  options: { serial?: number } = {},
): Promise<RouteCall[]> {
  const calls: RouteCall[] = [];
  const serial = options.serial ?? 900;
  const url = system.url;
  let forms = 0;

  /** Runs `walk` and records every HTTP invocation it made, labelled with `state`. */
  async function at<T>(state: string, walk: () => Promise<T>): Promise<T> {
    const since = system.tableRequests.invocations.length;
    const result = await walk();
    for (const i of system.tableRequests.invocations.slice(since))
      calls.push({
        state,
        route: i.routeKey,
        status: i.status,
        requests: i.requests.length,
        roundTrips: i.roundTrips,
        commands: [...i.requests]
          .sort((a, b) => a.start - b.start)
          .map((r) => r.command.replace(/Command$/, ''))
          .join(' '),
      });
    return result;
  }
  async function send(
    path: string,
    init: { method?: string; fields?: Record<string, string>; cookie?: string } = {},
  ): Promise<{ status: number; text: string; headers: Headers }> {
    const target = path.startsWith('http')
      ? `${url}${new URL(path).pathname}${new URL(path).search}`
      : `${url}${path}`;
    const res = await fetch(target, {
      method: init.method ?? (init.fields ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        ...(init.fields ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(init.cookie ? { cookie: init.cookie } : {}),
      },
      body: init.fields ? new URLSearchParams(init.fields).toString() : undefined,
    });
    return { status: res.status, text: await res.text(), headers: res.headers };
  }
  function expectStatus<R extends { status: number; text: string }>(
    res: R,
    ok: (s: number) => boolean,
    what: string,
  ): R {
    if (!ok(res.status)) throw new Error(`${what}: unexpected ${res.status}: ${res.text.slice(0, 300)}`);
    return res;
  }
  const is = (n: number) => (s: number) => s === n;
  const below = (n: number) => (s: number) => s < n;
  const mail = (match: (m: MailboxMessage) => boolean, afterId?: number) =>
    system.mailbox.waitFor(match, { afterId, timeoutMs: 120_000 });
  const child = (age: number, n: number) =>
    childIdentityNumber({ age, at: system.clock.now(), serial: serial + n, minDaysToBirthday: 250 });
  const form = (overrides: Record<string, string>) => ({
    idempotencyKey: `route-walk-${Date.now()}-${++forms}-abcdef`,
    district: 'Farsta',
    childFirstName: 'Sam',
    socialWorkerName: 'Siv Socialsekreterare',
    socialWorkerEmail: 'siv@farsta.example',
    childWish: 'on',
    custodian1Name: 'Vera Vårdnadshavare',
    custodian1Contact: 'email',
    custodian1Email: `walk${serial}@example.org`,
    custodian1Language: 'sv',
    carerName: 'Fia Familjehem',
    carerEmail: `walk${serial}@familjehem.example`,
    ...overrides,
  });
  const reference = (html: string) => /data-testid="reference">(R-[0-9A-Z]{4}-[0-9A-Z]{4})</.exec(html)![1]!;
  const first = (m: MailboxMessage) => linksIn(m)[0]!;
  /** Where a link page's form posts (its address may name what the link is for), as a browser sends it. */
  const formAction = (page: { text: string }) => {
    const action = /<form method="post" action="(\/links\/[^"]+)"/.exec(page.text)?.[1];
    if (!action) throw new Error(`no form on the page: ${page.text.slice(0, 300)}`);
    return action.replaceAll('&amp;', '&');
  };

  const identityNumber = child(10, 0);
  const custodian = `walk${serial}@example.org`;
  const carer = `walk${serial}@familjehem.example`;
  await at('form', async () => {
    expectStatus(await send('/'), is(200), 'GET /');
    expectStatus(await send('/privacy'), is(200), 'GET /privacy');
    expectStatus(await send('/assets/site.css'), is(200), 'GET /assets/site.css');
    expectStatus(await send('/referrals', { fields: { district: 'Farsta' } }), is(400), 'an incomplete form');
  });
  const id = await at('new referral', async () =>
    reference(
      expectStatus(await send('/referrals', { fields: form({ identityNumber }) }), is(201), 'form').text,
    ),
  );
  await at('same child again', async () =>
    expectStatus(await send('/referrals', { fields: form({ identityNumber }) }), (s) => s >= 400, 'again'),
  );

  const screening = await mail((m) => m.template === 'screening-request' && m.text.includes(id));
  await at('screening', async () => {
    const post = formAction(expectStatus(await send(first(screening)), is(200), 'screening page'));
    expectStatus(await send(post, { fields: { action: 'nonsense' } }), is(400), 'a bad answer');
    expectStatus(await send(post, { fields: { action: 'approve' } }), is(200), 'approve');
    expectStatus(await send(first(screening)), below(500), 'a used link');
  });
  const consent = await mail((m) => m.template === 'consent-request' && m.to.includes(custodian));
  await at('consent', async () => {
    const post = formAction(expectStatus(await send(first(consent)), is(200), 'consent page'));
    expectStatus(await send(post, { fields: { action: 'consent' } }), is(200), 'consent');
  });

  const pool = await mail(
    (m) => (m.template === 'pool-waiting' || m.template === 'group-proposal') && m.text.includes(id),
  );
  const startDate = new Date(system.clock.now().getTime() + 14 * DAY).toISOString().slice(0, 10);
  await at('pool', async () => {
    const post = formAction(expectStatus(await send(first(pool)), is(200), 'pool page'));
    const fields = {
      action: 'confirm',
      format: 'weekend',
      startDate,
      slot: '2-17:00',
      [`member-${id}`]: 'on',
    };
    expectStatus(await send(post, { fields }), is(200), 'confirm a group');
  });
  // The group's workflow places the child (PlaceMembers): her home visit is asked for once she has a seat.
  const visit = await mail((m) => m.template === 'home-visit-request' && m.subject.includes(id));
  const groupId = (await system.deps.store.getReferral(id))!.group!.groupId;
  await at('home visit', async () => {
    const post = formAction(expectStatus(await send(first(visit)), is(200), 'home visit page'));
    expectStatus(await send(post, { fields: { action: 'visit-done' } }), is(200), 'visit done');
  });
  await mail((m) => m.template === 'group-placed' && m.text.includes(id));

  const cookie = await at('staff sign-in', async () => {
    expectStatus(await send('/staff/sign-in'), is(200), 'sign-in page');
    const mark = system.mailbox.list().at(-1)?.id ?? 0;
    expectStatus(await send('/staff/sign-in', { fields: { email: COORDINATOR } }), is(200), 'sign-in');
    const signIn = await mail((m) => m.template === 'staff-sign-in' && m.to.includes(COORDINATOR), mark);
    const path = new URL(/https?:\/\/\S+\/staff\/sign-in\/[A-Za-z0-9_-]{43}/.exec(signIn.text)![0]).pathname;
    expectStatus(await send(path), is(200), 'sign-in link page');
    const res = expectStatus(await send(path, { method: 'POST' }), is(303), 'sign-in link');
    return res.headers.getSetCookie()[0]!.split(';')[0]!;
  });
  // A second referral waiting in screening: the inbox has a step task.
  const waiting = reference(
    expectStatus(
      await send('/referrals', { fields: form({ identityNumber: child(12, 1) }) }),
      is(201),
      'form',
    ).text,
  );
  const waitingRequest = await mail((m) => m.template === 'screening-request' && m.text.includes(waiting));
  await at('staff pages', async () => {
    expectStatus(await send('/staff', { cookie }), below(400), 'staff start');
    expectStatus(await send('/staff/tasks', { cookie }), is(200), 'inbox');
    expectStatus(await send(`/staff/tasks/step/${waiting}/screening`, { cookie }), is(200), 'step task');
    expectStatus(await send('/staff/tasks/pool/10-12', { cookie }), below(500), 'pool task');
    expectStatus(await send(`/staff/referrals/${id}`, { cookie }), is(200), 'referral page');
    expectStatus(await send('/staff/report', { cookie }), is(200), 'report');
    expectStatus(await send('/staff/report.csv', { cookie }), is(200), 'report CSV');
  });

  // The group's meetings: the leader records attendance after each.
  const group = (await system.deps.store.getGroup(system.deps.config.partnershipId, groupId))!;
  for (const meeting of group.meetings!) {
    const ahead = Date.parse(meeting.endsAt) - system.clock.now().getTime() + 60_000;
    if (ahead > 0) system.clock.advance(ahead);
    const request = await mail(
      (m) =>
        m.template === 'attendance-request' &&
        m.subject.includes(`träff ${meeting.index}:`) &&
        m.subject.includes(group.name),
    );
    await at('attendance', async () => {
      const post = formAction(expectStatus(await send(first(request)), is(200), 'attendance page'));
      const fields = { action: 'record', [`present-${id}`]: 'present' };
      expectStatus(await send(post, { fields }), is(200), 'attendance');
    });
  }
  const evaluation = await mail((m) => m.template === 'evaluation-request' && m.to.includes(carer));
  await at('questionnaire', async () => {
    const link = first(evaluation);
    const page = expectStatus(await send(link), is(200), 'questionnaire page');
    const fields: Record<string, string> = { action: 'answer', freeText: '' };
    for (const [, name] of page.text.matchAll(/name="(item-[a-z]+)"/g)) fields[name!] = '4';
    expectStatus(await send(formAction(page), { fields }), is(200), 'questionnaire');
  });

  // A third referral, withdrawn by its social worker from the receipt's link.
  const mark = system.mailbox.list().at(-1)?.id ?? 0;
  const withdrawn = reference(
    expectStatus(
      await send('/referrals', { fields: form({ identityNumber: child(14, 2) }) }),
      is(201),
      'form',
    ).text,
  );
  const receipt = await mail((m) => m.template === 'intake-received' && m.text.includes(withdrawn), mark);
  // At a person's pace: by the time she withdraws, the screening step has been asked. Withdrawn while it
  // is being entered, a step that appears between the two listings of steps is read in a fourth round trip
  // (failWaitingSteps), a moment's race the walk would otherwise meet only sometimes.
  await mail((m) => m.template === 'screening-request' && m.text.includes(withdrawn), mark);
  await at('withdrawal', async () => {
    const link = linksIn(receipt).at(-1)!;
    const post = formAction(expectStatus(await send(link), is(200), 'withdrawal page'));
    const fields = { action: 'withdraw', reason: 'Familjen avböjer.' };
    expectStatus(await send(post, { fields }), is(200), 'withdraw');
  });

  // The waiting referral's first screening link, long expired: its page and a renewal.
  system.clock.advance(30 * DAY);
  await at('expired link', async () => {
    expectStatus(await send(first(waitingRequest)), below(500), 'expired link page');
    expectStatus(await send(renewalOf(first(waitingRequest)), { fields: {} }), below(500), 'renewal');
  });
  // A fourth referral, alone in its band's pool: the coordinator lets the proposal wait through her
  // emailed link, then confirms its group from the inbox.
  const alone = reference(
    expectStatus(
      await send('/referrals', {
        fields: form({ identityNumber: child(16, 3), custodian1Email: `walk${serial}-4@example.org` }),
      }),
      is(201),
      'form',
    ).text,
  );
  const aloneScreening = await mail((m) => m.template === 'screening-request' && m.text.includes(alone));
  const approve = formAction(await send(first(aloneScreening)));
  expectStatus(await send(approve, { fields: { action: 'approve' } }), is(200), 'approve');
  const aloneConsent = await mail(
    (m) => m.template === 'consent-request' && m.to.includes(`walk${serial}-4@example.org`),
  );
  const consentPost = formAction(await send(first(aloneConsent)));
  expectStatus(await send(consentPost, { fields: { action: 'consent' } }), is(200), 'consent');
  const alonePool = await mail(
    (m) => (m.template === 'pool-waiting' || m.template === 'group-proposal') && m.text.includes(alone),
  );
  const band = (await system.deps.store.getReferral(alone))!.child.ageBand;
  await at('pool postpone', async () => {
    const post = formAction(expectStatus(await send(first(alonePool)), is(200), 'pool page'));
    expectStatus(await send(post, { fields: { action: 'postpone' } }), is(200), 'postpone');
  });
  await at('inbox postpone', async () => {
    const page = expectStatus(await send(`/staff/tasks/pool/${band}`, { cookie }), is(200), 'pool task');
    const formId = /name="formId" value="([A-Za-z0-9_-]+)"/.exec(page.text)![1]!;
    expectStatus(
      await send(`/staff/tasks/pool/${band}`, { fields: { action: 'postpone', formId }, cookie }),
      is(200),
      'postpone from the inbox',
    );
  });
  await at('inbox pool', async () => {
    const page = expectStatus(await send(`/staff/tasks/pool/${band}`, { cookie }), is(200), 'pool task');
    const formId = /name="formId" value="([A-Za-z0-9_-]+)"/.exec(page.text)![1]!;
    const fields = {
      action: 'confirm',
      format: 'weekend',
      startDate: new Date(system.clock.now().getTime() + 14 * DAY).toISOString().slice(0, 10),
      formId,
      [`member-${alone}`]: 'on',
    };
    expectStatus(
      await send(`/staff/tasks/pool/${band}`, { fields, cookie }),
      is(200),
      'confirm from the inbox',
    );
  });
  await at('staff sign-out', async () => {
    expectStatus(await send('/staff/sign-out', { method: 'POST', cookie }), below(400), 'sign-out');
  });
  return calls;
}
