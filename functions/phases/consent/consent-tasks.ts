/** The consent phase's workflow tasks: plan the round, its clock of reminders and deadline, and the evaluation. Each task is safe to run twice: the state machine retries tasks. */
import {
  childConsentBasis,
  childMayConsentAlone,
  consentState,
  custodianConsentBasis,
  custodiansAwaitingConsent,
  newConsentRound,
  nextConsentEvent,
  secondsUntil,
} from '../../domain/consent';
import { ageOn } from '../../domain/identity-number';
import { WORKFLOW_ERRORS } from '../../domain/steps';
import { type Dependencies } from '../../ports';
import { audit, notificationMarker, notifyOnce } from '../../kernel/audit';
import {
  custodianOf,
  enterPhase,
  loadOpenReferral,
  loadOpenReferralNotified,
  partnershipOf,
  socialWorker,
} from '../../kernel/referrals';
import type { LegalBasis, Referral } from '../../domain/referral';
import { renderEmail } from '../../web/emails/render';
import { screeningApproved } from '../screening/emails';
import { consentComplete } from './emails';
import type { SocialWorkerNotificationId } from '../../web/emails/promises';
import { issueStepLink } from '../../kernel/step-links';
import { consentStep } from './consent-step';

const SCREENING_APPROVED = 'screening-approved' satisfies SocialWorkerNotificationId;
const CONSENT_COMPLETE = 'consent-complete' satisfies SocialWorkerNotificationId;

/** Who is asked this round: the custodians still without an answer, or nobody when the child consents alone. */
export async function planConsent(
  { referralId }: { referralId: string },
  deps: Dependencies,
): Promise<{ mode: 'custodians' | 'child'; custodians: { custodian: number }[] }> {
  // Whether the approval went out, read with the referral (one request, not two).
  const {
    referral,
    notified: [approvalSent],
  } = await loadOpenReferralNotified(deps, referralId, [notificationMarker(SCREENING_APPROVED)]);
  // The phase and, the first time, the consent round in one write (and its event at once, as before: a
  // crash between the two leaves a round without its event, never more).
  const custodians = referral.consentBasisRequested !== 'child';
  const round =
    custodians && !referral.consentRound
      ? newConsentRound(1, deps.clock.now(), (await partnershipOf(deps, referral)).consent)
      : undefined;
  if (round) {
    await deps.store.updateReferral(referralId, {
      phase: 'consent',
      status: 'active',
      consentRound: round,
      updatedAt: round.startedAt,
    });
    await audit(deps, {
      referralId,
      actor: { role: 'system' },
      action: 'consent-round-started',
      phase: 'consent',
      detail: { round: '1' },
    });
  } else await enterPhase(deps, referral, 'consent');
  // The first task after screening tells the social worker of the approval: once, however often this runs
  // (retries, an extension that plans a new round). A decline never reaches here: Close tells of it.
  if (referral.screening?.decision === 'approved')
    await notifyOnce(
      deps,
      referralId,
      SCREENING_APPROVED,
      () =>
        deps.email.send(
          renderEmail(
            referral.socialWorker.email,
            screeningApproved(referral, socialWorker(referral)),
            deps.config.publicBaseUrl,
          ),
        ),
      undefined,
      { sent: approvalSent },
    );
  if (!custodians) return { mode: 'child', custodians: [] };
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
        consentStep,
        await consentStep.recipient(deps, referral, custodian),
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
  // Whether the social worker was told, read with the referral (one request, not two).
  const {
    referral,
    notified: [completeSent],
  } = await loadOpenReferralNotified(deps, referralId, [notificationMarker(CONSENT_COMPLETE)]);
  const basis = await recordLegalBasis(deps, referral);
  if (!basis) return { next: 'escalate' };
  // Consent is complete, on whichever basis (the committee's decision is recorded by the social worker's
  // link before this runs): she is told once which. A refusal never reaches here: Close tells of it.
  await notifyOnce(
    deps,
    referralId,
    CONSENT_COMPLETE,
    () =>
      deps.email.send(
        renderEmail(
          referral.socialWorker.email,
          consentComplete(referral, socialWorker(referral), basis),
          deps.config.publicBaseUrl,
        ),
      ),
    undefined,
    { sent: completeSent },
  );
  return { next: 'proceed' };
}

/** The legal basis to go ahead on, recorded now if it was not already; undefined while consent is pending. */
async function recordLegalBasis(deps: Dependencies, referral: Referral): Promise<LegalBasis | undefined> {
  const { referralId } = referral;
  const at = deps.clock.now().toISOString();
  if (referral.legalBasis) return referral.legalBasis;
  if (referral.consentBasisRequested === 'child') {
    const partnership = await partnershipOf(deps, referral);
    const age = ageOn(referral.child.birthDate, deps.clock.now());
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
    return basis;
  }
  switch (consentState(referral.custodians)) {
    case 'refused':
      throw Object.assign(new Error('A custodian refused'), { name: WORKFLOW_ERRORS.consentRefused });
    case 'pending':
      return undefined;
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
      return basis;
    }
  }
}
