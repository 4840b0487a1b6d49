// Messages of the saturation worker (src/worker/saturationWorker.ts): one
// request, one answer, then the starter (src/extension/workers/saturationRunner.ts)
// ends the worker. Fractions are Float32Array (H) per gate, transferred.

import type { LayerSaturation } from '../core/analysis/saturation';

export interface SaturationRequest {
  modelPath: string;
  text: string;
  maxChars?: number;
}

export type SaturationReply =
  { ok: true; chars: number; truncated: boolean; layers: LayerSaturation[] } | { ok: false; error: string };
