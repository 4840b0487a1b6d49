// Labels come back without running anything: when a model becomes active and
// the last discovery of its file (same path, size and mtime) is cached in
// global storage, its labels are loaded into the lens state (one small JSON
// read). Otherwise a labels file shipped beside the model (<model>.labels.json,
// core/analysis/bundledLabels.ts: the bundled model has one) is used when it
// names this model file's SHA-256. Either way, unless the user chose a cell,
// the lens opens on the labelled inside-string (else comment) detector.

import { promises as fs } from 'fs';
import * as path from 'path';
import type * as vscode from 'vscode';
import { loadDiscovery } from '../../core/analysis/discoveryStore';
import { parseBundledLabels, sha256 } from '../../core/analysis/bundledLabels';
import type { CellDiscovery } from '../../core/analysis/cellLabels';
import type { ProbeScore } from '../../core/analysis/probes';
import { errorMessage } from '../../core/util/errors';
import { readTextIfExists } from '../../core/util/optionalFile';
import type { ActiveModel, LensState } from '../lens/lensState';
import { applyLabels, lastDiscoveryOf } from './discoveryLabels';
import type { ModelFingerprint, OpeningPolicy } from './discoveryLabels';

/** globalState key of the index: model fingerprint → cache key of its last discovery. */
export const DISCOVERY_INDEX_KEY = 'lstmLens.lastDiscovery';

/** The folder of stored discoveries in the extension's global storage. */
export function discoveryStoreDir(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'cellDiscovery');
}

export async function modelFingerprint(model: ActiveModel): Promise<ModelFingerprint> {
  const st = await fs.stat(model.path);
  return { path: model.path, size: st.size, mtimeMs: st.mtimeMs };
}

/** True while `model` is the lens's active model (same id and file). */
export function isActiveModel(state: LensState, model: ActiveModel): boolean {
  return state.model?.id === model.id && state.model.path === model.path;
}

/** The labels file shipped beside a model file: x.onnx → x.labels.json. */
export function labelsFileOf(modelPath: string): string {
  return modelPath.replace(/\.onnx$/i, '') + '.labels.json';
}

/**
 * The discovery in the labels file beside `modelPath`, if there is one for
 * exactly this model file (its SHA-256); undefined when there is none or it
 * belongs to another version of the model. Throws on a broken file.
 */
export async function shippedLabels(
  modelPath: string,
): Promise<{ discovery: CellDiscovery; probes: ProbeScore[]; file: string } | undefined> {
  const file = labelsFileOf(modelPath);
  const text = await readTextIfExists(file);
  if (text === undefined) return undefined;
  const labels = parseBundledLabels(text, file);
  if (!labels) return undefined;
  if (labels.model.sha256 !== sha256(await fs.readFile(modelPath))) return undefined;
  return { discovery: labels.stored.discovery, probes: labels.stored.probes ?? [], file };
}

/** Restores cached (else shipped) labels whenever the active model changes, unless `busy()` (a discovery runs). */
export function registerLabelRestore(
  context: vscode.ExtensionContext,
  state: LensState,
  log: vscode.LogOutputChannel,
  busy: () => boolean,
  policy: () => OpeningPolicy,
): void {
  const storeDir = discoveryStoreDir(context);
  const apply = (model: ActiveModel, discovery: CellDiscovery, probes: ProbeScore[], source: string): void => {
    if (!isActiveModel(state, model) || busy()) return;
    const opened = applyLabels(state, discovery, policy(), probes);
    log.info(
      `cell labels of ${model.name}: ${discovery.labels.length} from ${source}` +
        (opened ? `; opened on L${opened.layer} ${opened.signal}[${opened.unit}] (${opened.feature})` : ''),
    );
  };
  const restore = async (model: ActiveModel): Promise<void> => {
    const key = lastDiscoveryOf(context.globalState.get(DISCOVERY_INDEX_KEY), await modelFingerprint(model));
    const stored = key ? await loadDiscovery(storeDir, key) : undefined;
    if (stored)
      return apply(model, stored.discovery, stored.probes ?? [], `the discovery of ${stored.createdAt} (${key})`);
    const shipped = await shippedLabels(model.path);
    if (shipped) apply(model, shipped.discovery, shipped.probes, path.basename(shipped.file));
  };
  context.subscriptions.push(
    state.onDidChange((changed) => {
      const model = state.model;
      if (!changed.has('model') || !model) return;
      restore(model).catch((err: unknown) => log.warn(`cell labels of ${model.name}: ${errorMessage(err)}`));
    }),
  );
}
