// What the lens looks at, shared by the editor colouring, hovers, status bar,
// commands and the panel: the active model, the primary cell (colours the
// editor), the toggled cells (charts, hover), the layer and signal, colouring
// on/off, activation vs surprisal mode, and the cell labels from discovery.
// Plain TypeScript (no `vscode` import) so it is unit-tested; listeners get
// the set of keys that changed.

import type { ModelInfo, SelectionSpec } from '../../protocol/analysisProtocol';
import type { Signal } from '../../core/model/types';
import { signalsOf } from '../../core/model/types';
import type { ProbeScore } from '../../core/analysis/probes';

export type ColourMode = 'activation' | 'surprisal';

/** One unit of a layer (index within the layer's H). */
export interface CellId {
  layer: number;
  cell: number;
}

/** The model the analysis worker has loaded. */
export interface ActiveModel {
  /** Registry id, e.g. 'bundled', 'file:/abs/path.onnx'. */
  id: string;
  /** Short name for the status bar and pickers. */
  name: string;
  path: string;
  info: ModelInfo;
}

/** A label from cell discovery, e.g. "quote detector (r = 0.93, F1 = 0.88)". */
export interface CellLabelInfo {
  layer: number;
  cell: number;
  signal: string;
  text: string;
  /** |r| of the label's feature: ranks labels in pickers. */
  score: number;
  /** The code feature it detects ('inString', …). */
  feature?: string;
  /** Binary features: the cell is on above `threshold` (below it when `above` is false). */
  threshold?: number;
  above?: boolean;
}

/** A cell to open the editor on, with the signal that carries its label. */
export interface OpeningCell extends CellId {
  signal: Signal;
}

export type StateKey =
  'model' | 'primary' | 'toggled' | 'layer' | 'signal' | 'colouring' | 'mode' | 'labels' | 'overlay';

/**
 * What paints the editor instead of the cell colouring while it is on: the
 * change in surprisal an intervention makes, the difference to a second
 * model, or the gradient flow at the cursor.
 */
export type Overlay = 'intervention' | 'comparison' | 'gradientFlow';

export interface Listener {
  (changed: ReadonlySet<StateKey>): void;
}

/** What survives a reload (workspaceState). */
export interface PersistedLens {
  primary: CellId;
  /** Whether the user picked the primary cell (else the lens may open on a labelled one). */
  chosen?: boolean;
  toggled: CellId[];
  signal: Signal;
  mode: ColourMode;
}

export const MAX_TOGGLED = 16;

export class LensState {
  model: ActiveModel | undefined;
  /** The cell that colours the editor; its layer is the current layer. */
  primary: CellId = { layer: 0, cell: 0 };
  /** Cells toggled on for charts and hovers (the panel edits this list). */
  toggled: CellId[] = [];
  signal: Signal = 'h';
  colouring = true;
  mode: ColourMode = 'activation';
  labels: CellLabelInfo[] = [];
  /** Linear probes of the discovery the labels came from (core/analysis/probes.ts), when it ran them. */
  probes: readonly ProbeScore[] = [];
  /** True once the user picked a cell (Select Cell, Next/Previous, a layer, the panel, or the default.cell setting). */
  chosen = false;
  private readonly listeners = new Set<Listener>();

