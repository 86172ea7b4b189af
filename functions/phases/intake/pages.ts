/**
 * The referral form: server-rendered, works without JavaScript, every input labelled, errors next to
 * fields, in Swedish or English (one dictionary per language beside the page, `EN: typeof SV`, so a
 * missing English text is a type error).
 */
import { errorsInLanguage } from '../../domain/messages';
import type { Language } from '../../domain/referral';
import { REFERRAL_FORM_FIELDS } from '../../domain/referral-form';
import { SOCIAL_WORKER_NOTIFICATIONS } from '../../web/emails/promises';
import { html, type SafeHtml } from '../../web/html';
import { page } from '../../web/layout';

const SV = {
  formTitle: 'Anmälan till stödgrupp',
  formTitleWithErrors: 'Fel i anmälan',
  heading: 'Anmälan till stödgrupp hos Bris',
  intro:
    'För socialsekreterare i Stockholms stad. Anmäl ett familjehemsplacerat barn 7–18 år till Bris stödgrupper. Alla fält är obligatoriska om inget annat anges.',
  errorPrefix: 'Fel: ',
  summaryTitle: 'Anmälan kunde inte skickas',
  summaryIntro: 'Rätta följande och skicka igen:',
  child: 'Barnet',
  district: 'Stadsdelsområde',
  chooseDistrict: 'Välj stadsdelsområde',
  childFirstName: 'Barnets förnamn',
  childFirstNameHint:
    'Bara förnamnet. Det visas för Bris, aldrig i e-post om barnet har skyddade personuppgifter.',
  identityNumber: 'Barnets personnummer',
  identityNumberHint:
    'ÅÅÅÅMMDD-NNNN. Används bara för att räkna ut ålder och se att barnet inte redan är anmält; det sparas inte i klartext och skickas aldrig i e-post.',
  protectedIdentity: 'Barnet har skyddade personuppgifter (frivilligt att kryssa i)',
  childWish: 'Barnet har fått veta vad stödgruppen är och vill själv delta',
  you: 'Du som anmäler',
  yourName: 'Ditt namn',
  yourEmail: 'Din e-postadress',
  yourEmailHint: 'Du får besked hit om varje beslut, och en länk för att återkalla anmälan.',
  whoConsents: 'Vem samtycker?',
  allCustodians: 'Alla vårdnadshavare',
  childConsents: (fromAge: number, citation: string) =>
    `Barnet samtycker själv (från ${fromAge} år, öppen insats; ${citation})`,
  schedule:
    'Vårdnadshavarna får schemat med tider och plats (gäller aldrig barn med skyddade personuppgifter)',
  custodian: (n: 1 | 2): string => (n === 1 ? 'Vårdnadshavare 1' : 'Vårdnadshavare 2 (om barnet har två)'),
  custodianName: (n: 1 | 2): string =>
    n === 1 ? 'Namn' : 'Namn (lämna tomt om barnet har en vårdnadshavare)',
  howConsent: (n: 1 | 2) => `Hur lämnar vårdnadshavare ${n} sitt samtycke?`,
  byEmail: 'Med en personlig länk i e-post',
  onPaper: 'Har ingen e-post: jag samlar in samtycket på papper och registrerar det',
  custodianEmail: 'E-postadress',
  custodianEmailHint: 'Behövs när samtycket lämnas med länk i e-post.',
  emailLanguage: 'Språk i e-post',
  carer: 'Familjehem',
  carerName: 'Familjehemsförälderns namn',
  carerEmail: 'Familjehemsförälderns e-postadress',
  carerEmailHint: 'Familjehemmet får schema och påminnelser.',
  submit: 'Skicka anmälan',
  receiptTitle: 'Anmälan mottagen',
  receiptHeading: 'Anmälan är mottagen',
  repeated: 'Den här anmälan var redan skickad; den har inte registrerats två gånger.',
  reference: 'Referensnummer:',
  keepReference: 'Spara referensnumret. Du får ett mejl:',
  newReferral: 'Gör en ny anmälan',
  activeTitle: 'Redan anmäld',
  activeHeading: 'Barnet har redan en pågående anmälan',
  active: [
    'Det finns redan en aktiv anmälan till Bris stödgrupper för det här barnet, så en ny anmälan har inte skapats.',
    'Har du eller en kollega nyss skickat en anmälan för barnet, till exempel i ett annat fönster, är det den som gäller: kvittot för den kommer med e-post.',
    'Kontakta Bris samordnare om något behöver ändras i den pågående anmälan.',
  ],
  backToForm: 'Tillbaka till formuläret',
};

