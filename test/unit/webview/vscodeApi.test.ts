import * as assert from 'assert';
import { MessageType } from '../../../src/protocol/panelProtocol';
import { PanelApi } from '../../../webview/vscodeApi';

describe('webview vscode API wrapper', () => {
  const g = globalThis as unknown as { acquireVsCodeApi?: () => unknown };
  after(() => delete g.acquireVsCodeApi);

  it('posts protocol messages and keeps UI state, merging saved state over the defaults', () => {
    const posted: unknown[] = [];
    let saved: unknown = { filter: 'quote', extra: 1, list: 'not a list' };
    let acquired = 0;
    g.acquireVsCodeApi = () => {
      acquired++;
      return {
        postMessage: (m: unknown) => posted.push(m),
        getState: () => saved,
        setState: (s: unknown) => (saved = s),
      };
    };
    const api = new PanelApi<{ filter: string; sort: string; list: string[] }>();
    assert.strictEqual(acquired, 1);
    api.post({ type: MessageType.ToggleCell, layer: 0, cell: 2, on: true });
    assert.deepStrictEqual(posted, [{ type: 'toggleCell', layer: 0, cell: 2, on: true }]);
    const defaults = { filter: '', sort: 'index', list: [] as string[] };
    assert.deepStrictEqual(
      api.loadUiState(defaults),
      { filter: 'quote', sort: 'index', list: [] },
      'unknown and wrongly typed fields are dropped',
    );
    api.saveUiState({ filter: 'x', sort: 'score', list: ['g'] });
    assert.deepStrictEqual(saved, { filter: 'x', sort: 'score', list: ['g'] });
    assert.deepStrictEqual(api.loadUiState(defaults), { filter: 'x', sort: 'score', list: ['g'] });
    saved = undefined;
    assert.deepStrictEqual(api.loadUiState(defaults), defaults);
    saved = 'garbage';
    assert.deepStrictEqual(api.loadUiState(defaults), defaults);
  });
});
