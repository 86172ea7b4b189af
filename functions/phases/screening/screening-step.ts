/**
 * Screening: the coordinator approves the referral (noting a need the group must respect), declines it, or
 * asks the social worker for more information (the `information-request` step), after which she is asked
 * again, with the question and the answer on her page.
 */
import * as z from 'zod/mini';
import { onFirstUse } from '../../shared/on-first-use';
import {
  INFORMATION_ITEMS,
  latestInformationRequest,
  MAX_INFORMATION_REQUESTS,
  type InformationItem,
  type InformationRequest,
} from '../../domain/information-request';
import { message } from '../../domain/messages';
import { answerText, WORKFLOW_ERRORS } from '../../domain/steps';
import { audit } from '../../kernel/audit';
import type { HumanStep } from '../../kernel/human-step';
import { screeningRequestEmail } from './information-request-emails';
import { aboveTheCoordinator, coordinatorRecipient, partnershipOf } from '../../kernel/referrals';

const TICK_OR_LEAVE = message({
  sv: 'Kryssa i rutan eller lämna den tom.',
  en: 'Tick the box or leave it empty.',
});
const ticked = () => z.optional(z.literal('on', { error: TICK_OR_LEAVE }));
const itemFields = () =>
  Object.fromEntries(INFORMATION_ITEMS.map((i) => [`item-${i}`, ticked()])) as Record<
    `item-${InformationItem}`,
    ReturnType<typeof ticked>
  >;
/** An empty optional text field is no text. */
const blankIsAbsent = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const screeningAnswer = onFirstUse(() =>
  z.discriminatedUnion(
    'action',
    [
      z.object({
        action: z.literal('approve'),
        // A need recorded at screening that the group format must respect.
        noWeekdays: ticked(),
      }),
      z.object({
        action: z.literal('decline'),
        reason: answerText({ sv: 'ett skäl till beslutet', en: 'a reason for the decision' }),
      }),
      z
        .object({
          action: z.literal('request-information'),
          ...itemFields(),
          note: z.pipe(
            z.transform(blankIsAbsent),
            z.optional(
              answerText({
                sv: 'en kommentar till socialsekreteraren',
                en: 'a note to the social worker',
              }),
            ),
          ),
        })
        .check(
          z.superRefine((v, ctx) => {
            if (!INFORMATION_ITEMS.some((i) => v[`item-${i}`]))
              ctx.addIssue({
                code: 'custom',
                path: ['items'],
                message: message({
                  sv: 'Kryssa i minst en uppgift som saknas.',
                  en: 'Tick at least one thing that is missing.',
                }),
              });
          }),
        ),
    ],
    {
      error: message({
        sv: 'Välj om anmälan godkänns, avslås eller behöver kompletteras.',
        en: 'Choose whether the referral is approved, declined or needs more information.',
      }),
    },
  ),
);
export type ScreeningAnswer = z.infer<ReturnType<typeof screeningAnswer>>;

const REQUEST_LIMIT = message({
  sv: `Komplettering har redan begärts ${MAX_INFORMATION_REQUESTS} gånger för den här anmälan, vilket är det mesta. Godkänn eller avslå anmälan med de uppgifter som finns.`,
  en: `More information has already been requested ${MAX_INFORMATION_REQUESTS} times for this referral, which is the most. Approve or decline the referral as it stands.`,
});

const approved = { kind: 'success', output: { decision: 'approved' } } as const;
const declined = {
  kind: 'failure',
  error: WORKFLOW_ERRORS.declined,
  cause: 'declined-at-screening',
} as const;
/** The state machine runs the information request, then screening again. */
const informationRequested = { kind: 'success', output: { decision: 'information-requested' } } as const;

export const screeningStep: HumanStep<ScreeningAnswer> = {
  name: 'screening',
  phase: 'screening',
  recipient: (deps, referral) => coordinatorRecipient(deps, referral),
  email: { request: screeningRequestEmail },
  answer: {
    schema: () => screeningAnswer(),
    check(_deps, { referral }, action) {
      if (
        action.action === 'request-information' &&
        (referral.informationRequests?.length ?? 0) >= MAX_INFORMATION_REQUESTS
      )
        return { items: REQUEST_LIMIT };
      return undefined;
    },
    async apply(deps, { referral, link }, action, at) {
      if (action.action === 'request-information') {
        const requests = referral.informationRequests ?? [];
        const items = INFORMATION_ITEMS.filter((i) => action[`item-${i}`] === 'on');
        const request: InformationRequest = {
          number: requests.length + 1,
          items,
          note: action.note,
          requestedAt: at,
          requestedBy: { role: link.recipient.role, name: link.recipient.name },
        };
        await deps.store.updateReferral(referral.referralId, {
          informationRequests: [...requests, request],
          updatedAt: at,
        });
        await audit(deps, {
          referralId: referral.referralId,
          at,
          actor: request.requestedBy,
          action: 'information-requested',
          phase: 'screening',
          // Codes of the closed list only: the note is free text, and stays on the referral.
          detail: { items: items.join(','), round: String(request.number) },
        });
        return;
      }
      await deps.store.updateReferral(referral.referralId, {
        screening: {
          decision: action.action === 'approve' ? 'approved' : 'declined',
          reason: action.action === 'decline' ? action.reason : undefined,
          at,
        },
        needs: action.action === 'approve' && action.noWeekdays ? { noWeekdays: true } : undefined,
        updatedAt: at,
      });
    },
    resolution: (action) =>
      action.action === 'approve' ? approved : action.action === 'decline' ? declined : informationRequested,
    // The workflow did not take the answer: a request it will not run is not recorded (asked again, it is).
    async takeBack(deps, { referral }) {
      await deps.store.updateReferral(referral.referralId, {
        informationRequests: referral.informationRequests ?? [],
        updatedAt: deps.clock.now().toISOString(),
      });
    },
  },
  // Silence: the coordinator is reminded, then Bris's other coordinators are asked (they can screen, from
  // the staff pages), or where there are none the partnership's follow-up is told; at the deadline the
  // referral closes as not screened, and the social worker may refer again.
  timing: {
    step: 'screening',
    escalateTo: async (deps, referral) => aboveTheCoordinator(await partnershipOf(deps, referral)),
  },
  // Once an information request has ended, screening is asked anew: a new link, and its clock starts again.
  asksAgainAfter: (referral) => latestInformationRequest(referral)?.closedAt,
  async recordedAnswer(_deps, referral) {
    if (referral.screening) return referral.screening.decision === 'approved' ? approved : declined;
    // A request still open was this round's answer; one that has ended was an earlier round's.
    const request = latestInformationRequest(referral);
    return request && !request.outcome ? informationRequested : undefined;
  },
};
