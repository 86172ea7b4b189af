/**
 * The family home's answer to the times the group leader offered for her home visit: one of them, or a
 * request for other times. Either way the leader is asked anew with where the visit stands (a new link of
 * her home-visit step, bound to the same waiting task): to visit at the chosen time and record it, or to
 * offer other times. A new offer makes a new link; an older one's answer changes nothing once the visit is
 * recorded (the link is open only while the referral is being assigned to its group).
 */
import * as z from 'zod/mini';
import { message } from '../../domain/messages';
import { childDisplayName } from '../../domain/referral';
import { audit } from '../../kernel/audit';
import type { LinkAction } from '../../kernel/link-module';
import { html } from '../../web/html';
import { page } from '../../web/layout';
import { CONFIRM_HINT, fieldError, type StepPage } from '../../web/pages/step-page';
import { visitTime } from './home-visit-emails';
import { askLeaderAnew } from './home-visit-step';

const CHOOSE = message({
  sv: 'Välj en av tiderna, eller be om andra tider.',
  en: 'Choose one of the times, or ask for other times.',
});

const homeVisitTimePage: StepPage = ({ view, action, top, errors, lang }) => {
  const en = lang === 'en';
  const times = view.referral.homeVisit?.offeredTimes ?? [];
  const child = childDisplayName(view.referral, lang);
  return page({
    title: en ? 'A time for the home visit' : 'En tid för hembesöket',
    lang,
    body: html`<h1>${en ? 'A time for the home visit' : 'En tid för hembesöket'}</h1>
      ${top}
      <p>
        ${en ? `Before the group starts, the group leader from Bris visits you at home to meet ${child}.` : `Innan gruppen börjar kommer gruppledaren från Bris hem till er och träffar ${child}.`}
      </p>
      <p class="hint">${CONFIRM_HINT[lang]}</p>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="choose-time" />
        <fieldset ${errors.time ? html`aria-describedby="time-error"` : ''}>
          <legend>${en ? 'Which time suits you?' : 'Vilken tid passar er?'}</legend>
          ${fieldError(errors, 'time')}
          ${times.map(
            (t, i) =>
              html`<div>
                <input
                  type="radio"
                  id="time-${i + 1}"
                  name="time"
                  value="${t}"
                  ${i === 0 ? 'required' : ''}
                />
                <label for="time-${i + 1}">${visitTime(t, lang)}</label>
              </div>`,
          )}
        </fieldset>
        <button type="submit">${en ? 'Choose this time' : 'Välj tiden'}</button>
      </form>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="other-times" />
        <button type="submit" class="secondary">
          ${en ? 'None of these suit us: ask for other times' : 'Ingen tid passar: be om andra tider'}
        </button>
      </form>`,
  });
};

type TimeAnswer = { action: 'choose-time'; time: string } | { action: 'other-times' };

export const homeVisitTimeLink: LinkAction<TimeAnswer> = {
  purpose: 'home-visit-time',
  answeredBy: ['carer'],
  phase: 'group-assignment',
  page: homeVisitTimePage,
  answer: {
    schema: (view) => {
      const times = view.referral.homeVisit?.offeredTimes ?? [];
      return z.discriminatedUnion(
        'action',
        [
          z.object({
            action: z.literal('choose-time'),
            time: z.string({ error: CHOOSE }).check(z.refine((t) => times.includes(t), { error: CHOOSE })),
          }),
          z.object({ action: z.literal('other-times') }),
        ],
        { error: CHOOSE },
      ) as z.ZodMiniType<TimeAnswer>;
    },
    async apply(deps, { referral, link }, action, at) {
      // The visit is recorded already: a late answer changes nothing.
      if (referral.homeVisit?.outcome) return 'no-longer-open';
      const offeredTimes = referral.homeVisit?.offeredTimes;
      const homeVisit =
        action.action === 'choose-time'
          ? { offeredTimes, agreedTime: action.time }
          : { offeredTimes, otherTimesAskedAt: at };
      await deps.store.updateReferral(referral.referralId, { homeVisit, updatedAt: at });
      await audit(deps, {
        referralId: referral.referralId,
        at,
        actor: { role: link.recipient.role, name: link.recipient.name },
        action: action.action === 'choose-time' ? 'home-visit-time-chosen' : 'home-visit-other-times-asked',
        phase: 'group-assignment',
      });
      const record = await deps.store.getStep(referral.referralId, 'home-visit');
      const current = record && (await deps.store.getLink(record.linkHash));
      await askLeaderAnew(
        deps,
        { ...referral, homeVisit },
        current?.status === 'open' ? current.taskToken : '',
        `${action.action}-${at}`,
      );
      return 'done';
    },
  },
  // No renewal: the leader offers new times when the family asks for them.
};
