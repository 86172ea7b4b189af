import type { EmailMessage, EmailSender, Metrics } from '../ports';
import { METRICS } from '../shared/metric-names';

/**
 * Every email the system sends passes here, whichever transport (SES or the local SMTP mailbox) is
 * behind it: EmailsSent counts the ones the transport accepted, so it equals what SES (or the mailbox) got.
 */
export function countedEmails(sender: EmailSender, metrics: Metrics): EmailSender {
  return {
    async send(message: EmailMessage) {
      await sender.send(message);
      metrics.count(METRICS.emailsSent);
    },
  };
}
