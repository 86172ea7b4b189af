/** Intake: validate the form, refuse duplicates, store the referral and start its workflow. */
import { randomInt } from 'node:crypto';
import { childLockHolderIsGone } from '../../domain/child-lock';
import { childMayConsentAlone } from '../../domain/consent';
import { ageBandOf, checkEligibility } from '../../domain/eligibility';
import { ageOn } from '../../domain/identity-number';
import { message } from '../../domain/messages';
import type { Partnership } from '../../domain/partnership';
import type { Language, Referral } from '../../domain/referral';
import { parseReferralForm, type ReferralForm } from '../../domain/referral-form';
import { stockholmDate } from '../../domain/stockholm-dates';
import { isSocialServicesAddress, outsideSocialServicesMessage } from '../../domain/social-services';
import type { Dependencies } from '../../ports';
import { appendLogKeys } from '../../shared/log-keys';
import { METRICS } from '../../shared/metric-names';

export type SubmitResult =
  | { kind: 'invalid'; errors: Record<string, string> }
  | { kind: 'accepted'; referralId: string; repeated: boolean }
  | { kind: 'already-active' };

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** A reference code people can read aloud: R-XXXX-XXXX (40 random bits). */
export function newReferenceCode(): string {
  const pick = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `R-${pick()}-${pick()}`;
}

/**
 * Takes the child's lock for this referral; false while another referral holds it and may still go on
 * (see domain/child-lock). Two intakes racing for a stale lock both try the conditional take-over: one wins.
 */
async function claimChildFor(deps: Dependencies, identityHash: string, referralId: string): Promise<boolean> {
  const claim = await deps.store.claimChild(identityHash, referralId);
  if (claim.claimed) return true;
  const holder = await deps.store.getReferral(claim.holder);
  const gone = childLockHolderIsGone(
    holder ? { stored: true, status: holder.status } : { stored: false, heldForMs: claim.heldForMs },
  );
  return gone && (await deps.store.takeOverChild(identityHash, claim.holder, referralId));
}

/** The age rule and the partnership's period and funding, as field → message (the first per field). */
function eligibilityErrors(
  partnership: Partnership,
  checked: { birthDate?: string; district: string; consentBasis?: string },
  today: string,
): Record<string, string> {
  const problems: { field: string | null; message: string }[] = checkEligibility(
    partnership,
    { birthDate: checked.birthDate, district: checked.district },
    today,
  );
  if (
    checked.consentBasis === 'child' &&
    checked.birthDate !== undefined &&
    !childMayConsentAlone(partnership, ageOn(checked.birthDate, today))
  ) {
    const rule = partnership.consent.childConsent;
    problems.push({
      field: 'consentBasis',
      message: rule.allowed
        ? message({
            sv: `Barnet kan samtycka ensamt först från ${rule.fromAge} års ålder. Välj samtycke från vårdnadshavarna.`,
            en: `A child can consent alone only from the age of ${rule.fromAge}. Choose consent from the custodians.`,
          })
        : message({
            sv: 'Partnerskapet tillåter inte att barnet samtycker ensamt. Välj samtycke från vårdnadshavarna.',
            en: 'The partnership does not let the child consent alone. Choose consent from the custodians.',
          }),
    });
  }
  const errors: Record<string, string> = {};
  for (const p of problems) errors[p.field ?? '_form'] ??= p.message;
  return errors;
}

export type CheckResult =
  | { kind: 'invalid'; errors: Record<string, string> }
  | { kind: 'valid'; form: ReferralForm; partnership: Partnership; today: string };

/**
 * The whole form checked at once: its fields, and the partnership's rules (age, period, funding, who may
 * consent) wherever the fields they need are right, so a person sees every fault on the first submit.
 * Reads only: nothing is stored.
 */
export async function checkReferral(raw: Record<string, string>, deps: Dependencies): Promise<CheckResult> {
  const { store, clock, config } = deps;
  const today = stockholmDate(clock.now());
  const partnership = await store.getPartnership(config.partnershipId);
  if (!partnership) throw new Error(`Partnership ${config.partnershipId} is not configured`);

  const parsed = parseReferralForm(raw, today, partnership.districts);
  const fieldErrors = parsed.success ? {} : parsed.errors;
  const rules = eligibilityErrors(
    partnership,
    parsed.success
      ? {
          birthDate: parsed.data.identityNumber.birthDate,
          district: parsed.data.district,
          consentBasis: parsed.data.consentBasis,
        }
      : { birthDate: parsed.birthDate, district: raw.district ?? '', consentBasis: raw.consentBasis },
    today,
  );
  // The receipt goes to this address: only the partnership's social services, so the public form cannot
  // send our mail to anyone. Nothing is stored or sent for a form refused here.
  const socialWorkerEmail = (raw.socialWorkerEmail ?? '').trim();
  if (socialWorkerEmail && !isSocialServicesAddress(socialWorkerEmail, partnership.socialServicesDomains))
    rules.socialWorkerEmail = outsideSocialServicesMessage(partnership.socialServicesDomains);
  // A field's own error (a district not in the list, a malformed address) comes before the rule's word on
  // the same field.
  const errors = { ...rules, ...fieldErrors };
  if (!parsed.success || Object.keys(errors).length) return { kind: 'invalid', errors };
  return { kind: 'valid', form: parsed.data, partnership, today };
}

