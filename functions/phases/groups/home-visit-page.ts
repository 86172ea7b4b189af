/**
 * The group leader's home-visit page: the child proposed for her group, the family home's contact details
 * (to agree a time), and two answers: the visit took place, or the family declined. The coordinator sees
 * the same page from the staff inbox. Swedish or English, as the reader's.
 */
import { childDisplayName } from '../../domain/referral';
import { html } from '../../web/html';
import { page } from '../../web/layout';
import { CONFIRM_HINT, fieldError, type StepPage } from '../../web/pages/step-page';
import { visitTime } from './home-visit-emails';

const SV = {
  title: 'Hembesök före gruppen',
  heading: (id: string) => `Hembesök före gruppen: ${id}`,
  facts: (child: string, age: number, district: string, group: string) =>
    `${child}, ${age} år, ${district}, är föreslagen till ${group}.`,
  why: 'Bris träffar alltid barnet i familjehemmet innan gruppen börjar, så att barnet vet vad gruppen är och Bris förstår barnets situation. Barnets plats bekräftas först när besöket är registrerat.',
  contact: 'Familjehemmet',
  done: 'Besöket är gjort',
  doneHint: 'Platsen bekräftas och familjehemmet får gruppens schema.',
  declined: 'Familjen tackade nej till besöket',
  declinedHint:
    'Barnet lämnar gruppen och ärendet avslutas; platsen går till nästa barn som väntar och socialsekreteraren får veta det.',
  agreed: (t: string) => `Familjehemmet har valt tiden ${t}.`,
  otherTimes: 'Familjehemmet kunde inte någon av tiderna och ber om andra.',
  offered: 'Erbjudna tider, familjen har inte valt än:',
  offerHeading: 'Erbjud familjehemmet tider',
  offerHint:
    'Två eller tre tider. Familjehemmet får ett mejl med tiderna och väljer en, eller ber om andra; du får ett mejl med svaret. Ett nytt erbjudande ersätter det förra.',
  time: (n: number) => `Tid ${n}${n === 3 ? ' (frivillig)' : ''}`,
  offer: 'Skicka tiderna till familjehemmet',
};

const EN: typeof SV = {
  title: 'Home visit before the group',
  heading: (id: string) => `Home visit before the group: ${id}`,
  facts: (child: string, age: number, district: string, group: string) =>
    `${child}, ${age} years, ${district}, is proposed for ${group}.`,
  why: "Bris always meets the child in the family home before the group starts, so that the child knows what the group is and Bris understands the child's situation. The child's seat is confirmed only when the visit is recorded.",
  contact: 'The family home',
  done: 'The visit took place',
  doneHint: 'The seat is confirmed and the family home gets the group’s schedule.',
  declined: 'The family declined the visit',
  declinedHint:
    'The child leaves the group and the referral closes; the seat goes to the next child waiting and the social worker is told.',
  agreed: (t: string) => `The family home chose ${t}.`,
  otherTimes: 'The family home could not make any of the times and asks for others.',
  offered: 'Times offered, not chosen yet:',
  offerHeading: 'Offer the family home times',
  offerHint:
    'Two or three times. The family home gets an email with the times and chooses one, or asks for others; you get an email with the answer. A new offer replaces the last.',
  time: (n: number) => `Time ${n}${n === 3 ? ' (optional)' : ''}`,
  offer: 'Send the times to the family home',
};

export const homeVisitPage: StepPage = ({ view, action, top, errors, lang }) => {
  const t = lang === 'en' ? EN : SV;
  const { referral } = view;
  const child = childDisplayName(referral, lang);
  const visit = referral.homeVisit;
  const state = visit?.agreedTime
    ? html`<p>${t.agreed(visitTime(visit.agreedTime, lang))}</p>`
    : visit?.otherTimesAskedAt
      ? html`<p>${t.otherTimes}</p>`
      : visit?.offeredTimes?.length
        ? html`<p>${t.offered}</p>
            <ul>
              ${visit.offeredTimes.map((o) => html`<li>${visitTime(o, lang)}</li>`)}
            </ul>`
        : '';
  const timeField = (n: number) => {
    const name = `time${n}`;
    return html`<label for="${name}">${t.time(n)}</label>
      ${fieldError(errors, name)}
      <input
        type="datetime-local"
        id="${name}"
        name="${name}"
        ${n < 3 ? 'required' : ''}
        ${errors[name] ? html`aria-invalid="true" aria-describedby="${name}-error"` : ''}
      />`;
  };
  return page({
    title: t.title,
    lang,
    body: html`<h1>${t.heading(referral.referralId)}</h1>
      ${top}
      <p>${t.facts(child, referral.child.ageAtReferral, referral.district, referral.group?.name ?? '')}</p>
      <p>${t.why}</p>
      <h2>${t.contact}</h2>
      <p>${referral.carer.name}, <a href="mailto:${referral.carer.email}">${referral.carer.email}</a></p>
      ${state}
      <p class="hint">${CONFIRM_HINT[lang]}</p>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="visit-done" />
        <p class="hint" id="visit-done-hint">${t.doneHint}</p>
        <button type="submit" aria-describedby="visit-done-hint">${t.done}</button>
      </form>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="family-declined" />
        <p class="hint" id="family-declined-hint">${t.declinedHint}</p>
        <button type="submit" class="secondary" aria-describedby="family-declined-hint">${t.declined}</button>
      </form>
      <h2>${t.offerHeading}</h2>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="offer-times" />
        <p class="hint">${t.offerHint}</p>
        ${timeField(1)} ${timeField(2)} ${timeField(3)}
        <button type="submit" class="secondary">${t.offer}</button>
      </form>`,
  });
};
