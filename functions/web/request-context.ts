/**
 * What a page needs to know about the request it answers, without every renderer passing it along: the
 * path it was asked at (for the language switch, which keeps the person where she is) and the language the
 * request chose by the rule in language.ts. Set around each request by the HTTP wiring (http-handler.ts)
 * and by the local server for its own answers; outside a request (unit tests, emails) there is none.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Language } from '../domain/referral';

export interface PageRequest {
  /** The path with its query, as asked (`lang` included or not: the switch replaces it). */
  here: string;
  /** The request's language by the rule (a page for a link's recipient may still choose its own). */
  lang: Language;
}

const storage = new AsyncLocalStorage<PageRequest>();

export const withPageRequest = <T>(request: PageRequest, run: () => T): T => storage.run(request, run);

export const currentPageRequest = (): PageRequest | undefined => storage.getStore();
