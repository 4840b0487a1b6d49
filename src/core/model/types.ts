// The in-memory shape of a character-level recurrent model, shared by the
// model-file reader/writer, the inference engine, the trainer and analysis.
//
// Key, used in every shape comment of src/core:
//   V = vocabulary size, E = embedding size, I = input size of a layer
//   (E for the first layer with an embedding, V with one-hot input, H of the
//   previous layer otherwise), H = hidden size, L = number of layers,
//   T = time steps (characters), B = batch (parallel streams).
//
// Gate order is ONNX's, written once here and used everywhere:
//   LSTM: rows of W, R and each half of B are the gates i, o, f, c
//         (c is the candidate, called g in the UI and in Karpathy et al.).
//   GRU:  rows are z, r, h (h is the candidate, called n in the UI);
//         linearBeforeReset = ONNX attribute linear_before_reset (PyTorch's
//         nn.GRU exports with linear_before_reset = 1).
//   RNN:  one block, h' = tanh(W x + Wb + R h + Rb) (ONNX RNN, PyTorch nn.RNN).
// All matrices are row-major Float32Array.

export type RecurrentKind = 'lstm' | 'gru' | 'rnn';

export interface LstmLayer {
  kind: 'lstm';
  inputSize: number; // I
  hiddenSize: number; // H
  W: Float32Array; // (4H, I)  gates i, o, f, c
  R: Float32Array; // (4H, H)  gates i, o, f, c
  B: Float32Array; // (8H)     Wb (4H) then Rb (4H), same gate order
}

export interface GruLayer {
  kind: 'gru';
  inputSize: number; // I
  hiddenSize: number; // H
  W: Float32Array; // (3H, I)  gates z, r, h
  R: Float32Array; // (3H, H)  gates z, r, h
  B: Float32Array; // (6H)     Wb (3H) then Rb (3H)
  linearBeforeReset: boolean;
}

export interface RnnLayer {
  kind: 'rnn';
  inputSize: number; // I
  hiddenSize: number; // H
  W: Float32Array; // (H, I)
  R: Float32Array; // (H, H)
  B: Float32Array; // (2H)     Wb (H) then Rb (H)
}

export type RecurrentLayer = LstmLayer | GruLayer | RnnLayer;

/** How a character id becomes the first layer's input vector. */
export type InputEncoding =
  { kind: 'embedding'; dim: number; table: Float32Array /* (V, E) */ } | { kind: 'onehot' /* input size V */ };

/** Last layer's h to vocabulary logits: logits = W h + b. */
export interface OutputProjection {
  W: Float32Array; // (V, H_last), row per vocabulary entry (PyTorch nn.Linear layout)
  b: Float32Array; // (V)
}

/** The vocabulary: index = character id. Each entry is one Unicode code point. */
export interface VocabularySpec {
  chars: string[];
  /** Id that unknown characters map to; undefined when the model has none. */
  unknownId?: number;
}

export interface CharModel {
  vocab: VocabularySpec;
  input: InputEncoding;
  layers: RecurrentLayer[]; // bottom to top
  output: OutputProjection;
  /** `lstm_lens.*` metadata (without the vocab), plus anything else found. */
  metadata: Record<string, string>;
}

/** Names of the per-character signals, per kind, in display order. */
export const LSTM_SIGNALS = ['h', 'c', 'i', 'f', 'o', 'g'] as const;
export const GRU_SIGNALS = ['h', 'r', 'z', 'n'] as const;
export const RNN_SIGNALS = ['h'] as const;
export type LstmSignal = (typeof LSTM_SIGNALS)[number];
export type GruSignal = (typeof GRU_SIGNALS)[number];
export type Signal = LstmSignal | GruSignal;

export function signalsOf(kind: RecurrentKind): readonly Signal[] {
  return kind === 'lstm' ? LSTM_SIGNALS : kind === 'gru' ? GRU_SIGNALS : RNN_SIGNALS;
}

/** The ONNX operator of a layer kind. */
export function onnxOpOf(kind: RecurrentKind): 'LSTM' | 'GRU' | 'RNN' {
  return kind === 'lstm' ? 'LSTM' : kind === 'gru' ? 'GRU' : 'RNN';
}

/** Number of gate blocks in W/R for a layer kind (4 for LSTM, 3 for GRU, 1 for RNN). */
export function gateCount(kind: RecurrentKind): number {
  return kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1;
}

/** Thrown for any model file that cannot be used; the message names the problem. */
export class ModelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFormatError';
  }
}
