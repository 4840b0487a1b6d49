// The models the user can choose from: the bundled default, the model-path
// setting, models trained on this workspace (workspace storage, written by the
// training command through `workspaceModelsDir()` + `refresh()`), and ONNX
// files picked from disk (remembered, most recent first). Which one is active
// is remembered per workspace. Trust rules and paths: modelSources.ts.

import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ModelEntry } from './modelSources';
import {
  WORKSPACE_MODELS_DIR,
  bundledEntry,
  fileEntry,
  pushRecent,
  resolveSettingPath,
  trustProblem,
} from './modelSources';

const ACTIVE_KEY = 'lstmLens.activeModel';
const RECENT_KEY = 'lstmLens.recentModels';

export class ModelRegistry implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fired when the list of models may have changed (a model was trained, a file picked). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext) {}

  get bundled(): ModelEntry {
    return bundledEntry(this.context.extensionPath);
  }

  /** Folder for models trained on this workspace (created on demand), or undefined without a workspace. */
  workspaceModelsDir(): string | undefined {
    const dir = this.context.storageUri && path.join(this.context.storageUri.fsPath, WORKSPACE_MODELS_DIR);
    if (dir) fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Tells listeners (pickers, the status bar) that a model was added or removed. */
  refresh(): void {
    this.changed.fire();
  }

  /** Every model that can be chosen, bundled first. */
  async list(): Promise<ModelEntry[]> {
    const out: ModelEntry[] = [this.bundled];
    const fromSetting = this.settingEntry();
    if (fromSetting) out.push(fromSetting);
    const dir = this.context.storageUri && path.join(this.context.storageUri.fsPath, WORKSPACE_MODELS_DIR);
    if (dir) {
      const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
      for (const n of names.filter((f) => f.toLowerCase().endsWith('.onnx')).sort())
        out.push(fileEntry('workspace', path.join(dir, n)));
    }
    for (const f of this.context.globalState.get<string[]>(RECENT_KEY, [])) {
      if (!out.some((e) => e.path === f)) out.push(fileEntry('file', f));
    }
    return out;
  }

  /** The model to use: the one chosen in this workspace, else the setting's, else the bundled one. */
  async active(): Promise<ModelEntry> {
    const id = this.context.workspaceState.get<string>(ACTIVE_KEY);
    if (id) {
      const found = (await this.list()).find((e) => e.id === id);
      if (found) return found;
    }
    return this.settingEntry() ?? this.bundled;
  }

  async setActive(entry: ModelEntry): Promise<void> {
    if (entry.source === 'file')
      await this.context.globalState.update(
        RECENT_KEY,
        pushRecent(this.context.globalState.get<string[]>(RECENT_KEY, []), entry.path),
      );
    await this.context.workspaceState.update(ACTIVE_KEY, entry.id === 'bundled' ? undefined : entry.id);
    this.changed.fire();
  }

  /** Why the entry cannot be loaded before even trying (trust, missing file), or undefined. */
  precheck(entry: ModelEntry): string | undefined {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const trust = trustProblem(entry, vscode.workspace.isTrusted, folders);
    if (trust) return trust;
    if (!fs.existsSync(entry.path)) {
      return entry.source === 'bundled'
        ? `the bundled model ${entry.path} is missing from the installed extension`
        : `${entry.path} does not exist`;
    }
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private settingEntry(): ModelEntry | undefined {
    const value = vscode.workspace.getConfiguration('lstmLens').get<string>('model.path', '');
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    try {
      const p = resolveSettingPath(value, folders);
      return p ? fileEntry('setting', p) : undefined;
    } catch {
      return undefined; // a relative path without a workspace: precheck of the bundled fallback applies
    }
  }
}
