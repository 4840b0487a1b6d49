// One TextEditorDecorationType per colour bucket (a Map), as error-lens does
// per severity, instead of one type per character. The background is the
// bucket's theme colour (contributes.colors) mixed to the opacity setting; it
// is injected through `textDecoration` so the decoration renders inline
// around the characters and can use a CSS color-mix over the theme variable.
// Rebuilt (dispose + create) when the opacity setting changes.

import * as vscode from 'vscode';
import type { BucketKey, BucketRun } from './colourMap';
import { allBuckets, bucketBackground } from './colourMap';

export class BucketDecorations implements vscode.Disposable {
  private types = new Map<BucketKey, vscode.TextEditorDecorationType>();
  /** Editors that currently show colours, so clearing touches only them. */
  private readonly painted = new Set<vscode.TextEditor>();

  constructor(opacity: number) {
    this.build(opacity);
  }

  /** New opacity: new types (the old ones are disposed, which also clears them from editors). */
  rebuild(opacity: number): void {
    this.disposeTypes();
    this.painted.clear();
    this.build(opacity);
  }

  /** Shows `runs` in `editor` (replacing what it showed); `toRange` maps UTF-16 offsets to a Range. */
  paint(editor: vscode.TextEditor, runs: readonly BucketRun[]): void {
    const doc = editor.document;
    const byBucket = new Map<BucketKey, vscode.Range[]>();
    for (const r of runs) {
      let list = byBucket.get(r.bucket);
      if (!list) byBucket.set(r.bucket, (list = []));
      list.push(new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)));
    }
    for (const [bucket, type] of this.types) editor.setDecorations(type, byBucket.get(bucket) ?? []);
    this.painted.add(editor);
  }

  clear(editor: vscode.TextEditor): void {
    if (!this.painted.delete(editor)) return;
    for (const type of this.types.values()) editor.setDecorations(type, []);
  }

  clearAll(): void {
    for (const e of [...this.painted]) this.clear(e);
  }

  dispose(): void {
    this.disposeTypes();
    this.painted.clear();
  }

  private build(opacity: number): void {
    for (const b of allBuckets()) {
      this.types.set(
        b,
        vscode.window.createTextEditorDecorationType({
          textDecoration: `none; background-color: ${bucketBackground(b, opacity)}`,
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }),
      );
    }
  }

  private disposeTypes(): void {
    for (const t of this.types.values()) t.dispose();
    this.types.clear();
  }
}
