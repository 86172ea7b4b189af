/**
 * The privacy notice (/privacy, `?lang=en` for English): what is stored, why, on which legal basis, for how
 * long, and whom to contact, in plain words. Linked from every page footer and every email footer. The
 * retention and the contacts are the partnership's settings, never written into the text.
 */
import type { Partnership } from '../../domain/partnership';
import type { Language } from '../../domain/referral';
import { html, type SafeHtml } from '../html';
import { page } from '../layout';

type Contact = { name: string; email: string };

const mail = (c: Contact) => html`${c.name} (<a href="mailto:${c.email}">${c.email}</a>)`;

const SV = {
  title: 'Så behandlar vi personuppgifter',
  intro:
    'Den här tjänsten tar emot anmälningar av familjehemsplacerade barn till Bris stödgrupper, i ett idéburet offentligt partnerskap mellan Stockholms stad och Bris. Här står vilka uppgifter vi sparar, varför, med vilken rätt, hur länge och vem du kan kontakta.',
  whatHeading: 'Vilka uppgifter vi sparar',
  what: [
    'Om barnet: förnamn, födelsedatum och ålder, stadsdelsområde och om barnet har skyddade personuppgifter. Personnumret sparas bara som en nyckel som inte går att läsa tillbaka, för att samma barn inte ska anmälas två gånger samtidigt.',
    'Om vuxna: namn och e-postadress till socialsekreteraren, vårdnadshavarna och familjehemmet, och det språk de vill ha e-post på.',
    'Om ärendet: samtycken och den rättsliga grunden, beslut, grupp och närvaro, svar på utvärderingar och en logg över vem som gjorde vad och när.',
  ],
  notHeading: 'Det sparar vi inte',
  not: 'Barnets adress, uppgifter om placeringen eller kommunens akt. E-post innehåller aldrig personnummer eller adress, och ett barn med skyddade personuppgifter nämns aldrig vid namn.',
  whyHeading: 'Varför',
  why: 'För att kunna bedöma anmälan, fråga vårdnadshavarna om samtycke, placera barnet i en grupp i rätt ålder, planera träffarna, följa upp gruppen och berätta för socialsekreteraren hur det går.',
  basisHeading: 'Med vilken rätt',
  basis:
    'Staden behandlar uppgifterna för att utföra en uppgift av allmänt intresse och som en del av myndighetsutövning enligt socialtjänstlagen (dataskyddsförordningen artikel 6.1 e och, för känsliga uppgifter, artikel 9.2 h). Barnet deltar bara med vårdnadshavarnas samtycke, barnets eget samtycke där lagen och partnerskapet tillåter det, eller socialnämndens beslut; den grunden registreras för varje barn.',
  howLongHeading: 'Hur länge',
  howLong: (months: number) =>
    `Medan anmälan pågår och i ${months} månader efter att den avslutats. Sedan raderas personuppgifterna automatiskt och bara anonym statistik finns kvar. Kommunens egen akt är fortfarande den officiella dokumentationen av ärendet.`,
  rightsHeading: 'Dina rättigheter',
  rights:
    'Du har rätt att få veta vilka uppgifter som finns om dig eller ditt barn, att få fel rättade och att klaga hos Integritetsskyddsmyndigheten (IMY). En vårdnadshavare kan när som helst återkalla sitt samtycke.',
  contactHeading: 'Kontakt',
  coordinator: 'Frågor om stödgrupperna och uppgifterna i tjänsten: Bris samordnare ',
  dpo: 'Dataskyddsfrågor: ',
  socialWorker: 'Frågor om ett visst barn: den socialsekreterare som gjorde anmälan.',
};

const EN: typeof SV = {
  title: 'How we handle personal data',
  intro:
    'This service takes referrals of children placed in family homes to the Bris support groups, in a partnership between the City of Stockholm and Bris. This page says what data we keep, why, on which legal basis, for how long, and whom you can contact.',
  whatHeading: 'What we keep',
  what: [
    "About the child: first name, date of birth and age, city district, and whether the child's identity is protected. The identity number is kept only as a key that cannot be read back, so that the same child is not referred twice at the same time.",
    'About adults: name and email address of the social worker, the custodians and the family home, and the language they want email in.',
    'About the referral: consents and the legal basis, decisions, group and attendance, answers to evaluations, and a log of who did what and when.',
  ],
  notHeading: 'What we do not keep',
  not: "The child's address, placement details or the city's case file. Email never contains an identity number or an address, and a child with a protected identity is never named.",
  whyHeading: 'Why',
  why: 'To screen the referral, ask the custodians for consent, place the child in a group of the right age, plan the meetings, follow up the group and tell the social worker how it goes.',
  basisHeading: 'Legal basis',
  basis:
    "The city processes the data to perform a task in the public interest and as part of the exercise of official authority under the Social Services Act (GDPR article 6(1)(e) and, for sensitive data, article 9(2)(h)). A child takes part only with the custodians' consent, the child's own consent where the law and the partnership allow it, or the Social Welfare Committee's decision; that basis is recorded for every child.",
  howLongHeading: 'How long',
  howLong: (months: number) =>
    `While the referral is open and for ${months} months after it closes. Then the personal data is erased automatically and only anonymous figures remain. The city's own case file stays the official record of the case.`,
  rightsHeading: 'Your rights',
  rights:
    'You have the right to know what data there is about you or your child, to have mistakes corrected, and to complain to the Swedish Authority for Privacy Protection (IMY). A custodian can withdraw consent at any time.',
  contactHeading: 'Contact',
  coordinator: "Questions about the support groups and the data in this service: Bris's coordinator ",
  dpo: 'Data protection questions: ',
  socialWorker: 'Questions about a particular child: the social worker who made the referral.',
};

const TEXT: Record<Language, typeof SV> = { sv: SV, en: EN };

export function privacyPage(
  p: Pick<Partnership, 'retentionMonths' | 'coordinator' | 'dataProtectionContact'>,
  lang: Language,
): string {
  const t = TEXT[lang];
  const section = (heading: string, body: SafeHtml | string) =>
    html`<h2>${heading}</h2>
      <p>${body}</p>`;
  return page({
    title: t.title,
    lang,
    body: html`<h1>${t.title}</h1>
      <p>${t.intro}</p>
      <h2>${t.whatHeading}</h2>
      <ul>
        ${t.what.map((w) => html`<li>${w}</li>`)}
      </ul>
      ${section(t.notHeading, t.not)} ${section(t.whyHeading, t.why)} ${section(t.basisHeading, t.basis)}
      ${section(t.howLongHeading, t.howLong(p.retentionMonths))} ${section(t.rightsHeading, t.rights)}
      <h2>${t.contactHeading}</h2>
      <ul>
        <li>${t.coordinator}${mail(p.coordinator)}</li>
        ${p.dataProtectionContact ? html`<li>${t.dpo}${mail(p.dataProtectionContact)}</li>` : ''}
        <li>${t.socialWorker}</li>
      </ul>`,
  });
}
