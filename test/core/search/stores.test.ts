import { strict as assert } from 'assert';
import { fingerprintWords } from '../../../src/core/search/fingerprint';
import { FingerprintIndex } from '../../../src/core/search/fingerprintIndex';
import { FingerprintSet, STORE_FULL } from '../../../src/core/search/fingerprintSet';
import { FingerprintStack } from '../../../src/core/search/fingerprintStack';
import { SharedFingerprintSet, STORE_NEEDS_GROWTH } from '../../../src/core/search/sharedFingerprintSet';

/** Distinct non-zero pseudo-random fingerprints. */
function keys(n: number): Int32Array {
  const out = new Int32Array(2 * n);
  const fp = new Int32Array(2);
  const word = new Int32Array(1);
  for (let i = 0; i < n; i++) {
    word[0] = i;
    fingerprintWords(word, 0, 1, fp);
    out[2 * i] = fp[0];
    out[2 * i + 1] = fp[1];
  }
  return out;
}

describe('visited-state stores', () => {
  it('fingerprints depend on every word and are never zero', () => {
    const a = new Int32Array([1, 2, 3, 0]);
    const b = new Int32Array([1, 2, 3, 1]);
    const fa = new Int32Array(2);
    const fb = new Int32Array(2);
    fingerprintWords(a, 0, 4, fa);
    fingerprintWords(b, 0, 4, fb);
    assert.notDeepEqual(fa, fb);
    fingerprintWords(new Int32Array(8), 0, 8, fa);
    assert.ok(fa[0] !== 0 && fa[1] !== 0);
  });

  it('FingerprintSet: adds once, finds, grows, keeps payloads, and stays within 16 bytes a state', () => {
    const n = 200_000;
    const k = keys(n);
    const set = new FingerprintSet(16, true);
    for (let i = 0; i < n; i++) {
      const slot = set.add(k[2 * i], k[2 * i + 1]);
      assert.ok(slot >= 0);
      set.payload![slot] = i & 0xff;
    }
    for (let i = 0; i < n; i++) {
      const again = set.add(k[2 * i], k[2 * i + 1]);
      assert.ok(again < 0);
      assert.equal(set.payload![-(again + 1)], i & 0xff);
    }
    assert.equal(set.size, n);
    assert.equal(set.find(12345, 67890), -1);
    const withoutPayload = new FingerprintSet(16, false);
    for (let i = 0; i < n; i++) withoutPayload.add(k[2 * i], k[2 * i + 1]);
    assert.ok(withoutPayload.bytes / n <= 16, `${withoutPayload.bytes / n} bytes a state`);
  });

  it('FingerprintSet: remembering recent fingerprints changes no answer, across growth too', () => {
    const n = 100_000;
    const k = keys(n);
    const plain = new FingerprintSet(16, true);
    const remembering = new FingerprintSet(16, true, Infinity, true);
    let known = 0;
    // Each key comes back soon (a diamond's other side, answered from the recent entries) and much later
    // (after growths have moved every slot, answered from the table).
    const order: number[] = [];
    for (let i = 0; i < n; i++) order.push(i, Math.max(0, i - 3), (i * 7919) % (i + 1));
    for (const i of order) {
      const expected = plain.add(k[2 * i], k[2 * i + 1]);
      const answer = remembering.add(k[2 * i], k[2 * i + 1]);
      // The slots may differ (a remembered key does not trigger a pending growth), but each must be right for its own table.
      assert.equal(answer < 0, expected < 0, `key ${i}`);
      if (answer >= 0) remembering.payload![answer] = i & 0xff;
      else assert.equal(remembering.payload![-(answer + 1)], i & 0xff, `key ${i}`);
      if (expected < 0) known++;
    }
    assert.equal(remembering.size, plain.size);
    assert.ok(known > n, `${known} known`);
    const extra = (remembering.bytes - plain.bytes) / remembering.size;
    assert.ok(extra > 0 && extra < 0.4, `the recent entries count in the bytes: ${extra} a state`);
  });

  it('FingerprintSet: refuses to grow past its memory budget', () => {
    const set = new FingerprintSet(16, false, 4096);
    const k = keys(1000);
    let full = false;
    for (let i = 0; i < 1000 && !full; i++) full = set.add(k[2 * i], k[2 * i + 1]) === STORE_FULL;
    assert.ok(full);
    assert.ok(set.bytes <= 4096);
  });

  it('FingerprintSet: a table the process cannot allocate makes the store full, and it keeps what it holds', () => {
    const n = 2000;
    const k = keys(n + 1);
    const set = new FingerprintSet(16, true);
    const RealInt32Array = Int32Array;
    let added = 0;
    try {
      // What V8 throws when the machine has no room for an ArrayBuffer.
      globalThis.Int32Array = class extends RealInt32Array {
        constructor(length: number) {
          if (length > 1024) throw new RangeError('Array buffer allocation failed');
          super(length);
        }
      } as Int32ArrayConstructor;
      for (; added < n; added++) {
        const slot = set.add(k[2 * added], k[2 * added + 1]);
        if (slot === STORE_FULL) break;
        assert.ok(slot >= 0);
      }
    } finally {
      globalThis.Int32Array = RealInt32Array;
    }
    assert.ok(added > 100 && added < n, `${added} added`);
    for (let i = 0; i < added; i++) assert.ok(set.find(k[2 * i], k[2 * i + 1]) >= 0);
    assert.ok(set.add(k[2 * added], k[2 * added + 1]) >= 0, 'grows once memory is there again');
  });

  it('FingerprintIndex: maps, overwrites and deletes without losing the rest of a probe run', () => {
    const n = 5000;
    const k = keys(n);
    const index = new FingerprintIndex(4);
    for (let i = 0; i < n; i++) index.set(k[2 * i], k[2 * i + 1], i);
    for (let i = 0; i < n; i += 2) index.delete(k[2 * i], k[2 * i + 1]);
    for (let i = 0; i < n; i++) assert.equal(index.get(k[2 * i], k[2 * i + 1]), i % 2 ? i : -1);
    index.set(k[1 * 2], k[1 * 2 + 1], 7);
    assert.equal(index.get(k[2], k[3]), 7);
    assert.equal(index.size, n / 2);
  });

  it('FingerprintStack: finds the highest copy of a fingerprint through pushes, pops and rehashes, as a plain array does', () => {
    const k = keys(3000);
    const stack = new FingerprintStack();
    const model: number[] = [];
    let seed = 12345;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    // Keys 0..2999, and key 3000 + i sharing key i's low bits (its bucket) but not its high half.
    const h1 = (key: number): number => k[2 * (key % 3000)];
    const h2 = (key: number): number => (key < 3000 ? k[2 * key + 1] : k[2 * (key - 3000) + 1] ^ 0x5a5a);
    let highest = 0;
    for (let round = 0; round < 40; round++) {
      const pushes = random(2000);
      for (let i = 0; i < pushes; i++) {
        const key = random(random(2) ? 6000 : 50);
        assert.equal(stack.push(h1(key), h2(key)), model.length);
        model.push(key);
      }
      highest = Math.max(highest, model.length);
      for (let probe = 0; probe < 200; probe++) {
        const key = random(6000);
        assert.equal(stack.indexOf(h1(key), h2(key)), model.lastIndexOf(key), `key ${key} in round ${round}`);
      }
      const keep = random(model.length + 1);
      stack.popTo(keep);
      model.length = keep;
      assert.equal(stack.size, keep);
      for (let i = 0; i < keep; i++) assert.equal(stack.h1At(i), h1(model[i]));
    }
    assert.ok(highest > 2048, `the stack reached ${highest} entries: too few to rehash its 1024 buckets`);
  });

  it('SharedFingerprintSet: the same answers as the private store; asks to grow at 3/4 full; grows with every fingerprint', () => {
    const k = keys(1000);
    let shared = SharedFingerprintSet.allocate(1000);
    let added = 0;
    for (let i = 0; i < 1000; i++) {
      let slot = shared.add(k[2 * i], k[2 * i + 1]);
      if (slot === STORE_NEEDS_GROWTH) {
        assert.equal(added, 768, 'flushed every 64 insertions, so it notices at the first flush past 750');
        shared.flush();
        shared = shared.grownCopy();
        slot = shared.add(k[2 * i], k[2 * i + 1]);
      }
      assert.ok(slot >= 0);
      assert.deepEqual(shared.at(slot), [k[2 * i], k[2 * i + 1]]);
      assert.ok(shared.add(k[2 * i], k[2 * i + 1]) < 0);
      added++;
    }
    shared.flush();
    assert.equal(shared.size, 1000);
    assert.equal(shared.bytes, 1500 * 8);
  });
});
