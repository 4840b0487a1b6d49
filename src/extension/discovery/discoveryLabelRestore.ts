// Labels come back without running anything: when a model becomes active and
// the last discovery of its file (same path, size and mtime) is cached in
// global storage, its labels are loaded into the lens state (one small JSON read).

import { promises as fs } from 'fs';
import * as path from 'path';
import type * as vscode from 'vscode';
import { loadDiscovery } from '../../core/analysis/discoveryStore';
import { errorMessage } from '../../core/util/errors';
import type { ActiveModel, LensState } from '../lens/lensState';
import { lastDiscoveryOf, toLabelInfos } from './discoveryLabels';
import type { ModelFingerprint } from './discoveryLabels';

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

/** Restores cached labels whenever the active model changes, unless `busy()` (a discovery runs). */
export function registerLabelRestore(
  context: vscode.ExtensionContext,
  state: LensState,
  log: vscode.LogOutputChannel,
  busy: () => boolean,
): void {
  const storeDir = discoveryStoreDir(context);
  const restore = async (model: ActiveModel): Promise<void> => {
    const key = lastDiscoveryOf(context.globalState.get(DISCOVERY_INDEX_KEY), await modelFingerprint(model));
    if (!key) return;
    const stored = await loadDiscovery(storeDir, key);
    if (!stored || !isActiveModel(state, model) || busy()) return;
    state.setLabels(toLabelInfos(stored.discovery));
    log.info(
      `cell labels of ${model.name}: ${stored.discovery.labels.length} from the discovery of ${stored.createdAt} (${key})`,
    );
  };
  context.subscriptions.push(
    state.onDidChange((changed) => {
      const model = state.model;
      if (!changed.has('model') || !model) return;
      restore(model).catch((err: unknown) => log.warn(`cached cell labels of ${model.name}: ${errorMessage(err)}`));
    }),
  );
}
