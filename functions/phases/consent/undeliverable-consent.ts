/**
 * A custodian whose email came back is not waited for: while her consent is asked, her step's link moves
 * to the social worker (another address, or the paper form), bound to the same waiting task, so the wait and
 * its deadline stay as they are and only who holds the link changes.
 */
import type { Referral, UndeliverableEmail } from '../../domain/referral';
import type { Dependencies } from '../../ports';
import { issueStepLink } from '../../kernel/step-links';
import { socialWorker } from '../../kernel/referrals';
import { consentStep } from './consent-step';

export async function askSocialWorkerForCustodian(
  deps: Dependencies,
  referral: Referral,
  marked: UndeliverableEmail,
): Promise<boolean> {
  if (marked.role !== 'custodian' || !marked.custodian) return false;
  const custodian = referral.custodians.find((c) => c.number === marked.custodian);
  if (!custodian || custodian.consent || referral.legalBasis || referral.phase !== 'consent') return false;
  if (referral.consentBasisRequested === 'child') return false;
  const step = await deps.store.getStep(referral.referralId, 'consent', marked.custodian);
  // Not asked yet: when it is, the step's recipient is the social worker (consentStep.recipient).
  if (!step) return true;
  const link = await deps.store.getLink(step.linkHash);
  if (!link || link.status !== 'open') return false;
  if (link.recipient.role === 'social-worker') return true;
  await issueStepLink(
    deps,
    referral,
    consentStep,
    socialWorker(referral),
    link.taskToken,
    'request',
    marked.custodian,
    // One entry per bounce of this link: a repeated event finds the email sent.
    `undeliverable-${link.linkHash.slice(0, 16)}`,
  );
  return true;
}
