/** Loading a referral for a workflow task, its partnership, and who its people are. Each task is safe to run twice: the state machine retries tasks. */
import type { EvaluationAnswer } from '../domain/follow-up';
import { type Partnership, type StaffMember, staffLanguageOf } from '../domain/partnership';
import { type Custodian, type Language, type Phase, type Referral } from '../domain/referral';
import { WORKFLOW_ERRORS, type RecipientRole, type StepName } from '../domain/steps';
import { type Dependencies, type NotificationMarker, type StepRecord } from '../ports';
import { ReferralNotFoundError } from '../shared/errors';

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
export async function loadOpenReferral(deps: Dependencies, referralId: string): Promise<Referral> {
  return openReferral(referralId, await deps.store.getReferral(referralId));
}

/**
 * `loadOpenReferral` with whether each of the notifications its task may send went out (its markers:
 * `notificationMarker`), read in the same request: notifyOnce's `sent`, for a lone sender.
 */
export async function loadOpenReferralNotified(
  deps: Dependencies,
  referralId: string,
  notifications: NotificationMarker[],
): Promise<{ referral: Referral; notified: boolean[] }> {
  const read = await deps.store.getReferralNotified(referralId, notifications);
  return { referral: openReferral(referralId, read.referral), notified: read.notified };
}

/** `loadReferral` (open or not) with its notifications' markers, as `loadOpenReferralNotified` reads them. */
export async function loadReferralNotified(
  deps: Dependencies,
  referralId: string,
  notifications: NotificationMarker[],
): Promise<{ referral: Referral; notified: boolean[] }> {
  const { referral, notified } = await deps.store.getReferralNotified(referralId, notifications);
  if (!referral) throw new ReferralNotFoundError(`Referral ${referralId} not found`);
  return { referral, notified };
}

/** `loadOpenReferral` with its follow-up answers, and its notifications' markers, read in the same request. */
export async function loadOpenReferralWithAnswers(
  deps: Dependencies,
  referralId: string,
  notifications: NotificationMarker[] = [],
): Promise<{ referral: Referral; answers: EvaluationAnswer[]; notified: boolean[] }> {
  const read = await deps.store.getReferralWithAnswers(referralId, notifications);
  return {
    referral: openReferral(referralId, read.referral),
    answers: read.answers,
    notified: read.notified,
  };
}

/** `loadOpenReferral` with one of its step records, read in the same request. */
export async function loadOpenReferralWithStep(
  deps: Dependencies,
  referralId: string,
  step: StepName,
  custodian?: number,
): Promise<{ referral: Referral; step: StepRecord | undefined }> {
  const read = await deps.store.getReferralWithStep(referralId, step, custodian);
  return { referral: openReferral(referralId, read.referral), step: read.step };
}

function openReferral(referralId: string, referral: Referral | undefined): Referral {
  if (!referral) throw new ReferralNotFoundError(`Referral ${referralId} not found`);
  if (referral.withdrawal) throw new ReferralWithdrawnError(`Referral ${referralId} was withdrawn`);
  if (referral.status === 'closed') throw new ReferralClosedError(`Referral ${referralId} is closed`);
  return referral;
}

export async function enterPhase(deps: Dependencies, referral: Referral, phase: Phase): Promise<void> {
  if (referral.phase === phase && referral.status === 'active') return;
  await deps.store.updateReferral(referral.referralId, {
    phase,
    status: 'active',
    updatedAt: deps.clock.now().toISOString(),
  });
}

/**
 * `enterPhase` that reads the referral back in the same request, whether or not the phase moves: a step
 * entry's read after its wait's token was stored (see settleWait in enter-step). A withdrawn referral is read
 * as it is, unchanged.
 */
export async function enterPhaseReading(
  deps: Dependencies,
  referral: Referral,
  phase: Phase,
): Promise<Referral> {
  const moves = referral.phase !== phase || referral.status !== 'active';
  const after = await deps.store.enterPhase(
    referral.referralId,
    phase,
    moves ? deps.clock.now().toISOString() : undefined,
  );
  if (!after) throw new ReferralNotFoundError(`Referral ${referral.referralId} not found`);
  return after;
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

export function custodianOf(referral: Referral, number: number | undefined): Custodian {
  const c = referral.custodians.find((x) => x.number === number);
  if (!c) throw new Error(`Referral ${referral.referralId} has no custodian ${number}`);
  return c;
}

/** The social worker, in the language she used on the referral form (not on the staff list: hers is the form's). */
export const socialWorker = (r: Referral): Recipient => ({
  role: 'social-worker',
  name: r.socialWorker.name,
  email: r.socialWorker.email,
  language: r.socialWorker.language ?? 'sv',
});

/** The partnership's coordinator, who screens referrals and forms groups, as a recipient in her own language. */
export function coordinatorOf(p: Pick<Partnership, 'coordinator' | 'staff'>): Recipient {
  return { role: 'coordinator', ...p.coordinator, language: staffLanguageOf(p, p.coordinator.email) };
}

export async function coordinatorRecipient(deps: Dependencies, referral: Referral): Promise<Recipient> {
  return coordinatorOf(await partnershipOf(deps, referral));
}

/**
 * Whom a coordinator's overdue step is escalated to: Bris's other coordinators (they can act from the staff
 * pages), or where there are none the partnership's follow-up (told whom to contact), or failing both the
 * coordinator herself.
 */
export function aboveTheCoordinator(p: Pick<Partnership, 'coordinator' | 'staff'>): StaffMember[] {
  const others = p.staff.filter(
    (m) => m.role === 'coordinator' && m.email.toLowerCase() !== p.coordinator.email.toLowerCase(),
  );
  if (others.length) return others;
  const admins = p.staff.filter((m) => m.role === 'partnership-admin');
  return admins.length
    ? admins
    : [{ ...p.coordinator, role: 'coordinator', language: staffLanguageOf(p, p.coordinator.email) }];
}
