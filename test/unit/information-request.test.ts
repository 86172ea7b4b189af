/**
 * The information request at screening as use cases, on the in-memory store (which passes the DynamoDB
 * store's contract) with a clock the test moves: the coordinator's third choice and its checks, the social
 * worker's email and answer through the link engine and the staff inbox, screening asked anew in a round of
 * its own, and her silence (reminders, the coordinator told, the deadline). Milliseconds, no state machine.
 */
import { describe, expect, it } from 'vitest';
import type { Referral } from '../../functions/domain/referral';
import { referralNotes } from '../../functions/domain/notes';
import { enterHumanStep } from '../../functions/kernel/enter-step';
import { stepClock } from '../../functions/kernel/step-clock';
import { HUMAN_STEP_MODULES } from '../../functions/phases/human-steps';
import { redeemLink } from '../../functions/phases/links/link-engine';
import { actOnStep, listTasks, stepTask } from '../../functions/phases/staff/tasks';
import { ForbiddenError } from '../../functions/phases/staff/staff';
import type { Dependencies, EmailMessage, StaffSession } from '../../functions/ports';
import { linkPage as renderLinkPage } from '../../functions/web/pages/link-pages';
import { LINK_MODULES } from '../../functions/phases/link-modules';
import type { StepName } from '../../functions/domain/steps';
import { memoryDependencies, STOCKHOLM_PARTNERSHIP } from '../support/memory-deps';

const DAY = 86_400_000;
const START = Date.parse('2027-03-01T08:00:00Z');
const screening = HUMAN_STEP_MODULES.screening;
const request = HUMAN_STEP_MODULES['information-request'];
const NOTE = 'Hur länge har placeringen pågått, och finns syskon i samma familjehem?';
const ANSWER = 'Placerad sedan två år; inga syskon i familjehemmet. Går i skolan till 15.';

const referral: Referral = {
  referralId: 'R-INFO-0001',
  partnershipId: 'stockholm-bris',
  district: 'Farsta',
  createdAt: new Date(START).toISOString(),
  updatedAt: new Date(START).toISOString(),
  phase: 'intake',
  status: 'active',
  child: {
    firstName: 'Fanny',
    birthDate: '2016-03-12',
    ageAtReferral: 10,
    ageBand: '10-12',
    protectedIdentity: false,
  },
  identityHash: 'e'.repeat(64),
  socialWorker: { name: 'Siv Socialsekreterare', email: 'siv@farsta.example' },
  custodians: [{ number: 1, name: 'Vera', email: 'vera@example.org', language: 'sv' }],
  carer: { name: 'Fia', email: 'fia@example.org' },
  childWish: { confirmedBy: 'Siv Socialsekreterare', at: new Date(START).toISOString() },
  consentBasisRequested: 'custodians',
  custodianMaySeeSchedule: false,
};
const id = referral.referralId;

const session = (email: string, role: StaffSession['role'], name: string, district?: string) =>
  ({ email, role, name, district, expiresAt: '2099-01-01T00:00:00.000Z' }) as StaffSession;
const coordinator = session('samordnare@bris.example', 'coordinator', 'Samordnare Bris');
const siv = session('siv@farsta.example', 'social-worker', 'Siv Socialsekreterare', 'Farsta');
const colleague = session('kim@farsta.example', 'social-worker', 'Kim Kollega', 'Farsta');

/** A step's link page, given the partnership and the step's page as the link engine gives them. */
const linkPage = (
  token: string,
  view: { kind: 'open' | 'invalid'; link: { step: string }; [more: string]: unknown },
) =>
  renderLinkPage(token, {
    ...view,
    partnership: STOCKHOLM_PARTNERSHIP,
    page: HUMAN_STEP_MODULES[view.link.step as StepName].page,
  } as never);

async function setUp() {
  const callbacks: string[] = [];
  const { deps, store, sent, setNow } = await memoryDependencies({
    start: START,
    referrals: [referral],
    workflow: {
      sendTaskSuccess: async (t: string, o: Record<string, string>) =>
        void callbacks.push(`${t} ${JSON.stringify(o)}`),
      sendTaskFailure: async (t: string, e: string) => void callbacks.push(`${t} ${e}`),
    },
  });
  const reload = async () => (await store.getReferral(id))!;
  /** The token of the (only) step link in an email. */
  const token = (m: EmailMessage) => /\/links\/([A-Za-z0-9_-]{43})/.exec(m.text)![1]!;
  const answer = (m: EmailMessage, body: Record<string, string>) =>
    redeemLink(token(m), body, deps, LINK_MODULES);
  const last = (to: string) => sent.filter((m) => m.to === to).at(-1)!;
  const actions = async () => (await store.listAudit(id)).map((e) => e.action);
  return {
    deps,
    sent,
    callbacks,
    reload,
    answer,
    last,
    actions,
    at: (days: number) => setNow(START + days * DAY),
  };
}

