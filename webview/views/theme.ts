// Colours for canvases, read from VS Code's theme CSS variables so charts
// follow light, dark and high-contrast themes; `onThemeChange` fires when
// VS Code swaps the body's theme class.

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export interface ChartTheme {
  foreground: string;
  grid: string;
  cursor: string;
  mono: string; // editor font family, for character labels
  signal: (name: string) => string; // colour of a signal (i f o g c h, GRU r z n) or a training curve (train, validation)
}

export function chartTheme(): ChartTheme {
  const red = cssVar('--vscode-charts-red', '#f14c4c');
  const green = cssVar('--vscode-charts-green', '#89d185');
  const blue = cssVar('--vscode-charts-blue', '#3794ff');
  const orange = cssVar('--vscode-charts-orange', '#d18616');
  const purple = cssVar('--vscode-charts-purple', '#b180d7');
  const yellow = cssVar('--vscode-charts-yellow', '#cca700');
  const foreground = cssVar('--vscode-charts-foreground', cssVar('--vscode-foreground', '#cccccc'));
  const colours: Record<string, string> = {
    i: red,
    f: green,
    o: blue,
    g: orange,
    c: purple,
    h: yellow,
    r: red,
    z: green,
    n: orange,
    train: blue,
    validation: orange,
  };
  return {
    foreground,
    grid: cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    cursor: cssVar('--vscode-editorCursor-foreground', foreground),
    mono: cssVar('--vscode-editor-font-family', 'monospace'),
    signal: (s) => colours[s] ?? foreground,
  };
}

/** Calls `fn` when the theme class of <body> changes; returns a disposer. */
export function onThemeChange(fn: () => void): () => void {
  const obs = new MutationObserver(fn);
  obs.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  return () => obs.disconnect();
}
