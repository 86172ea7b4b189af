import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailMessage, EmailSender } from '../ports';
import type { Config } from '../shared/config';
import { notificationId, notificationReferral } from '../shared/notification-context';
import { onFirstUse } from './lazy-client';

export class SesEmailSender implements EmailSender {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    private readonly configurationSetName?: string,
  ) {}

  async send(m: EmailMessage): Promise<void> {
    const id = notificationId();
    const referralId = notificationReferral();
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [m.to] },
        ConfigurationSetName: this.configurationSetName,
        // Codes only: a bounce or complaint event carries them back, to find its referral (email-events).
        EmailTags: [
          { Name: 'template', Value: m.template },
          ...(referralId ? [{ Name: 'referral', Value: referralId }] : []),
        ],
        Content: {
          Simple: {
            Subject: { Data: m.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: m.text, Charset: 'UTF-8' }, Html: { Data: m.html, Charset: 'UTF-8' } },
            Attachments: m.attachments?.map((a) => ({
              FileName: a.filename,
              ContentType: a.contentType,
              RawContent: new TextEncoder().encode(a.content),
              // SESv2 writes an attachment as SEVEN_BIT by default; the .ics is UTF-8 (å, ä, ö).
              ContentTransferEncoding: 'BASE64',
            })),
            Headers: [
              { Name: 'X-Bris-Template', Value: m.template },
              { Name: 'Content-Language', Value: m.language },
              // SES sets its own Message-ID; this names the notification, the same on a repeat after a crash.
              ...(id ? [{ Name: 'X-Bris-Notification', Value: id }] : []),
            ],
          },
        },
      }),
    );
  }
}

/**
 * The email adapter of a function that sends email (catalog `sendsEmail`), given by its handler: only
 * the bundles of those functions hold the SESv2 client, built on the first email.
 */
export function sesEmail(config: Config): EmailSender {
  const sender = onFirstUse(
    () => new SesEmailSender(new SESv2Client({}), config.senderEmail, config.sesConfigurationSet),
  );
  return { send: (message) => sender().send(message) };
}
