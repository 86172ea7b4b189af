/** Pages behind capability links. The language follows the recipient (custodians may choose English). */
import { childDisplayName, type Language } from '../../domain/referral';
import type { LinkRecord } from '../../ports';
import type { LinkView, RedeemResult } from '../../kernel/link-engine';
import { groupLinkPage } from '../../phases/groups/pages';
import { html, type SafeHtml } from '../html';
import { page } from '../layout';

const T = {
  sv: {
    unknownTitle: 'Länken fungerar inte',
    unknown:
      'Länken finns inte. Kontrollera att hela adressen kom med från mejlet, eller kontakta den som skickade det.',
    usedTitle: 'Länken är redan använd',
    used: 'Den här länken har redan använts och kan bara användas en gång. Ingenting har ändrats nu.',
    expiredTitle: 'Länken har gått ut',
    expired: 'Länken gäller inte längre. Du kan få en ny länk till samma e-postadress som förut.',
    renew: 'Skicka en ny länk',
    renewedTitle: 'En ny länk är skickad',
    renewed:
      'Vi har skickat en ny länk till samma e-postadress som tidigare. Den gamla länken fungerar inte längre.',
    supersededTitle: 'Det finns en nyare länk',
    superseded: 'En nyare länk har skickats för samma steg. Använd länken i det senaste mejlet.',
    closedTitle: 'Steget är inte längre öppet',
    closed:
      'Det här steget behöver inte längre något svar, till exempel för att ärendet har gått vidare eller avslutats.',
    doneTitle: 'Tack, ditt svar är registrerat',
    invalid: 'Svaret kunde inte registreras',
    fix: 'Rätta följande:',
    groupFull: 'Gruppen hann bli full. Välj en annan grupp.',
    confirmHint: 'Ingenting händer förrän du trycker på en knapp.',
    tryAgainTitle: 'Försök igen om en liten stund',
    tryAgain:
      'Svaret kunde inte tas emot just nu. Ingenting har ändrats. Ladda om sidan om en minut och svara igen.',
  },
  en: {
    unknownTitle: 'The link does not work',
    unknown:
      'This link does not exist. Check that the whole address was copied from the email, or contact the sender.',
    usedTitle: 'The link has already been used',
    used: 'This link has already been used and works only once. Nothing was changed now.',
    expiredTitle: 'The link has expired',
    expired: 'This link is no longer valid. You can get a new link sent to the same email address as before.',
    renew: 'Send me a new link',
    renewedTitle: 'A new link has been sent',
    renewed: 'We have sent a new link to the same email address as before. The old link no longer works.',
    supersededTitle: 'There is a newer link',
    superseded: 'A newer link has been sent for the same step. Please use the link in the latest email.',
    closedTitle: 'This step is no longer open',
    closed:
      'This step no longer needs an answer, for example because the referral has moved on or been closed.',
    doneTitle: 'Thank you, your answer has been recorded',
    invalid: 'Your answer could not be recorded',
    fix: 'Please correct the following:',
    groupFull: 'That group has just become full. Please choose another group.',
    confirmHint: 'Nothing happens until you press a button.',
    tryAgainTitle: 'Please try again in a moment',
    tryAgain:
      'Your answer could not be received just now. Nothing was changed. Reload the page in a minute and answer again.',
  },
} as const;

function langOf(link?: LinkRecord): Language {
  return link?.recipient.language === 'en' ? 'en' : 'sv';
}

function simple(lang: Language, title: string, text: string, extra: SafeHtml = html``): string {
  return page({
    title,
    lang,
    body: html`<h1>${title}</h1>
      <p>${text}</p>
      ${extra}`,
  });
}

function errorList(lang: Language, errors: Record<string, string>): SafeHtml {
  return html`<div class="error-summary" role="alert" tabindex="-1">
    <h2>${T[lang].invalid}</h2>
    <p>${T[lang].fix}</p>
    <ul>
      ${Object.entries(errors).map(([f, m]) => (f === '_form' || f === 'action' ? html`<li>${m}</li>` : html`<li><a href="#${f}">${m}</a></li>`))}
    </ul>
  </div>`;
}

