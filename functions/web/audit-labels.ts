/**
 * The words staff pages use for the codes the system keeps: audit actions, phases, statuses, outcomes,
 * roles, and the codes inside an audit event's detail. Swedish and English for each; a page never shows a
 * code. Typed as Records over the code lists, so a new code without both labels does not compile.
 *
 * Details: only codes and numbers are turned into words. Free text (a withdrawal reason), references a
 * person typed (a case or paper reference) and identifiers (a group id) are never rendered from here.
 */
import type { AuditAction } from '../domain/audit-actions';
import { informationItemWords } from '../domain/information-request';
import type { Respondent } from '../domain/follow-up';
import type { LegalBasis } from '../domain/referral';
import type { ActorRole, Language, Outcome, Phase, ReferralStatus } from '../domain/referral';
import type { LinkPurpose } from '../domain/steps';
import { stockholmDateOf } from '../domain/stockholm-dates';
import type { AuditEvent, StaffSession } from '../ports';

export type Label = Record<Language, string>;

export const ACTION_LABELS: Record<AuditAction, Label> = {
  'referral-submitted': { sv: 'Anmälan inskickad', en: 'Referral submitted' },
  'child-wish-recorded': {
    sv: 'Barnets vilja att delta bekräftad',
    en: "The child's wish to take part confirmed",
  },
  'intake-accepted': {
    sv: 'Mottagningsbekräftelse skickad till socialsekreteraren',
    en: 'Receipt sent to the social worker',
  },
  'step-requested': { sv: 'Nytt steg påbörjat', en: 'Step started' },
  'step-resumed': { sv: 'Steget fortsatte efter en omstart', en: 'Step resumed after a restart' },
  'step-answer-replayed': {
    sv: 'Ett redan lämnat svar användes efter en omstart',
    en: 'An answer already given was used after a restart',
  },
  'link-opened': { sv: 'Länk öppnad', en: 'Link opened' },
  'link-redeemed': { sv: 'Svar via länk', en: 'Answer through a link' },
  'link-renewal': { sv: 'Ny länk begärd', en: 'New link requested' },
  'information-requested': {
    sv: 'Komplettering begärd av socialsekreteraren',
    en: 'More information requested from the social worker',
  },
  'information-provided': {
    sv: 'Socialsekreteraren kompletterade anmälan',
    en: 'The social worker provided more information',
  },
  'information-not-available': {
    sv: 'Socialsekreteraren kan inte komplettera mer',
    en: 'The social worker cannot add more information',
  },
  'information-request-unanswered': {
    sv: 'Ingen komplettering kom in i tid: anmälan bedöms med det som finns',
    en: 'No information came in time: the referral is screened as it stands',
  },
  'information-request-ended': {
    sv: 'Samordnaren bedömer anmälan utan kompletteringen',
    en: 'The coordinator screens the referral without the information',
  },
  'consent-round-started': { sv: 'Förfrågan om samtycke påbörjad', en: 'Consent request started' },
  'consent-reminder-sent': { sv: 'Påminnelse om samtycke skickad', en: 'Consent reminder sent' },
  'step-reminder-sent': { sv: 'Påminnelse skickad', en: 'Reminder sent' },
  'step-escalated': { sv: 'Försenat steg lyft till ansvarig', en: 'Overdue step escalated' },
  'step-deadline-passed': { sv: 'Tiden för steget gick ut', en: 'The time for the step ran out' },
  'consent-deadline-passed': { sv: 'Tiden för samtycke gick ut', en: 'The time for consent ran out' },
  'email-undeliverable': {
    sv: 'E-post kunde inte levereras (adressen fungerar inte)',
    en: 'Email could not be delivered (the address does not work)',
  },
  'custodian-email-replaced': {
    sv: 'Ny e-postadress till vårdnadshavare angiven',
    en: 'New email address given for a custodian',
  },
  'consent-given': { sv: 'Samtycke lämnat', en: 'Consent given' },
  'consent-refused': { sv: 'Samtycke nekat', en: 'Consent refused' },
  'consent-deadline-extended': { sv: 'Tiden för samtycke förlängd', en: 'Time for consent extended' },
  'consent-escalation-closed': {
    sv: 'Socialsekreteraren avslutade ärendet utan samtycke',
    en: 'The social worker closed the referral without consent',
  },
  'legal-basis-recorded': { sv: 'Rättslig grund registrerad', en: 'Legal basis recorded' },
  'waiting-for-group': { sv: 'Väntar på plats i en grupp', en: 'Waiting for a place in a group' },
  'no-group-in-time': {
    sv: 'Ingen grupp inom den längsta väntetiden',
    en: 'No group within the longest waiting time',
  },
  'group-confirmed': { sv: 'Samordnaren bildade gruppen', en: 'The coordinator formed the group' },
  'group-proposal-answered': {
    sv: 'Samordnaren besvarade gruppförslaget',
    en: 'The coordinator answered the group proposal',
  },
  'home-visit-times-offered': {
    sv: 'Tider för hembesöket erbjudna familjehemmet',
    en: 'Times for the home visit offered to the family home',
  },
  'home-visit-time-chosen': {
    sv: 'Familjehemmet valde en tid för hembesöket',
    en: 'The family home chose a time for the home visit',
  },
  'home-visit-other-times-asked': {
    sv: 'Familjehemmet bad om andra tider för hembesöket',
    en: 'The family home asked for other times for the home visit',
  },
  'home-visit-done': { sv: 'Hembesöket är gjort', en: 'The home visit took place' },
  'home-visit-declined': {
    sv: 'Familjehemmet tackade nej till hembesöket',
    en: 'The family home declined the home visit',
  },
  'seat-confirmed': {
    sv: 'Platsen i gruppen bekräftad efter hembesöket',
    en: 'The seat in the group confirmed after the home visit',
  },
  'freed-seat-offered': {
    sv: 'Ledig plats i en pågående grupp erbjuden',
    en: 'A freed place in a running group offered',
  },
  'group-seat-freed': { sv: 'Platsen i gruppen lämnades', en: 'The place in the group was freed' },
  'attendance-recorded': { sv: 'Närvaro registrerad', en: 'Attendance recorded' },
  'attendance-not-recorded': {
    sv: 'Närvaron registrerades inte i tid; gruppen fortsatte',
    en: 'Attendance was not recorded in time; the group went on',
  },
  'group-step-failed': {
    sv: 'Tekniskt fel i gruppens arbetsflöde',
    en: "Technical failure in the group's workflow",
  },
  'follow-up-sent': { sv: 'Utvärdering skickad', en: 'Evaluation sent' },
  'follow-up-reminder-sent': { sv: 'Påminnelse om utvärdering skickad', en: 'Evaluation reminder sent' },
  'questionnaire-not-answered': {
    sv: 'Frågorna besvarades inte (det är frivilligt att svara)',
    en: 'The questions were not answered (answering is voluntary)',
  },
  'summary-sent': {
    sv: 'Sammanfattning skickad till socialsekreteraren',
    en: 'Summary sent to the social worker',
  },
  'referral-withdrawn': { sv: 'Anmälan återkallad', en: 'Referral withdrawn' },
  'referral-closed': { sv: 'Ärendet avslutat', en: 'Referral closed' },
  'personal-data-erased': { sv: 'Personuppgifterna raderade', en: 'Personal data erased' },
  'step-failed': {
    sv: 'Tekniskt fel: ärendet behöver åtgärd',
    en: 'Technical failure: the referral needs attention',
  },
  'retry-requested': { sv: 'Nytt försök begärt', en: 'Retry requested' },
  'sign-in-requested': { sv: 'Inloggningslänk begärd', en: 'Sign-in link requested' },
  'signed-in': { sv: 'Inloggad', en: 'Signed in' },
};

