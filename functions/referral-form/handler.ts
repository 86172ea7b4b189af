/**
 * GET / (the form), POST /referrals (submit, or switch the form's language), GET /assets/site.css,
 * GET /privacy (the privacy notice).
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { IDEMPOTENCY_KEY_PATTERN } from '../domain/referral-form';
import type { Language } from '../domain/referral';
import { httpHandler, requestLanguage } from '../shared/http-handler';
import { cssResponse, htmlResponse, parseForm } from '../shared/http';
import { checkReferral, submitReferral } from '../phases/intake/submit-referral';
import { problemPage } from '../web/error-pages';
import { requestedLanguage } from '../web/language';
import { SITE_CSS } from '../web/layout';
import { privacyPage } from '../web/pages/privacy-page';
import { alreadyActivePage, receiptPage, referralFormPage } from '../phases/intake/pages';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

const newIdempotencyKey = () => randomBytes(18).toString('base64url');

/** Fields of the page itself, not of the referral: never shown back as values. */
const PAGE_FIELDS = new Set(['idempotencyKey', 'lang', 'languageSwitch', 'hadErrors']);

/**
 * A posted form's language: the switch (`?lang=` on its button), then the language the form was shown in
 * (its hidden field, so a browser without cookies keeps it), then the request's rule.
 */
const postedLanguage = (event: APIGatewayProxyEventV2, form: Record<string, string>): Language =>
  requestedLanguage(event.queryStringParameters?.lang) ??
  requestedLanguage(form.lang) ??
  requestLanguage(event);

export const handler = httpHandler(
  {
    'GET /': async (event, deps) => {
      const lang = requestLanguage(event);
      const p = await deps.store.getPartnership(deps.config.partnershipId);
      if (!p) return htmlResponse(503, problemPage(503, lang));
      return htmlResponse(
        200,
        referralFormPage({
          idempotencyKey: newIdempotencyKey(),
          districts: p.districts,
          childConsent: p.consent.childConsent,
          lang,
        }),
      );
    },
    'POST /referrals': async (event, deps) => {
      const form = parseForm(event);
      const lang = postedLanguage(event, form);
      // Everything typed comes back (the identity number too: the social worker's own input, in a
      // no-store page, never in a URL), without the page's own fields.
      const values = Object.fromEntries(Object.entries(form).filter(([k]) => !PAGE_FIELDS.has(k)));
      const formPage = async (status: number, errors: Record<string, string>) => {
        const p = await deps.store.getPartnership(deps.config.partnershipId);
        return htmlResponse(
          status,
          referralFormPage({
            idempotencyKey:
              form.idempotencyKey && IDEMPOTENCY_KEY_PATTERN.test(form.idempotencyKey)
                ? form.idempotencyKey
                : newIdempotencyKey(),
            districts: p?.districts ?? [],
            childConsent: p?.consent.childConsent,
            values,
            errors,
            lang,
          }),
        );
      };
      // The language switch: the same form in the other language, nothing sent. Errors shown before are
      // shown again (checked anew, in the new language); a form not yet sent gets none.
      if (requestedLanguage(form.languageSwitch)) {
        const checked = form.hadErrors === 'on' ? await checkReferral(form, deps) : undefined;
        return formPage(200, checked?.kind === 'invalid' ? checked.errors : {});
      }
      // The social worker's emails go out in the language of the form she sent.
      const result = await submitReferral(form, deps, lang);
      switch (result.kind) {
        case 'accepted':
          return htmlResponse(
            result.repeated ? 200 : 201,
            receiptPage(result.referralId, result.repeated, lang),
          );
        case 'already-active':
          return htmlResponse(409, alreadyActivePage(lang));
        case 'invalid':
          return formPage(400, result.errors);
      }
    },
    'GET /assets/site.css': async () => cssResponse(SITE_CSS),
    // The privacy notice: one path, in the language the request's rule gives (?lang=, cookie, browser).
    'GET /privacy': async (event, deps) => {
      const lang = requestLanguage(event);
      const p = await deps.store.getPartnership(deps.config.partnershipId);
      if (!p) return htmlResponse(503, problemPage(503, lang));
      return htmlResponse(200, privacyPage(p, lang));
    },
  },
  { workflow: stepFunctionsWorkflow, identityKey: secretsManagerIdentityKey },
);
