// Labels shipped beside a bundled model (media/models/<name>.labels.json):
// the model's own cell discovery on a multi-language sample it was not
// trained on, written by scripts/labelDefaultModel.ts whenever the model
// changes. They let the editor open on a labelled cell before the user has
// run anything. The file names the model's SHA-256, so labels of another
// model are never shown (a unit test fails when the two drift apart).

import { createHash } from 'crypto';
import type { CellDiscovery, CellScore } from './cellLabels';
import type { FeatureId } from './codeFeatures';
import { parseStored, type StoredDiscovery } from './discoveryStore';

export const BUNDLED_LABELS_VERSION = 1;

/** One file of the sample: where it came from, so the sample can be rebuilt and checked. */
export interface BundledSampleFile {
  name: string;
  language: string;
  chars: number;
  sha256: string;
}

export interface BundledLabels {
  version: number;
  /** The model file these labels belong to. */
  model: { file: string; sha256: string };
  createdBy: string;
  sample: BundledSampleFile[];
  stored: StoredDiscovery;
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Parses a labels file; throws naming `name` when it is not one. Returns
 * undefined when it is from an older discovery version (labels to recompute).
 */
export function parseBundledLabels(text: string, name: string): BundledLabels | undefined {
  let data: Partial<BundledLabels>;
  try {
    data = JSON.parse(text) as Partial<BundledLabels>;
  } catch (err) {
    throw new Error(`${name}: not JSON (${(err as Error).message})`, { cause: err });
  }
  if (typeof data !== 'object' || data === null || data.version !== BUNDLED_LABELS_VERSION)
    throw new Error(`${name}: not a bundled labels file of version ${BUNDLED_LABELS_VERSION}`);
  if (typeof data.model?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(data.model.sha256))
    throw new Error(`${name}: no model SHA-256`);
  if (!Array.isArray(data.sample)) throw new Error(`${name}: no sample list`);
  const stored = parseStored(JSON.stringify(data.stored ?? null), name);
  if (!stored) return undefined;
  return { ...(data as BundledLabels), stored };
}

/** Features whose detector makes the best first colouring, in order of preference. */
const OPENING_FEATURES: readonly FeatureId[] = ['inString', 'inDoubleQuote', 'inComment', 'inLineComment'];

/**
 * The cell to open the editor on: the best cell of the first of
 * OPENING_FEATURES whose best score reaches the label threshold (an
 * inside-string detector, else a comment detector), else the best label;
 * undefined when nothing reaches the threshold.
 */
export function openingCell(discovery: CellDiscovery): CellScore | undefined {
  for (const f of OPENING_FEATURES) {
    const best = discovery.features.find((s) => s.feature === f)?.top[0];
    if (best && best.score >= discovery.minAbsR) return best;
  }
  return discovery.labels[0];
}
