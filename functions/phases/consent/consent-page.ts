/** A custodian's consent page (Swedish or English), or the social worker's page for a paper consent. */
import { printableName } from '../../domain/free-text';
import { childDisplayName, type Language } from '../../domain/referral';
import { html } from '../../web/html';
import { page } from '../../web/layout';
import { CONFIRM_HINT, type StepPage } from '../../web/pages/step-page';

/** The social worker's page for a custodian's paper consent (staff may read it in English). */
const PAPER_SV = {
  title: 'Registrera samtycke på papper',
  heading: 'Registrera vårdnadshavarens svar',
  intro: (id: string, n?: number, name?: string) =>
    `Ärende ${id}. Vårdnadshavare ${n}: ${name} har ingen e-post, så du registrerar svaret från den underskrivna blanketten.`,
  answer: 'Vårdnadshavarens svar',
  consents: 'Vårdnadshavaren samtycker',
  refuses: 'Vårdnadshavaren samtycker inte',
  reference: 'Hänvisning till den underskrivna blanketten',
  referenceHint: 'Till exempel dokument-id i akten. Skriv inte personnummer.',
  record: 'Registrera svaret',
  bounced: (id: string, n?: number, name?: string) =>
    `Ärende ${id}. E-post till vårdnadshavare ${n}: ${name} kunde inte levereras. Ange en annan e-postadress, så får vårdnadshavaren en ny förfrågan, eller registrera svaret från en underskriven blankett.`,
  newAddressHeading: 'En annan e-postadress',
  newAddress: 'Vårdnadshavarens nya e-postadress',
  send: 'Skicka förfrågan till den nya adressen',
  paperHeading: 'Eller: svaret från blanketten',
};
const PAPER: Record<Language, typeof PAPER_SV> = {
  sv: PAPER_SV,
  en: {
    title: 'Record a consent on paper',
    heading: "Record the custodian's answer",
    intro: (id: string, n?: number, name?: string) =>
      `Referral ${id}. Custodian ${n}: ${name} has no email, so you record the answer from the signed form.`,
    answer: "The custodian's answer",
    consents: 'The custodian consents',
    refuses: 'The custodian does not consent',
    reference: 'Reference to the signed form',
    referenceHint: 'For example the document id in the case file. Do not write identity numbers.',
    record: 'Record the answer',
    bounced: (id: string, n?: number, name?: string) =>
      `Referral ${id}. Email to custodian ${n}: ${name} could not be delivered. Give another email address, and the custodian is asked anew, or record the answer from a signed form.`,
    newAddressHeading: 'Another email address',
    newAddress: "The custodian's new email address",
    send: 'Send the request to the new address',
    paperHeading: 'Or: the answer from the form',
  },
};

