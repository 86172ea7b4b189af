/** What each workflow state does. Each is safe to run twice: the state machine retries tasks. */
import {
  childConsentBasis,
  childMayConsentAlone,
  consentState,
  custodianConsentBasis,
  custodiansAwaitingConsent,
  newConsentRound,
  nextConsentEvent,
  secondsUntil,
} from '../domain/consent';
import { ageOn } from '../domain/identity-number';
import { DateTime } from 'luxon';
import type { Group, Partnership } from '../domain/partnership';
import type { Custodian, Language, Outcome, Phase, Referral } from '../domain/referral';
import {
  STEP_PHASE,
  WORKFLOW_ERRORS,
  type LinkPurpose,
  type RecipientRole,
  type StepName,
  type AnswerError,
} from '../domain/steps';
import { linkUrl } from '../adapters/link-tokens';
import { renderEmail } from '../web/emails/render';
import {
  consentReminder,
  evaluationRequest,
  followUpSummary,
  intakeReceived,
  referralClosed,
  staffReferralUrl,
  stepRequest,
  withdrawnNotice,
} from '../web/emails/templates';
import { closingNote } from '../domain/notes';
import { StepNoLongerOpenError, type Dependencies, type LinkRecord } from '../ports';
import { anonymise, type FollowUpRound, type Respondent } from '../domain/follow-up';
import { ReferralNotFoundError } from '../shared/errors';
import { audit, notifyOnce } from './audit';
import { mailStepLinkOnce } from './step-outbox';

export class ReferralClosedError extends Error {
  override name = 'Referral.AlreadyClosed';
}

/** Raised by any task of a withdrawn referral: the state machine catches it and closes as withdrawn. */
export class ReferralWithdrawnError extends Error {
  override name = WORKFLOW_ERRORS.withdrawn;
}

export async function loadReferral(deps: Dependencies, referralId: string): Promise<Referral> {
  const referral = await deps.store.getReferral(referralId);
  if (!referral) throw new ReferralNotFoundError(`Referral ${referralId} not found`);
  return referral;
}

/** Every task but Close and RecordFailure starts here: a withdrawn referral goes no further. */
async function loadOpenReferral(deps: Dependencies, referralId: string): Promise<Referral> {
  const referral = await loadReferral(deps, referralId);
  if (referral.withdrawal) throw new ReferralWithdrawnError(`Referral ${referralId} was withdrawn`);
  if (referral.status === 'closed') throw new ReferralClosedError(`Referral ${referralId} is closed`);
  return referral;
}

async function enterPhase(deps: Dependencies, referral: Referral, phase: Phase): Promise<void> {
  if (referral.phase === phase && referral.status === 'active') return;
  await deps.store.updateReferral(referral.referralId, {
    phase,
    status: 'active',
    updatedAt: deps.clock.now().toISOString(),
  });
}

export async function partnershipOf(
  deps: Dependencies,
  referral: Pick<Referral, 'partnershipId'>,
): Promise<Partnership> {
  const p = await deps.store.getPartnership(referral.partnershipId);
  if (!p) throw new Error(`Partnership ${referral.partnershipId} not found`);
  return p;
}

export interface Recipient {
  role: RecipientRole;
  name: string;
  email: string;
  language: Language;
}

function custodianOf(referral: Referral, number: number | undefined): Custodian {
  const c = referral.custodians.find((x) => x.number === number);
  if (!c) throw new Error(`Referral ${referral.referralId} has no custodian ${number}`);
  return c;
}

const socialWorker = (r: Referral): Recipient => ({
  role: 'social-worker',
  ...r.socialWorker,
  language: 'sv',
});

/** Who answers a step. A custodian without email is represented by the social worker, who records a paper consent. */
async function recipientFor(
  deps: Dependencies,
  step: StepName,
  referral: Referral,
  custodian?: number,
): Promise<Recipient> {
  switch (step) {
    case 'consent': {
      const c = custodianOf(referral, custodian);
      return c.email
        ? { role: 'custodian', name: c.name, email: c.email, language: c.language }
        : socialWorker(referral);
    }
    case 'consent-escalation':
      return socialWorker(referral);
    case 'screening':
    case 'group-assignment':
      return { role: 'coordinator', ...(await partnershipOf(deps, referral)).coordinator, language: 'sv' };
    case 'attendance':
    case 'sessions': {
      const p = await partnershipOf(deps, referral);
      const group: Group | undefined = referral.group
        ? (await deps.store.listGroups(p.id)).find((g) => g.groupId === referral.group?.groupId)
        : undefined;
      return { role: 'group-leader', ...(group?.leader ?? p.coordinator), language: 'sv' };
    }
  }
}

