// The parts of the extension's package.json that the unit tests read, typed,
// so the tests check the manifest without handling `any`. Only what a test
// reads is declared; VS Code's manifest has many more fields. Reading it does
// not validate it: a field missing from the file shows up as a failed assert
// (or a TypeError) in the test that reads it.

import * as fs from 'fs';
import * as path from 'path';

/** The repository root: this file compiles to out/test/helpers/. */
export const REPO_ROOT = path.join(__dirname, '..', '..', '..');

export interface ManifestCommand {
  command: string;
  title: string;
  category: string;
  icon?: string;
}

export interface ManifestSetting {
  type?: string | string[];
  default?: unknown;
  description?: string;
  markdownDescription?: string;
  scope?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
}

export interface ManifestColor {
  id: string;
  description: string;
  /** Per theme kind: light, dark, highContrast, highContrastLight. */
  defaults: Record<string, string>;
}

export interface ManifestKeybinding {
  command: string;
  key: string;
  mac?: string;
  when?: string;
}

export interface ManifestWalkthroughStep {
  id: string;
  title: string;
  /** Markdown; a button is a link `[Title](command:id)`. */
  description: string;
  media: { markdown: string };
  completionEvents?: string[];
}

export interface ManifestWalkthrough {
  id: string;
  title: string;
  description: string;
  steps: ManifestWalkthroughStep[];
}

export interface ManifestViewContainer {
  id: string;
  title: string;
  icon: string;
}

export interface ManifestView {
  id: string;
  type: string;
  name: string;
  icon?: string;
  contextualTitle?: string;
}

export interface ManifestContributes {
  commands: ManifestCommand[];
  configuration: { title: string; properties: Record<string, ManifestSetting> };
  colors: ManifestColor[];
  keybindings: ManifestKeybinding[];
  walkthroughs: ManifestWalkthrough[];
  viewsContainers: { activitybar: ManifestViewContainer[] };
  /** View container id -> its views. */
  views: Record<string, ManifestView[]>;
}

export interface WorkspaceSupport {
  supported: boolean | 'limited';
  description?: string;
}

export interface PackageManifest {
  name: string;
  version: string;
  publisher: string;
  displayName: string;
  description: string;
  icon: string;
  license: string;
  repository: { type: string; url: string };
  categories: string[];
  keywords: string[];
  engines: { vscode: string; node?: string; npm?: string };
  main: string;
  activationEvents: string[];
  contributes: ManifestContributes;
  capabilities: {
    untrustedWorkspaces: WorkspaceSupport & { restrictedConfigurations: string[] };
    virtualWorkspaces?: WorkspaceSupport;
  };
}

/** Reads and parses the repository's package.json (or `file`), typed as PackageManifest; nothing is checked. */
export function readPackageManifest(file: string = path.join(REPO_ROOT, 'package.json')): PackageManifest {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as PackageManifest;
}