const EN: typeof SV = {
  formTitle: 'Referral to a support group',
  formTitleWithErrors: 'Errors in the referral',
  heading: 'Referral to a Bris support group',
  intro:
    'For social workers in the City of Stockholm. Refer a child aged 7–18 placed in a family home to the Bris support groups. Every field must be filled in unless it says otherwise.',
  errorPrefix: 'Error: ',
  summaryTitle: 'The referral could not be sent',
  summaryIntro: 'Correct the following and send again:',
  child: 'The child',
  district: 'City district',
  chooseDistrict: 'Choose a city district',
  childFirstName: "Child's first name",
  childFirstNameHint:
    'The first name only. Bris sees it; it is never in an email if the child has a protected identity.',
  identityNumber: "Child's personal identity number",
  identityNumberHint:
    'YYYYMMDD-NNNN. Used only to work out the age and to see that the child has not been referred already; it is not stored as written and never sent by email.',
  protectedIdentity: 'The child has a protected identity (tick if so)',
  childWish: 'The child has been told what the support group is and wants to take part',
  you: 'You, the referrer',
  yourName: 'Your name',
  yourEmail: 'Your email address',
  yourEmailHint: 'You are told of every decision here, and get a link to withdraw the referral.',
  whoConsents: 'Who consents?',
  allCustodians: 'All custodians',
  childConsents: (fromAge: number, citation: string) =>
    `The child consents alone (from ${fromAge} years, open intervention; ${citation})`,
  schedule:
    'The custodians get the schedule with times and place (never for a child with a protected identity)',
  custodian: (n: 1 | 2) => (n === 1 ? 'Custodian 1' : 'Custodian 2 (if the child has two)'),
  custodianName: (n: 1 | 2) => (n === 1 ? 'Name' : 'Name (leave empty if the child has one custodian)'),
  howConsent: (n: 1 | 2) => `How does custodian ${n} give consent?`,
  byEmail: 'With a personal link by email',
  onPaper: 'Has no email: I collect the consent on paper and record it',
  custodianEmail: 'Email address',
  custodianEmailHint: 'Needed when consent is given with a link by email.',
  emailLanguage: 'Language of the emails',
  carer: 'Family home',
  carerName: "Foster carer's name",
  carerEmail: "Foster carer's email address",
  carerEmailHint: 'The family home gets the schedule and reminders.',
  submit: 'Send referral',
  receiptTitle: 'Referral received',
  receiptHeading: 'The referral has been received',
  repeated: 'This referral had already been sent; it has not been registered twice.',
  reference: 'Reference number:',
  keepReference: 'Keep the reference number. You will get an email:',
  newReferral: 'Make a new referral',
  activeTitle: 'Already referred',
  activeHeading: 'The child already has a referral in progress',
  active: [
    'There is already an active referral to the Bris support groups for this child, so no new referral has been made.',
    'If you or a colleague has just sent a referral for the child, for example in another window, that one stands: its receipt comes by email.',
    "Contact Bris's coordinator if anything needs to change in the referral in progress.",
  ],
  backToForm: 'Back to the form',
};

const TEXT: Record<Language, typeof SV> = { sv: SV, en: EN };

/** The form's id: the language switch in the header is one of its submit buttons (see `page`). */
export const REFERRAL_FORM_ID = 'referral-form';

