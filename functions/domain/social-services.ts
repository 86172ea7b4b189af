/**
 * The referral form mails its receipt (and every later outcome) to the social worker's address as typed.
 * So that the public form cannot be used to send our mail to anyone, that address must belong to the
 * partnership's social services: its domain is one of the partnership's `socialServicesDomains`.
 *
 * Exact domain only, not its subdomains: a subdomain may be run for someone else than the social
 * services (a city's schools, a contractor), and a partnership that uses one lists it — one line in the
 * partnership file. Comparison ignores case (domains are case-insensitive; the file holds lower case).
 */
import { message } from './messages';

/** The domain of an email address, lower-cased (the part after the last `@`). */
export function emailDomain(email: string): string {
  return email
    .slice(email.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
}

export function isSocialServicesAddress(email: string, domains: readonly string[]): boolean {
  return domains.includes(emailDomain(email));
}

/** The field error for an address outside the partnership's domains: says which addresses are accepted. */
export function outsideSocialServicesMessage(domains: readonly string[]): string {
  const at = (or: string) => domains.map((d) => `…@${d}`).join(` ${or} `);
  return message({
    sv: `Använd din e-postadress på socialtjänsten (${at('eller')}). Kvittot och alla besked om anmälan skickas dit.`,
    en: `Use your email address at the social services (${at('or')}). The receipt and every update on the referral are sent there.`,
  });
}
