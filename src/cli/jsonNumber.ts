// The numbers `run` prints: rounded to 6 decimals (x -> Math.round(x * 1e6) / 1e6)
// and written as JSON.stringify writes that value, as ASCII bytes straight
// into an output buffer: no string per number, no float-to-decimal
// conversion. For |x| < 1e6 the rounded value is the double nearest n / 10^6
// (n an integer), and the shortest decimal that reads back as that double is
// n / 10^6 itself: the integer part, a point and the 6 digits without their
// trailing zeros. Larger numbers, NaN and ±Infinity go through JSON.stringify.

/** x rounded to 6 decimals: the value `run` prints. */
export const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Bytes json6Into may write: '-1.7976931348623157e+308' is 24. */
export const JSON6_MAX_BYTES = 24;

// DIGITS3[3 i ..] = the 3 digits of i (000 … 999); KEPT3[i] = how many of them
// are left without trailing zeros (0 for 0, 1 for 100, 2 for 120, 3 for 123).
const DIGITS3 = new Uint8Array(3000);
const KEPT3 = new Uint8Array(1000);
for (let i = 0; i < 1000; i++) {
  const s = String(i).padStart(3, '0');
  for (let d = 0; d < 3; d++) DIGITS3[3 * i + d] = s.charCodeAt(d);
  KEPT3[i] = s.replace(/0+$/, '').length;
}

/** Writes JSON.stringify(round6(x)) (ASCII) into buf at `at`; returns the position after it. */
export function json6Into(buf: Uint8Array, at: number, x: number): number {
  const n = Math.round(x * 1e6); // millionths
  const a = n < 0 ? -n : n;
  if (!(a < 1e12)) {
    const s = JSON.stringify(n / 1e6);
    for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
    return at;
  }
  if (n < 0) buf[at++] = 0x2d; // '-'
  const whole = Math.floor(a / 1e6);
  const frac = a - whole * 1e6; // 0 … 999999
  if (whole < 10) buf[at++] = 0x30 + whole;
  else {
    const digits = String(whole);
    for (let i = 0; i < digits.length; i++) buf[at++] = digits.charCodeAt(i);
  }
  if (frac === 0) return at;
  buf[at++] = 0x2e; // '.'
  const hi = Math.floor(frac / 1000);
  const lo = frac - hi * 1000;
  const hiKept = lo === 0 ? KEPT3[hi] : 3;
  for (let d = 0; d < hiKept; d++) buf[at++] = DIGITS3[3 * hi + d];
  const loKept = KEPT3[lo];
  for (let d = 0; d < loKept; d++) buf[at++] = DIGITS3[3 * lo + d];
  return at;
}
