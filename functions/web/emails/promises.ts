/**
 * What the referring social worker is told, and when: one list, from which the receipt writes its promise
 * ("you get an email …") and against which the tests check what is actually sent. Each `id` is the
 * notification id the use case sends it under (`notifyOnce`), so the promise and the sending cannot drift:
 * test/integration/promises.test.ts runs a whole referral and requires every id here, once, and no other
 * email to the social worker besides the receipt itself.
 */
import type { Language } from '../../domain/referral';

export interface SocialWorkerNotification {
  /** The notification id (the key passed to notifyOnce). */
  id: string;
  /** The promise on the receipt: completes "Du får ett mejl …" / "You get an email …". */
  promise: Record<Language, string>;
}

export const SOCIAL_WORKER_NOTIFICATIONS = [
  {
    id: 'screening-approved',
    promise: {
      sv: 'när Bris har godkänt anmälan (ett avslag får du veta i mejlet om att ärendet avslutas)',
      en: 'when Bris approves the referral (a decline is told in the email that the case is closed)',
    },
  },
  {
    id: 'consent-complete',
    promise: {
      sv: 'när samtycket är klart, och på vilken grund: vårdnadshavarnas samtycke, barnets eget samtycke eller socialnämndens beslut',
      en: "when consent is complete, and on what basis: the custodians' consent, the child's own consent or the Social Welfare Committee's decision",
    },
  },
  {
    id: 'placed',
    promise: {
      sv: 'när barnet har fått plats i en grupp, med format (veckogrupp eller stödhelg) och startdatum',
      en: 'when the child has a place in a group, with its format (weekly group or support weekend) and start date',
    },
  },
  {
    id: 'follow-up-summary',
    promise: {
      sv: 'med en sammanfattning efter gruppen: närvaro och om utvärderingen är besvarad',
      en: 'with a summary after the group: attendance and whether the evaluation was answered',
    },
  },
  {
    id: 'closed',
    promise: {
      sv: 'när ärendet avslutas, med utfallet: genomfört, avslaget, utan samtycke, återkallat eller utan grupp',
      en: 'when the case is closed, with its outcome: completed, declined, without consent, withdrawn or without a group',
    },
  },
] as const satisfies readonly SocialWorkerNotification[];

export type SocialWorkerNotificationId = (typeof SOCIAL_WORKER_NOTIFICATIONS)[number]['id'];

/** The receipt's own notification id: the email that makes the promise, not one of the promised. */
export const RECEIPT_NOTIFICATION_ID = 'intake-received';