/** What the referral is doing now (the overview's "Fas" column). */
export const PHASE_LABELS: Record<Phase, Label> = {
  intake: { sv: 'Inkommen', en: 'Received' },
  screening: { sv: 'Bedömning', en: 'Screening' },
  consent: { sv: 'Samtycke', en: 'Consent' },
  'group-assignment': { sv: 'Väntar på grupp', en: 'Waiting for a group' },
  sessions: { sv: 'I grupp', en: 'In a group' },
  'follow-up': { sv: 'Uppföljning', en: 'Follow-up' },
  closed: { sv: 'Avslutad', en: 'Closed' },
};

/** The phase as a step of the work, for sentences such as "stannade i steget …". */
export const PHASE_STEP_NAMES: Record<Phase, Label> = {
  intake: { sv: 'Mottagning', en: 'Intake' },
  screening: { sv: 'Bedömning', en: 'Screening' },
  consent: { sv: 'Samtycke', en: 'Consent' },
  'group-assignment': { sv: 'Gruppindelning', en: 'Group assignment' },
  sessions: { sv: 'Gruppträffar', en: 'Group meetings' },
  'follow-up': { sv: 'Uppföljning', en: 'Follow-up' },
  closed: { sv: 'Avslut', en: 'Closing' },
};

export const STATUS_LABELS: Record<ReferralStatus, Label> = {
  active: { sv: 'Pågår', en: 'Active' },
  'needs-attention': { sv: 'Behöver åtgärd', en: 'Needs attention' },
  closed: { sv: 'Avslutad', en: 'Closed' },
  erased: { sv: 'Raderad', en: 'Erased' },
};

