// Where models come from, as plain functions (unit-tested without VS Code):
// the bundled default, the `lstmLens.model.path` setting, models trained into
// workspace storage, and files picked from disk. The bundled model's location
// (media/models/default.onnx in the package) is written once here.
//
// Trust: in an untrusted workspace a model file inside a workspace folder is
// not loaded (an ONNX file is code-like input to a native library).

import * as os from 'os';
import * as path from 'path';

/** The bundled default model, relative to the extension's root. */
export const BUNDLED_MODEL = path.join('media', 'models', 'default.onnx');

/** Sub-folder of the workspace storage (context.storageUri) that holds models trained on this workspace. */
export const WORKSPACE_MODELS_DIR = 'models';

export type ModelSource = 'bundled' | 'setting' | 'workspace' | 'file';

export interface ModelEntry {
  /** Stable id: 'bundled', or '<source>:<absolute path>'. */
  id: string;
  source: ModelSource;
  /** Absolute path of the .onnx file. */
  path: string;
  /** Short name for pickers and the status bar. */
  name: string;
}

export function bundledEntry(extensionRoot: string): ModelEntry {
  return { id: 'bundled', source: 'bundled', path: path.join(extensionRoot, BUNDLED_MODEL), name: 'default' };
}

export function fileEntry(source: Exclude<ModelSource, 'bundled'>, file: string): ModelEntry {
  const abs = path.resolve(file);
  return { id: `${source}:${abs}`, source, path: abs, name: path.basename(abs).replace(/\.onnx$/i, '') };
}

/**
 * Absolute path of the model-path setting: '~' is the home folder, a relative
 * path is relative to the first workspace folder. Returns undefined for ''.
 */
export function resolveSettingPath(value: string, workspaceFolders: readonly string[]): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  if (v === '~' || v.startsWith('~/') || v.startsWith('~\\')) return path.join(os.homedir(), v.slice(1));
  if (path.isAbsolute(v)) return path.normalize(v);
  if (workspaceFolders.length === 0) {
    throw new Error(`the model path '${v}' is relative, but no workspace folder is open to resolve it against`);
  }
  return path.resolve(workspaceFolders[0], v);
}

/** Whether `file` is inside (or is) one of `folders`. */
export function isInsideFolders(file: string, folders: readonly string[]): boolean {
  const f = path.resolve(file);
  return folders.some((d) => {
    const rel = path.relative(path.resolve(d), f);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

/** Why this entry may not be loaded here, or undefined when it may. */
export function trustProblem(
  entry: ModelEntry,
  trusted: boolean,
  workspaceFolders: readonly string[],
): string | undefined {
  if (trusted || entry.source === 'bundled') return undefined;
  if (isInsideFolders(entry.path, workspaceFolders)) {
    return `${entry.path} is inside this workspace, and models stored in an untrusted workspace are not loaded (trust the workspace to use it)`;
  }
  return undefined;
}

/** Keeps the most recent first, without repeats, at most `max`. */
export function pushRecent(recent: readonly string[], file: string, max = 8): string[] {
  const abs = path.resolve(file);
  return [abs, ...recent.filter((r) => r !== abs)].slice(0, max);
}