function stepForm(
  token: string,
  view: Extract<LinkView, { kind: 'open' }>,
  errors: Record<string, string> = {},
  notice?: string,
): string {
  const { link, referral } = view;
  const lang = langOf(link);
  const action = `/links/${token}`;
  const top = html`${notice ? html`<div class="error-summary" role="alert"><p>${notice}</p></div>` : ''}${Object.keys(errors).length ? errorList(lang, errors) : ''}`;
  switch (link.step) {
    case 'screening':
      return page({
        title: 'Bedöm anmälan',
        body: html`<h1>Bedöm anmälan ${referral.referralId}</h1>
          ${top}
          <table>
            <tbody>
              <tr>
                <th scope="row">Stadsdelsområde</th>
                <td>${referral.district}</td>
              </tr>
              <tr>
                <th scope="row">Barnets förnamn</th>
                <td>
                  ${referral.child.protectedIdentity ? 'Skyddade personuppgifter' : referral.child.firstName}
                </td>
              </tr>
              <tr>
                <th scope="row">Ålder</th>
                <td>${referral.child.ageAtReferral} år (åldersgrupp ${referral.child.ageBand})</td>
              </tr>
              <tr>
                <th scope="row">Anmäld av</th>
                <td>${referral.socialWorker.name}</td>
              </tr>
            </tbody>
          </table>
          <p class="hint">${T.sv.confirmHint}</p>
          <form method="post" action="${action}">
            <input type="hidden" name="action" value="approve" />
            <p>
              <input type="checkbox" id="noWeekdays" name="noWeekdays" value="on" />
              <label class="inline" for="noWeekdays">Barnet kan inte delta vardagar: behöver stödhelg</label>
            </p>
            <button type="submit">Godkänn anmälan</button>
          </form>
          <form method="post" action="${action}">
            <input type="hidden" name="action" value="decline" />
            <label for="reason">Skäl till avslag</label>
            <p class="hint" id="reason-hint">
              Skälet mejlas inte: socialsekreteraren läser det efter inloggning. Skriv inte personnummer,
              adress eller placeringsuppgifter.
            </p>
            ${errors.reason ? html`<p class="field-error" id="reason-error">${errors.reason}</p>` : ''}
            <textarea
              id="reason"
              name="reason"
              rows="3"
              aria-describedby="reason-hint${errors.reason ? ' reason-error' : ''}"
              ${errors.reason ? html`aria-invalid="true"` : ''}
            ></textarea>
            <button type="submit" class="secondary">Avslå anmälan</button>
          </form>`,
      });
    case 'consent': {
      const child = childDisplayName(referral);
      const custodian = referral.custodians.find((c) => c.number === link.custodian);
      if (link.recipient.role === 'social-worker') {
        return page({
          title: 'Registrera samtycke på papper',
          body: html`<h1>Registrera vårdnadshavarens svar</h1>
            ${top}
            <p>
              Ärende ${referral.referralId}. Vårdnadshavare ${custodian?.number}: ${custodian?.name} har ingen
              e-post, så du registrerar svaret från den underskrivna blanketten.
            </p>
            <p class="hint">${T.sv.confirmHint}</p>
            <form method="post" action="${action}">
              <fieldset>
                <legend>Vårdnadshavarens svar</legend>
                <p>
                  <input type="radio" id="action-consent" name="action" value="consent" required /><label
                    class="inline"
                    for="action-consent"
                    >Vårdnadshavaren samtycker</label
                  >
                </p>
                <p>
                  <input type="radio" id="action-refuse" name="action" value="refuse" /><label
                    class="inline"
                    for="action-refuse"
                    >Vårdnadshavaren samtycker inte</label
                  >
                </p>
              </fieldset>
              <label for="paperReference">Hänvisning till den underskrivna blanketten</label>
              <p class="hint" id="paperReference-hint">
                Till exempel dokument-id i akten. Skriv inte personnummer.
              </p>
              ${errors.paperReference ? html`<p class="field-error" id="paperReference-error">${errors.paperReference}</p>` : ''}
              <input
                type="text"
                id="paperReference"
                name="paperReference"
                required
                aria-describedby="paperReference-hint${errors.paperReference ? ' paperReference-error' : ''}"
                ${errors.paperReference ? html`aria-invalid="true"` : ''}
              />
              <button type="submit">Registrera svaret</button>
            </form>`,
        });
      }
      const en = lang === 'en';
      const months = view.retentionMonths;
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
            ${en ? 'You can withdraw your consent at any time, with the withdrawal link in the email or by contacting the social worker.' : 'Du kan när som helst återkalla ditt samtycke, med länken för återkallelse i mejlet eller genom att kontakta socialsekreteraren.'}
          </p>
          <p class="hint">${T[lang].confirmHint}</p>
          <form method="post" action="${action}">
            <input type="hidden" name="action" value="consent" />
            <button type="submit">${en ? 'I consent' : 'Jag samtycker'}</button>
          </form>
          <form method="post" action="${action}">
            <input type="hidden" name="action" value="refuse" />
            <button type="submit" class="secondary">${en ? 'I do not consent' : 'Jag samtycker inte'}</button>
          </form>`,
      });
    }
    case 'consent-escalation': {
      const missing = referral.custodians.filter((c) => !c.consent);
      return page({
        title: 'Samtycke saknas',
        body: html`<h1>Samtycke saknas för ${referral.referralId}</h1>
          ${top}
          <p>
            Följande vårdnadshavare har inte svarat före tidsgränsen, trots påminnelser:
            ${missing.map((c) => `${c.number}: ${c.name}`).join(', ')}.
          </p>
          <p class="hint">${T.sv.confirmHint}</p>
          <form method="post" action="${action}">
            <input type="hidden" name="action" value="extend" />
            <button type="submit">Förläng tidsgränsen och fråga igen</button>
          </form>
          <form method="post" action="${action}">
            <input type="hidden" name="action" value="committee-decision" />
            <fieldset>
              <legend>Socialnämndens beslut (Föräldrabalken 6 kap. 13 a §)</legend>
              <label for="decisionDate">Beslutsdatum</label>
              <p class="hint" id="decisionDate-hint">ÅÅÅÅ-MM-DD</p>
              ${errors.decisionDate ? html`<p class="field-error" id="decisionDate-error">${errors.decisionDate}</p>` : ''}
              <input
                type="text"
                id="decisionDate"
                name="decisionDate"
                required
                aria-describedby="decisionDate-hint${errors.decisionDate ? ' decisionDate-error' : ''}"
                ${errors.decisionDate ? html`aria-invalid="true"` : ''}
              />
              <label for="caseReference">Diarienummer</label>
              ${errors.caseReference ? html`<p class="field-error" id="caseReference-error">${errors.caseReference}</p>` : ''}
              <input
                type="text"
                id="caseReference"
                name="caseReference"
                required
                ${errors.caseReference ? html`aria-invalid="true" aria-describedby="caseReference-error"` : ''}
              />
              <button type="submit">Registrera beslutet och gå vidare</button>
            </fieldset>
          </form>
          <form method="post" action="${action}">
            <input type="hidden" name="action" value="close" />
            <button type="submit" class="secondary">Avsluta anmälan</button>
          </form>`,
      });
    }
    case 'evaluation': {
      const q = view.questionnaire!;
      const forChild = link.respondent === 'child';
      return page({
        title: forChild ? 'Hur var det i gruppen?' : 'Utvärdering av stödgruppen',
        body: html`<h1>${forChild ? 'Hur var det i gruppen?' : 'Utvärdering av stödgruppen'}</h1>
          ${top}
          <p>
            ${forChild ? 'Svara på några frågor om gruppen. 1 betyder inte alls, 5 betyder jättebra. Det finns inga rätta svar.' : 'Några korta frågor om gruppen. 1 betyder inte alls, 5 betyder mycket bra. Svaren används för att följa upp verksamheten.'}
          </p>
          <form method="post" action="${action}">
            <input type="hidden" name="action" value="answer" />
            ${q.items.map(
              (item) =>
                html`<fieldset id="item-${item.id}">
                  <legend>${item.text}</legend>
                  ${errors[`item-${item.id}`] ? html`<p class="field-error">${errors[`item-${item.id}`]}</p>` : ''}
                  ${[1, 2, 3, 4, 5].map(
                    (n) =>
                      html`<input
                          type="radio"
                          id="item-${item.id}-${n}"
                          name="item-${item.id}"
                          value="${n}"
                        /><label class="inline" for="item-${item.id}-${n}">${n}</label> `,
                  )}
                </fieldset>`,
            )}
            <label for="freeText">${q.freeTextLabel}</label>
            <p class="hint" id="freeText-hint">
              ${forChild ? 'Skriv inte ditt personnummer eller var du bor.' : 'Skriv inte personnummer eller adresser.'}
            </p>
            ${errors.freeText ? html`<p class="field-error" id="freeText-error">${errors.freeText}</p>` : ''}
            <textarea
              id="freeText"
              name="freeText"
              rows="3"
              aria-describedby="freeText-hint${errors.freeText ? ' freeText-error' : ''}"
              ${errors.freeText ? html`aria-invalid="true"` : ''}
            ></textarea>
            <button type="submit">Skicka svaren</button>
          </form>`,
      });
    }
    case 'withdrawal': {
      const en = lang === 'en';
      return page({
        title: en ? 'Withdraw the referral' : 'Återkalla anmälan',
        lang,
        body: html`<h1>${en ? 'Withdraw the referral' : 'Återkalla anmälan'}</h1>
          ${top}
          <p>
            ${en ? 'If you withdraw, the child will not take part in the support group, everything that is under way stops, and Bris and the social worker are told.' : 'Om anmälan återkallas deltar barnet inte i stödgruppen, allt som pågår stoppas och Bris och socialsekreteraren får besked.'}
          </p>
          <form method="post" action="${action}">
            <input type="hidden" name="action" value="withdraw" />
            <label for="reason"
              >${en ? 'Why is the referral withdrawn?' : 'Varför återkallas anmälan?'}</label
            >
            <p class="hint" id="reason-hint">
              ${en ? 'The reason is not emailed: Bris and the social worker read it after signing in. Do not write identity numbers or addresses.' : 'Skälet mejlas inte: Bris och socialsekreteraren läser det när de har loggat in. Skriv inte personnummer eller adresser.'}
            </p>
            ${errors.reason ? html`<p class="field-error" id="reason-error">${errors.reason}</p>` : ''}
            <textarea
              id="reason"
              name="reason"
              rows="3"
              required
              aria-describedby="reason-hint${errors.reason ? ' reason-error' : ''}"
              ${errors.reason ? html`aria-invalid="true"` : ''}
            ></textarea>
            <button type="submit">${en ? 'Withdraw the referral' : 'Återkalla anmälan'}</button>
          </form>`,
      });
    }
    default:
      // Silent waits and group links have no page of their own here.
      return simple(lang, T[lang].closedTitle, T[lang].closed);
  }
}

const DONE_TEXT_ANSWER = { sv: 'Tack för dina svar!', en: 'Thank you for your answers!' };
/** What a person is told after answering, by the answer's action. */
const DONE_TEXT: Record<string, { sv: string; en: string }> = {
  approve: {
    sv: 'Anmälan är godkänd. Vårdnadshavaren tillfrågas nu om samtycke.',
    en: 'The referral is approved.',
  },
  decline: {
    sv: 'Anmälan är avslagen. Socialsekreteraren får besked och läser ditt skäl efter inloggning.',
    en: 'The referral is declined. The social worker is told and reads your reason after signing in.',
  },
  consent: {
    sv: 'Tack! Du har samtyckt till att barnet deltar i stödgruppen.',
    en: 'Thank you! You have consented to the child taking part in the support group.',
  },
  refuse: {
    sv: 'Du har svarat att du inte samtycker. Socialsekreteraren får besked.',
    en: 'You have answered that you do not consent. The social worker will be told.',
  },
  extend: {
    sv: 'Tidsgränsen är förlängd. Vårdnadshavarna som inte svarat får en ny förfrågan.',
    en: 'The deadline has been extended.',
  },
  'committee-decision': {
    sv: 'Socialnämndens beslut är registrerat som rättslig grund. Barnet väntar nu på en grupp.',
    en: "The committee's decision has been recorded.",
  },
  close: { sv: 'Anmälan avslutas. Du får ett mejl när den är stängd.', en: 'The referral will be closed.' },
  answer: DONE_TEXT_ANSWER,
  withdraw: {
    sv: 'Anmälan är återkallad. Bris och socialsekreteraren får besked.',
    en: 'The referral has been withdrawn. Bris and the social worker will be told.',
  },
};

export function linkPage(
  token: string,
  result: RedeemResult | LinkView | { kind: 'renewed'; link: LinkRecord },
): { status: number; body: string } {
  const lang = langOf('link' in result ? result.link : undefined);
  const t = T[lang];
  switch (result.kind) {
    case 'unknown':
      return { status: 404, body: simple(lang, t.unknownTitle, t.unknown) };
    case 'used':
      return { status: 409, body: simple(lang, t.usedTitle, t.used) };
    case 'superseded':
      return { status: 410, body: simple(lang, t.supersededTitle, t.superseded) };
    case 'closed':
    case 'no-longer-open':
      return { status: 410, body: simple(lang, t.closedTitle, t.closed) };
    case 'expired':
      return {
        status: 410,
        body: simple(
          lang,
          t.expiredTitle,
          t.expired,
          html`<form method="post" action="/links/${token}/renew">
            <button type="submit">${t.renew}</button>
          </form>`,
        ),
      };
    case 'renewed':
      return { status: 200, body: simple(lang, t.renewedTitle, t.renewed) };
    case 'try-again':
      return { status: 503, body: simple(lang, t.tryAgainTitle, t.tryAgain) };
    case 'open':
      return { status: 200, body: stepForm(token, result) };
    case 'invalid':
      return { status: 400, body: stepForm(token, { ...result, kind: 'open' }, result.errors) };
    case 'group':
      return groupLinkPage(token, result.result);
    case 'done': {
      const onBehalf = result.link.recipient.role === 'social-worker' && result.link.step === 'consent';
      const text = onBehalf
        ? 'Vårdnadshavarens svar är registrerat med hänvisning till blanketten.'
        : (DONE_TEXT[result.action.action] ?? DONE_TEXT_ANSWER)[lang];
      return { status: 200, body: simple(lang, t.doneTitle, text) };
    }
  }
}