export const consentPage: StepPage = ({ view, action, top, errors, lang }) => {
  const { link, referral } = view;
  // In the page's language: an English page never says "barnet i ärende …".
  const child = childDisplayName(referral, lang);
  const custodian = referral.custodians.find((c) => c.number === link.custodian);
  if (link.recipient.role === 'social-worker') {
    const t = PAPER[lang];
    // The custodian has an address, so the social worker holds her link because email to it came back.
    const bounced = !!custodian?.email;
    return page({
      title: t.title,
      lang,
      body: html`<h1>${t.heading}</h1>
        ${top}
        <p>
          ${
            bounced
              ? t.bounced(referral.referralId, custodian?.number, custodian?.name)
              : t.intro(referral.referralId, custodian?.number, custodian?.name)
          }
        </p>
        <p class="hint">${CONFIRM_HINT[lang]}</p>
        ${
          bounced
            ? html`<h2>${t.newAddressHeading}</h2>
                <form method="post" action="${action}">
                  <input type="hidden" name="action" value="new-address" />
                  <label for="email">${t.newAddress}</label>
                  ${errors.email ? html`<p class="field-error" id="email-error">${errors.email}</p>` : ''}
                  <input
                    type="email"
                    id="email"
                    name="email"
                    required
                    autocomplete="off"
                    ${errors.email ? html`aria-invalid="true" aria-describedby="email-error"` : ''}
                  />
                  <button type="submit">${t.send}</button>
                </form>
                <h2>${t.paperHeading}</h2>`
            : ''
        }
        <form method="post" action="${action}">
          <fieldset>
            <legend>${t.answer}</legend>
            <p>
              <input type="radio" id="action-consent" name="action" value="consent" required /><label
                class="inline"
                for="action-consent"
                >${t.consents}</label
              >
            </p>
            <p>
              <input type="radio" id="action-refuse" name="action" value="refuse" /><label
                class="inline"
                for="action-refuse"
                >${t.refuses}</label
              >
            </p>
          </fieldset>
          <label for="paperReference">${t.reference}</label>
          <p class="hint" id="paperReference-hint">${t.referenceHint}</p>
          ${errors.paperReference ? html`<p class="field-error" id="paperReference-error">${errors.paperReference}</p>` : ''}
          <input
            type="text"
            id="paperReference"
            name="paperReference"
            required
            aria-describedby="paperReference-hint${errors.paperReference ? ' paperReference-error' : ''}"
            ${errors.paperReference ? html`aria-invalid="true"` : ''}
          />
          <button type="submit">${t.record}</button>
        </form>`,
    });
  }
  const en = lang === 'en';
  const months = view.retentionMonths;
  // The custodian's contact is the referring social worker, by name where the name is a plain one.
  const socialWorkerName =
    printableName(referral.socialWorker.name) ?? (en ? '(name not given)' : '(namn saknas)');
  return page({
    title: en ? 'Consent to a support group' : 'Samtycke till stödgrupp',
    lang,
    body: html`<h1>${en ? 'Consent to a support group at Bris' : 'Samtycke till stödgrupp hos Bris'}</h1>
      ${top}
      <p>
        ${en ? `The social services suggest that ${child} takes part in a support group for children who live in family homes.` : `Socialtjänsten föreslår att ${child} deltar i en stödgrupp för barn som bor i familjehem.`}
      </p>
      <h2>${en ? 'What the group is' : 'Vad gruppen är'}</h2>
      <p>
        ${en ? "Up to eight children meet, either once a week for eight meetings of two hours, or during support weekends. The aim is to strengthen the child's mental health by meeting others in the same situation. Bris, the children's rights organisation, runs the group in its own premises." : 'Upp till åtta barn träffas, antingen en gång i veckan vid åtta träffar om två timmar, eller under stödhelger. Målet är att stärka barnets psykiska hälsa genom att träffa andra i samma situation. Barnrättsorganisationen Bris håller gruppen i sina egna lokaler.'}
      </p>
      <h2>${en ? 'Data shared with Bris, and why' : 'Uppgifter som delas med Bris, och varför'}</h2>
      <p>
        ${en ? "Bris receives the child's first name and age, the city district and contact details for the family home, so that it can place the child in a group of the right age and plan the meetings. The child's identity number, address and placement details are not shared." : 'Bris får barnets förnamn och ålder, stadsdelsområde och kontaktuppgifter till familjehemmet, för att kunna placera barnet i en grupp med rätt ålder och planera träffarna. Barnets personnummer, adress och uppgifter om placeringen delas inte.'}
      </p>
      <h2>${en ? 'How long the data is kept' : 'Hur länge uppgifterna sparas'}</h2>
      <p>
        ${en ? `The data is kept while the referral is open and for ${months} months after it closes; then the personal data is erased and only anonymous figures remain.` : `Uppgifterna sparas medan anmälan pågår och i ${months} månader efter att den avslutats. Sedan raderas personuppgifterna och bara anonym statistik finns kvar.`}
      </p>
      <h2>${en ? 'You can change your mind' : 'Du kan ändra dig'}</h2>
      <p>
        ${en ? 'You can withdraw your consent at any time, with the withdrawal link in the email or by contacting the social worker who made the referral.' : 'Du kan när som helst återkalla ditt samtycke, med länken för återkallelse i mejlet eller genom att kontakta socialsekreteraren som gjorde anmälan.'}
      </p>
      <h2>${en ? 'Questions? Contact the social worker' : 'Frågor? Kontakta socialsekreteraren'}</h2>
      <p>
        ${en ? 'The referral was made by social worker ' : 'Anmälan gjordes av socialsekreterare '}${socialWorkerName}
        (<a href="mailto:${referral.socialWorker.email}">${referral.socialWorker.email}</a>).
        ${en ? 'You can ask about the group, the referral or your consent.' : 'Du kan fråga om gruppen, anmälan eller ditt samtycke.'}
      </p>
      <p class="hint">${CONFIRM_HINT[lang]}</p>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="consent" />
        <button type="submit">${en ? 'I consent' : 'Jag samtycker'}</button>
      </form>
      <form method="post" action="${action}">
        <input type="hidden" name="action" value="refuse" />
        <button type="submit" class="secondary">${en ? 'I do not consent' : 'Jag samtycker inte'}</button>
      </form>`,
  });
};
