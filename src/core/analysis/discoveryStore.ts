// Cell discovery results on disk, one JSON file per cache key (model hash +
// sample hash, see cacheKey.ts), so the extension and the CLI reuse a result
// until the model or the sample changes. Files are complete or absent
// (written to a temp name, then renamed).

import { promises as fs } from 'fs';
import * as path from 'path';
import { DISCOVERY_VERSION } from './cacheKey';
import type { CellDiscovery } from './cellLabels';
import type { ProbeScore } from './probes';
import type { DiscoveryResult, FeatureExcerpt } from './discoverCells';
import { readTextIfExists } from '../util/optionalFile';
import { errorMessage } from '../util/errors';

export interface StoredSaturation {
  layer: number;
  count: number;
  gates: Record<string, { left: number[]; right: number[] }>; // (H) each
}

/** Everything the report, the labels and the saturation view need, JSON-safe (no typed arrays). */
export interface StoredDiscovery {
  version: number;
  cacheKey: string;
  modelHash: string;
  sampleHash: string;
  createdAt: string; // ISO date
  texts: { name: string; language: string; chars: number }[];
  truncated: boolean;
  discovery: CellDiscovery;
  excerpts: FeatureExcerpt[];
  saturation: StoredSaturation[];
  /** Linear probes per feature and layer, when the discovery ran them. */
  probes?: ProbeScore[];
}

export function toStored(result: DiscoveryResult, createdAt = new Date()): StoredDiscovery {
  return {
    version: DISCOVERY_VERSION,
    cacheKey: result.cacheKey,
    modelHash: result.modelHash,
    sampleHash: result.sampleHash,
    createdAt: createdAt.toISOString(),
    texts: result.texts,
    truncated: result.truncated,
    discovery: result.discovery,
    excerpts: result.excerpts,
    probes: result.probes,
    saturation: result.saturation.map((l) => ({
      layer: l.layer,
      count: l.count,
      gates: Object.fromEntries(
        Object.entries(l.gates).map(([g, s]) => [g, { left: Array.from(s.left), right: Array.from(s.right) }]),
      ),
    })),
  };
}

const fileOf = (dir: string, cacheKey: string): string => {
  if (!/^[A-Za-z0-9_-]+$/.test(cacheKey)) throw new Error(`cache key '${cacheKey}' is not a plain file name`);
  return path.join(dir, `${cacheKey}.json`);
};

/** Writes the result under its cache key in `dir` (created if needed); returns the file path. */
export async function saveDiscovery(dir: string, stored: StoredDiscovery): Promise<string> {
  const file = fileOf(dir, stored.cacheKey);
  await fs.mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(stored));
  await fs.rename(tmp, file);
  return file;
}

/** The stored result for `cacheKey`, or undefined when there is none (or it is from an older version). */
export async function loadDiscovery(dir: string, cacheKey: string): Promise<StoredDiscovery | undefined> {
  const file = fileOf(dir, cacheKey);
  const text = await readTextIfExists(file);
  return text === undefined ? undefined : parseStored(text, file, cacheKey);
}

/** Parses a stored result; throws naming the file and the problem when it is not one. */
export function parseStored(text: string, name: string, cacheKey?: string): StoredDiscovery | undefined {
  let data: Partial<StoredDiscovery>;
  try {
    data = JSON.parse(text) as Partial<StoredDiscovery>;
  } catch (err) {
    throw new Error(`${name}: not JSON (${errorMessage(err)})`, { cause: err });
  }
  if (typeof data !== 'object' || data === null || typeof data.version !== 'number')
    throw new Error(`${name}: not a stored cell discovery (no version)`);
  if (data.version !== DISCOVERY_VERSION) return undefined; // features or scoring changed since: recompute
  if (cacheKey !== undefined && data.cacheKey !== cacheKey)
    throw new Error(`${name}: holds key ${data.cacheKey}, expected ${cacheKey}`);
  for (const field of ['discovery', 'texts', 'excerpts', 'saturation'] as const) {
    if (data[field] === undefined) throw new Error(`${name}: not a stored cell discovery (no ${field})`);
  }
  return data as StoredDiscovery;
}