/**
 * `formLanguage`: the language of the form the social worker filled in. It is kept with her on the referral
 * and is the language of every email she gets (she is not on the staff list, so it has no setting of hers).
 */
export async function submitReferral(
  raw: Record<string, string>,
  deps: Dependencies,
  formLanguage: Language = 'sv',
): Promise<SubmitResult> {
  const { store, clock } = deps;
  const checked = await checkReferral(raw, deps);
  if (checked.kind === 'invalid') return checked;
  const { form, partnership, today } = checked;

  let referralId = newReferenceCode();
  const at = clock.now().toISOString();
  const identityHash = await deps.identity.hash(form.identityNumber.normalized);
  // The form's claim and the child's claim under the new reference side by side: one round trip, not two
  // (every HTTP request stays within three sequential round trips to the table).
  const [submission, childClaimed] = await Promise.all([
    store.claimSubmission(form.idempotencyKey, referralId, at),
    claimChildFor(deps, identityHash, referralId),
  ]);
  if (!submission.claimed) {
    // The same form again (double click, reload): the child's claim under the new reference is not this
    // form's to keep; the first attempt's reference is.
    if (childClaimed) await store.releaseChild(identityHash, referralId);
    if (await store.getReferral(submission.holder)) {
      await deps.workflow.startReferral(submission.holder);
      return { kind: 'accepted', referralId: submission.holder, repeated: true };
    }
    // Not stored (yet): the first attempt is still under way or died before storing (a crash). Either way
    // this one finishes it under the same reference; creating the referral is one conditional write.
    referralId = submission.holder;
    if (!(await claimChildFor(deps, identityHash, referralId))) {
      await store.releaseSubmission(form.idempotencyKey, referralId);
      return { kind: 'already-active' };
    }
  } else if (!childClaimed) {
    await store.releaseSubmission(form.idempotencyKey, referralId);
    return { kind: 'already-active' };
  }

  const age = ageOn(form.identityNumber.birthDate, today);
  const referral: Referral = {
    referralId,
    partnershipId: partnership.id,
    district: form.district,
    createdAt: at,
    updatedAt: at,
    phase: 'intake',
    status: 'active',
    child: {
      firstName: form.childFirstName,
      birthDate: form.identityNumber.birthDate,
      ageAtReferral: age,
      ageBand: ageBandOf(age),
      protectedIdentity: form.protectedIdentity,
    },
    identityHash,
    socialWorker: { name: form.socialWorkerName, email: form.socialWorkerEmail, language: formLanguage },
    custodians: form.custodians.map((c) => ({
      number: c.number,
      name: c.name,
      email: c.email,
      language: c.language,
    })),
    carer: { name: form.carerName, email: form.carerEmail, language: form.carerLanguage },
    childWish: { confirmedBy: form.socialWorkerName, at },
    consentBasisRequested: form.consentBasis,
    // Where a protected child will be at a planned time goes to the family home only.
    custodianMaySeeSchedule: form.custodianMaySeeSchedule && !form.protectedIdentity,
  };
  // The events first, once-keyed: a crash before the referral is stored leaves events that the retry, which
  // finishes the same referral, writes again over themselves (never twice). Both in one batch request: only
  // this form's attempts write them, so no condition is needed to keep the first.
  const bySocialWorker = {
    referralId,
    at,
    actor: { role: 'social-worker' as const, name: form.socialWorkerName },
  };
  await store.recordEvents([
    {
      event: {
        ...bySocialWorker,
        action: 'referral-submitted',
        phase: 'intake',
        detail: {
          district: form.district,
          custodians: String(form.custodians.length),
          consentBasis: form.consentBasis,
        },
      },
      onceKey: 'submitted',
    },
    // Keys sort like the events happened (a tie in time keeps key order).
    {
      event: { ...bySocialWorker, action: 'child-wish-recorded', phase: 'intake' },
      onceKey: 'submitted-child-wish',
    },
  ]);
  if (!(await store.createReferral(referral))) {
    // A concurrent attempt with the same form stored it a moment ago.
    await deps.workflow.startReferral(referralId);
    return { kind: 'accepted', referralId, repeated: true };
  }
  await deps.workflow.startReferral(referralId);
  appendLogKeys({ referralId });
  deps.metrics.count(METRICS.referralsAccepted);
  deps.log.info('referral accepted', { referralId });
  return { kind: 'accepted', referralId, repeated: false };
}
