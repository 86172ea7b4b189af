/** The workflow's first task: the referral is accepted and the social worker gets the receipt. Each task is safe to run twice: the state machine retries tasks. */
import { renderEmail } from '../../web/emails/render';
import { intakeReceived } from './emails';
import { type Dependencies } from '../../ports';
import { notificationMarker, notifyOnce } from '../../kernel/audit';
import { enterPhase, loadOpenReferralNotified, socialWorker } from '../../kernel/referrals';
import { withdrawalLink } from '../../kernel/step-links';

export async function acceptIntake(
  { referralId }: { referralId: string },
  deps: Dependencies,
): Promise<void> {
  // Whether the receipt went out, read with the referral (one request, not two).
  const {
    referral,
    notified: [received],
  } = await loadOpenReferralNotified(deps, referralId, [notificationMarker('intake-received', true)]);
  await enterPhase(deps, referral, 'intake');
  await notifyOnce(
    deps,
    referralId,
    'intake-received',
    async () => {
      const withdraw = await withdrawalLink(deps, referral, socialWorker(referral));
      await deps.email.send(
        renderEmail(
          referral.socialWorker.email,
          intakeReceived(referral, socialWorker(referral), withdraw),
          deps.config.publicBaseUrl,
        ),
      );
    },
    { actor: { role: 'system' }, action: 'intake-accepted', phase: 'intake' },
    { sent: received },
  );
}
