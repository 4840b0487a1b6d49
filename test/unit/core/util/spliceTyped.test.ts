import * as assert from 'assert';
import { spliceTyped } from '../../../../src/core/util/spliceTyped';

describe('spliceTyped', () => {
  it('equals Array splice over random edits, growing into a new buffer only when out of room', () => {
    let seed = 11;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const ref: number[] = Array.from({ length: 50 }, (_, i) => i);
    let a = Int32Array.from(ref);
    let buffers = 1;
    for (let k = 0; k < 500; k++) {
      const p = Math.floor(rand() * (ref.length + 1));
      const oldLen = Math.min(ref.length - p, Math.floor(rand() * 4));
      const newLen = Math.floor(rand() * (k < 250 ? 8 : 3));
      const fresh = Array.from({ length: newLen }, () => 1000 + k);
      const before = a.buffer;
      a = spliceTyped(a, p, oldLen, newLen);
      a.set(fresh, p);
      if (a.buffer !== before) buffers++;
      ref.splice(p, oldLen, ...fresh);
      assert.deepStrictEqual(Array.from(a), ref, `edit ${k}`);
    }
    assert.ok(buffers < 20, `${buffers} buffers for 500 edits: growth must leave room`);
  });

  it('moves the tail in place when the buffer has room (no new buffer)', () => {
    const a = new Float32Array(new ArrayBuffer(4 * 10), 0, 6);
    a.set([1, 2, 3, 4, 5, 6]);
    const b = spliceTyped(a, 2, 1, 3);
    assert.strictEqual(b.buffer, a.buffer);
    b.set([7, 8, 9], 2);
    assert.deepStrictEqual(Array.from(b), [1, 2, 7, 8, 9, 4, 5, 6]);
  });

  it('refuses a range outside the array', () => {
    assert.throws(() => spliceTyped(new Uint8Array(3), 2, 2, 0), /cannot replace \[2, 4\) of an array of 3/);
    assert.throws(() => spliceTyped(new Uint8Array(3), -1, 0, 1), RangeError);
  });
});
