// Model files: ONNX bytes <-> CharModel, and atomic reads/writes on disk.
// The graph we write is described in modelGraph.ts; reading (onnxImport.ts)
// also accepts torch.onnx.export output. Vocabulary and metadata: see
// modelMetadata.ts. Every problem is a ModelFormatError naming it.

import { promises as fs } from 'fs';
import * as path from 'path';
import { onnx } from 'onnx-proto';
import { buildModelGraph } from './modelGraph';
import {
  UNKNOWN_ID_KEY,
  VOCAB_KEY,
  metadataEntries,
  sidecarPathOf,
  vocabFromMetadata,
  vocabFromSidecar,
} from './modelMetadata';
import { importNetwork } from './onnxImport';
import { ModelFormatError } from './types';
import type { CharModel, VocabularySpec } from './types';
import { validateVocabulary } from './vocab';
import { errorMessage } from '../util/errors';

export interface ParseOptions {
  /** Vocabulary to use when the file's metadata has no lstm_lens.vocab. */
  sidecarVocab?: VocabularySpec;
  /** For error messages. */
  fileName?: string;
}

/** Decodes ONNX ModelProto bytes; ModelFormatError when they are not ONNX. */
export function decodeModelProto(bytes: Uint8Array, fileName = 'model'): onnx.ModelProto {
  if (bytes.length === 0) throw new ModelFormatError(`${fileName} is empty, not an ONNX model`);
  let proto: onnx.ModelProto;
  try {
    // A plain Uint8Array view, never a Node Buffer: given a Buffer, protobufjs
    // reads with its BufferReader, which makes each empty field with
    // `new Buffer(0)` (deprecated, DEP0005, logged by the extension host).
    proto = onnx.ModelProto.decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new ModelFormatError(`${fileName} is not an ONNX model (cannot be parsed: ${errorMessage(e)})`);
  }
  if (!proto.graph || (proto.graph.node ?? []).length === 0) {
    throw new ModelFormatError(`${fileName} is not an ONNX model (no graph with nodes)`);
  }
  return proto;
}

export function metadataOf(proto: onnx.IModelProto): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of proto.metadataProps ?? []) if (e.key) out[e.key] = e.value ?? '';
  return out;
}

export function parseModel(bytes: Uint8Array, options: ParseOptions = {}): CharModel {
  return modelFromProto(decodeModelProto(bytes, options.fileName), options);
}

export function modelFromProto(proto: onnx.IModelProto, options: ParseOptions = {}): CharModel {
  const fileName = options.fileName ?? 'model';
  const opset = (proto.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version;
  let net: ReturnType<typeof importNetwork>;
  try {
    net = importNetwork(proto.graph!, opset === undefined || opset === null ? 17 : Number(opset));
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    // Malformed graphs can trip the walk in ways no check names; still say which file and why.
    throw new ModelFormatError(`${fileName}: cannot read the graph (${(e as Error).name}: ${(e as Error).message})`);
  }
  const all = metadataOf(proto);
  let vocab: VocabularySpec;
  if (all[VOCAB_KEY] !== undefined) {
    vocab = vocabFromMetadata(all[VOCAB_KEY], all[UNKNOWN_ID_KEY]);
  } else if (options.sidecarVocab) {
    vocab = options.sidecarVocab;
    validateVocabulary(vocab);
  } else {
    throw new ModelFormatError(
      `${fileName}: vocab missing (no ${VOCAB_KEY} metadata and no sidecar ${fileName}.vocab.json)`,
    );
  }
  const V = net.output.b.length;
  if (vocab.chars.length !== V) {
    throw new ModelFormatError(`${fileName}: vocab size ${vocab.chars.length} does not match the model's ${V} logits`);
  }
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (k !== VOCAB_KEY && k !== UNKNOWN_ID_KEY) metadata[k] = v;
  return { vocab: { ...vocab }, ...net, metadata };
}

export function serializeModel(model: CharModel): Uint8Array {
  validateVocabulary(model.vocab);
  return buildModelGraph(model).toBytes({ metadata: metadataEntries(model.vocab, model.metadata) });
}

/** The file's bytes; an error that names the path and says why in words (keeping the errno `code`). */
async function readModelBytes(filePath: string): Promise<Buffer> {
  try {
    return await fs.readFile(filePath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EISDIR'
        ? 'is a folder, not a model file'
        : code === 'ENOENT'
          ? 'does not exist'
          : code === 'EACCES'
            ? 'cannot be read (permission denied)'
            : `cannot be read (${errorMessage(e)})`;
    throw Object.assign(new Error(`model ${filePath} ${why}`, { cause: e }), { code });
  }
}

/** Reads a model file, with `<path>.vocab.json` when the metadata has no vocabulary. */
export async function readModelFile(filePath: string): Promise<CharModel> {
  const fileName = path.basename(filePath);
  const proto = decodeModelProto(await readModelBytes(filePath), fileName);
  let sidecarVocab: VocabularySpec | undefined;
  if (!(proto.metadataProps ?? []).some((e) => e.key === VOCAB_KEY)) {
    const sidecar = sidecarPathOf(filePath);
    const text = await fs.readFile(sidecar, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (text !== undefined) sidecarVocab = vocabFromSidecar(text, path.basename(sidecar));
  }
  return modelFromProto(proto, { fileName, sidecarVocab });
}

/** Writes atomically: a temp file in the same folder, then rename; the file is complete or absent. */
export async function writeModelFile(model: CharModel, filePath: string): Promise<void> {
  const bytes = serializeModel(model);
  const tmp = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, filePath);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
