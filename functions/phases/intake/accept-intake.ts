/** The workflow's first task: the referral is accepted and the social worker gets the receipt. Each task is safe to run twice: the state machine retries tasks. */
import { renderEmail } from '../../web/emails/render';
import { intakeReceived } from './emails';
import { type Dependencies } from '../../ports';
import { notifyOnce } from '../../kernel/audit';
import { enterPhase, loadOpenReferral, socialWorker } from '../../kernel/referrals';
import { withdrawalLink } from '../../kernel/step-links';

export async function acceptIntake(
  { referralId }: { referralId: string },
  deps: Dependencies,
): Promise<void> {
  const referral = await loadOpenReferral(deps, referralId);
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
  );
}
