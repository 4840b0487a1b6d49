// The discovery reports as read-only Markdown documents of a virtual scheme,
// kept for the window's life (the newest MAX_REPORTS), opened in a Markdown
// preview. The report's text is built by core/analysis/cellReport.ts.

import * as vscode from 'vscode';
import { buildReport } from '../../core/analysis/cellReport';
import type { StoredDiscovery } from '../../core/analysis/discoveryStore';

const REPORT_SCHEME = 'lstm-lens-report';
const MAX_REPORTS = 20;

/** Read-only Markdown documents of the reports, by URI. */
class ReportProvider implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.texts.get(uri.toString()) ??
      '# Interpretable cells\n\nThis report is gone (the window was reloaded): run **LSTM Lens: Discover Interpretable Cells** again.\n'
    );
  }
  set(uri: vscode.Uri, text: string): void {
    // Kept for the window's life, the newest MAX_REPORTS (a few tens of kB each).
    this.texts.delete(uri.toString());
    this.texts.set(uri.toString(), text);
    while (this.texts.size > MAX_REPORTS) this.texts.delete(this.texts.keys().next().value!);
    this.changed.fire(uri);
  }
}

export interface DiscoveryReports {
  /** Builds the report of `stored`, shows it in a Markdown preview and returns its URI. */
  show(stored: StoredDiscovery, modelName: string): Promise<vscode.Uri>;
}

export function registerDiscoveryReports(context: vscode.ExtensionContext): DiscoveryReports {
  const reports = new ReportProvider();
  context.subscriptions.push(
    reports.changed,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
  );
  return {
    show: async (stored, modelName) => {
      const uri = vscode.Uri.from({
        scheme: REPORT_SCHEME,
        path: `/${stored.cacheKey}/Interpretable cells (${modelName}).md`,
      });
      reports.set(uri, buildReport(stored, { title: `Interpretable cells of ${modelName}`, modelName }));
      await vscode.commands.executeCommand('markdown.showPreview', uri);
      return uri;
    },
  };
}
