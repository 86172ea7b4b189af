/** The ReferralStore contract (store.contract.ts) on the in-memory store the use-case tests use. */
import { MemoryReferralStore } from '../fakes/memory-store';
import { storeContract } from './store.contract';

storeContract('MemoryReferralStore', async () => {
  const store = new MemoryReferralStore();
  return {
    store,
    rawItem: (key) => store.rawItem(key),
    putRawItem: (item) => store.putRawItem(item),
  };
});