interface FormState {
  idempotencyKey: string;
  districts: readonly string[];
  /** Offered only where the partnership lets a child of this age consent alone. */
  childConsent?: { allowed: boolean; fromAge: number; citation: string };
  /** What the person typed, kept after an error or a language switch (the identity number too). */
  values?: Record<string, string>;
  /** Field → message, in Swedish as the checks report it; shown in `lang`. */
  errors?: Record<string, string>;
  lang?: Language;
}

/** Errors are summarised in the order of the form. */
const FIELD_ORDER: readonly string[] = REFERRAL_FORM_FIELDS.filter((f) => f !== 'idempotencyKey');

type FormValues = Record<string, string>;
type FormErrors = Record<string, string>;

/** The form's controls, each labelled, with its hint and its error next to it and tied to it for screen readers. */
function formControls(values: FormValues, errors: FormErrors, t: typeof SV) {
  const err = (name: string): SafeHtml =>
    errors[name]
      ? html`<p class="field-error" id="${name}-error">
          <span class="visually-hidden">${t.errorPrefix}</span>${errors[name]}
        </p>`
      : html``;
  const describedBy = (name: string, hint?: boolean) =>
    [hint ? `${name}-hint` : '', errors[name] ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  const invalid = (name: string) => (errors[name] ? html`aria-invalid="true"` : '');
  const input = (
    name: string,
    label: string,
    type: 'text' | 'email',
    opts: { hint?: string; autocomplete?: string; optional?: boolean } = {},
  ) =>
    html`<label for="${name}">${label}</label>
      ${opts.hint ? html`<p class="hint" id="${name}-hint">${opts.hint}</p>` : ''} ${err(name)}
      <input
        type="${type}"
        id="${name}"
        name="${name}"
        value="${values[name] ?? ''}"
        ${opts.optional ? '' : html`required`}
        ${opts.autocomplete ? html`autocomplete="${opts.autocomplete}"` : html`autocomplete="off"`}
        ${describedBy(name, !!opts.hint) ? html`aria-describedby="${describedBy(name, !!opts.hint)}"` : ''}
        ${invalid(name)}
      />`;
  const radio = (name: string, value: string, label: string, checked: boolean) =>
    html`<p>
      <input
        type="radio"
        id="${name}-${value}"
        name="${name}"
        value="${value}"
        ${checked ? html`checked` : ''}
      />
      <label class="inline" for="${name}-${value}">${label}</label>
    </p>`;
  return { values, errors, err, input, radio, t };
}

type FormControls = ReturnType<typeof formControls>;

/**
 * Every error at the top, in the order of the form, each linked to its field. It takes the focus when the
 * page loads (`autofocus`: no script may run under the CSP), so a keyboard or screen-reader user starts
 * at the list of what to fix; `role="alert"` announces it too.
 */
function errorSummary(errors: FormErrors, t: typeof SV): SafeHtml | '' {
  const ordered = [...FIELD_ORDER, 'idempotencyKey', '_form'].filter((f) => errors[f]);
  return ordered.length
    ? html`<div
        class="error-summary"
        role="alert"
        aria-labelledby="error-summary-title"
        tabindex="-1"
        id="error-summary"
        autofocus
      >
        <h2 id="error-summary-title">${t.summaryTitle}</h2>
        <p>${t.summaryIntro}</p>
        <ul>
          ${ordered.map((f) =>
            f === '_form' || f === 'idempotencyKey'
              ? html`<li>${errors[f]}</li>`
              : html`<li><a href="#${f}">${errors[f]}</a></li>`,
          )}
        </ul>
      </div>`
    : '';
}

/** The child: district, first name, identity number, protected identity and the child's own wish. */
function childFieldset(
  { values, errors, err, input, t }: FormControls,
  districts: readonly string[],
): SafeHtml {
  return html`<fieldset>
    <legend>${t.child}</legend>
    <label for="district">${t.district}</label>
    ${err('district')}
    <select
      id="district"
      name="district"
      required
      ${errors.district ? html`aria-invalid="true" aria-describedby="district-error"` : ''}
    >
      <option value="">${t.chooseDistrict}</option>
      ${districts.map((d) => html`<option value="${d}" ${values.district === d ? html`selected` : ''}>${d}</option>`)}
    </select>
    ${input('childFirstName', t.childFirstName, 'text', { hint: t.childFirstNameHint })}
    ${input('identityNumber', t.identityNumber, 'text', { hint: t.identityNumberHint })}
    <p>
      <input
        type="checkbox"
        id="protectedIdentity"
        name="protectedIdentity"
        value="on"
        ${values.protectedIdentity === 'on' ? html`checked` : ''}
      />
      <label class="inline" for="protectedIdentity">${t.protectedIdentity}</label>
    </p>
    ${err('childWish')}
    <p>
      <input
        type="checkbox"
        id="childWish"
        name="childWish"
        value="on"
        ${values.childWish === 'on' ? html`checked` : ''}
        ${errors.childWish ? html`aria-invalid="true" aria-describedby="childWish-error"` : ''}
      />
      <label class="inline" for="childWish">${t.childWish}</label>
    </p>
  </fieldset>`;
}

/** The social worker who refers: where every decision is sent. */
function socialWorkerFieldset({ input, t }: FormControls): SafeHtml {
  return html`<fieldset>
    <legend>${t.you}</legend>
    ${input('socialWorkerName', t.yourName, 'text', { autocomplete: 'name' })}
    ${input('socialWorkerEmail', t.yourEmail, 'email', { autocomplete: 'email', hint: t.yourEmailHint })}
  </fieldset>`;
}

/** Who consents: offered only where the partnership lets a child of this age consent alone. */
function consentBasisFieldset(
  { values, err, radio, t }: FormControls,
  childConsent: FormState['childConsent'],
) {
  return childConsent?.allowed
    ? html`<fieldset>
        <legend>${t.whoConsents}</legend>
        ${err('consentBasis')}
        ${radio('consentBasis', 'custodians', t.allCustodians, values.consentBasis !== 'child')}
        ${radio('consentBasis', 'child', t.childConsents(childConsent.fromAge, childConsent.citation), values.consentBasis === 'child')}
      </fieldset>`
    : '';
}

/** Whether the custodians get the schedule (never for a child with protected identity). */
function scheduleForCustodiansCheckbox({ values, t }: FormControls): SafeHtml {
  return html`<p>
    <input
      type="checkbox"
      id="custodianMaySeeSchedule"
      name="custodianMaySeeSchedule"
      value="on"
      ${values.custodianMaySeeSchedule === 'on' ? html`checked` : ''}
    />
    <label class="inline" for="custodianMaySeeSchedule">${t.schedule}</label>
  </p>`;
}

/** A custodian: name, how consent is given (email link or paper), email and the email's language. */
function custodianFields({ values, err, input, radio, t }: FormControls, n: 1 | 2): SafeHtml {
  return html` ${input(`custodian${n}Name`, t.custodianName(n), 'text', { optional: n === 2 })}
    <fieldset>
      <legend>${t.howConsent(n)}</legend>
      ${err(`custodian${n}Contact`)}
      ${radio(`custodian${n}Contact`, 'email', t.byEmail, values[`custodian${n}Contact`] !== 'paper')}
      ${radio(`custodian${n}Contact`, 'paper', t.onPaper, values[`custodian${n}Contact`] === 'paper')}
    </fieldset>
    ${input(`custodian${n}Email`, t.custodianEmail, 'email', { optional: true, hint: t.custodianEmailHint })}
    ${emailLanguageSelect({ values, err, t }, `custodian${n}Language`)}`;
}

/** The language a recipient's emails (and link pages) are in: Swedish unless chosen. */
function emailLanguageSelect(
  { values, err, t }: Pick<FormControls, 'values' | 'err' | 't'>,
  field: string,
): SafeHtml {
  return html`<label for="${field}">${t.emailLanguage}</label>
    ${err(field)}
    <select id="${field}" name="${field}">
      <option value="sv" ${values[field] !== 'en' ? html`selected` : ''} lang="sv">Svenska</option>
      <option value="en" ${values[field] === 'en' ? html`selected` : ''} lang="en">English</option>
    </select>`;
}

/** The family home: it gets the schedule and the reminders. */
function carerFieldset(controls: FormControls): SafeHtml {
  const { input, t } = controls;
  return html`<fieldset>
    <legend>${t.carer}</legend>
    ${input('carerName', t.carerName, 'text')}
    ${input('carerEmail', t.carerEmail, 'email', { hint: t.carerEmailHint })}
    ${emailLanguageSelect(controls, 'carerLanguage')}
  </fieldset>`;
}

/**
 * The form, empty or as the person left it. Its language switch is a submit button of the form (posted
 * with `languageSwitch`), not a link: a link would drop everything typed so far.
 */
export function referralFormPage({
  idempotencyKey,
  districts,
  childConsent,
  values = {},
  errors: given = {},
  lang = 'sv',
}: FormState): string {
  const t = TEXT[lang];
  const errors = errorsInLanguage(given, lang);
  const controls = formControls(values, errors, t);
  const body = html` <h1>${t.heading}</h1>
    <p>${t.intro}</p>
    ${errorSummary(errors, t)}
    <form method="post" action="/referrals" novalidate id="${REFERRAL_FORM_ID}">
      <input type="hidden" name="idempotencyKey" value="${idempotencyKey}" />
      <input type="hidden" name="lang" value="${lang}" />
      ${Object.keys(errors).length ? html`<input type="hidden" name="hadErrors" value="on" />` : ''}
      ${childFieldset(controls, districts)} ${socialWorkerFieldset(controls)}
      ${consentBasisFieldset(controls, childConsent)} ${scheduleForCustodiansCheckbox(controls)}
      <fieldset>
        <legend>${t.custodian(1)}</legend>
        ${custodianFields(controls, 1)}
      </fieldset>
      <fieldset>
        <legend>${t.custodian(2)}</legend>
        ${custodianFields(controls, 2)}
      </fieldset>
      ${carerFieldset(controls)}
      <button type="submit">${t.submit}</button>
    </form>`;
  return page({
    title: Object.keys(errors).length ? t.formTitleWithErrors : t.formTitle,
    lang,
    body,
    languageSwitch: { form: REFERRAL_FORM_ID, postTo: '/referrals' },
  });
}

/** The receipt page: its promise is the receipt email's, from the list the tests hold the sending to. */
export function receiptPage(referralId: string, repeated: boolean, lang: Language = 'sv'): string {
  const t = TEXT[lang];
  const body = html` <h1>${t.receiptHeading}</h1>
    ${repeated ? html`<p>${t.repeated}</p>` : ''}
    <p>${t.reference}</p>
    <p class="receipt" data-testid="reference">${referralId}</p>
    <p>${t.keepReference}</p>
    <ul data-testid="promises">
      ${SOCIAL_WORKER_NOTIFICATIONS.map((n) => html`<li>${n.promise[lang]}</li>`)}
    </ul>
    <p><a href="/">${t.newReferral}</a></p>`;
  // The receipt answers a POST: its switch leads to the form, which is where a link can go.
  return page({ title: t.receiptTitle, lang, body, languageSwitch: { link: '/' } });
}

export function alreadyActivePage(lang: Language = 'sv'): string {
  const t = TEXT[lang];
  const body = html` <h1>${t.activeHeading}</h1>
    ${t.active.map((p) => html`<p>${p}</p>`)}
    <p><a href="/">${t.backToForm}</a></p>`;
  return page({ title: t.activeTitle, lang, body, languageSwitch: { link: '/' } });
}