async function putLink(
  deps: Dependencies,
  referral: Referral,
  step: LinkPurpose,
  recipient: Recipient,
  taskToken: string,
  ttlDays: number,
  custodian?: number,
  extra: Partial<Pick<LinkRecord, 'round' | 'respondent'>> = {},
): Promise<{ link: LinkRecord; url: string }> {
  const now = deps.clock.now();
  const { token, hash } = await deps.linkTokens.mint();
  const link: LinkRecord = {
    linkHash: hash,
    referralId: referral.referralId,
    step,
    custodian,
    recipient,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlDays * 86_400_000).toISOString(),
    status: 'open',
    taskToken,
    ...extra,
  };
  // The same entry again (see step-outbox) finds its link stored: that one, as it is, goes out again.
  return { link: await deps.store.putLink(link), url: linkUrl(deps.config.publicBaseUrl, token) };
}

/**
 * A withdrawal link for a custodian or the social worker: valid until the referral closes (the
 * link page checks that), single use like every link. A fresh one goes into every email that carries one.
 */
export async function withdrawalLink(
  deps: Dependencies,
  referral: Referral,
  recipient: Recipient,
  custodian?: number,
): Promise<string> {
  return (await putLink(deps, referral, 'withdrawal', recipient, '', 400, custodian)).url;
}

type StepEmailKind = 'request' | 'reminder' | 'renewed';

/**
 * Creates a link for the step and mails it; used when a step is entered, for reminders and for renewals.
 * Once per step entry, and a repeat after a crash carries the same link (see step-outbox).
 */
export async function issueStepLink(
  deps: Dependencies,
  referral: Referral,
  step: StepName,
  recipient: Recipient,
  taskToken: string,
  kind: StepEmailKind,
  custodian?: number,
  entry?: string,
): Promise<LinkRecord> {
  const partnership = await partnershipOf(deps, referral);
  return mailStepLinkOnce(
    deps,
    { ownerId: referral.referralId, step, slot: custodian, taskToken, kind, entry },
    () => putLink(deps, referral, step, recipient, taskToken, deps.config.linkTtlDays, custodian),
    async (link, url, asKind) => {
      const withdraw =
        recipient.role === 'custodian'
          ? await withdrawalLink(deps, referral, recipient, custodian)
          : undefined;
      const forCustodian =
        step === 'consent' && recipient.role === 'social-worker'
          ? custodianOf(referral, custodian)
          : undefined;
      const content =
        asKind === 'reminder'
          ? consentReminder(referral, recipient, url, link.expiresAt, { withdraw, forCustodian })
          : stepRequest(step, referral, recipient, url, link.expiresAt, {
              renewed: asKind === 'renewed',
              withdraw,
              forCustodian,
              partnership,
            });
      await deps.email.send(renderEmail(recipient.email, content));
    },
  );
}

export async function acceptIntake(
  { referralId }: { referralId: string },
  deps: Dependencies,
): Promise<void> {
  const referral = await loadOpenReferral(deps, referralId);
  await enterPhase(deps, referral, 'intake');
  await notifyOnce(
    deps,
    referralId,
    'intake-received',
    async () => {
      const withdraw = await withdrawalLink(deps, referral, socialWorker(referral));
      await deps.email.send(
        renderEmail(referral.socialWorker.email, intakeReceived(referral, referral.socialWorker, withdraw)),
      );
    },
    { actor: { role: 'system' }, action: 'intake-accepted', phase: 'intake' },
  );
}

/**
 * Entering a human step. Idempotent: when the step's email already went out and its link is still
 * open, the new task token is bound to that link and no second email is sent.
 */
