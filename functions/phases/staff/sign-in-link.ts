/**
 * A staff member's sign-in link: answered on the sign-in page (`completeSignIn`, staff.ts, behind
 * /staff/sign-in/{token}), never at /links, where it shows as no longer open. Not renewed: signing in
 * again asks for a new one.
 */
import type { LinkAction } from '../../kernel/link-module';

export const signInLink: LinkAction = {
  purpose: 'sign-in',
  answeredBy: ['coordinator', 'social-worker'],
};
