import { createHmac } from 'node:crypto';
import type { IdentityHasher } from '../ports';

/** HMAC-SHA256 with a secret key: the identity number cannot be recovered or brute-forced from the table alone. */
export class HmacIdentityHasher implements IdentityHasher {
  constructor(private readonly key: () => Promise<string>) {}
  async hash(normalized: string): Promise<string> {
    return createHmac('sha256', await this.key())
      .update(normalized, 'utf8')
      .digest('hex');
  }
}
