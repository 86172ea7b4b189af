import { describe, expect, it } from 'vitest';
import { CHILD_LOCK_LEASE_MS, childLockHolderIsGone } from '../../functions/domain/child-lock';

describe('a child lock held by another referral', () => {
  it('is taken over at once from a closed or erased referral, never from an open one', () => {
    expect(childLockHolderIsGone({ stored: true, status: 'closed' })).toBe(true);
    expect(childLockHolderIsGone({ stored: true, status: 'erased' })).toBe(true);
    expect(childLockHolderIsGone({ stored: true, status: 'active' })).toBe(false);
    expect(childLockHolderIsGone({ stored: true, status: 'needs-attention' })).toBe(false);
  });

  it('whose referral is not stored is kept for the lease: its intake may still be running', () => {
    expect(childLockHolderIsGone({ stored: false, heldForMs: 0 })).toBe(false);
    expect(childLockHolderIsGone({ stored: false, heldForMs: CHILD_LOCK_LEASE_MS })).toBe(false);
    expect(childLockHolderIsGone({ stored: false, heldForMs: CHILD_LOCK_LEASE_MS + 1 })).toBe(true);
    expect(childLockHolderIsGone({ stored: false, heldForMs: Infinity })).toBe(true);
  });
});
