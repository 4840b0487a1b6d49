// Replacing a run of elements in a typed array the way an editor edits text:
// one keystroke in a 200k-character document must not allocate and zero a
// fresh 200k-element array for each of the per-character arrays (character
// ids, code points, offsets, stored values): that cost 2-8 ms a keystroke
// here, mostly in the garbage collector. Arrays keep 25% spare room at the
// end of their buffer and an edit moves the tail in place (memmove).

export type SplicableArray = Int32Array | Uint32Array | Float32Array | Uint8Array;

/**
 * `a` with elements [p, p + oldLen) replaced by newLen elements whose values
 * are left unspecified (the caller writes them). The result is a view from
 * offset 0; it shares `a`'s buffer when that has room, so `a` itself must not
 * be read afterwards.
 */
export function spliceTyped<A extends SplicableArray>(a: A, p: number, oldLen: number, newLen: number): A {
  const n = a.length;
  if (!(
    Number.isInteger(p) &&
    Number.isInteger(oldLen) &&
    Number.isInteger(newLen) &&
    p >= 0 &&
    oldLen >= 0 &&
    newLen >= 0 &&
    p + oldLen <= n
  )) {
    throw new RangeError(`cannot replace [${p}, ${p + oldLen}) of an array of ${n} by ${newLen} elements`);
  }
  const T = n - oldLen + newLen;
  const make = a.constructor as {
    new (length: number): A;
    new (buffer: ArrayBuffer, byteOffset: number, length: number): A;
  };
  const capacity = a.buffer.byteLength / a.BYTES_PER_ELEMENT;
  if (a.byteOffset === 0 && a.buffer instanceof ArrayBuffer && T <= capacity) {
    const full = new make(a.buffer, 0, capacity);
    if (newLen !== oldLen) full.copyWithin(p + newLen, p + oldLen, n);
    return full.subarray(0, T) as A;
  }
  const out = new make(T + (T >> 2) + 64);
  out.set(a.subarray(0, p));
  out.set(a.subarray(p + oldLen, n), p + newLen);
  return out.subarray(0, T) as A;
}