const clock = (deps: Dependencies, step: 'screening' | 'information-request', op: 'schedule' | 'elapsed') =>
  stepClock(HUMAN_STEP_MODULES[step], { referralId: id, op }, deps);
const ask = { action: 'request-information', 'item-placement': 'on', 'item-everyday-life': 'on', note: NOTE };

describe("the coordinator's third choice at screening", () => {
  const schema = screening.answer!.schema('coordinator');

  it('needs at least one missing item ticked: the error names the field', () => {
    const r = schema.safeParse({ action: 'request-information', note: '' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['items'], 'Kryssa i minst en uppgift som saknas.'],
    ]);
  });

  it('takes a blank note as none, and refuses an identity number in the note', () => {
    expect(schema.parse({ action: 'request-information', 'item-child-needs': 'on', note: '  ' })).toEqual({
      action: 'request-information',
      'item-child-needs': 'on',
    });
    const r = schema.safeParse({ ...ask, note: 'Gäller 150312-1236' });
    expect(r.error?.issues[0]?.path).toEqual(['note']);
    expect(r.error?.issues[0]?.message).toMatch(/^Skriv inte personnummer här\./);
    expect(schema.safeParse({ action: 'request-information', 'item-nonsense': 'on' }).success).toBe(false);
  });

  it('is recorded with its items, replayed while it is open, and taken back when the workflow did not take it', async () => {
    const { deps, reload, actions } = await setUp();
    const link = { recipient: { role: 'coordinator', name: 'Samordnare Bris' } } as never;
    const action = schema.parse(ask);
    await screening.answer!.apply(deps, { link, referral }, action, new Date(START).toISOString());
    const after = await reload();
    expect(after.informationRequests).toEqual([
      {
        number: 1,
        items: ['placement', 'everyday-life'],
        note: NOTE,
        requestedAt: new Date(START).toISOString(),
        requestedBy: { role: 'coordinator', name: 'Samordnare Bris' },
      },
    ]);
    expect(screening.answer!.resolution(action)).toEqual({
      kind: 'success',
      output: { decision: 'information-requested' },
    });
    expect(await screening.recordedAnswer(deps, after, link)).toEqual({
      kind: 'success',
      output: { decision: 'information-requested' },
    });
    // The timeline has the list's codes, never the note.
    const event = (await deps.store.listAudit(id)).find((e) => e.action === 'information-requested')!;
    expect(event.detail).toEqual({ items: 'placement,everyday-life', round: '1' });
    expect(JSON.stringify(await deps.store.listAudit(id))).not.toContain('syskon');
    expect(await actions()).toEqual(['information-requested']);
    await screening.answer!.takeBack!(deps, { link, referral });
    expect((await reload()).informationRequests).toEqual([]);
  });

  it('the page ties the error to the list of items, and offers no third request', () => {
    const link = {
      step: 'screening',
      recipient: { role: 'coordinator', name: 'S', language: 'sv' },
    } as never;
    const errors = { items: 'Kryssa i minst en uppgift som saknas.' };
    const view = { kind: 'invalid' as const, link, referral, retentionMonths: 24, errors };
    const { status, body } = linkPage('t', view);
    expect(status).toBe(400);
    expect(body).toContain('<a href="#items">Kryssa i minst en uppgift som saknas.</a>');
    expect(body).toMatch(/<fieldset id="items" aria-describedby="items-hint items-error">/);
    expect(body).toContain(
      '<p class="field-error" id="items-error">Kryssa i minst en uppgift som saknas.</p>',
    );
    expect(body).toContain('name="item-child-needs"');
    const closed = {
      number: 1,
      items: ['placement' as const],
      requestedAt: '2027-03-01T08:00:00Z',
      requestedBy: { role: 'coordinator' as const },
      outcome: 'answered' as const,
    };
    const twice = { ...referral, informationRequests: [closed, { ...closed, number: 2 }] };
    const limited = linkPage('t', { kind: 'open', link, referral: twice, retentionMonths: 24 }).body;
    expect(limited).not.toContain('value="request-information"');
    expect(limited).toContain('Komplettering har begärts 2 gånger');
  });

  it('in English for a staff member who chose it: the choice, its error, and the request page', () => {
    const link = (step: string, role: string) =>
      ({ step, recipient: { role, name: 'S', language: 'en' } }) as never;
    const parsed = schema.safeParse({ action: 'request-information' });
    const errors = Object.fromEntries(parsed.error!.issues.map((i) => [String(i.path[0]), i.message]));
    const screeningPage = linkPage('t', {
      kind: 'invalid',
      link: link('screening', 'coordinator'),
      referral,
      retentionMonths: 24,
      errors,
    }).body;
    expect(screeningPage).toContain('Request more information from the social worker');
    expect(screeningPage).toContain('Tick at least one thing that is missing.');
    expect(screeningPage).toContain('situation and needs</label>');
    const asked = {
      ...referral,
      informationRequests: [
        {
          number: 1,
          items: ['child-needs' as const],
          note: NOTE,
          requestedAt: '2027-03-01T08:00:00Z',
          requestedBy: { role: 'coordinator' as const },
        },
      ],
    };
    const overdue = linkPage('t', {
      kind: 'open',
      link: link('information-request', 'coordinator'),
      referral: asked,
      retentionMonths: 24,
    }).body;
    expect(overdue).toContain('Screen the referral as it stands');
    expect(overdue).toContain(NOTE);
    expect(overdue).not.toContain('value="cannot-add"');
  });

  it('is refused at the edge once the referral has had two requests', async () => {
    const { deps } = await setUp();
    const closed = {
      number: 1,
      items: ['placement' as const],
      requestedAt: 'x',
      requestedBy: { role: 'coordinator' as const },
      outcome: 'answered' as const,
    };
    const twice = { ...referral, informationRequests: [closed, { ...closed, number: 2 }] };
    const action = schema.parse(ask);
    expect(screening.answer!.check!(deps, { link: {} as never, referral: twice }, action)).toEqual({
      items: expect.stringMatching(/^Komplettering har redan begärts 2 gånger/),
    });
    expect(screening.answer!.check!(deps, { link: {} as never, referral }, action)).toBeUndefined();
  });
});