export async function enterHumanStep(
  step: StepName,
  { referralId, taskToken, custodian }: { referralId: string; taskToken: string; custodian?: number },
  deps: Dependencies,
  { notify = true }: { notify?: boolean } = {},
): Promise<'waiting' | 'answered'> {
  const referral = await loadOpenReferral(deps, referralId);
  await enterPhase(deps, referral, STEP_PHASE[step]);
  const existing = await deps.store.getStep(referralId, step, custodian);
  if (existing) {
    const link = await deps.store.getLink(existing.linkHash);
    // Answered already (the execution was resumed after a crash, or retried), or a silent wait whose event
    // came while no wait was open (a group confirmed while the weekly pool wait re-ran): go on at once.
    const over =
      !!link &&
      (link.status === 'used' ||
        (step === 'group-assignment' && !!referral.group) ||
        (step === 'sessions' && (await groupCompleted(deps, referral))));
    if (over && (await replayAnswer(deps, step, referral, link, taskToken))) {
      if (link.status === 'open')
        await deps.store.useLink(link.linkHash, deps.clock.now().toISOString(), 'resumed');
      await audit(deps, {
        referralId,
        actor: { role: 'system' },
        action: 'step-answer-replayed',
        phase: STEP_PHASE[step],
        detail: { step },
      });
      return 'answered';
    }
    // A new consent round (after an extension) asks again with a new email, even if an older link still works.
    const staleRound =
      step === 'consent' && !!referral.consentRound && existing.enteredAt < referral.consentRound.startedAt;
    const usable =
      link && link.status === 'open' && link.expiresAt > deps.clock.now().toISOString() && !staleRound;
    if (existing.emailSentAt && usable && (await deps.store.bindLinkToken(existing.linkHash, taskToken))) {
      await audit(deps, {
        referralId,
        actor: { role: 'system' },
        action: 'step-resumed',
        phase: STEP_PHASE[step],
        detail: { step, ...(custodian ? { custodian: String(custodian) } : {}) },
      });
      return settleSilentWait(deps, step, referralId, taskToken);
    }
    // Otherwise the step is asked anew, or its unsent email sent again with its own link (step-outbox).
  }
  const recipient = await recipientFor(deps, step, referral, custodian);
  if (notify) await issueStepLink(deps, referral, step, recipient, taskToken, 'request', custodian);
  else {
    // A silent wait (the pool, a running group): the link is never mailed, it only holds the task token
    // so that a confirmation, a completed group or a withdrawal can resume or stop the wait.
    const { link } = await putLink(deps, referral, step, recipient, taskToken, 400, custodian);
    await deps.store.putStep({
      referralId,
      step,
      custodian,
      linkHash: link.linkHash,
      enteredAt: link.createdAt,
      emailSentAt: link.createdAt,
    });
  }
  await audit(deps, {
    referralId,
    actor: { role: 'system' },
    action: 'step-requested',
    phase: STEP_PHASE[step],
    detail: { step, recipientRole: recipient.role, ...(custodian ? { custodian: String(custodian) } : {}) },
  });
  return settleSilentWait(deps, step, referralId, taskToken);
}

/**
 * An event may land while a wait is being entered: a withdrawal (any step), a group confirmed or completed
 * (the silent waits). The other side writes the event, then reads the token; this side writes the token,
 * then reads the event here. One of the two always sees the other, so the wait never misses it (both may:
 * the later answer finds the token used and changes nothing).
 */
async function settleSilentWait(
  deps: Dependencies,
  step: StepName,
  referralId: string,
  taskToken: string,
): Promise<'waiting' | 'answered'> {
  const referral = await loadReferral(deps, referralId);
  if (referral.withdrawal) {
    try {
      await deps.workflow.sendTaskFailure(taskToken, WORKFLOW_ERRORS.withdrawn, 'withdrawn');
    } catch (error) {
      if (!(error instanceof StepNoLongerOpenError)) throw error;
    }
    return 'answered';
  }
  if (step !== 'group-assignment' && step !== 'sessions') return 'waiting';
  let output: Record<string, string> | undefined;
  if (step === 'group-assignment' && referral.group) output = { groupId: referral.group.groupId };
  if (step === 'sessions' && (await groupCompleted(deps, referral))) output = { sessions: 'completed' };
  if (!output) return 'waiting';
  try {
    await deps.workflow.sendTaskSuccess(taskToken, output);
  } catch (error) {
    if (!(error instanceof StepNoLongerOpenError)) throw error;
  }
  return 'answered';
}

