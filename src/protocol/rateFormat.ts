// Characters per second as the user reads them, the same in the training
// notification (src/extension/training/trainingReport.ts) and the panel's
// training view (webview/model/trainingModel.ts). It lives in src/protocol/
// because the webview imports nothing else outside webview/; like
// panelProtocol.ts it has no imports.

/** 48213 → '48.2k', 950 → '950', 1.2e6 → '1.2M'; '–' for NaN, ±∞ and negatives. */
export function formatRate(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '–';
  if (n < 1000) return `${Math.round(n)}`;
  if (n < 1e6) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1e6).toFixed(1)}M`;
}
