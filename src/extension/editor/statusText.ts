// The status bar item's text, as a plain function of plain values (unit-tested
// without VS Code). It always contains "LSTM Lens" so people and tests find it.

export interface StatusInput {
  modelName?: string;
  loading?: string;
  notice?: string;
  colouring: boolean;
  mode: 'activation' | 'surprisal';
  cell: string; // "L0 #12"
  signal: string;
  /** The cell's label, e.g. "double-quote string (r = 0.50, φ = 0.74)": its name is shown. */
  label?: string;
  /** Fraction of the document analysed, when a pass is running. */
  progress?: number;
}

/** The name of a label without its scores: "double-quote string (r = 0.50, …)" → "double-quote string". */
export function labelName(label: string): string {
  const i = label.indexOf(' (');
  return (i > 0 ? label.slice(0, i) : label).trim();
}

/** "$(pulse) LSTM Lens: L0 #12 c · quote detector · default" and friends. */
export function statusText(s: StatusInput): string {
  if (s.loading) return `$(loading~spin) LSTM Lens: loading ${s.loading}…`;
  if (!s.modelName) return '$(pulse) LSTM Lens';
  if (s.notice) return `$(circle-slash) LSTM Lens: not coloured · ${s.modelName}`;
  const icon = s.colouring ? '$(pulse)' : '$(eye-closed)';
  const what =
    s.mode === 'surprisal' ? 'surprisal' : `${s.cell} ${s.signal}${s.label ? ` · ${labelName(s.label)}` : ''}`;
  const pct = s.progress !== undefined && s.progress < 1 ? ` · ${Math.floor(s.progress * 100)}%` : '';
  return `${icon} LSTM Lens: ${what} · ${s.modelName}${pct}`;
}
