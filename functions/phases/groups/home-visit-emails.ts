/**
 * The home visit's emails: the request to the group leader (a reminder is the request with a note) and the
 * overdue notice to the coordinator. They name the referral, the child's age and district, never the
 * carer's details or anything typed: the leader reads those on the link's page.
 */
import { childDisplayName, type Language, type Referral } from '../../domain/referral';
import { clockTime, weekdayDate } from '../../domain/stockholm-dates';
import type { StepOverdueEmail } from '../../kernel/human-step';
import type { EmailContent } from '../../web/emails/render';
import {
  fullDate,
  greeting,
  referenceLine,
  requestParts,
  type EmailReferral,
  type StepRequestEmail,
} from '../../web/emails/templates';

type WithVisit = EmailReferral & Pick<Partial<Referral>, 'homeVisit'>;

/** Where the visit stands, in the leader's request (asked anew after times were offered or answered). */
function visitState(r: WithVisit, lang: Language): string[] {
  const v = r.homeVisit;
  const sv = lang !== 'en';
  if (v?.agreedTime)
    return [
      sv
        ? `Familjehemmet har valt tiden ${visitTime(v.agreedTime, 'sv')} för hembesöket. Registrera besöket med länken när det är gjort.`
        : `The family home chose ${visitTime(v.agreedTime, 'en')} for the home visit. Record the visit with the link when it has taken place.`,
    ];
  if (v?.otherTimesAskedAt)
    return [
      sv
        ? 'Familjehemmet kunde inte någon av tiderna du erbjöd och ber om andra. Erbjud nya tider med länken.'
        : 'The family home could not make any of the times you offered and asks for others. Offer new times with the link.',
    ];
  if (v?.offeredTimes?.length)
    return [
      sv
        ? `Du har erbjudit familjehemmet ${v.offeredTimes.length} tider. Du får ett mejl när familjen har valt; du kan också registrera besöket med länken.`
        : `You offered the family home ${v.offeredTimes.length} times. You get an email when the family has chosen; you can also record the visit with the link.`,
    ];
  return [];
}

/** To the group leader: visit the family home of a child proposed for a group, then record how it went. */
export const homeVisitRequest: StepRequestEmail = (r: WithVisit, to, url, expiresAt, o) => {
  const { until, renewedNote } = requestParts(to.language, expiresAt, o?.renewed);
  const state = visitState(r, to.language);
  return to.language === 'en'
    ? {
        template: 'home-visit-request',
        language: 'en',
        subject: `Home visit before the group: referral ${r.referralId}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          ...renewedNote,
          ...state,
          `A child (referral ${r.referralId}, ${r.child.ageAtReferral} years, ${r.district}) is proposed for your group. Bris meets every child in the family home before the group starts.`,
          "Open the link to offer the family home two or three times (they choose one by email), or for their contact details. When you have visited, record it there, or that the family declined. The child's seat is confirmed when the visit is recorded.",
        ],
        action: { label: 'Record the home visit', url },
        after: [until],
      }
    : {
        template: 'home-visit-request',
        language: 'sv',
        subject: `Hembesök före gruppen: ärende ${r.referralId}`,
        greeting: greeting(to.name),
        paragraphs: [
          ...renewedNote,
          ...state,
          `Ett barn (ärende ${r.referralId}, ${r.child.ageAtReferral} år, ${r.district}) är föreslaget till din grupp. Bris träffar alltid barnet i familjehemmet innan gruppen börjar.`,
          'Öppna länken för att erbjuda familjehemmet två eller tre tider (de väljer en via e-post), eller för familjehemmets kontaktuppgifter. När du har gjort besöket registrerar du det där, eller att familjen tackade nej. Barnets plats bekräftas när besöket är registrerat.',
        ],
        action: { label: 'Registrera hembesöket', url },
        after: [until],
      };
};

/**
 * To the coordinator, in her language, when the leader has not recorded the visit despite reminders: she
 * may record it.
 */
export const homeVisitOverdue: StepOverdueEmail = (r, to, o) => {
  const lang = to.language ?? 'sv';
  return lang === 'en'
    ? {
        template: 'home-visit-overdue',
        language: 'en',
        subject: `Overdue: home visit in referral ${r.referralId}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `The group leader has not recorded the home visit in referral ${r.referralId}, asked for on ${fullDate(o.since, 'en')}, despite reminders.`,
          'You can record the visit, or that the family declined it: sign in and choose the task under My tasks.',
          `If the visit is not recorded by ${fullDate(o.deadline, 'en')}, the child leaves the group, the place goes to the next child who waits, and the referral closes without a home visit.`,
        ],
        action: { label: 'Open the referral', url: o.staffUrl },
        after: [referenceLine(r.referralId, 'en')],
      }
    : {
        template: 'home-visit-overdue',
        language: 'sv',
        subject: `Försenat: hembesök i ärende ${r.referralId}`,
        greeting: greeting(to.name),
        paragraphs: [
          `Gruppledaren har inte registrerat hembesöket i ärende ${r.referralId}, som begärdes ${fullDate(o.since, 'sv')}, trots påminnelser.`,
          'Du kan registrera besöket, eller att familjen tackade nej: logga in och välj uppgiften under Mina uppgifter.',
          `Är besöket inte registrerat ${fullDate(o.deadline, 'sv')} lämnar barnet gruppen, platsen går till nästa barn som väntar och ärendet avslutas utan hembesök.`,
        ],
        action: { label: 'Öppna ärendet', url: o.staffUrl },
        after: [referenceLine(r.referralId, 'sv')],
      };
};

/** A visit time as the emails and pages write it: "tisdag 9 mars 2027 kl. 17:00" / "Tuesday 9 March 2027 at 17:00". */
export function visitTime(iso: string, lang: Language): string {
  return `${weekdayDate(iso, lang)} ${lang === 'en' ? 'at' : 'kl.'} ${clockTime(iso)}`;
}

/**
 * To the family home: the times the group leader offers for her visit, and the link to pick one or ask for
 * others. The child is named as in every email to the family home; the times are the only details.
 */
export function homeVisitTimes(
  r: EmailReferral,
  to: { name: string; language?: Language },
  times: string[],
  url: string,
  expiresAt: string,
): EmailContent {
  const lang = to.language ?? 'sv';
  const common = {
    template: 'home-visit-times',
    language: lang,
    after: [requestParts(lang, expiresAt).until],
  };
  return lang === 'en'
    ? {
        ...common,
        subject: `Bris would like to meet you at home before the group starts: referral ${r.referralId}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `${childDisplayName(r, 'en')} has a place in a Bris support group. Before the group starts, the group leader visits you at home, so that the child learns what the group is and Bris understands the child's situation.`,
          'The group leader can come at any of these times:',
          ...times.map((t) => `– ${visitTime(t, 'en')}`),
          'Open the link and choose the time that suits you, or ask for other times.',
        ],
        action: { label: 'Choose a time', url },
      }
    : {
        ...common,
        subject: `Bris vill träffa er hemma innan gruppen börjar: ärende ${r.referralId}`,
        greeting: greeting(to.name),
        paragraphs: [
          `${childDisplayName(r)} har fått en plats i en stödgrupp hos Bris. Innan gruppen börjar kommer gruppledaren hem till er, så att barnet får veta vad gruppen är och Bris förstår barnets situation.`,
          'Gruppledaren kan komma någon av de här tiderna:',
          ...times.map((t) => `– ${visitTime(t, 'sv')}`),
          'Öppna länken och välj den tid som passar, eller be om andra tider.',
        ],
        action: { label: 'Välj en tid', url },
      };
}
