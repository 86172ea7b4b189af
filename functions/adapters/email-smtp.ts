import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailMessage, EmailSender } from '../ports';

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
    await this.transport.sendMail({
      from: this.from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      html: m.html,
      headers: { 'X-Bris-Template': m.template, 'Content-Language': m.language },
      attachments: m.attachments?.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: a.content,
      })),
    });
  }

  close(): void {
    this.transport.close();
  }
}