export const OUTCOME_LABELS: Record<Outcome, Label> = {
  completed: { sv: 'genomförd', en: 'completed' },
  declined: { sv: 'avslagen vid bedömningen', en: 'declined at screening' },
  'consent-refused': { sv: 'samtycke nekades', en: 'consent refused' },
  'consent-not-obtained': { sv: 'samtycke kom inte in i tid', en: 'consent not obtained in time' },
  withdrawn: { sv: 'återkallad', en: 'withdrawn' },
  'no-group': { sv: 'ingen grupp kunde erbjudas', en: 'no group could be offered' },
  'not-screened': { sv: 'bedömdes inte i tid', en: 'not screened in time' },
  'home-visit-declined': {
    sv: 'familjehemmet tackade nej till hembesöket',
    en: 'the family home declined the home visit',
  },
  'no-home-visit': {
    sv: 'inget hembesök innan gruppen började',
    en: 'no home visit before the group started',
  },
};

export const ROLE_LABELS: Record<ActorRole | StaffSession['role'], Label> = {
  coordinator: { sv: 'Bris samordnare', en: 'Bris coordinator' },
  custodian: { sv: 'vårdnadshavare', en: 'custodian' },
  'social-worker': { sv: 'socialsekreterare', en: 'social worker' },
  'group-leader': { sv: 'gruppledare', en: 'group leader' },
  carer: { sv: 'familjehemmet', en: 'the family home' },
  'partnership-admin': { sv: 'partnerskapets uppföljning', en: 'partnership follow-up' },
  system: { sv: 'systemet', en: 'the system' },
  unknown: { sv: 'okänd', en: 'unknown' },
};

export const STEP_LABELS: Record<LinkPurpose, Label> = {
  screening: { sv: 'bedömning', en: 'screening' },
  'information-request': { sv: 'komplettering', en: 'information request' },
  consent: { sv: 'samtycke', en: 'consent' },
  'consent-escalation': { sv: 'samtycke som saknas', en: 'missing consent' },
  'group-assignment': { sv: 'gruppindelning', en: 'group assignment' },
  'home-visit': { sv: 'hembesök', en: 'home visit' },
  sessions: { sv: 'gruppträffar', en: 'group meetings' },
  attendance: { sv: 'närvaro', en: 'attendance' },
  withdrawal: { sv: 'återkallelse', en: 'withdrawal' },
  'group-proposal': { sv: 'gruppförslag', en: 'group proposal' },
  'home-visit-time': { sv: 'tid för hembesök', en: 'time for the home visit' },
  evaluation: { sv: 'utvärdering', en: 'evaluation' },
  'sign-in': { sv: 'inloggning', en: 'sign-in' },
};

export const LEGAL_BASIS_LABELS: Record<LegalBasis['kind'], Label> = {
  'custodian-consent': { sv: 'vårdnadshavarnas samtycke', en: "the custodians' consent" },
  'committee-decision': { sv: 'nämndens beslut', en: "the committee's decision" },
  'child-consent': { sv: 'barnets eget samtycke', en: "the child's own consent" },
};

export const FORMAT_LABELS: Record<'weekly' | 'weekend', Label> = {
  weekly: { sv: 'veckogrupp', en: 'weekly group' },
  weekend: { sv: 'stödhelg', en: 'support weekend' },
};

