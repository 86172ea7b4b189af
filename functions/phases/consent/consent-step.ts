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
import * as z from 'zod/mini';
import { message } from '../../domain/messages';
import { onFirstUse } from '../../shared/on-first-use';
import { answerText, WORKFLOW_ERRORS } from '../../domain/steps';
import type { AnswerFirst, HumanStep } from '../../kernel/human-step';
import { applyFirst } from '../../kernel/step-answers';
import type { Dependencies, LinkRecord } from '../../ports';
import type { Referral } from '../../domain/referral';
import { consentReminder, consentRequestEmail } from './emails';
import { audit } from '../../kernel/audit';
import { custodianOf, loadReferral, socialWorker } from '../../kernel/referrals';
import { email as emailAddress } from '../../domain/referral-form';
import { custodianReachable, undeliverableKey } from '../../domain/referral';
import { issueStepLink } from '../../kernel/step-links';

const SAME_ADDRESS = message({
  sv: 'Det är samma adress som inte fungerade. Skriv en annan adress eller registrera svaret från blanketten.',
  en: 'That is the address that did not work. Write another address or record the answer from the form.',
});

// Built on first use: a schema built at import adds to every cold start of the functions that bundle it.
const byCustodian = onFirstUse(() =>
  z.discriminatedUnion(
    'action',
    [z.object({ action: z.literal('consent') }), z.object({ action: z.literal('refuse') })],
    { error: message({ sv: 'Välj om du samtycker eller inte.', en: 'Choose whether you consent or not.' }) },
  ),
);

const paperReference = onFirstUse(() =>
  answerText(
    {
      sv: 'en hänvisning till den underskrivna blanketten, till exempel dokument-id i akten',
      en: 'a reference to the signed form, such as the document id in the case file',
    },
    3,
    100,
  ),
);
const onBehalf = onFirstUse(() =>
  z.discriminatedUnion(
    'action',
    [
      z.object({ action: z.literal('consent'), paperReference: paperReference() }),
      z.object({ action: z.literal('refuse'), paperReference: paperReference() }),
      // The custodian's email came back: another address, checked as the referral form checks it.
      z.object({
        action: z.literal('new-address'),
        email: emailAddress('vårdnadshavarens nya e-postadress'),
      }),
    ],
    {
      error: message({
        sv: 'Välj om vårdnadshavaren har samtyckt eller inte.',
        en: 'Choose whether the custodian consented or not.',
      }),
    },
  ),
);
export type ConsentAnswer = z.infer<ReturnType<typeof byCustodian>> | z.infer<ReturnType<typeof onBehalf>>;

const given = { kind: 'success', output: { consent: 'given' } } as const;
const refused = { kind: 'failure', error: WORKFLOW_ERRORS.consentRefused, cause: 'consent-refused' } as const;

/**
 * A custodian's consent or refusal is recorded before the link is used: once per custodian (the record is
 * conditional), so a second or racing answer changes nothing, and a process dying before the link is used
 * keeps it. A new address is no answer of the wait's: it is applied after the link's guard.
 */
const consentFirst: AnswerFirst<ConsentAnswer> = {
  takes: (action) => action.action !== 'new-address',
  record(deps, { referral, link }, action, at) {
    return deps.store.recordCustodianConsent(
      referral.referralId,
      referral.custodians.findIndex((c) => c.number === link.custodian),
      {
        given: action.action === 'consent',
        at,
        recordedBy: { role: link.recipient.role, name: link.recipient.name },
        paperReference: 'paperReference' in action ? action.paperReference : undefined,
      },
    );
  },
  recorded({ referral, link }) {
    const consent = referral.custodians.find((c) => c.number === link.custodian)?.consent;
    // Only an answer given since this link was made can be its own.
    if (!consent || consent.at < link.createdAt) return undefined;
    const { paperReference } = consent;
    const action = (
      paperReference
        ? { action: consent.given ? 'consent' : 'refuse', paperReference }
        : { action: consent.given ? 'consent' : 'refuse' }
    ) as ConsentAnswer;
    return { action, at: consent.at, by: consent.recordedBy };
  },
  event({ referral, link }, { action, at, by }) {
    const reference = 'paperReference' in action ? action.paperReference : undefined;
    return {
      event: {
        referralId: referral.referralId,
        at,
        actor: by,
        action: action.action === 'consent' ? 'consent-given' : 'consent-refused',
        phase: 'consent',
        detail: { custodian: String(link.custodian), ...(reference ? { paperReference: reference } : {}) },
      },
      // One event per answer recorded (its instant names it), however often a cut-off answer is finished.
      onceKey: `consent-answer-${link.custodian}-${at}`,
    };
  },
};

export const consentStep: HumanStep<ConsentAnswer> = {
  name: 'consent',
  phase: 'consent',
  async recipient(_deps, referral, custodian) {
    const c = custodianOf(referral, custodian);
    // No address, or email to it came back: the social worker gives another address or uses the paper form.
    return custodianReachable(referral, c)
      ? { role: 'custodian', name: c.name, email: c.email, language: c.language }
      : socialWorker(referral);
  },
  email: { request: consentRequestEmail, reminder: consentReminder },
  answer: {
    schema: (role) => (role === 'social-worker' ? onBehalf() : byCustodian()),
    check(_deps, { referral, link }, action) {
      if (action.action !== 'new-address') return undefined;
      const before = referral.custodians.find((c) => c.number === link.custodian)?.email;
      return before?.toLowerCase() === action.email.toLowerCase() ? { email: SAME_ADDRESS } : undefined;
    },
    async apply(deps, step, action, at) {
      if (action.action !== 'new-address') return applyFirst(deps, consentFirst, step, action, at);
      const { referral, link } = step;
      const index = referral.custodians.findIndex((c) => c.number === link.custodian);
      await askCustodianAtNewAddress(deps, referral, link, index, action.email, at);
    },
    first: consentFirst,
    resolution: (action) =>
      action.action === 'new-address'
        ? { kind: 'asked-anew' }
        : action.action === 'consent'
          ? given
          : refused,
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

/**
 * The social worker gave another address for a custodian whose email came back: it replaces the old one,
 * the mark goes, and the custodian is asked anew with a fresh link, bound to the same waiting task (the
 * wait and its clock go on; the social worker's link is used).
 */
async function askCustodianAtNewAddress(
  deps: Dependencies,
  referral: Referral,
  link: LinkRecord,
  index: number,
  email: string,
  at: string,
): Promise<void> {
  const { referralId } = referral;
  const number = link.custodian!;
  await deps.store.setCustodianEmail(referralId, index, email);
  const { [undeliverableKey('custodian', number)]: _replaced, ...others } = referral.undeliverable ?? {};
  await deps.store.updateReferral(referralId, { undeliverable: others, updatedAt: at });
  await audit(deps, {
    referralId,
    at,
    actor: { role: link.recipient.role, name: link.recipient.name },
    action: 'custodian-email-replaced',
    phase: 'consent',
    detail: { custodian: String(number) },
  });
  const updated = await loadReferral(deps, referralId);
  await issueStepLink(
    deps,
    updated,
    consentStep,
    await consentStep.recipient(deps, updated, number),
    link.taskToken,
    'request',
    number,
    // Its own entry, named after the used link: a repeat of this answer finds the email sent.
    `new-address-${link.linkHash.slice(0, 16)}`,
  );
}