describe('an information request, answered', () => {
  it('emails the social worker only the items in words; her answer closes it; screening is asked anew in a round of its own; an old link is refused', async () => {
    const { deps, sent, callbacks, reload, answer, last, actions, at } = await setUp();
    await enterHumanStep(screening, { referralId: id, taskToken: 'screen-1' }, deps);
    at(3);
    await clock(deps, 'screening', 'elapsed'); // round 1's first reminder
    // The state machine waits again, on the reminder's link.
    await enterHumanStep(screening, { referralId: id, taskToken: 'screen-1' }, deps);
    const screeningLink = last('samordnare@bris.example');
    expect(screeningLink.subject).toMatch(/^Påminnelse: Ny anmälan/);
    expect((await answer(screeningLink, ask)).kind).toBe('done');
    expect(callbacks.at(-1)).toBe('screen-1 {"decision":"information-requested"}');

    await enterHumanStep(request, { referralId: id, taskToken: 'ask-1' }, deps);
    const email = last('siv@farsta.example');
    expect(email.template).toBe('information-request');
    expect(email.text).toContain('Placeringen (hur länge barnet har bott i familjehemmet');
    expect(email.text).toContain('Skola och vardag');
    expect(email.text).not.toContain('Barnets situation');
    expect(email.text).toContain('Samordnaren har också skrivit en kommentar');
    expect(email.text).not.toContain('syskon');
    expect(email.html).not.toContain('syskon');
    expect(email.text).not.toContain('Fanny');

    // Her page shows what is asked and the note; her answer is recorded, and the workflow goes on.
    const page = linkPage('t', {
      kind: 'open',
      link: (await deps.store.getLink((await deps.store.getStep(id, 'information-request'))!.linkHash))!,
      referral: await reload(),
      retentionMonths: 24,
    });
    expect(page.body).toContain(NOTE);
    expect(page.body).toContain('value="cannot-add"');
    at(5);
    expect((await answer(email, { action: 'add-information', answer: ANSWER })).kind).toBe('done');
    expect(callbacks.at(-1)).toBe('ask-1 {"outcome":"answered"}');
    expect((await reload()).informationRequests![0]).toMatchObject({
      outcome: 'answered',
      answer: ANSWER,
      closedAt: new Date(START + 5 * DAY).toISOString(),
      closedBy: { role: 'social-worker', name: 'Siv Socialsekreterare' },
    });
    // A second answer through the same link is refused, and changes nothing.
    expect((await answer(email, { action: 'cannot-add' })).kind).toBe('used');
    expect((await reload()).informationRequests![0]!.outcome).toBe('answered');

    // Screening again: a new email and link, a new round whose clock starts now.
    const before = sent.length;
    await enterHumanStep(screening, { referralId: id, taskToken: 'screen-2' }, deps);
    const again = sent.at(-1)!;
    expect(sent).toHaveLength(before + 1);
    expect(again.template).toBe('screening-request-again');
    expect(again.text).toContain('Socialsekreteraren har svarat på begäran om komplettering');
    expect(again.text).not.toContain('skolan');
    const record = (await deps.store.getStep(id, 'screening'))!;
    expect(record).toMatchObject({ since: new Date(START + 5 * DAY).toISOString(), round: 2 });
    expect(await clock(deps, 'screening', 'schedule')).toEqual({ seconds: 3 * 86_400, due: 'reminder' });
    // The coordinator's page now shows the question and the answer.
    const screeningPage = linkPage('t', {
      kind: 'open',
      link: (await deps.store.getLink(record.linkHash))!,
      referral: await reload(),
      retentionMonths: 24,
    });
    expect(screeningPage.body).toContain(NOTE);
    expect(screeningPage.body).toContain(ANSWER);
    // Round 2 reminds on its own day 3, though round 1's reminder 1 went out.
    at(8);
    await clock(deps, 'screening', 'elapsed');
    expect(last('samordnare@bris.example').subject).toBe(`Påminnelse: Bedöm anmälan igen: ${id}`);
    await enterHumanStep(screening, { referralId: id, taskToken: 'screen-2' }, deps);
    // A reminder keeps the round's start.
    expect((await deps.store.getStep(id, 'screening'))!.since).toBe(record.since);
    expect((await answer(last('samordnare@bris.example'), { action: 'approve' })).kind).toBe('done');
    expect(callbacks.at(-1)).toBe('screen-2 {"decision":"approved"}');
    expect((await actions()).filter((a) => a === 'step-reminder-sent')).toHaveLength(2);
    expect(await actions()).toEqual(
      expect.arrayContaining(['information-requested', 'information-provided']),
    );
    // The note and the answer are notes on the staff page (after sign-in), in order.
    expect(referralNotes(await reload()).map((n) => [n.kind, n.text])).toEqual([
      ['information-request-note', NOTE],
      ['information-answer', ANSWER],
    ]);
  });

  it('is answered from the staff inbox by the social worker who referred, the same action as the link', async () => {
    const { deps, callbacks, reload, at } = await setUp();
    await deps.store.updateReferral(id, {
      phase: 'screening',
      informationRequests: [
        {
          number: 1,
          items: ['child-needs'],
          note: NOTE,
          requestedAt: new Date(START).toISOString(),
          requestedBy: { role: 'coordinator' },
        },
      ],
    });
    await enterHumanStep(request, { referralId: id, taskToken: 'ask-1' }, deps);
    at(1);
    const tasks = await listTasks(siv, deps);
    expect(tasks.map((t) => [t.kind, t.href])).toEqual([
      ['information-request', `/staff/tasks/step/${id}/information-request`],
    ]);
    // Another social worker of the district does not read the notes, so not this page either.
    expect(await listTasks(colleague, deps)).toEqual([]);
    await expect(stepTask(colleague, id, 'information-request', deps)).rejects.toThrow(ForbiddenError);
    const invalid = await actOnStep(
      siv,
      id,
      'information-request',
      { action: 'add-information', answer: '' },
      deps,
    );
    expect(invalid).toMatchObject({
      kind: 'invalid',
      errors: { answer: expect.stringMatching(/^Skriv kompletteringen/) },
    });
    const done = await actOnStep(siv, id, 'information-request', { action: 'cannot-add' }, deps);
    expect(done.kind).toBe('done');
    expect(callbacks.at(-1)).toBe('ask-1 {"outcome":"cannot-add"}');
    expect((await reload()).informationRequests![0]!.outcome).toBe('cannot-add');
    expect((await actOnStep(siv, id, 'information-request', { action: 'cannot-add' }, deps)).kind).toBe(
      'gone',
    );
  });
});