async function groupCompleted(deps: Dependencies, referral: Referral): Promise<boolean> {
  if (!referral.group) return false;
  const group = await deps.store.getGroup(deps.config.partnershipId, referral.group.groupId);
  return group?.status === 'completed';
}

/** The recorded answer of a step whose link was used, sent to the task that waits now. */
async function replayAnswer(
  deps: Dependencies,
  step: StepName,
  referral: Referral,
  link: LinkRecord,
  taskToken: string,
): Promise<boolean> {
  const success = (output: Record<string, string>) =>
    deps.workflow.sendTaskSuccess(taskToken, output).then(() => true);
  const failure = (error: AnswerError) =>
    deps.workflow.sendTaskFailure(taskToken, error, 'replayed').then(() => true);
  switch (step) {
    case 'screening':
      if (!referral.screening) return false;
      return referral.screening.decision === 'approved'
        ? success({ decision: 'approved' })
        : failure(WORKFLOW_ERRORS.declined);
    case 'consent': {
      const answer = referral.custodians.find((c) => c.number === link.custodian)?.consent;
      if (!answer) return false;
      return answer.given ? success({ consent: 'given' }) : failure(WORKFLOW_ERRORS.consentRefused);
    }
    case 'consent-escalation':
      return link.usedAction ? success({ choice: link.usedAction }) : false;
    case 'group-assignment':
      return referral.group ? success({ groupId: referral.group.groupId }) : false;
    case 'sessions':
      return success({ sessions: 'completed' });
    case 'attendance':
      return false;
  }
}

// ---- Consent -------------------------------------------------------------------------------------------

/** Who is asked this round: the custodians still without an answer, or nobody when the child consents alone. */
export async function planConsent(
  { referralId }: { referralId: string },
  deps: Dependencies,
): Promise<{ mode: 'custodians' | 'child'; custodians: { custodian: number }[] }> {
  const referral = await loadOpenReferral(deps, referralId);
  await enterPhase(deps, referral, 'consent');
  if (referral.consentBasisRequested === 'child') return { mode: 'child', custodians: [] };
  if (!referral.consentRound) {
    const partnership = await partnershipOf(deps, referral);
    const round = newConsentRound(1, deps.clock.now(), partnership.consent);
    await deps.store.updateReferral(referralId, { consentRound: round, updatedAt: round.startedAt });
    await audit(deps, {
      referralId,
      actor: { role: 'system' },
      action: 'consent-round-started',
      phase: 'consent',
      detail: { round: '1' },
    });
  }
  return {
    mode: 'custodians',
    custodians: custodiansAwaitingConsent(referral.custodians).map((c) => ({ custodian: c.number })),
  };
}

/** `schedule`: seconds until this custodian's next reminder or the deadline. `elapsed`: act on it. */
export async function consentClock(
  { referralId, custodian, op }: { referralId: string; custodian: number; op: 'schedule' | 'elapsed' },
  deps: Dependencies,
): Promise<{ seconds: number; due: string } | { deadlinePassed: boolean }> {
  const referral = await loadOpenReferral(deps, referralId);
  const round = referral.consentRound;
  if (!round) throw new Error(`Referral ${referralId} has no consent round`);
  const index = referral.custodians.findIndex((c) => c.number === custodian);
  const c = custodianOf(referral, custodian);
  const now = deps.clock.now();
  const event = nextConsentEvent(round, c.remindersSent ?? 0);
  if (op === 'schedule') return { seconds: secondsUntil(event.at, now), due: event.kind };

  if (event.at.getTime() > now.getTime()) return { deadlinePassed: false }; // woke early: wait again
  if (event.kind === 'deadline') {
    // The custodian's link closes with the round: the social worker now decides, and an extension asks anew.
    const step = await deps.store.getStep(referralId, 'consent', custodian);
    if (step && (await deps.store.getLink(step.linkHash))?.status === 'open')
      await deps.store.setLinkStatus(step.linkHash, 'closed');
    await audit(deps, {
      referralId,
      actor: { role: 'system' },
      action: 'consent-deadline-passed',
      phase: 'consent',
      detail: { custodian: String(custodian), round: String(round.number) },
    });
    return { deadlinePassed: true };
  }
  // A reminder with a fresh link (issueStepLink supersedes the old one); the next wait re-binds its token to it.
  const reminder = `consent-reminder-${round.number}-${custodian}-${event.index + 1}`;
  await notifyOnce(
    deps,
    referralId,
    reminder,
    async () => {
      // The reminder is its own step entry: run again after a crash, it finds itself (sent or not).
      await issueStepLink(
        deps,
        referral,
        'consent',
        await recipientFor(deps, 'consent', referral, custodian),
        '',
        'reminder',
        custodian,
        reminder,
      );
    },
    {
      actor: { role: 'system' },
      action: 'consent-reminder-sent',
      phase: 'consent',
      detail: {
        custodian: String(custodian),
        reminder: String(event.index + 1),
        round: String(round.number),
      },
    },
  );
  await deps.store.setCustodianReminders(referralId, index, event.index + 1);
  return { deadlinePassed: false };
}

