// Vocabulary and metadata in ONNX metadata_props, and the sidecar file.
//   lstm_lens.vocab      JSON array of one-character strings, index = id
//   lstm_lens.unknown_id decimal id that unknown characters map to (optional)
//   lstm_lens.*          anything else (corpus summary, bits per char, date)
// Sidecar `<model file>.vocab.json`: the same JSON array, or an object
// {"vocab": [...], "unknown_id": n} when an unknown id is needed.

import { ModelFormatError } from './types';
import type { VocabularySpec } from './types';
import { validateVocabulary } from './vocab';
import { errorMessage } from '../util/errors';

export const VOCAB_KEY = 'lstm_lens.vocab';
export const UNKNOWN_ID_KEY = 'lstm_lens.unknown_id';

export function sidecarPathOf(modelPath: string): string {
  return `${modelPath}.vocab.json`;
}

function parseUnknownId(text: string | undefined, where: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text.trim()))
    throw new ModelFormatError(`${where}: unknown id ${JSON.stringify(text)} is not a non-negative integer`);
  return Number(text.trim());
}

/** Vocabulary from metadata values; throws ModelFormatError naming what is wrong. */
export function vocabFromMetadata(vocabJson: string, unknownId: string | undefined): VocabularySpec {
  let chars: unknown;
  try {
    chars = JSON.parse(vocabJson);
  } catch (e) {
    throw new ModelFormatError(`metadata ${VOCAB_KEY} is not valid JSON: ${errorMessage(e)}`);
  }
  if (!Array.isArray(chars))
    throw new ModelFormatError(`metadata ${VOCAB_KEY} is not a JSON array of one-character strings`);
  const spec: VocabularySpec = {
    chars: chars as string[],
    unknownId: parseUnknownId(unknownId, `metadata ${UNKNOWN_ID_KEY}`),
  };
  if (spec.unknownId === undefined) delete spec.unknownId;
  validateVocabulary(spec);
  return spec;
}

/** Vocabulary from a sidecar file's text (array, or {vocab, unknown_id}). */
export function vocabFromSidecar(text: string, fileName = 'vocab sidecar'): VocabularySpec {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(`${fileName} is not valid JSON: ${errorMessage(e)}`);
  }
  let spec: VocabularySpec;
  if (Array.isArray(v)) {
    spec = { chars: v as string[] };
  } else if (v && typeof v === 'object' && Array.isArray((v as { vocab?: unknown }).vocab)) {
    const o = v as { vocab: string[]; unknown_id?: unknown };
    spec = { chars: o.vocab };
    if (o.unknown_id !== undefined && o.unknown_id !== null)
      spec.unknownId = parseUnknownId(
        typeof o.unknown_id === 'number' || typeof o.unknown_id === 'string'
          ? String(o.unknown_id)
          : JSON.stringify(o.unknown_id),
        fileName,
      );
  } else {
    throw new ModelFormatError(`${fileName} holds neither a JSON array of characters nor {"vocab": [...]}`);
  }
  validateVocabulary(spec);
  return spec;
}

/** metadata_props entries for a model: vocab, unknown id, then the rest. */
export function metadataEntries(vocab: VocabularySpec, metadata: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { [VOCAB_KEY]: JSON.stringify(vocab.chars) };
  if (vocab.unknownId !== undefined) out[UNKNOWN_ID_KEY] = String(vocab.unknownId);
  for (const [k, v] of Object.entries(metadata)) if (k !== VOCAB_KEY && k !== UNKNOWN_ID_KEY) out[k] = v;
  return out;
}