/** What became of a link, a sign-in request: the `outcome` of link and sign-in events. */
export const LINK_OUTCOME_LABELS: Record<string, Label> = {
  approve: { sv: 'godkänd', en: 'approved' },
  decline: { sv: 'avslag', en: 'declined' },
  'request-information': { sv: 'komplettering begärd', en: 'more information requested' },
  'add-information': { sv: 'komplettering skickad', en: 'information sent' },
  'cannot-add': { sv: 'kan inte komplettera', en: 'cannot add more' },
  'screen-now': { sv: 'bedöms utan kompletteringen', en: 'screened without the information' },
  consent: { sv: 'samtycker', en: 'consents' },
  refuse: { sv: 'samtycker inte', en: 'refuses' },
  extend: { sv: 'mer tid för samtycke', en: 'more time for consent' },
  'committee-decision': { sv: 'nämndens beslut', en: "the committee's decision" },
  close: { sv: 'avsluta ärendet', en: 'close the referral' },
  confirm: { sv: 'bekräftad', en: 'confirmed' },
  postpone: { sv: 'väntar', en: 'postponed' },
  record: { sv: 'registrerad', en: 'recorded' },
  withdraw: { sv: 'återkallad', en: 'withdrawn' },
  answer: { sv: 'svar skickat', en: 'answer sent' },
  renewed: { sv: 'ny länk skickad', en: 'new link sent' },
  sent: { sv: 'länk skickad', en: 'link sent' },
  'not-allowed': { sv: 'adressen får inte logga in', en: 'the address may not sign in' },
  'rate-limited': {
    sv: 'inte skickat: för många begäranden för adressen',
    en: 'not sent: too many requests for the address',
  },
  refused: { sv: 'nekad', en: 'refused' },
  'refused-used': { sv: 'nekad: länken är redan använd', en: 'refused: the link was already used' },
  'refused-expired': { sv: 'nekad: länken har gått ut', en: 'refused: the link has expired' },
  'refused-superseded': {
    sv: 'nekad: en nyare länk har skickats',
    en: 'refused: a newer link has been sent',
  },
  'refused-closed': { sv: 'nekad: steget är avslutat', en: 'refused: the step is over' },
  'refused-unknown': { sv: 'nekad: okänd länk', en: 'refused: unknown link' },
  'refused-step-between-waits': {
    sv: 'nekad för stunden: steget var på väg att börja om',
    en: 'refused for now: the step was about to start again',
  },
  'refused-step-no-longer-open': {
    sv: 'nekad: steget är inte längre öppet',
    en: 'refused: the step is no longer open',
  },
};

const EVALUATION_ROUNDS: Record<string, Label> = {
  first: { sv: 'första utvärderingen', en: 'first evaluation' },
  later: { sv: 'senare utvärderingen', en: 'later evaluation' },
};

/** Whose questionnaire (the child's own questions, or the family home's). */
const RESPONDENT_LABELS: Record<Respondent, Label> = {
  child: { sv: 'barnets frågor', en: "the child's questions" },
  carer: { sv: 'familjehemmets frågor', en: "the family home's questions" },
};

const pick = <K extends string>(labels: Record<K, Label>, code: string | undefined, lang: Language) =>
  code !== undefined && Object.hasOwn(labels, code) ? labels[code as K][lang] : undefined;

/** An action's label; an action no longer in the list (an old stored event) gets a plain word, not its code. */
export const actionLabel = (action: string, lang: Language): string =>
  pick(ACTION_LABELS, action, lang) ?? (lang === 'en' ? 'Event' : 'Händelse');
export const phaseLabel = (phase: string, lang: Language): string =>
  pick(PHASE_LABELS, phase, lang) ?? (lang === 'en' ? 'Unknown phase' : 'Okänd fas');
export const phaseStepName = (phase: string, lang: Language): string =>
  pick(PHASE_STEP_NAMES, phase, lang) ?? (lang === 'en' ? 'unknown' : 'okänt');
export const statusLabel = (status: string, lang: Language): string =>
  pick(STATUS_LABELS, status, lang) ?? (lang === 'en' ? 'Unknown' : 'Okänt');
export const outcomeLabel = (outcome: string, lang: Language): string =>
  pick(OUTCOME_LABELS, outcome, lang) ?? (lang === 'en' ? 'ended' : 'avslutad');
export const roleLabel = (role: string, lang: Language): string =>
  pick(ROLE_LABELS, role, lang) ?? ROLE_LABELS.unknown[lang];