/** After the round: go ahead with a recorded legal basis, or ask the social worker. */
export async function evaluateConsent(
  { referralId }: { referralId: string },
  deps: Dependencies,
): Promise<{ next: 'proceed' | 'escalate' }> {
  const referral = await loadOpenReferral(deps, referralId);
  const at = deps.clock.now().toISOString();
  if (referral.legalBasis) return { next: 'proceed' };
  if (referral.consentBasisRequested === 'child') {
    const partnership = await partnershipOf(deps, referral);
    const age = ageOn(referral.child.birthDate, DateTime.fromJSDate(deps.clock.now()));
    if (!childMayConsentAlone(partnership, age))
      throw new Error('Child consent is not allowed for this referral');
    const basis = childConsentBasis(
      partnership,
      age,
      { role: 'social-worker', name: referral.socialWorker.name },
      at,
    );
    await deps.store.updateReferral(referralId, { legalBasis: basis, updatedAt: at });
    await audit(deps, {
      referralId,
      at,
      actor: basis.recordedBy,
      action: 'legal-basis-recorded',
      phase: 'consent',
      detail: { basis: basis.kind },
    });
    return { next: 'proceed' };
  }
  switch (consentState(referral.custodians)) {
    case 'refused':
      throw Object.assign(new Error('A custodian refused'), { name: WORKFLOW_ERRORS.consentRefused });
    case 'pending':
      return { next: 'escalate' };
    case 'all-given': {
      const basis = custodianConsentBasis(at);
      await deps.store.updateReferral(referralId, { legalBasis: basis, updatedAt: at });
      await audit(deps, {
        referralId,
        at,
        actor: basis.recordedBy,
        action: 'legal-basis-recorded',
        phase: 'consent',
        detail: { basis: basis.kind },
      });
      return { next: 'proceed' };
    }
  }
}

// ---- Follow-up, close, failure --------------------------------------------------------------------------

async function evaluationLinks(
  deps: Dependencies,
  referral: Referral,
  round: FollowUpRound,
): Promise<{ carer: string; child: string }> {
  const recipient: Recipient = { role: 'carer' as RecipientRole, ...referral.carer, language: 'sv' };
  const link = async (respondent: Respondent) =>
    (
      await putLink(deps, referral, 'evaluation', recipient, '', deps.config.linkTtlDays, undefined, {
        round,
        respondent,
      })
    ).url;
  return { carer: await link('carer'), child: await link('child') };
}

async function followUpFacts(deps: Dependencies, referral: Referral) {
  const group = referral.group
    ? await deps.store.getGroup(referral.partnershipId, referral.group.groupId)
    : undefined;
  const attendance = group ? await deps.store.listAttendance(group.groupId) : [];
  return {
    format: group?.format,
    firstMeetingAt: group?.meetings?.[0]?.startsAt,
    scheduled: group?.meetings?.length,
    attended: attendance.filter((a) => a.referralId === referral.referralId && a.present).length,
  };
}

const DAY_MS = 86_400_000;

