/**
 * Consent escalation: when a custodian stays silent past the deadline, the social worker chooses to
 * extend the round, to record the committee's decision (FB 6:13 a), or to close the referral.
 */
import * as z from 'zod/mini';
import { onFirstUse } from '../../shared/on-first-use';
import { committeeDecisionBasis, newConsentRound } from '../../domain/consent';
import { message } from '../../domain/messages';
import { answerText } from '../../domain/steps';
import { isIsoCalendarDate, stockholmDate } from '../../domain/stockholm-dates';
import { audit } from '../../kernel/audit';
import type { HumanStep } from '../../kernel/human-step';
import { escalationRequest } from './emails';
import { partnershipOf, socialWorker } from '../../kernel/referrals';

const DECISION_DATE_FORMAT = message({
  sv: 'Skriv beslutsdatum som ÅÅÅÅ-MM-DD.',
  en: 'Write the date of the decision as YYYY-MM-DD.',
});
const isoDate = () =>
  z.string({ error: DECISION_DATE_FORMAT }).check(
    z.trim(),
    z.regex(/^\d{4}-\d{2}-\d{2}$/, { error: DECISION_DATE_FORMAT }),
    z.refine((d) => isIsoCalendarDate(d), {
      error: message({
        sv: 'Beslutsdatumet finns inte i kalendern.',
        en: 'The date of the decision does not exist in the calendar.',
      }),
    }),
  );

const escalationAnswer = onFirstUse(() =>
  z.discriminatedUnion(
    'action',
    [
      z.object({ action: z.literal('extend') }),
      z.object({
        action: z.literal('committee-decision'),
        decisionDate: isoDate(),
        caseReference: answerText({ sv: 'beslutets diarienummer', en: "the decision's case number" }, 3, 60),
      }),
      z.object({ action: z.literal('close') }),
    ],
    {
      error: message({
        sv: 'Välj vad som ska hända med anmälan.',
        en: 'Choose what is to happen to the referral.',
      }),
    },
  ),
);
const DECISION_IN_FUTURE = message({
  sv: 'Beslutsdatumet kan inte ligga i framtiden.',
  en: 'The date of the decision cannot be in the future.',
});
export type EscalationAnswer = z.infer<ReturnType<typeof escalationAnswer>>;

export const escalationStep: HumanStep<EscalationAnswer> = {
  name: 'consent-escalation',
  phase: 'consent',
  recipient: async (_deps, referral) => socialWorker(referral),
  email: { request: escalationRequest },
  answer: {
    schema: () => escalationAnswer(),
    check(deps, _step, action) {
      const today = stockholmDate(deps.clock.now());
      if (action.action === 'committee-decision' && action.decisionDate > today)
        return { decisionDate: DECISION_IN_FUTURE };
      return undefined;
    },
    async apply(deps, { referral, link }, action, at) {
      const referralId = referral.referralId;
      const actor = { role: link.recipient.role, name: link.recipient.name };
      switch (action.action) {
        case 'extend': {
          const partnership = await partnershipOf(deps, referral);
          const round = newConsentRound(
            (referral.consentRound?.number ?? 1) + 1,
            deps.clock.now(),
            partnership.consent,
            partnership.consent.extensionDays,
          );
          for (const [i, c] of referral.custodians.entries())
            if (!c.consent) await deps.store.setCustodianReminders(referralId, i, 0);
          await deps.store.updateReferral(referralId, { consentRound: round, updatedAt: at });
          await audit(deps, {
            referralId,
            at,
            actor,
            action: 'consent-deadline-extended',
            phase: 'consent',
            detail: { round: String(round.number), deadline: round.deadlineAt },
          });
          return;
        }
        case 'committee-decision': {
          const basis = committeeDecisionBasis(await partnershipOf(deps, referral), action, actor, at);
          await deps.store.updateReferral(referralId, { legalBasis: basis, updatedAt: at });
          await audit(deps, {
            referralId,
            at,
            actor,
            action: 'legal-basis-recorded',
            phase: 'consent',
            detail: {
              basis: basis.kind,
              caseReference: action.caseReference,
              decisionDate: action.decisionDate,
            },
          });
          return;
        }
        case 'close':
          await audit(deps, { referralId, at, actor, action: 'consent-escalation-closed', phase: 'consent' });
          return;
      }
    },
    resolution: (action) => ({ kind: 'success', output: { choice: action.action } }),
  },
  // Silence: the social worker is reminded, then Bris's coordinator is told; at the deadline consent was
  // not obtained and the referral closes so.
  timing: {
    step: 'consent-escalation',
    async escalateTo(deps, referral) {
      return [{ ...(await partnershipOf(deps, referral)).coordinator, role: 'coordinator' }];
    },
  },
  async recordedAnswer(_deps, _referral, link) {
    return link.usedAction ? { kind: 'success', output: { choice: link.usedAction } } : undefined;
  },
};
