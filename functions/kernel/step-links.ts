/** A step's links: who answers it, and the link that is made and mailed for it. Each task is safe to run twice: the state machine retries tasks. */
import { type Referral } from '../domain/referral';
import { type LinkPurpose } from '../domain/steps';
import { renderEmail } from '../web/emails/render';
import { stepReminder } from '../web/emails/templates';
import type { HumanStep } from './human-step';
import { type Dependencies, type LinkRecord } from '../ports';
import { mailStepLinkOnce, newLink, type LinkMaker, type StepEntryTarget } from './step-outbox';

export { newLink } from './step-outbox';
import { type Recipient, custodianOf, partnershipOf } from './referrals';

export async function putLink(
  deps: Dependencies,
  referral: Referral,
  step: LinkPurpose,
  recipient: Recipient,
  taskToken: string,
  ttlDays: number,
  custodian?: number,
  extra: Partial<Pick<LinkRecord, 'round' | 'respondent'>> = {},
  make: LinkMaker = (fields, days) => newLink(deps, fields, days),
): Promise<{ link: LinkRecord; url: string }> {
  return make({ referralId: referral.referralId, step, custodian, recipient, taskToken, ...extra }, ttlDays);
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
  make?: LinkMaker,
): Promise<string> {
  return (await putLink(deps, referral, 'withdrawal', recipient, '', 400, custodian, {}, make)).url;
}

export type StepEmailKind = 'request' | 'reminder' | 'renewed';

/**
 * Creates a link for the step and mails it; used when a step is entered, for reminders and for renewals.
 * Once per step entry, and a repeat after a crash carries the same link (see step-outbox).
 */
export async function issueStepLink(
  deps: Dependencies,
  referral: Referral,
  module: HumanStep,
  recipient: Recipient,
  taskToken: string,
  kind: StepEmailKind,
  custodian?: number,
  entry?: string,
  {
    newRound = false,
    known,
    sentEvent,
    beforeSend,
  }: Pick<StepEntryTarget, 'newRound' | 'known' | 'sentEvent' | 'beforeSend'> = {},
): Promise<LinkRecord> {
  const step = module.name;
  const email = module.email;
  if (!email) throw new Error(`Step ${step} sends no email`);
  const partnership = await partnershipOf(deps, referral);
  return mailStepLinkOnce(
    deps,
    {
      ownerId: referral.referralId,
      step,
      slot: custodian,
      taskToken,
      kind,
      entry,
      newRound,
      known,
      sentEvent,
      beforeSend,
    },
    // The step's link and, for a custodian, a withdrawal link: made together, so that a new entry stores
    // both with its record in one request.
    async (make) => {
      const made = await putLink(
        deps,
        referral,
        step,
        recipient,
        taskToken,
        deps.config.linkTtlDays,
        custodian,
        {},
        make,
      );
      const withdraw =
        recipient.role === 'custodian'
          ? await withdrawalLink(deps, referral, recipient, custodian, make)
          : undefined;
      return { ...made, withdraw };
    },
    async (link, url, asKind, { withdraw }) => {
      // A custodian's step sent to the social worker is answered on paper, on that custodian's behalf.
      const paperFor =
        custodian && recipient.role === 'social-worker' ? custodianOf(referral, custodian) : undefined;
      // Her address came back: the social worker may give another one instead of the paper form.
      const forCustodian = paperFor && { ...paperFor, emailBounced: !!paperFor.email };
      const options = { renewed: asKind === 'renewed', withdraw, forCustodian, partnership };
      const content =
        asKind !== 'reminder'
          ? email.request(referral, recipient, url, link.expiresAt, options)
          : email.reminder
            ? email.reminder(referral, recipient, url, link.expiresAt, options)
            : stepReminder(email.request(referral, recipient, url, link.expiresAt, options));
      await deps.email.send(renderEmail(recipient.email, content, deps.config.publicBaseUrl));
    },
  );
}