/** The evaluation email (fresh questionnaire links for carer and child), once per key. */
function sendEvaluation(
  deps: Dependencies,
  referral: Referral,
  round: FollowUpRound,
  key: string,
  reminder = false,
) {
  return notifyOnce(deps, referral.referralId, key, async () =>
    deps.email.send(
      renderEmail(
        referral.carer.email,
        evaluationRequest(
          referral,
          referral.carer,
          await evaluationLinks(deps, referral, round),
          round,
          reminder,
        ),
      ),
    ),
  );
}

/**
 * Follow-up, one operation per state: `start` sends the evaluation (child and carer) after the last
 * meeting; `summary` tells the social worker (attendance, format, whether answered — never free text);
 * `later` sends the later follow-up; `reminder` reminds once if it is unanswered.
 */
export async function sendFollowUp(
  { referralId, op = 'start' }: { referralId: string; op?: 'start' | 'summary' | 'later' | 'reminder' },
  deps: Dependencies,
): Promise<Record<string, string>> {
  const referral = await loadOpenReferral(deps, referralId);
  const settings = (await partnershipOf(deps, referral)).followUp;
  const now = deps.clock.now();
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
  switch (op) {
    case 'start': {
      await enterPhase(deps, referral, 'follow-up');
      await sendEvaluation(deps, referral, 'first', 'evaluation-first');
      await audit(deps, {
        referralId,
        actor: { role: 'system' },
        action: 'follow-up-sent',
        phase: 'follow-up',
        detail: { round: 'first' },
      });
      return {
        summaryAt: at(settings.summaryAfterDays * DAY_MS),
        laterAt: DateTime.fromJSDate(now).plus({ months: settings.laterFollowUpMonths }).toUTC().toISO()!,
      };
    }
    case 'summary': {
      const answers = await deps.store.listEvaluations(referralId);
      const answered = (respondent: Respondent) =>
        answers.some((a) => a.round === 'first' && a.respondent === respondent);
      const facts = {
        ...(await followUpFacts(deps, referral)),
        childAnswered: answered('child'),
        carerAnswered: answered('carer'),
      };
      // Comments in the answers are read on the staff page; the summary only says there are some.
      const comments = answers.some((a) => a.round === 'first' && a.freeText)
        ? {
            kind: 'questionnaire-comment' as const,
            url: staffReferralUrl(deps.config.publicBaseUrl, referralId),
          }
        : undefined;
      await notifyOnce(deps, referralId, 'follow-up-summary', () =>
        deps.email.send(
          renderEmail(
            referral.socialWorker.email,
            followUpSummary(referral, referral.socialWorker, facts, comments),
          ),
        ),
      );
      await audit(deps, {
        referralId,
        actor: { role: 'system' },
        action: 'summary-sent',
        phase: 'follow-up',
      });
      return {};
    }
    case 'later': {
      await sendEvaluation(deps, referral, 'later', 'evaluation-later');
      await audit(deps, {
        referralId,
        actor: { role: 'system' },
        action: 'follow-up-sent',
        phase: 'follow-up',
        detail: { round: 'later' },
      });
      return {
        reminderAt: at(settings.laterReminderDays * DAY_MS),
        closeAt: at(2 * settings.laterReminderDays * DAY_MS),
      };
    }
    case 'reminder': {
      const answers = await deps.store.listEvaluations(referralId);
      if (!answers.some((a) => a.round === 'later')) {
        await sendEvaluation(deps, referral, 'later', 'evaluation-later-reminder', true);
        await audit(deps, {
          referralId,
          actor: { role: 'system' },
          action: 'follow-up-reminder-sent',
          phase: 'follow-up',
        });
      }
      return {};
    }
  }
}

/** Every open step link of the referral now shows "no longer needed". */
async function closeOpenLinks(deps: Dependencies, referralId: string): Promise<void> {
  for (const step of await deps.store.listSteps(referralId)) {
    const link = await deps.store.getLink(step.linkHash);
    if (link?.status === 'open') await deps.store.setLinkStatus(step.linkHash, 'closed');
  }
}