/** All labels of a list as [code, label] pairs, for a filter's options. */
export const labelOptions = <K extends string>(labels: Record<K, Label>, lang: Language): [K, string][] =>
  (Object.entries(labels) as [K, Label][]).map(([code, l]) => [code, l[lang]]);

const number = (v: string | undefined) => (v !== undefined && /^\d{1,4}$/.test(v) ? v : undefined);
/** The Stockholm date of a date or moment in the detail (a deadline, a decision's date). */
const isoDate = (v: string | undefined) => (v ? stockholmDateOf(v) : undefined);

/**
 * The codes in an event's detail, in words ("vårdnadshavare 1, påminnelse 2, omgång 1"). A key not listed
 * here, or a value that is not a known code or a number, is left out: nothing typed by a person, no ids.
 */
export function describeDetail(event: Pick<AuditEvent, 'action' | 'detail'>, lang: Language): string[] {
  const d = event.detail ?? {};
  const sv = lang === 'sv';
  const parts: (string | undefined)[] = [];
  if (d.step) parts.push(pick(STEP_LABELS, d.step, lang));
  const custodian = number(d.custodian);
  const toCustodian = d.recipientRole === 'custodian' && custodian;
  if (d.recipientRole) {
    const who = toCustodian
      ? `${ROLE_LABELS.custodian[lang]} ${custodian}`
      : pick(ROLE_LABELS, d.recipientRole, lang);
    parts.push(who && (sv ? `till ${who}` : `to ${who}`));
  }
  if (custodian && !toCustodian) parts.push(sv ? `vårdnadshavare ${custodian}` : `custodian ${custodian}`);
  if (d.outcome)
    parts.push(
      event.action === 'referral-closed'
        ? pick(OUTCOME_LABELS, d.outcome, lang)
        : pick(LINK_OUTCOME_LABELS, d.outcome, lang),
    );
  const reminder = number(d.reminder);
  if (reminder) parts.push(sv ? `påminnelse ${reminder}` : `reminder ${reminder}`);
  if (d.round) {
    const round = number(d.round);
    parts.push(round ? (sv ? `omgång ${round}` : `round ${round}`) : pick(EVALUATION_ROUNDS, d.round, lang));
  }
  // What an information request asked for: codes of a closed list, in words.
  if (d.items) {
    const words = informationItemWords(d.items.split(','), lang);
    if (words.length) parts.push(`${sv ? 'saknas' : 'missing'}: ${words.join(', ').toLowerCase()}`);
  }
  if (d.respondent) parts.push(pick(RESPONDENT_LABELS, d.respondent, lang));
  const deadline = isoDate(d.deadline);
  if (deadline) parts.push(sv ? `ny sista dag ${deadline}` : `new deadline ${deadline}`);
  if (d.basis) parts.push(pick(LEGAL_BASIS_LABELS, d.basis, lang));
  const decisionDate = isoDate(d.decisionDate);
  if (decisionDate) parts.push(sv ? `beslutsdatum ${decisionDate}` : `decided ${decisionDate}`);
  if (d.paperReference) parts.push(sv ? 'registrerat från papper' : 'recorded from paper');
  if (d.emailEvent === 'bounce') parts.push(sv ? 'studsade' : 'bounced');
  if (d.emailEvent === 'complaint') parts.push(sv ? 'anmäld som skräppost' : 'reported as spam');
  const custodians = number(d.custodians);
  if (custodians)
    parts.push(
      sv
        ? `${custodians} vårdnadshavare`
        : `${custodians} ${custodians === '1' ? 'custodian' : 'custodians'}`,
    );
  if (d.consentBasis === 'child') parts.push(sv ? 'barnet samtycker självt' : 'the child consents alone');
  if (d.consentBasis === 'custodians') parts.push(sv ? 'vårdnadshavarnas samtycke' : "custodians' consent");
  if (d.ageBand && /^\d{1,2}\s*[-\u2013]\s*\d{1,2}$/.test(d.ageBand))
    parts.push(sv ? `åldersgrupp ${d.ageBand} år` : `age band ${d.ageBand}`);
  if (d.proposal === 'none') parts.push(sv ? 'inget gruppförslag än' : 'no group proposal yet');
  else if (d.proposal) {
    const format = pick(FORMAT_LABELS, d.proposal, lang);
    parts.push(format && (sv ? `förslag: ${format}` : `proposal: ${format}`));
  }
  if (d.format) parts.push(pick(FORMAT_LABELS, d.format, lang));
  // The pool's deadline: how long the child waited without a group being formed.
  const waited = number(d.waitedDays);
  if (waited) parts.push(sv ? `efter ${waited} dagar i kön` : `after ${waited} days in the pool`);
  // The summary's attendance: meetings the child came to, of those the group had.
  const attended = number(d.attended);
  const scheduled = number(d.scheduled);
  if (attended && scheduled)
    parts.push(
      sv ? `närvarade ${attended} av ${scheduled} träffar` : `attended ${attended} of ${scheduled} meetings`,
    );
  const meeting = number(d.meeting);
  if (meeting) parts.push(sv ? `träff ${meeting}` : `meeting ${meeting}`);
  if (d.present === 'true') parts.push(sv ? 'närvarande' : 'present');
  if (d.present === 'false') parts.push(sv ? 'frånvarande' : 'absent');
  // The coordinator's answer to a group proposal, and the figures the page showed her.
  if (d.choice === 'accepted') parts.push(sv ? 'förslaget godtogs' : 'proposal accepted');
  if (d.choice === 'overruled') parts.push(sv ? 'förslaget ändrades' : 'proposal overruled');
  for (const change of (d.changes ?? '').split(',')) {
    const removed = number(d.removed);
    const added = number(d.added);
    if (change === 'waited') parts.push(sv ? 'väntar en vecka till' : 'waits one more week');
    if (change === 'format') parts.push(sv ? 'annat format' : 'another format');
    if (change === 'removed' && removed)
      parts.push(
        sv ? `${removed} barn togs bort` : `${removed} ${removed === '1' ? 'child' : 'children'} taken out`,
      );
    if (change === 'added' && added)
      parts.push(sv ? `${added} barn lades till` : `${added} ${added === '1' ? 'child' : 'children'} added`);
    if (change === 'without-proposal') parts.push(sv ? 'grupp utan förslag' : 'a group without a proposal');
  }
  const proposedFormat = d.proposedFormat && pick(FORMAT_LABELS, d.proposedFormat, lang);
  const proposedSize = number(d.proposedSize);
  if (proposedFormat && proposedSize)
    parts.push(
      sv
        ? `föreslaget: ${proposedFormat}, ${proposedSize} barn`
        : `proposed: ${proposedFormat}, ${proposedSize}`,
    );
  const chosenSize = number(d.chosenSize);
  if (chosenSize) parts.push(sv ? `valt: ${chosenSize} barn` : `chosen: ${chosenSize}`);
  const oldestWait = number(d.oldestWaitDays);
  const weekWait = number(d.weekOldestWaitDays);
  if (oldestWait && weekWait)
    parts.push(
      sv
        ? `längsta väntan ${oldestWait} dagar, ${weekWait} om en vecka`
        : `longest wait ${oldestWait} days, ${weekWait} in a week`,
    );
  const groupNow = number(d.groupSizeNow);
  const groupWeek = number(d.weekGroupSize);
  const groupOf = (n: string) =>
    n === '0' ? (sv ? 'ingen grupp' : 'no group') : sv ? `grupp om ${n}` : `group of ${n}`;
  if (groupNow && groupWeek)
    parts.push(
      sv
        ? `den som väntat längst: ${groupOf(groupNow)} nu, ${groupOf(groupWeek)} om en vecka`
        : `longest waiting: ${groupOf(groupNow)} now, ${groupOf(groupWeek)} in a week`,
    );
  const attempt = number(d.attempt);
  if (attempt) parts.push(sv ? `försök ${attempt}` : `attempt ${attempt}`);
  if (d.role) parts.push(pick(ROLE_LABELS, d.role, lang));
  // Acted on from the staff task inbox (signed in) rather than through the emailed link.
  if (d.via === 'staff-inbox') parts.push(sv ? 'från Mina uppgifter, inloggad' : 'from My tasks, signed in');
  return parts.filter((p): p is string => !!p);
}

/** The language of the signed-in person's staff pages: English when the session says so, Swedish otherwise. */
export function staffLanguage(session?: StaffSession): Language {
  return session?.language === 'en' ? 'en' : 'sv';
}
