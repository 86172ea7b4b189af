import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { EmailMessage, EmailSender } from '../ports';
import { notificationId, notificationReferral } from '../shared/notification-context';

/** Real SMTP: the local runtime points it at its in-process mailbox. */
export class SmtpEmailSender implements EmailSender {
  private readonly transport: Transporter;
  constructor(
    smtp: { host: string; port: number },
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: 5,
    });
  }

  async send(m: EmailMessage): Promise<void> {
    await this.transport.sendMail(smtpMessage(m, this.from));
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * The message as it goes over SMTP, with what the sending notification gives it (read here, in the
 * sender's own async context): the same for this adapter and the local mailbox's mail thread.
 */
export function smtpMessage(m: EmailMessage, from: string): SendMailOptions {
  const id = notificationId();
  const referralId = notificationReferral();
  return {
    // The same notification sent again (after a crash) keeps its Message-ID: receivers can drop the repeat.
    ...(id ? { messageId: `<${id}@${from.split('@')[1]}>` } : {}),
    from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    // The local mailbox reads the referral as SES would give back the send's tag (a bounce it makes).
    headers: {
      'X-Bris-Template': m.template,
      'Content-Language': m.language,
      ...(referralId ? { 'X-Bris-Referral': referralId } : {}),
    },
    attachments: m.attachments?.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
    })),
  };
}
