/** GET / (the form), POST /referrals (submit), GET /assets/site.css, GET /privacy (the privacy notice). */
import { randomBytes } from 'node:crypto';
import { IDEMPOTENCY_KEY_PATTERN } from '../domain/referral-form';
import { httpHandler } from '../shared/http-handler';
import { cssResponse, htmlResponse, parseForm } from '../shared/http';
import { submitReferral } from '../phases/intake/submit-referral';
import { browserLanguage, requestedLanguage } from '../phases/staff/language';
import { SITE_CSS } from '../web/layout';
import { privacyPage } from '../web/pages/privacy-page';
import { alreadyActivePage, errorPage, receiptPage, referralFormPage } from '../phases/intake/pages';

const newIdempotencyKey = () => randomBytes(18).toString('base64url');

export const handler = httpHandler({
  'GET /': async (_event, deps) => {
    const p = await deps.store.getPartnership(deps.config.partnershipId);
    if (!p)
      return htmlResponse(
        503,
        errorPage('Tjänsten är inte öppen', 'Partnerskapet är inte konfigurerat ännu.'),
      );
    return htmlResponse(
      200,
      referralFormPage({
        idempotencyKey: newIdempotencyKey(),
        districts: p.districts,
        childConsent: p.consent.childConsent,
      }),
    );
  },
  'POST /referrals': async (event, deps) => {
    const form = parseForm(event);
    // The form's language: asked for with ?lang=, else the browser's. Her emails go out in it.
    const formLanguage =
      requestedLanguage(event.queryStringParameters?.lang) ??
      browserLanguage(event.headers?.['accept-language']);
    const result = await submitReferral(form, deps, formLanguage);
    switch (result.kind) {
      case 'accepted':
        return htmlResponse(result.repeated ? 200 : 201, receiptPage(result.referralId, result.repeated));
      case 'already-active':
        return htmlResponse(409, alreadyActivePage());
      case 'invalid': {
        const p = await deps.store.getPartnership(deps.config.partnershipId);
        // Keep what was typed, except the identity number: it is not echoed back into a page.
        const { identityNumber: _omit, ...values } = form;
        return htmlResponse(
          400,
          referralFormPage({
            idempotencyKey:
              form.idempotencyKey && IDEMPOTENCY_KEY_PATTERN.test(form.idempotencyKey)
                ? form.idempotencyKey
                : newIdempotencyKey(),
            districts: p?.districts ?? [],
            childConsent: p?.consent.childConsent,
            values,
            errors: result.errors,
          }),
        );
      }
    }
  },
  'GET /assets/site.css': async () => cssResponse(SITE_CSS),
  // The privacy notice: one path, Swedish unless ?lang=en or the browser asks for English.
  'GET /privacy': async (event, deps) => {
    const lang =
      requestedLanguage(event.queryStringParameters?.lang) ??
      browserLanguage(event.headers?.['accept-language']);
    const p = await deps.store.getPartnership(deps.config.partnershipId);
    if (!p)
      return htmlResponse(
        503,
        errorPage('Tjänsten är inte öppen', 'Partnerskapet är inte konfigurerat ännu.'),
      );
    return htmlResponse(200, privacyPage(p, lang));
  },
});
