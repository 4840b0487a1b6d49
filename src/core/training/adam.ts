// Adam with global-norm gradient clipping on the flat parameter and gradient
// buffers (P values, ParamLayout order). Runs in JS: one pass over P per step
// costs ~1–3 ms for P ≈ 1 M, small next to the graph run.

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export class Adam {
  readonly m: Float32Array; // (P) first moment
  readonly v: Float32Array; // (P) second moment
  t = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  constructor(
    readonly size: number,
    options: AdamOptions = {},
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
  }

  /** params -= lr · m̂ / (sqrt(v̂) + eps), in place. `gradScale` multiplies the gradients (clipping). */
  step(params: Float32Array, grads: Float32Array, lr: number, gradScale = 1): void {
    if (params.length !== this.size || grads.length !== this.size) {
      throw new RangeError(`Adam over ${this.size} values got params ${params.length}, grads ${grads.length}`);
    }
    this.t++;
    const { m, v, beta1: b1, beta2: b2, eps } = this;
    const c1 = 1 / (1 - Math.pow(b1, this.t));
    const c2 = 1 / (1 - Math.pow(b2, this.t));
    for (let j = 0; j < params.length; j++) {
      const g = grads[j] * gradScale;
      const mj = (m[j] = b1 * m[j] + (1 - b1) * g);
      const vj = (v[j] = b2 * v[j] + (1 - b2) * g * g);
      params[j] -= (lr * mj * c1) / (Math.sqrt(vj * c2) + eps);
    }
  }
}

/** L2 norm of all gradients together. */
export function globalNorm(grads: Float32Array): number {
  let s = 0;
  for (let j = 0; j < grads.length; j++) s += grads[j] * grads[j];
  return Math.sqrt(s);
}

/** The factor that scales gradients of norm `norm` down to at most `maxNorm` (1 when already within). */
export function clipScale(norm: number, maxNorm: number): number {
  if (!(maxNorm > 0)) return 1;
  return norm > maxNorm ? maxNorm / norm : 1;
}