  get layer(): number {
    return this.primary.layer;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** New model: the cell, toggled cells and signal are kept where they still exist, else clamped. */
  setModel(model: ActiveModel | undefined): void {
    this.model = model;
    const changed = new Set<StateKey>(['model']);
    if (model) {
      const before = JSON.stringify([this.primary, this.toggled, this.signal]);
      this.primary = this.clamp(this.primary);
      this.toggled = this.toggled.filter((c) => this.exists(c));
      this.signal = this.validSignal(this.signal, this.primary.layer);
      if (before !== JSON.stringify([this.primary, this.toggled, this.signal])) {
        changed.add('primary').add('toggled').add('signal').add('layer');
      }
    }
    this.labels = [];
    this.probes = [];
    changed.add('labels');
    this.emit(changed);
  }

  /**
   * Opens on `cell` (a labelled detector) unless the user has chosen a cell:
   * it becomes the primary cell with its signal. Returns whether it did.
   */
  openOn(cell: OpeningCell): boolean {
    if (this.chosen || !this.model || !this.exists(cell)) return false;
    const kind = this.model.info.layers[cell.layer].kind;
    this.selectCell(cell, false);
    if (signalsOf(kind).includes(cell.signal)) this.setSignal(cell.signal);
    return true;
  }

  /** Makes `id` the primary cell (`byUser`: the user's choice, kept over labelled openings). Throws RangeError for a cell the model does not have. */
  selectCell(id: CellId, byUser = true): void {
    if (this.model && !this.exists(id)) {
      throw new RangeError(
        `cell ${id.cell} of layer ${id.layer} does not exist in ${this.model.name} (${describeLayers(this.model.info)})`,
      );
    }
    const layerChanged = id.layer !== this.primary.layer;
    this.primary = { layer: id.layer, cell: id.cell };
    if (byUser) this.chosen = true;
    const changed = new Set<StateKey>(['primary']);
    if (layerChanged) {
      changed.add('layer');
      const s = this.validSignal(this.signal, id.layer);
      if (s !== this.signal) {
        this.signal = s;
        changed.add('signal');
      }
    }
    this.emit(changed);
  }

  /** Moves the primary cell by `delta` within its layer, wrapping around. */
  stepCell(delta: number): void {
    const H = this.model?.info.layers[this.primary.layer]?.hiddenSize;
    if (!H) return;
    this.selectCell({ layer: this.primary.layer, cell: (((this.primary.cell + delta) % H) + H) % H });
  }

  /** Switches layer, keeping the cell index when the layer has it. */
  setLayer(layer: number): void {
    const layers = this.model?.info.layers;
    if (layers && !layers[layer])
      throw new RangeError(`layer ${layer} does not exist (the model has ${layers.length})`);
    const H = layers?.[layer].hiddenSize ?? Infinity;
    this.selectCell({ layer, cell: Math.min(this.primary.cell, H - 1) });
  }

  setSignal(signal: Signal): void {
    const kind = this.model?.info.layers[this.primary.layer]?.kind;
    if (kind && !signalsOf(kind).includes(signal)) {
      throw new RangeError(
        `signal '${signal}' does not exist in ${kind.toUpperCase()} layer ${this.primary.layer} (has ${signalsOf(kind).join(', ')})`,
      );
    }
    if (signal === this.signal) return;
    this.signal = signal;
    this.emit(new Set(['signal']));
  }

  /** Turns a cell on or off in the toggled list (most recent last, at most MAX_TOGGLED). */
  toggleCell(id: CellId, on?: boolean): void {
    if (this.model && !this.exists(id)) throw new RangeError(`cell ${id.cell} of layer ${id.layer} does not exist`);
    const i = this.toggled.findIndex((c) => c.layer === id.layer && c.cell === id.cell);
    const want = on ?? i < 0;
    if (want === i >= 0) return;
    if (want) this.toggled = [...this.toggled, { layer: id.layer, cell: id.cell }].slice(-MAX_TOGGLED);
    else this.toggled = this.toggled.filter((_, j) => j !== i);
    this.emit(new Set(['toggled']));
  }

  /** The overlay painting the editor (undefined: the cell colouring). Not persisted. */
  overlay: Overlay | undefined;
  /** What the active intervention does ("L0 h,c[19] := 0"), while one is on. Not persisted. */
  intervention: string | undefined;

  setOverlay(overlay: Overlay | undefined): void {
    if (overlay === this.overlay) return;
    this.overlay = overlay;
    this.emit(new Set(['overlay']));
  }

  setColouring(on: boolean): void {
    if (on === this.colouring) return;
    this.colouring = on;
    this.emit(new Set(['colouring']));
  }

  setMode(mode: ColourMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.emit(new Set(['mode']));
  }

  /** Labels (and the probes of the same discovery) for the active model; replaces earlier ones. */
  setLabels(labels: CellLabelInfo[], probes: readonly ProbeScore[] = []): void {
    this.labels = [...labels];
    this.probes = probes;
    this.emit(new Set(['labels']));
  }

  /** Best label of a unit, any signal. */
  labelOf(id: CellId): CellLabelInfo | undefined {
    let best: CellLabelInfo | undefined;
    for (const l of this.labels)
      if (l.layer === id.layer && l.cell === id.cell && (!best || l.score > best.score)) best = l;
    return best;
  }

  /** The label of a unit for one signal (c and h of a unit may detect different things). */
  labelFor(id: CellId, signal: string): CellLabelInfo | undefined {
    let best: CellLabelInfo | undefined;
    for (const l of this.labels)
      if (l.layer === id.layer && l.cell === id.cell && l.signal === signal && (!best || l.score > best.score))
        best = l;
    return best;
  }

  /** Primary first, then the toggled cells, without repeats. */
  shownCells(): CellId[] {
    const out: CellId[] = [this.primary];
    for (const c of this.toggled) if (!out.some((o) => o.layer === c.layer && o.cell === c.cell)) out.push(c);
    return out;
  }

  /**
   * What the worker keeps per character: every signal of the shown cells (so
   * switching signal only redraws), and surprisal in surprisal mode.
   */
  selectionSpec(): SelectionSpec {
    const layers = this.model?.info.layers ?? [];
    return {
      cells: this.shownCells()
        .filter((c) => this.exists(c))
        .map((c) => ({ layer: c.layer, cell: c.cell, signals: [...signalsOf(layers[c.layer].kind)] })),
      surprisal: this.mode === 'surprisal',
    };
  }

  persisted(): PersistedLens {
    return {
      primary: { ...this.primary },
      chosen: this.chosen,
      toggled: this.toggled.map((c) => ({ ...c })),
      signal: this.signal,
      mode: this.mode,
    };
  }

  /** Restores a saved lens; anything malformed is ignored (it came from storage). */
  restore(saved: unknown): void {
    if (!saved || typeof saved !== 'object') return;
    const s = saved as Partial<PersistedLens>;
    const isCell = (c: unknown): c is CellId =>
      !!c &&
      typeof c === 'object' &&
      Number.isInteger((c as CellId).layer) &&
      Number.isInteger((c as CellId).cell) &&
      (c as CellId).layer >= 0 &&
      (c as CellId).cell >= 0;
    if (isCell(s.primary)) this.primary = { layer: s.primary.layer, cell: s.primary.cell };
    if (typeof s.chosen === 'boolean') this.chosen = s.chosen;
    if (Array.isArray(s.toggled))
      this.toggled = s.toggled
        .filter(isCell)
        .slice(-MAX_TOGGLED)
        .map((c) => ({ layer: c.layer, cell: c.cell }));
    if (typeof s.signal === 'string' && (ALL_SIGNALS as readonly string[]).includes(s.signal)) this.signal = s.signal;
    if (s.mode === 'activation' || s.mode === 'surprisal') this.mode = s.mode;
    if (this.model) this.setModel(this.model);
    else this.emit(new Set(['primary', 'toggled', 'signal', 'mode', 'layer']));
  }

  private exists(c: CellId): boolean {
    const l = this.model?.info.layers[c.layer];
    return !!l && Number.isInteger(c.cell) && c.cell >= 0 && c.cell < l.hiddenSize;
  }

  private clamp(c: CellId): CellId {
    const layers = this.model!.info.layers;
    const layer = Math.min(Math.max(0, c.layer), layers.length - 1);
    return { layer, cell: Math.min(Math.max(0, c.cell), layers[layer].hiddenSize - 1) };
  }

  /** The signal if the layer has it; else h (which every kind has). */
  private validSignal(s: Signal, layer: number): Signal {
    const kind = this.model?.info.layers[layer]?.kind;
    return !kind || signalsOf(kind).includes(s) ? s : 'h';
  }

  private emit(changed: Set<StateKey>): void {
    for (const l of [...this.listeners]) l(changed);
  }
}

export const ALL_SIGNALS: readonly Signal[] = ['h', 'c', 'i', 'f', 'o', 'g', 'r', 'z', 'n'];

/** "2 layers: LSTM 256, LSTM 256" */
export function describeLayers(info: ModelInfo): string {
  const n = info.layers.length;
  return `${n} layer${n === 1 ? '' : 's'}: ${info.layers.map((l) => `${l.kind.toUpperCase()} ${l.hiddenSize}`).join(', ')}`;
}

/** "L0 #12" — layer and unit, both from 0 (as the CLI and the panel number them). */
export function cellTitle(c: CellId): string {
  return `L${c.layer} #${c.cell}`;
}
