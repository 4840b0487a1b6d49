import * as assert from 'assert';
import { JSON6_MAX_BYTES, json6Into, round6 } from '../../../src/cli/jsonNumber';
import { seededRandom } from '../../../src/core/util/seededRandom';

const text = (x: number): string => {
  const buf = new Uint8Array(JSON6_MAX_BYTES);
  return new TextDecoder().decode(buf.subarray(0, json6Into(buf, 0, x)));
};

describe('json6Into', () => {
  it('writes what JSON.stringify writes for the rounded value, on edge cases', () => {
    const cases = [
      0,
      -0,
      1,
      -1,
      0.5,
      1e-6,
      5e-7,
      4.9e-7,
      -4e-7,
      -5e-7,
      1.5e-6,
      0.1,
      0.123456,
      0.1234565,
      0.12345649,
      0.100001,
      0.000123,
      0.999999,
      0.9999995,
      123.5,
      -2.0000005,
      999999.9999994,
      999999.9999996,
      1e6,
      -1e6,
      123456789.123,
      1e21,
      -1e300,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      NaN,
      Infinity,
      -Infinity,
      Math.fround(0.1),
      Math.fround(-0.7),
    ];
    for (const x of cases) assert.strictEqual(text(x), JSON.stringify(round6(x)), `x = ${x}`);
  });

  it('writes what JSON.stringify writes for the rounded value, on a million random numbers of every scale', () => {
    const rand = seededRandom(3);
    for (let i = 0; i < 1e6; i++) {
      const x = (rand() - 0.5) * Math.exp(rand() * 30 - 15);
      const f = i % 2 ? Math.fround(x) : x; // the signals are float32
      const got = text(f);
      if (got !== JSON.stringify(round6(f))) assert.fail(`x = ${f}: ${got} vs ${JSON.stringify(round6(f))}`);
    }
  });
});
