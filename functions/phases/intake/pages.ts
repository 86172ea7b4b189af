/** The referral form: server-rendered, works without JavaScript, every input labelled, errors next to fields. */
import { SOCIAL_WORKER_NOTIFICATIONS } from '../../web/emails/promises';
import { REFERRAL_FORM_FIELDS } from '../../domain/referral-form';
import { html, type SafeHtml } from '../../web/html';
import { page } from '../../web/layout';

interface FormState {
  idempotencyKey: string;
  districts: readonly string[];
  /** Offered only where the partnership lets a child of this age consent alone. */
  childConsent?: { allowed: boolean; fromAge: number; citation: string };
  values?: Record<string, string>;
  errors?: Record<string, string>;
}

/** Errors are summarised in the order of the form. */
const FIELD_ORDER: readonly string[] = REFERRAL_FORM_FIELDS.filter((f) => f !== 'idempotencyKey');

type FormValues = Record<string, string>;
type FormErrors = Record<string, string>;

/** The form's controls, each labelled, with its hint and its error next to it and tied to it for screen readers. */
function formControls(values: FormValues, errors: FormErrors) {
  const err = (name: string): SafeHtml =>
    errors[name]
      ? html`<p class="field-error" id="${name}-error">
          <span class="visually-hidden">Fel: </span>${errors[name]}
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
  return { values, errors, err, input, radio };
}

type FormControls = ReturnType<typeof formControls>;

/** Every error at the top, in the order of the form, each linked to its field. */
function errorSummary(errors: FormErrors): SafeHtml | '' {
  const ordered = [...FIELD_ORDER, 'idempotencyKey', '_form'].filter((f) => errors[f]);
  return ordered.length
    ? html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
        <h2 id="error-summary-title">Anmälan kunde inte skickas</h2>
        <p>Rätta följande och skicka igen:</p>
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
function childFieldset({ values, errors, err, input }: FormControls, districts: readonly string[]): SafeHtml {
  return html`<fieldset>
    <legend>Barnet</legend>
    <label for="district">Stadsdelsområde</label>
    ${err('district')}
    <select
      id="district"
      name="district"
      required
      ${errors.district ? html`aria-invalid="true" aria-describedby="district-error"` : ''}
    >
      <option value="">Välj stadsdelsområde</option>
      ${districts.map((d) => html`<option value="${d}" ${values.district === d ? html`selected` : ''}>${d}</option>`)}
    </select>
    ${input('childFirstName', 'Barnets förnamn', 'text', { hint: 'Bara förnamnet. Det visas för Bris, aldrig i e-post om barnet har skyddade personuppgifter.' })}
    ${input('identityNumber', 'Barnets personnummer', 'text', { hint: 'ÅÅÅÅMMDD-NNNN. Används bara för att räkna ut ålder och se att barnet inte redan är anmält; det sparas inte i klartext och skickas aldrig i e-post.' })}
    <p>
      <input
        type="checkbox"
        id="protectedIdentity"
        name="protectedIdentity"
        value="on"
        ${values.protectedIdentity === 'on' ? html`checked` : ''}
      />
      <label class="inline" for="protectedIdentity"
        >Barnet har skyddade personuppgifter (frivilligt att kryssa i)</label
      >
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
      <label class="inline" for="childWish"
        >Barnet har fått veta vad stödgruppen är och vill själv delta</label
      >
    </p>
  </fieldset>`;
}

/** The social worker who refers: where every decision is sent. */
function socialWorkerFieldset({ input }: FormControls): SafeHtml {
  return html`<fieldset>
    <legend>Du som anmäler</legend>
    ${input('socialWorkerName', 'Ditt namn', 'text', { autocomplete: 'name' })}
    ${input('socialWorkerEmail', 'Din e-postadress', 'email', { autocomplete: 'email', hint: 'Du får besked hit om varje beslut, och en länk för att återkalla anmälan.' })}
  </fieldset>`;
}

/** Who consents: offered only where the partnership lets a child of this age consent alone. */
function consentBasisFieldset({ values, err, radio }: FormControls, childConsent: FormState['childConsent']) {
  return childConsent?.allowed
    ? html`<fieldset>
        <legend>Vem samtycker?</legend>
        ${err('consentBasis')}
        ${radio('consentBasis', 'custodians', 'Alla vårdnadshavare', values.consentBasis !== 'child')}
        ${radio('consentBasis', 'child', `Barnet samtycker själv (från ${childConsent.fromAge} år, öppen insats; ${childConsent.citation})`, values.consentBasis === 'child')}
      </fieldset>`
    : '';
}

/** Whether the custodians get the schedule (never for a child with protected identity). */
function scheduleForCustodiansCheckbox({ values }: FormControls): SafeHtml {
  return html`<p>
    <input
      type="checkbox"
      id="custodianMaySeeSchedule"
      name="custodianMaySeeSchedule"
      value="on"
      ${values.custodianMaySeeSchedule === 'on' ? html`checked` : ''}
    />
    <label class="inline" for="custodianMaySeeSchedule"
      >Vårdnadshavarna får schemat med tider och plats (gäller aldrig barn med skyddade
      personuppgifter)</label
    >
  </p>`;
}

/** A custodian: name, how consent is given (email link or paper), email and the email's language. */
function custodianFields({ values, err, input, radio }: FormControls, n: 1 | 2): SafeHtml {
  return html` ${input(`custodian${n}Name`, n === 1 ? 'Namn' : 'Namn (lämna tomt om barnet har en vårdnadshavare)', 'text', { optional: n === 2 })}
    <fieldset>
      <legend>Hur lämnar vårdnadshavare ${n} sitt samtycke?</legend>
      ${err(`custodian${n}Contact`)}
      ${radio(`custodian${n}Contact`, 'email', 'Med en personlig länk i e-post', values[`custodian${n}Contact`] !== 'paper')}
      ${radio(`custodian${n}Contact`, 'paper', 'Har ingen e-post: jag samlar in samtycket på papper och registrerar det', values[`custodian${n}Contact`] === 'paper')}
    </fieldset>
    ${input(`custodian${n}Email`, 'E-postadress', 'email', { optional: true, hint: 'Behövs när samtycket lämnas med länk i e-post.' })}
    <label for="custodian${n}Language">Språk i e-post</label>
    ${err(`custodian${n}Language`)}
    <select id="custodian${n}Language" name="custodian${n}Language">
      <option value="sv" ${values[`custodian${n}Language`] !== 'en' ? html`selected` : ''}>Svenska</option>
      <option value="en" ${values[`custodian${n}Language`] === 'en' ? html`selected` : ''} lang="en">
        English
      </option>
    </select>`;
}

/** The family home: it gets the schedule and the reminders. */
function carerFieldset({ input }: FormControls): SafeHtml {
  return html`<fieldset>
    <legend>Familjehem</legend>
    ${input('carerName', 'Familjehemsförälderns namn', 'text')}
    ${input('carerEmail', 'Familjehemsförälderns e-postadress', 'email', { hint: 'Familjehemmet får schema och påminnelser.' })}
  </fieldset>`;
}

export function referralFormPage({
  idempotencyKey,
  districts,
  childConsent,
  values = {},
  errors = {},
}: FormState): string {
  const controls = formControls(values, errors);
  const body = html` <h1>Anmälan till stödgrupp hos Bris</h1>
    <p>
      För socialsekreterare i Stockholms stad. Anmäl ett familjehemsplacerat barn 7–18 år till Bris
      stödgrupper. Alla fält är obligatoriska om inget annat anges.
    </p>
    ${errorSummary(errors)}
    <form method="post" action="/referrals" novalidate>
      <input type="hidden" name="idempotencyKey" value="${idempotencyKey}" />
      ${childFieldset(controls, districts)} ${socialWorkerFieldset(controls)}
      ${consentBasisFieldset(controls, childConsent)} ${scheduleForCustodiansCheckbox(controls)}
      <fieldset>
        <legend>Vårdnadshavare 1</legend>
        ${custodianFields(controls, 1)}
      </fieldset>
      <fieldset>
        <legend>Vårdnadshavare 2 (om barnet har två)</legend>
        ${custodianFields(controls, 2)}
      </fieldset>
      ${carerFieldset(controls)}
      <button type="submit">Skicka anmälan</button>
    </form>`;
  return page({ title: Object.keys(errors).length ? 'Fel i anmälan' : 'Anmälan till stödgrupp', body });
}

/** The receipt page: its promise is the receipt email's, from the list the tests hold the sending to. */
export function receiptPage(referralId: string, repeated: boolean): string {
  const body = html` <h1>Anmälan är mottagen</h1>
    ${repeated ? html`<p>Den här anmälan var redan skickad; den har inte registrerats två gånger.</p>` : ''}
    <p>Referensnummer:</p>
    <p class="receipt" data-testid="reference">${referralId}</p>
    <p>Spara referensnumret. Du får ett mejl:</p>
    <ul data-testid="promises">
      ${SOCIAL_WORKER_NOTIFICATIONS.map((n) => html`<li>${n.promise.sv}</li>`)}
    </ul>
    <p><a href="/">Gör en ny anmälan</a></p>`;
  return page({ title: 'Anmälan mottagen', body });
}

export function alreadyActivePage(): string {
  const body = html` <h1>Barnet har redan en pågående anmälan</h1>
    <p>
      Det finns redan en aktiv anmälan till Bris stödgrupper för det här barnet, så en ny anmälan har inte
      skapats.
    </p>
    <p>
      Har du eller en kollega nyss skickat en anmälan för barnet, till exempel i ett annat fönster, är det den
      som gäller: kvittot för den kommer med e-post.
    </p>
    <p>Kontakta Bris samordnare om något behöver ändras i den pågående anmälan.</p>
    <p><a href="/">Tillbaka till formuläret</a></p>`;
  return page({ title: 'Redan anmäld', body });
}

export function errorPage(title: string, message: string): string {
  return page({
    title,
    body: html`<h1>${title}</h1>
      <p>${message}</p>
      <p><a href="/">Till startsidan</a></p>`,
  });
}
