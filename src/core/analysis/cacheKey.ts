// Cache keys for cell discovery: a score table depends only on the model's
// numbers, the sample texts (with their languages) and the scoring settings,
// so results are cached under (model hash, sample hash) and recomputed when
// either changes. Metadata such as the model's name does not change a result
// and is left out of the hash.

import { createHash } from 'crypto';
import type { Hash } from 'crypto';
import type { CharModel } from '../model/types';

/** Bumped whenever the features or the scoring change, so old cache entries stop matching. */
export const DISCOVERY_VERSION = 6;

function addFloats(h: Hash, a: Float32Array): void {
  h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** sha256 (hex) of everything in a model that changes its activations. */
export function modelHash(model: CharModel): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify({ chars: model.vocab.chars, unknown: model.vocab.unknownId ?? null, input: model.input.kind }),
  );
  if (model.input.kind === 'embedding') {
    h.update(`E${model.input.dim}`);
    addFloats(h, model.input.table);
  }
  for (const layer of model.layers) {
    h.update(
      `${layer.kind} ${layer.inputSize} ${layer.hiddenSize} ${layer.kind === 'gru' ? Number(layer.linearBeforeReset) : ''}`,
    );
    addFloats(h, layer.W);
    addFloats(h, layer.R);
    addFloats(h, layer.B);
  }
  addFloats(h, model.output.W);
  addFloats(h, model.output.b);
  return h.digest('hex');
}

export interface SampleText {
  /** Shown in reports; not part of the hash (the same text under another name scores the same). */
  name: string;
  text: string;
  /** Language spec name (languages.ts), e.g. 'javascript'. */
  language: string;
}

/** sha256 (hex) of the sample texts, their languages and the settings that change scores. */
export function sampleHash(
  texts: readonly SampleText[],
  settings: Readonly<Record<string, number | string | boolean>> = {},
): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify(
      Object.keys(settings)
        .sort()
        .map((k) => [k, settings[k]]),
    ),
  );
  for (const t of texts) {
    // Length-prefixed so that ("ab", "c") and ("a", "bc") differ.
    h.update(`\n${t.language}\n${t.text.length}\n`);
    h.update(t.text);
  }
  return h.digest('hex');
}

/** The key a discovery result is stored under. */
export function discoveryCacheKey(model: string, sample: string): string {
  return `cells-v${DISCOVERY_VERSION}-${model.slice(0, 24)}-${sample.slice(0, 24)}`;
}