describe('a silent social worker (defaults: reminders days 3 and 7, the coordinator told on day 10, deadline day 14)', () => {
  async function asked() {
    const t = await setUp();
    await t.deps.store.updateReferral(id, {
      phase: 'screening',
      informationRequests: [
        {
          number: 1,
          items: ['custodian-contact'],
          note: NOTE,
          requestedAt: new Date(START).toISOString(),
          requestedBy: { role: 'coordinator' },
        },
      ],
    });
    await enterHumanStep(request, { referralId: id, taskToken: 'ask-1' }, t.deps);
    return t;
  }

  it('is reminded, the coordinator is told and may then screen without the answer, from the inbox', async () => {
    const { deps, sent, callbacks, reload, at } = await asked();
    expect(await clock(deps, 'information-request', 'schedule')).toEqual({
      seconds: 3 * 86_400,
      due: 'reminder',
    });
    at(3);
    await clock(deps, 'information-request', 'elapsed');
    at(7);
    await clock(deps, 'information-request', 'elapsed');
    // Not hers yet: before the escalation the coordinator cannot answer the social worker's step.
    await expect(stepTask(coordinator, id, 'information-request', deps)).rejects.toThrow(ForbiddenError);
    at(10);
    expect(await clock(deps, 'information-request', 'elapsed')).toEqual({ deadlinePassed: false });
    await enterHumanStep(request, { referralId: id, taskToken: 'ask-1' }, deps);
    expect(sent.map((m) => [m.to, m.template])).toEqual([
      ['siv@farsta.example', 'information-request'],
      ['siv@farsta.example', 'information-request-reminder'],
      ['siv@farsta.example', 'information-request-reminder'],
      ['samordnare@bris.example', 'information-request-overdue'],
    ]);
    const overdue = sent.at(-1)!;
    expect(overdue.text).toContain('Du kan bedöma anmälan med de uppgifter som finns');
    expect(overdue.text).not.toContain('syskon');
    const tasks = await listTasks(coordinator, deps);
    expect(tasks).toEqual([
      expect.objectContaining({
        kind: 'information-request',
        title: 'Försenad komplettering: bedöm anmälan med de uppgifter som finns',
        dueAt: new Date(START + 14 * DAY).toISOString(),
        href: `/staff/tasks/step/${id}/information-request`,
      }),
    ]);
    // The social worker's answers are not the coordinator's to give.
    expect(
      await actOnStep(coordinator, id, 'information-request', { action: 'cannot-add' }, deps),
    ).toMatchObject({ kind: 'invalid' });
    const done = await actOnStep(coordinator, id, 'information-request', { action: 'screen-now' }, deps);
    expect(done).toMatchObject({ kind: 'done', link: { recipient: { role: 'coordinator' } } });
    expect(callbacks.at(-1)).toBe('ask-1 {"outcome":"screened-without"}');
    expect((await reload()).informationRequests![0]).toMatchObject({
      outcome: 'screened-without',
      closedBy: { role: 'coordinator', name: 'Samordnare Bris' },
    });
  });

  it('at the deadline the request ends with no answer, once; screening is asked anew saying so', async () => {
    const { deps, sent, reload, actions, at } = await asked();
    at(14);
    expect(await clock(deps, 'information-request', 'elapsed')).toEqual({ deadlinePassed: true });
    expect(await clock(deps, 'information-request', 'elapsed')).toEqual({ deadlinePassed: true });
    expect((await reload()).informationRequests![0]).toMatchObject({
      outcome: 'no-answer',
      closedAt: new Date(START + 14 * DAY).toISOString(),
    });
    expect((await actions()).filter((a) => a === 'information-request-unanswered')).toHaveLength(1);
    const link = (await deps.store.getStep(id, 'information-request'))!.linkHash;
    expect((await deps.store.getLink(link))!.status).toBe('closed');
    await enterHumanStep(screening, { referralId: id, taskToken: 'screen-2' }, deps);
    expect(sent.at(-1)!.template).toBe('screening-request-again');
    expect(sent.at(-1)!.text).toContain('har inte svarat på begäran om komplettering');
  });
});
