/** A group link: a band's pool (the group proposal) for the coordinator, or a meeting's attendance for its leader. */
import { linkUrl } from '../../adapters/link-tokens';
import type { Dependencies, LinkRecord } from '../../ports';

const DAY = 86_400_000;

export async function groupLink(
  deps: Dependencies,
  fields: Omit<LinkRecord, 'linkHash' | 'createdAt' | 'expiresAt' | 'status'>,
  ttlDays: number,
): Promise<{ link: LinkRecord; url: string }> {
  const now = deps.clock.now();
  const { token, hash } = await deps.linkTokens.mint();
  const link: LinkRecord = {
    ...fields,
    linkHash: hash,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlDays * DAY).toISOString(),
    status: 'open',
  };
  // Within a notification or step entry sent again, the same link is found stored and goes out again.
  return { link: await deps.store.putLink(link), url: linkUrl(deps.config.publicBaseUrl, token) };
}
