/**
 * A custodian's consent: given or refused through the custodian's own link, or, for a custodian without
 * email, recorded by the social worker from a signed paper form (with a reference to it).
 *
 * Paper consent stays in this module rather than one of its own: it answers the same wait (one per
 * custodian, in CollectConsents) with the same effect and the same replay (that custodian's consent,
 * given or refused); only who holds the link differs, and with it the schema (`schema(role)`: a reference
 * to the signed form). A module of its own would need a second step name for that one wait, with its own
 * step record, link purpose, inbox task and clock, and every one of them would have to choose between the
 * two per custodian: more code, and two places for one consent.
 */
import { z } from 'zod';
import { message } from '../../domain/messages';
import { answerText, WORKFLOW_ERRORS } from '../../domain/steps';
import type { HumanStep } from '../../kernel/human-step';
import { consentPage } from './consent-page';
import { consentReminder, consentRequestEmail } from './emails';
import { audit } from '../../kernel/audit';
import { custodianOf, socialWorker } from '../../kernel/referrals';

const byCustodian = z.discriminatedUnion(
  'action',
  [z.object({ action: z.literal('consent') }), z.object({ action: z.literal('refuse') })],
  { error: message({ sv: 'Välj om du samtycker eller inte.', en: 'Choose whether you consent or not.' }) },
);

const paperReference = answerText(
  {
    sv: 'en hänvisning till den underskrivna blanketten, till exempel dokument-id i akten',
    en: 'a reference to the signed form, such as the document id in the case file',
  },
  3,
  100,
);
const onBehalf = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('consent'), paperReference }),
    z.object({ action: z.literal('refuse'), paperReference }),
  ],
  {
    error: message({
      sv: 'Välj om vårdnadshavaren har samtyckt eller inte.',
      en: 'Choose whether the custodian consented or not.',
    }),
  },
);
export type ConsentAnswer = z.infer<typeof byCustodian> | z.infer<typeof onBehalf>;

const given = { kind: 'success', output: { consent: 'given' } } as const;
const refused = { kind: 'failure', error: WORKFLOW_ERRORS.consentRefused, cause: 'consent-refused' } as const;

export const consentStep: HumanStep<ConsentAnswer> = {
  name: 'consent',
  phase: 'consent',
  async recipient(_deps, referral, custodian) {
    const c = custodianOf(referral, custodian);
    return c.email
      ? { role: 'custodian', name: c.name, email: c.email, language: c.language }
      : socialWorker(referral);
  },
  page: consentPage,
  email: { request: consentRequestEmail, reminder: consentReminder },
  answer: {
    schema: (role) => (role === 'social-worker' ? onBehalf : byCustodian),
    async apply(deps, { referral, link }, action, at) {
      const actor = { role: link.recipient.role, name: link.recipient.name };
      const index = referral.custodians.findIndex((c) => c.number === link.custodian);
      const reference = 'paperReference' in action ? action.paperReference : undefined;
      await deps.store.recordCustodianConsent(referral.referralId, index, {
        given: action.action === 'consent',
        at,
        recordedBy: actor,
        paperReference: reference,
      });
      await audit(deps, {
        referralId: referral.referralId,
        at,
        actor,
        action: action.action === 'consent' ? 'consent-given' : 'consent-refused',
        phase: 'consent',
        detail: { custodian: String(link.custodian), ...(reference ? { paperReference: reference } : {}) },
      });
    },
    resolution: (action) => (action.action === 'consent' ? given : refused),
    // An answer counts only when the workflow takes it: take it back, the person is asked again if needed.
    async takeBack(deps, { referral, link }) {
      await deps.store.clearCustodianConsent(
        referral.referralId,
        referral.custodians.findIndex((c) => c.number === link.custodian),
      );
    },
  },
  async recordedAnswer(_deps, referral, link) {
    const answer = referral.custodians.find((c) => c.number === link.custodian)?.consent;
    if (!answer) return undefined;
    return answer.given ? given : refused;
  },
  asksAgainAfter: (referral) => referral.consentRound?.startedAt,
};
