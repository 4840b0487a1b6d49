// The `lstmLens.*` editor settings, read through a plain getter so the checks
// are unit-tested without VS Code. A bad value falls back to the default and
// is reported in `problems` (the glue logs them once), never thrown.

import type { Signal } from '../../core/model/types';
import { ALL_SIGNALS } from './lensState';
import { COLOUR_STYLES, type ColourStyle } from '../editor/colourRule';

export interface LensSettings {
  /** Model file to use instead of the bundled one ('' = bundled). */
  modelPath: string;
  defaultLayer: number;
  defaultCell: number;
  defaultSignal: Signal;
  colouringEnabled: boolean;
  /** After an edit, paint first from the int8 draft of the model, exact values following. */
  draftPaint: boolean;
  /** 0.1..1, multiplies the theme colours' own alpha. */
  opacity: number;
  /** 'auto': detectors by their threshold, else diverging; 'diverging': always blue/red. */
  colourStyle: ColourStyle;
  /** Files with more characters than this get a status message instead of colours. */
  maxFileChars: number;
  /** Language ids coloured; '*' = all. */
  languages: string[];
  /** URI schemes coloured. */
  schemes: string[];
}

export const SETTING_KEYS = {
  modelPath: 'model.path',
  defaultLayer: 'default.layer',
  defaultCell: 'default.cell',
  defaultSignal: 'default.signal',
  colouringEnabled: 'colouring.enabled',
  draftPaint: 'colouring.draftAfterEdit',
  opacity: 'colouring.opacity',
  colourStyle: 'colouring.style',
  maxFileChars: 'colouring.maxFileSize',
  languages: 'colouring.languages',
  schemes: 'colouring.schemes',
} as const satisfies Record<keyof LensSettings, string>;

export const DEFAULT_LANGUAGES = [
  'c',
  'cpp',
  'csharp',
  'go',
  'java',
  'javascript',
  'javascriptreact',
  'typescript',
  'typescriptreact',
  'python',
  'rust',
  'php',
  'ruby',
  'shellscript',
  'json',
  'css',
  'html',
  'markdown',
  'plaintext',
];

export const DEFAULTS: LensSettings = {
  modelPath: '',
  defaultLayer: 0,
  defaultCell: 0,
  defaultSignal: 'c',
  colouringEnabled: true,
  draftPaint: true,
  opacity: 1,
  colourStyle: 'auto',
  maxFileChars: 1_000_000,
  languages: DEFAULT_LANGUAGES,
  schemes: ['file', 'untitled'],
};

/** `get(key)` returns the raw value under `lstmLens.<key>` (undefined when unset). */
export function readSettings(get: (key: string) => unknown): { settings: LensSettings; problems: string[] } {
  const problems: string[] = [];
  const pick = <K extends keyof LensSettings>(k: K, ok: (v: unknown) => boolean, what: string): LensSettings[K] => {
    const v = get(SETTING_KEYS[k]);
    if (v === undefined || v === null) return DEFAULTS[k];
    if (ok(v)) return v as LensSettings[K];
    problems.push(
      `setting lstmLens.${SETTING_KEYS[k]} must be ${what}, got ${JSON.stringify(v)}; using ${JSON.stringify(DEFAULTS[k])}`,
    );
    return DEFAULTS[k];
  };
  const nonNegInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
  const strings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0);
  const settings: LensSettings = {
    modelPath: pick('modelPath', (v) => typeof v === 'string', 'a string (a path to an .onnx file)').trim(),
    defaultLayer: pick('defaultLayer', nonNegInt, 'an integer >= 0'),
    defaultCell: pick('defaultCell', nonNegInt, 'an integer >= 0'),
    defaultSignal: pick(
      'defaultSignal',
      (v) => typeof v === 'string' && (ALL_SIGNALS as readonly string[]).includes(v),
      `one of ${ALL_SIGNALS.join(', ')}`,
    ),
    colouringEnabled: pick('colouringEnabled', (v) => typeof v === 'boolean', 'true or false'),
    draftPaint: pick('draftPaint', (v) => typeof v === 'boolean', 'true or false'),
    opacity: pick('opacity', (v) => typeof v === 'number' && v >= 0.1 && v <= 1, 'a number from 0.1 to 1'),
    colourStyle: pick(
      'colourStyle',
      (v) => typeof v === 'string' && (COLOUR_STYLES as readonly string[]).includes(v),
      `one of ${COLOUR_STYLES.join(', ')}`,
    ),
    maxFileChars: pick(
      'maxFileChars',
      (v) => Number.isInteger(v) && (v as number) >= 1,
      'a positive integer (characters)',
    ),
    languages: pick('languages', strings, 'a list of language ids'),
    schemes: pick('schemes', strings, 'a list of URI schemes'),
  };
  return { settings, problems };
}

/** Whether a document of this language and scheme is coloured. */
export function isColouredDocument(s: LensSettings, languageId: string, scheme: string): boolean {
  return s.schemes.includes(scheme) && (s.languages.includes('*') || s.languages.includes(languageId));
}