export async function closeReferral(
  { referralId, outcome }: { referralId: string; outcome: Outcome },
  deps: Dependencies,
): Promise<{ eraseAt: string }> {
  const referral = await loadReferral(deps, referralId);
  const at = deps.clock.now().toISOString();
  if (referral.status !== 'closed') {
    // Recorded first and once: a crash between the two writes leaves the event, and Close runs again.
    await audit(
      deps,
      {
        referralId,
        at,
        actor: { role: 'system' },
        action: 'referral-closed',
        phase: 'closed',
        detail: { outcome },
      },
      'referral-closed',
    );
    await deps.store.updateReferral(referralId, {
      phase: 'closed',
      status: 'closed',
      outcome,
      updatedAt: at,
    });
  }
  await closeOpenLinks(deps, referralId);
  await deps.store.removePoolEntry(referral.partnershipId, referral.child.ageBand, referralId);
  // A child who leaves before the group is done gives the seat back, to the next child waiting if it is early.
  if (referral.group && outcome !== 'completed') {
    if (await deps.store.leaveGroup(referral.partnershipId, referral.group.groupId, referralId)) {
      await audit(deps, {
        referralId,
        at,
        actor: { role: 'system' },
        action: 'group-seat-freed',
        detail: { groupId: referral.group.groupId },
      });
      const { offerFreedSeat } = await import('./groups');
      await offerFreedSeat(deps, referral.group.groupId);
    }
  }
  // The child may be referred again once this referral is closed.
  await deps.store.releaseChild(referral.identityHash, referralId);
  // A decline or withdrawal reason is never mailed: the email says there is one and links to the staff page.
  const noteKind = closingNote(referral, outcome);
  const note = noteKind && { kind: noteKind, url: staffReferralUrl(deps.config.publicBaseUrl, referralId) };
  await notifyOnce(deps, referralId, 'closed', () =>
    deps.email.send(
      renderEmail(
        referral.socialWorker.email,
        referralClosed(referral, referral.socialWorker, outcome, note),
      ),
    ),
  );
  if (outcome === 'withdrawn') {
    const coordinator = (await partnershipOf(deps, referral)).coordinator;
    await notifyOnce(deps, referralId, 'withdrawn-coordinator', () =>
      deps.email.send(renderEmail(coordinator.email, withdrawnNotice(referral, coordinator, note))),
    );
  }
  // Personal data is kept for the retention period after closing, then erased by the daily sweep
  // (eraseDueReferrals), which finds it in the due-erasure index; a Close run again records the same entry.
  const months = (await partnershipOf(deps, referral)).retentionMonths;
  const closedAt = (await deps.store.getReferral(referralId))?.updatedAt ?? at;
  const eraseAt = DateTime.fromISO(closedAt).plus({ months }).toUTC().toISO()!;
  await deps.store.putDueErasure({ referralId, eraseAt });
  return { eraseAt };
}

/** After the retention period: keep an anonymised record, erase everything personal. */
export async function eraseReferral(
  { referralId }: { referralId: string },
  deps: Dependencies,
): Promise<void> {
  const erased = () =>
    audit(
      deps,
      { referralId, actor: { role: 'system' }, action: 'personal-data-erased', phase: 'closed' },
      'personal-data-erased',
    );
  const referral = await loadReferral(deps, referralId);
  // Erased already (the process died before the event was written): the event, once.
  if ((referral as unknown as { status: string }).status === 'erased') return erased();
  const facts = await followUpFacts(deps, referral);
  const anonymised = anonymise(
    referral,
    {
      closedAt: referral.updatedAt,
      format: facts.format,
      attended: facts.attended,
      scheduled: facts.scheduled,
      answers: await deps.store.listEvaluations(referralId),
    },
    deps.clock.now().toISOString(),
  );
  await deps.store.eraseReferral(referralId, anonymised);
  await erased();
}

export async function recordFailure(
  { referralId, error }: { referralId: string; error: string },
  deps: Dependencies,
): Promise<void> {
  const referral = await deps.store.getReferral(referralId);
  if (!referral) {
    deps.log.error('failure for unknown referral', { referralId, error });
    return;
  }
  const at = deps.clock.now().toISOString();
  await deps.store.updateReferral(referralId, {
    status: 'needs-attention',
    failure: { phase: referral.phase, error, at },
    updatedAt: at,
  });
  await audit(deps, {
    referralId,
    at,
    actor: { role: 'system' },
    action: 'step-failed',
    phase: referral.phase,
    detail: { error },
  });
  deps.log.warn('referral needs attention', { referralId, phase: referral.phase, error });
}
